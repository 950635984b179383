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
        // Built once here, never lazily in Classify: the instance is shared by every reading thread, and a lazy build
        // there let a second thread see the grids set and the rows not yet (a null Mat: the process died in
        // Cv2.Repeat when two submissions were read at once — ConcurrentReadTests).
        _grids = new Mat(_templates.Count, GridW * GridH, MatType.CV_32FC1);
        _grids.SetArray(_templates.SelectMany(t => t.F.Grid).ToArray());
        _heights = Row(_templates.Select(t => t.F.RelHeight));
        _tops = Row(_templates.Select(t => t.F.RelTop));
        _logAspects = Row(_templates.Select(t => LogAspect(t.F)));
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
            // Whole sets only: Classify takes template t as character t mod 37.
            var set = bins.Select(b => (b.Char, F: Features(b.Bin, new Rect(0, 0, cellW, cellH), h.Y, h.Height))).ToList();
            if (set.All(x => x.F is not null)) _templates.AddRange(set.Select(x => (x.Char, x.F!)));
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

    /// <summary>Every template's grid as a row, and its height, top and log aspect as rows, for matrix operations
    /// (native, fast in any build).</summary>
    private readonly Mat _grids, _heights, _tops, _logAspects;

    private static Mat Row(IEnumerable<float> v)
    {
        var a = v.ToArray();
        var m = new Mat(1, a.Length, MatType.CV_32FC1);
        m.SetArray(a);
        return m;
    }

    private static Mat Column(IEnumerable<float> v)
    {
        var a = v.ToArray();
        var m = new Mat(a.Length, 1, MatType.CV_32FC1);
        m.SetArray(a);
        return m;
    }

    private static float LogAspect(GlyphFeature f) => MathF.Log(Math.Max(f.Aspect, 0.05f));

    /// <summary>The best distance per character, closest first.</summary>
    public GlyphGuess[] Classify(GlyphFeature f) => Classify([f])[0];

    /// <summary>
    /// For each feature, the best distance per character, closest first. Distance to a template: 1 − the correlation of
    /// the grids, plus the differences of relative height (×0.6), log aspect (×0.15) and relative top (×0.3).
    /// </summary>
    public GlyphGuess[][] Classify(IReadOnlyList<GlyphFeature> features)
    {
        if (features.Count == 0) return [];
        var (m, n) = (features.Count, _templates.Count);
        using var f = new Mat(m, GridW * GridH, MatType.CV_32FC1);
        f.SetArray(features.SelectMany(x => x.Grid).ToArray());
        using var none = new Mat();
        using var dist = new Mat();
        Cv2.Gemm(f, _grids, -1, none, 0, dist, GemmFlags.B_T);
        Cv2.Add(dist, Scalar.All(1), dist);
        void AddDifference(IEnumerable<float> ofFeatures, Mat ofTemplates, double weight)
        {
            using var col = Column(ofFeatures);
            using var a = new Mat();
            using var b = new Mat();
            Cv2.Repeat(col, 1, n, a);
            Cv2.Repeat(ofTemplates, m, 1, b);
            Cv2.Absdiff(a, b, a);
            Cv2.ScaleAdd(a, weight, dist, dist);
        }
        AddDifference(features.Select(x => x.RelHeight), _heights, 0.6);
        AddDifference(features.Select(LogAspect), _logAspects, 0.15);
        AddDifference(features.Select(x => x.RelTop), _tops, 0.3);
        // The closest of each character's templates: template t is character t mod 37.
        var k = Alphabet.Length;
        using var first = dist.ColRange(0, k);
        using var best = first.Clone();
        for (var s = 1; s < n / k; s++)
        {
            using var part = dist.ColRange(s * k, (s + 1) * k);
            Cv2.Min(best, part, best);
        }
        best.GetArray(out float[] all);
        var result = new GlyphGuess[m][];
        for (var i = 0; i < m; i++)
        {
            var row = new GlyphGuess[k];
            for (var c = 0; c < k; c++) row[c] = new GlyphGuess(Alphabet[c], all[i * k + c]);
            Array.Sort(row, (x, y) => x.Distance.CompareTo(y.Distance));
            result[i] = row;
        }
        return result;
    }
}
