using SkiaSharp;

namespace VerifyPipeline.Corpus;

/// <summary>
/// A person's synthetic signature: a fixed shape (strokes of control points in a unit box, 1 wide × 0.4 high) drawn from
/// the person's <see cref="Person.HandSeed"/> — an initial with a loop, a cursive run per name with that person's own
/// letter heights and loops, maybe an underline flourish. Every repetition is the same shape with natural variation
/// (jitter, scale, rotation, slant); a skilled forgery is someone else tracing this shape: more jitter, a tremor, more
/// even pressure and slightly wrong proportions.
/// </summary>
public sealed class SignatureHand : ISignatureHand
{
    private readonly List<SKPoint[]> _strokes;
    private readonly float _penMm;
    private readonly float _slant;

    private SignatureHand(List<SKPoint[]> strokes, float penMm, float slant)
    {
        _strokes = strokes;
        _penMm = penMm;
        _slant = slant;
    }

    public static SignatureHand FromSeed(int seed)
    {
        var rng = new Random(seed);
        var strokes = new List<SKPoint[]>();
        var words = rng.Next(1, 3);
        var x = 0.02f;
        var wordWidth = 0.96f / words;
        for (var w = 0; w < words; w++)
        {
            var pts = new List<SKPoint>();
            // Initial capital: a tall loop.
            var capH = 0.25f + (float)rng.NextDouble() * 0.13f;
            pts.Add(new SKPoint(x, 0.32f));
            pts.Add(new SKPoint(x + 0.03f, 0.4f - capH));
            pts.Add(new SKPoint(x + 0.07f + (float)rng.NextDouble() * 0.03f, 0.4f - capH - 0.02f));
            pts.Add(new SKPoint(x + 0.05f, 0.24f));
            pts.Add(new SKPoint(x + 0.02f, 0.3f));
            // Cursive run: letters alternating baseline/x-height with this person's ascenders and loops.
            var letters = rng.Next(3, 8);
            var step = (wordWidth - 0.12f) / letters;
            var cx = x + 0.08f;
            for (var l = 0; l < letters; l++)
            {
                var tall = rng.NextDouble() < 0.25;
                var top = tall ? 0.06f + (float)rng.NextDouble() * 0.08f : 0.18f + (float)rng.NextDouble() * 0.06f;
                // An arch (n, m, h) rather than a spike: up, round over the top, down, round through the baseline.
                var baseY = 0.3f + (float)rng.NextDouble() * 0.04f;
                pts.Add(new SKPoint(cx + step * 0.3f, top + 0.015f));
                pts.Add(new SKPoint(cx + step * 0.48f, top));
                if (rng.NextDouble() < 0.3) // a small loop
                {
                    pts.Add(new SKPoint(cx + step * 0.2f, top + 0.05f));
                    pts.Add(new SKPoint(cx + step * 0.5f, top + 0.08f));
                }
                pts.Add(new SKPoint(cx + step * 0.66f, baseY - 0.01f));
                pts.Add(new SKPoint(cx + step * 0.85f, baseY));
                cx += step;
            }
            if (rng.NextDouble() < 0.4) pts.Add(new SKPoint(cx + 0.02f, 0.36f + (float)rng.NextDouble() * 0.03f)); // tail
            strokes.Add([.. pts]);
            x += wordWidth;
        }
        if (rng.NextDouble() < 0.55) // underline flourish
        {
            var y = 0.36f + (float)rng.NextDouble() * 0.03f;
            strokes.Add([new SKPoint(0.05f, y + 0.02f), new SKPoint(0.4f, y - 0.01f), new SKPoint(0.8f, y + 0.01f), new SKPoint(0.95f, y - 0.03f)]);
        }
        if (rng.NextDouble() < 0.3) // a dot or short stroke (an i-dot, a cross)
        {
            var px = 0.2f + (float)rng.NextDouble() * 0.6f;
            strokes.Add([new SKPoint(px, 0.1f), new SKPoint(px + 0.015f, 0.095f)]);
        }
        return new SignatureHand(strokes, 0.3f + (float)rng.NextDouble() * 0.3f, (float)(rng.NextDouble() * 0.45 - 0.1));
    }

    /// <summary>Draws one repetition into <paramref name="boxMm"/> on a canvas in millimetre units.</summary>
    public void Draw(SKCanvas canvas, SKRect boxMm, SignatureKind kind, int variationSeed, SKColor ink)
    {
        var rng = new Random(variationSeed);
        var skilled = kind == SignatureKind.SkilledForgery;
        double Gauss() => Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
        var jitter = skilled ? 0.022f : 0.008f;
        var scale = 1 + (float)Gauss() * 0.05f;
        var stretchX = skilled ? 1 + (float)Gauss() * 0.12f : 1 + (float)Gauss() * 0.03f;
        var rotation = (float)Gauss() * (skilled ? 2.5f : 2f);
        var slant = _slant + (float)Gauss() * (skilled ? 0.12f : 0.03f);
        var width = Math.Min(boxMm.Width * 0.85f, boxMm.Height * 0.95f / 0.42f) * scale;
        var ox = boxMm.Left + boxMm.Width * 0.08f + (float)rng.NextDouble() * boxMm.Width * 0.04f;
        var oy = boxMm.MidY - width * 0.2f + (float)Gauss() * boxMm.Height * 0.04f;

        canvas.Save();
        canvas.RotateDegrees(rotation, boxMm.MidX, boxMm.MidY);
        using var paint = new SKPaint
        {
            Color = ink, IsAntialias = true, Style = SKPaintStyle.Stroke, StrokeCap = SKStrokeCap.Round, StrokeJoin = SKStrokeJoin.Round,
            StrokeWidth = _penMm * (skilled ? 1.15f : 1f) * (0.9f + (float)rng.NextDouble() * 0.2f),
        };
        foreach (var stroke in _strokes)
        {
            var pts = new SKPoint[stroke.Length];
            for (var i = 0; i < stroke.Length; i++)
            {
                var u = stroke[i].X * stretchX + (float)Gauss() * jitter;
                var v = stroke[i].Y + (float)Gauss() * jitter;
                u += (0.4f - v) * slant;
                pts[i] = new SKPoint(ox + u * width, oy + v * width);
            }
            using var path = Spline(pts, skilled ? rng : null, width);
            canvas.DrawPath(path, paint);
        }
        canvas.Restore();
    }

    /// <summary>Catmull-Rom through the points; with <paramref name="tremor"/>, each segment is split and wobbled (the
    /// slow, hesitant line of a traced signature).</summary>
    private static SKPath Spline(SKPoint[] p, Random? tremor, float widthMm)
    {
        using var b = new SKPathBuilder();
        b.MoveTo(p[0]);
        for (var i = 0; i < p.Length - 1; i++)
        {
            var p0 = p[Math.Max(0, i - 1)];
            var p1 = p[i];
            var p2 = p[i + 1];
            var p3 = p[Math.Min(p.Length - 1, i + 2)];
            var c1 = new SKPoint(p1.X + (p2.X - p0.X) / 6, p1.Y + (p2.Y - p0.Y) / 6);
            var c2 = new SKPoint(p2.X - (p3.X - p1.X) / 6, p2.Y - (p3.Y - p1.Y) / 6);
            if (tremor is null) { b.CubicTo(c1, c2, p2); continue; }
            const int n = 6;
            for (var k = 1; k <= n; k++)
            {
                var t = k / (float)n;
                var q = Bezier(p1, c1, c2, p2, t);
                if (k < n) q = new SKPoint(q.X + (float)(tremor.NextDouble() - 0.5) * widthMm * 0.006f, q.Y + (float)(tremor.NextDouble() - 0.5) * widthMm * 0.006f);
                b.LineTo(q);
            }
        }
        return b.Detach();
    }

    private static SKPoint Bezier(SKPoint a, SKPoint b, SKPoint c, SKPoint d, float t)
    {
        var u = 1 - t;
        return new SKPoint(
            u * u * u * a.X + 3 * u * u * t * b.X + 3 * u * t * t * c.X + t * t * t * d.X,
            u * u * u * a.Y + 3 * u * u * t * b.Y + 3 * u * t * t * c.Y + t * t * t * d.Y);
    }
}
