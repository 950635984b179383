using SkiaSharp;

namespace VerifyPipeline.DocumentFamilies;

/// <summary>
/// A cursive-like stroke of the holder's name. Its shape comes from the name and the person's seed only (a stable
/// FNV hash, never string.GetHashCode, which differs per process), so the request form and the document carry the
/// same signature; the instance's random source adds the small variation between two signatures of one hand.
/// </summary>
internal static class Signatures
{
    internal static void Draw(SKCanvas canvas, Person person, int personSeed, float x, float y, float w, float h,
        SKColor ink, Random instance, double wobble)
    {
        var text = $"{person.GivenNames.Split(' ')[0][0]}{person.Surname.Replace(" ", "").Replace("'", "")}";
        var shape = new Random(unchecked((int)Fnv(text) ^ personSeed));
        var points = new List<SKPoint>();
        var n = text.Length;
        var slant = (float)(shape.NextDouble() * 0.25 + 0.1);
        for (var i = 0; i < n; i++)
        {
            var tall = char.IsUpper(text[i]) || "bdfhklt".Contains(text[i]);
            var deep = "gjpqy".Contains(text[i]);
            var top = tall ? 0.05 + shape.NextDouble() * 0.15 : 0.35 + shape.NextDouble() * 0.15;
            var bottom = deep ? 0.98 : 0.72 + shape.NextDouble() * 0.08;
            var x0 = (double)i / n;
            var step = 1.0 / n;
            // One letter: up-stroke to its top, a loop back, down to the baseline, a short connector.
            points.Add(P(x0, bottom));
            points.Add(P(x0 + step * 0.45, top));
            points.Add(P(x0 + step * 0.2, top + 0.12));
            points.Add(P(x0 + step * 0.55, bottom));
            points.Add(P(x0 + step * 0.95, bottom - 0.12));
        }
        points.Add(P(1.0, 0.8));
        points.Add(P(0.35 + shape.NextDouble() * 0.2, 0.92));

        using var pb = new SKPathBuilder();
        pb.MoveTo(points[0]);
        for (var i = 1; i + 1 < points.Count; i += 2)
            pb.QuadTo(points[i], points[i + 1]);
        using var path = pb.Detach();
        using var paint = new SKPaint
        {
            Color = ink, Style = SKPaintStyle.Stroke, StrokeWidth = Math.Max(0.18f, h * 0.045f), IsAntialias = true,
            StrokeCap = SKStrokeCap.Round, StrokeJoin = SKStrokeJoin.Round,
        };
        canvas.DrawPath(path, paint);

        SKPoint P(double u, double v)
        {
            var du = (instance.NextDouble() * 2 - 1) * wobble;
            var dv = (instance.NextDouble() * 2 - 1) * wobble;
            var px = x + (float)((u + du) * w * 0.92 + w * 0.04) + (float)(1 - v) * h * slant;
            var py = y + (float)((v + dv) * h * 0.85 + h * 0.05);
            return new SKPoint(px, py);
        }
    }

    internal static uint Fnv(string s)
    {
        var hash = 2166136261u;
        foreach (var c in s) hash = unchecked((hash ^ c) * 16777619u);
        return hash;
    }
}
