using OpenCvSharp;
using SkiaSharp;

namespace VerifyPipeline.Worker.Reading.Mrz;

/// <summary>One character cell's shape: the ink inside its tight box resampled to a fixed grid (zero mean, unit norm),
/// and the box's height relative to the line's cap height and its width/height ratio.</summary>
internal sealed record GlyphFeature(float[] Grid, float RelHeight, float Aspect, float RelTop);

/// <summary>A candidate character for a cell and its distance (smaller is closer).</summary>
internal readonly record struct GlyphGuess(char Char, float Distance);

/// <summary>
/// Templates of the MRZ alphabet A-Z, 0-9 and '&lt;' rendered with SkiaSharp from the OCR-B font of Debian
/// <c>fonts-ocr-b</c> at several sizes and stroke weights (thin, regular, bold, blurred) — the variations print, scan,
/// fax and JPEG make — and a nearest-template classifier over <see cref="GlyphFeature"/>s.
/// </summary>
internal sealed class OcrBGlyphs
{
    public const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<";
    public const int GridW = 16, GridH = 24;
    public const string FontPath = "/usr/share/fonts/opentype/ocr-b/OCRB.otf";

    private readonly List<(char Char, GlyphFeature F)> _templates = [];

    private static readonly Lazy<OcrBGlyphs> Instance = new(() => new OcrBGlyphs());

    public static OcrBGlyphs Default => Instance.Value;

    public int TemplateCount => _templates.Count;

    private OcrBGlyphs()
    {
        if (!File.Exists(FontPath))
            throw new FileNotFoundException($"The MRZ reader needs {FontPath}: install the Debian package 'fonts-ocr-b'", FontPath);
        using var tf = SKTypeface.FromFile(FontPath);
        foreach (var size in new[] { 24f, 40f, 64f })
            foreach (var weight in new[] { -1, 0, 1, 2 })
                foreach (var blur in new[] { false, true })
                {
                    if (blur && weight != 0) continue;
                    RenderSet(tf, size, weight, blur);
                }
    }

    private void RenderSet(SKTypeface tf, float size, int weight, bool blur)
    {
        using var font = new SKFont(tf, size);
        var capH = size * 0.72f;
        var cellW = (int)(size * 0.9f);
        var cellH = (int)(size * 1.4f);
        var bins = new List<(char Char, Mat Bin)>();
        try
        {
            foreach (var ch in Alphabet)
            {
                using var bmp = new SKBitmap(new SKImageInfo(cellW, cellH, SKColorType.Gray8, SKAlphaType.Opaque));
                using (var canvas = new SKCanvas(bmp))
                {
                    canvas.Clear(SKColors.White);
                    using var paint = new SKPaint { Color = SKColors.Black, IsAntialias = true };
                    if (weight > 0)
                    {
                        paint.Style = SKPaintStyle.StrokeAndFill;
                        paint.StrokeWidth = size * 0.03f * weight;
                    }
                    canvas.DrawText(ch.ToString(), cellW / 2f, cellH * 0.5f + capH / 2, SKTextAlign.Center, font, paint);
                }
                using var mat = Mat.FromPixelData(cellH, cellW, MatType.CV_8UC1, bmp.GetPixels()).Clone();
                if (weight < 0)
                {
                    using var k = Cv2.GetStructuringElement(MorphShapes.Ellipse, new Size(3, 3));
                    Cv2.Dilate(mat, mat, k); // white background: dilating thins the dark strokes
                }
                if (blur) Cv2.GaussianBlur(mat, mat, new Size(0, 0), size * 0.04);
                var bin = new Mat();
                Cv2.Threshold(mat, bin, 128, 255, ThresholdTypes.BinaryInv);
                bins.Add((ch, bin));
            }
            // The cap band as the real lines measure it: the ink box of a flat-topped, flat-bottomed letter.
            var h = Cv2.BoundingRect(bins.First(b => b.Char == 'H').Bin);
            foreach (var (ch, bin) in bins)
            {
                var f = Features(bin, new Rect(0, 0, cellW, cellH), h.Y, h.Height);
                if (f is not null) _templates.Add((ch, f));
            }
        }
        finally
        {
            foreach (var (_, bin) in bins) bin.Dispose();
        }
    }

    /// <summary>
    /// Features of the ink (non-zero pixels of <paramref name="binaryInk"/>) inside <paramref name="cell"/>;
    /// <paramref name="capTop"/> and <paramref name="capHeight"/> locate the line's cap band in the same coordinates.
    /// Null when the cell holds no ink.
    /// </summary>
    public static GlyphFeature? Features(Mat binaryInk, Rect cell, float capTop, float capHeight)
    {
        cell = cell.Intersect(new Rect(0, 0, binaryInk.Width, binaryInk.Height));
        if (cell.Width < 2 || cell.Height < 2) return null;
        using var roi = new Mat(binaryInk, cell);
        var box = Cv2.BoundingRect(roi);
        if (box.Width == 0 || box.Height == 0) return null;
        using var ink = new Mat(roi, box);
        using var small = new Mat();
        Cv2.Resize(ink, small, new Size(GridW, GridH), 0, 0, InterpolationFlags.Area);
        var grid = new float[GridW * GridH];
        for (var y = 0; y < GridH; y++)
            for (var x = 0; x < GridW; x++)
                grid[y * GridW + x] = small.At<byte>(y, x) / 255f;
        Normalise(grid);
        return new GlyphFeature(grid, box.Height / capHeight, box.Width / (float)box.Height,
            (cell.Y + box.Y - capTop) / capHeight);
    }

    private static void Normalise(float[] v)
    {
        var mean = v.Average();
        double norm = 0;
        for (var i = 0; i < v.Length; i++)
        {
            v[i] -= mean;
            norm += v[i] * v[i];
        }
        var inv = norm > 0 ? (float)(1 / Math.Sqrt(norm)) : 0;
        for (var i = 0; i < v.Length; i++) v[i] *= inv;
    }

    private static float Dot(float[] a, float[] b)
    {
        var n = System.Numerics.Vector<float>.Count;
        var acc = System.Numerics.Vector<float>.Zero;
        var i = 0;
        for (; i <= a.Length - n; i += n)
            acc += new System.Numerics.Vector<float>(a, i) * new System.Numerics.Vector<float>(b, i);
        var dot = System.Numerics.Vector.Dot(acc, System.Numerics.Vector<float>.One);
        for (; i < a.Length; i++) dot += a[i] * b[i];
        return dot;
    }

    /// <summary>The best distance per character, closest first.</summary>
    public GlyphGuess[] Classify(GlyphFeature f)
    {
        var best = new Dictionary<char, float>();
        foreach (var (ch, t) in _templates)
        {
            var dot = Dot(t.Grid, f.Grid);
            var d = (1 - dot)
                    + 0.6f * Math.Abs(t.RelHeight - f.RelHeight)
                    + 0.15f * Math.Abs(MathF.Log(Math.Max(t.Aspect, 0.05f) / Math.Max(f.Aspect, 0.05f)))
                    + 0.3f * Math.Abs(t.RelTop - f.RelTop);
            if (!best.TryGetValue(ch, out var b) || d < b) best[ch] = d;
        }
        return [.. best.Select(kv => new GlyphGuess(kv.Key, kv.Value)).OrderBy(g => g.Distance)];
    }
}
