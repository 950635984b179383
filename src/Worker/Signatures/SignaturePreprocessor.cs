using OpenCvSharp;

namespace VerifyPipeline.Worker.Signatures;

/// <summary>
/// A signature crop made comparable: background-normalised and binarised, box lines, specks and printed labels removed,
/// cropped to the ink and drawn on a fixed canvas with a normalised stroke. An <see cref="Empty"/>
/// crop (no ink left after cleaning) carries no canvas.
/// </summary>
public sealed class PreparedSignature : IDisposable
{
    /// <summary>Canvas size: signatures are wider than tall; every crop is stretched to this box (aspect kept as a feature).</summary>
    public const int CanvasW = 256, CanvasH = 128;

    public bool Empty { get; init; }

    /// <summary>Why the crop counts as empty (for the report), null when it is not.</summary>
    public string? EmptyReason { get; init; }

    /// <summary>Skeleton of the ink on the canvas, redrawn 3 px wide (0/255, CV_8UC1, <see cref="CanvasW"/> × <see cref="CanvasH"/>).</summary>
    public Mat? Canvas { get; init; }

    /// <summary>The canvas blurred (σ 1.5): the input of the gradient features and of the fine registration.</summary>
    public Mat? Smooth { get; init; }

    /// <summary>The one-pixel skeleton the canvas was drawn from (0/255, same size): the points the shape distance
    /// measures.</summary>
    public Mat? Skeleton { get; init; }

    /// <summary>Native (capture) pixels per canvas pixel along the height of the ink: below 1 the canvas is enlarged
    /// from a coarse capture (a fax, a small card crop) and its skeleton carries that much more quantisation noise.</summary>
    public double Resolution { get; init; }

    /// <summary>Spread of the ink in x over its spread in y (standard deviations).</summary>
    public double Aspect { get; init; }

    /// <summary>The canvas frame (ink centroid ± 2.3 σ) in the crop's own (square) pixels: maps canvas coordinates back
    /// to the signature's proportions.</summary>
    public double InkWidth { get; init; }

    public double InkHeight { get; init; }

    /// <summary>Slant of the ink by moments (μ11/μ02; positive leans right).</summary>
    public double Slant { get; init; }

    /// <summary>Ink pixels over the ink box: pen width relative to the signature's size.</summary>
    public double Density { get; init; }

    public int InkPixels { get; init; }

    public void Dispose()
    {
        Canvas?.Dispose();
        Smooth?.Dispose();
        Skeleton?.Dispose();
    }
}

public static class SignaturePreprocessor
{
    /// <summary>Longest side the cleaning works at (larger crops are reduced) and shortest it accepts (smaller are enlarged).</summary>
    private const int MaxSide = 1400, MinSide = 480;

    /// <summary>Reads an image file; null when it cannot be decoded.</summary>
    public static Mat? Read(string path)
    {
        if (!File.Exists(path)) return null;
        try
        {
            var m = Cv2.ImRead(path, ImreadModes.Grayscale);
            if (m.Empty()) { m.Dispose(); return null; }
            return m;
        }
        catch (OpenCVException) { return null; }
    }

    public static PreparedSignature Prepare(Mat input)
    {
        using var grey = ToGrey(input, out var resize);
        using var bin = Binarise(grey, out var contrastOk);
        if (!contrastOk) return EmptyResult("no contrast between ink and paper");
        RemoveLines(bin);
        RemoveComponents(bin);

        var ink = Cv2.CountNonZero(bin);
        var area = (double)bin.Width * bin.Height;
        if (ink < Math.Max(40, 0.0012 * area)) return EmptyResult($"{ink} ink pixels after cleaning");
        var box = InkBox(bin, 0.004);
        if (box.Width < 0.04 * bin.Width && box.Height < 0.08 * bin.Height) return EmptyResult("only a speck of ink");

        using var cropped = new Mat(bin, box);
        // The slant is measured (a feature) but the ink is not deslanted: μ11/μ02 of a wide signature turns a 2° rotation
        // into a shear of ~0.15 that differs between two repetitions; the registration undoes rotation and slant together.
        var shear = Slant(cropped);
        var tight = Cv2.BoundingRect(cropped);
        if (tight.Width < 2 || tight.Height < 2) return EmptyResult("no ink in the box");
        var inkPx = Cv2.CountNonZero(cropped);

        // The canvas frame is the ink's centroid ± 2.3 standard deviations in x and y, not its bounding box: an i-dot, a
        // speck or a missed stroke end moves a bounding box a lot and the moments little, so two repetitions land on the
        // canvas nearly aligned already (the registration removes the rest).
        var m = Cv2.Moments(cropped, true);
        double mx = m.M10 / m.M00, my = m.M01 / m.M00;
        double sx = Math.Sqrt(Math.Max(m.Mu20 / m.M00, 1)), sy = Math.Sqrt(Math.Max(m.Mu02 / m.M00, 1));
        var frame = new Rect((int)Math.Floor(mx - Spread * sx), (int)Math.Floor(my - Spread * sy),
            Math.Max(2, (int)Math.Ceiling(2 * Spread * sx)), Math.Max(2, (int)Math.Ceiling(2 * Spread * sy)));
        using var framed = Frame(cropped, frame);

        var canvas = ToCanvas(framed, out var skeleton);
        var smooth = new Mat();
        Cv2.GaussianBlur(canvas, smooth, new Size(7, 7), 1.5);
        return new PreparedSignature
        {
            Canvas = canvas,
            Smooth = smooth,
            Skeleton = skeleton,
            Resolution = frame.Height / resize / (PreparedSignature.CanvasH - 8.0),
            Aspect = sx / sy,
            InkWidth = frame.Width / resize,
            InkHeight = frame.Height / resize,
            Slant = shear,
            Density = inkPx / ((double)tight.Width * tight.Height),
            InkPixels = inkPx,
        };

        static PreparedSignature EmptyResult(string why) => new() { Empty = true, EmptyReason = why };
    }

    private static Mat ToGrey(Mat input, out double f)
    {
        var grey = new Mat();
        if (input.Channels() == 3) Cv2.CvtColor(input, grey, ColorConversionCodes.BGR2GRAY);
        else if (input.Channels() == 4) Cv2.CvtColor(input, grey, ColorConversionCodes.BGRA2GRAY);
        else input.CopyTo(grey);
        if (grey.Depth() != MatType.CV_8U)
        {
            using var tmp = grey.Clone();
            tmp.ConvertTo(grey, MatType.CV_8U, grey.Depth() == MatType.CV_16U ? 1 / 257.0 : 1);
        }
        var side = Math.Max(grey.Width, grey.Height);
        f = side > MaxSide ? MaxSide / (double)side : side < MinSide ? MinSide / (double)side : 1;
        if (f != 1)
        {
            var resized = new Mat();
            Cv2.Resize(grey, resized, new Size(), f, f, f < 1 ? InterpolationFlags.Area : InterpolationFlags.Cubic);
            grey.Dispose();
            grey = resized;
        }
        return grey;
    }

    /// <summary>Divides by the paper (a max filter wider than any stroke, smoothed) so uneven light and tinted card
    /// backgrounds become white, then Otsu on the result with a ceiling: ink must be clearly darker than its paper
    /// (light guilloches and scanner grain stay paper). <paramref name="contrastOk"/> is false for a flat crop.</summary>
    private static Mat Binarise(Mat grey, out bool contrastOk)
    {
        var k = Math.Clamp(Math.Min(grey.Width, grey.Height) / 10, 9, 51);
        using var bg = new Mat();
        using (var kernel = Cv2.GetStructuringElement(MorphShapes.Rect, new Size(k, k)))
            Cv2.Dilate(grey, bg, kernel);
        Cv2.Blur(bg, bg, new Size(k, k));
        using var norm = new Mat();
        Cv2.Divide(grey, bg, norm, 255);
        Cv2.MinMaxLoc(norm, out double min, out _);
        contrastOk = min < 170;
        if (PaleInk(norm)) return PaleStrokes(norm);
        var bin = new Mat();
        var t = Cv2.Threshold(norm, bin, 0, 255, ThresholdTypes.BinaryInv | ThresholdTypes.Otsu);
        if (t > 185) Cv2.Threshold(norm, bin, 185, 255, ThresholdTypes.BinaryInv);
        return bin;
    }

    /// <summary>Paper grey level (after dividing out the paper) below which a pixel may be a pale stroke, and below which
    /// a pale stroke must reach somewhere to count (hysteresis: grain and light print touch no such core).</summary>
    private const int PaleCandidate = 225, PaleCore = 195;

    /// <summary>Ink that is pale all along: a pencil, a fading ballpoint, a light scan (the real SSBI sheets). Decided on
    /// the crop's interior (a 3 % border is left out: the dark edge of a scanned sheet is not the ink) — of the pixels
    /// darker than <see cref="PaleCandidate"/>, fewer than 5 % are darker than 120 and at least a third lie above 185.
    /// A pen on paper or on a card (the generator's crops; faxes are black) has a dark core and is binarised as before;
    /// for a pale hand the ceiling of 185 kept only the darkest grains of the stroke (measured: 2 of 120 genuine SSBI
    /// pairs of one writer above t_lo, strokes broken into dots; one crop judged empty).</summary>
    private static bool PaleInk(Mat norm)
    {
        int bx = norm.Width * 3 / 100, by = norm.Height * 3 / 100;
        using var inner = new Mat(norm, new Rect(bx, by, norm.Width - 2 * bx, norm.Height - 2 * by));
        using var hist = new Mat();
        Cv2.CalcHist([inner], [0], null, hist, 1, [256], [new Rangef(0, 256)]);
        double dark = 0, candidates = 0, faint = 0;
        for (var v = 0; v < PaleCandidate; v++)
        {
            var c = hist.Get<float>(v);
            candidates += c;
            if (v < 120) dark += c;
            if (v > 185) faint += c;
        }
        return candidates >= 0.002 * inner.Width * inner.Height && dark < 0.05 * candidates && faint >= candidates / 3;
    }

    /// <summary>A pale stroke: the paper-divided crop smoothed by a 3 × 3 median (pencil grain), pixels darker than
    /// <see cref="PaleCandidate"/> kept where their connected piece reaches darker than <see cref="PaleCore"/>.</summary>
    private static Mat PaleStrokes(Mat norm)
    {
        using var smooth = new Mat();
        Cv2.MedianBlur(norm, smooth, 3);
        var weak = new Mat();
        Cv2.Threshold(smooth, weak, PaleCandidate - 1, 255, ThresholdTypes.BinaryInv);
        using var core = new Mat();
        Cv2.Threshold(smooth, core, PaleCore - 1, 255, ThresholdTypes.BinaryInv);
        using var labels = new Mat();
        var n = Cv2.ConnectedComponents(weak, labels, PixelConnectivity.Connectivity8);
        labels.GetArray(out int[] lab);
        core.GetArray(out byte[] cr);
        var keep = new bool[n];
        for (var i = 0; i < lab.Length; i++) if (cr[i] != 0) keep[lab[i]] = true;
        keep[0] = false;
        var outPx = new byte[lab.Length];
        for (var i = 0; i < lab.Length; i++) outPx[i] = keep[lab[i]] ? (byte)255 : (byte)0;
        weak.SetArray(outPx);
        return weak;
    }

    /// <summary>Removes straight box lines: runs at least 3/5 of the width (horizontal) or of the height (vertical). A box's
    /// frame spans nearly the whole crop; a signature's underline flourish, straight over a third of the width, is ink
    /// (a shorter kernel cut it to pieces).</summary>
    private static void RemoveLines(Mat bin)
    {
        using var lines = new Mat(bin.Size(), MatType.CV_8UC1, Scalar.All(0));
        foreach (var (w, h) in new[] { (Math.Max(bin.Width * 3 / 5, 15), 1), (1, Math.Max(bin.Height * 3 / 5, 15)) })
        {
            using var kernel = Cv2.GetStructuringElement(MorphShapes.Rect, new Size(w, h));
            using var open = new Mat();
            Cv2.MorphologyEx(bin, open, MorphTypes.Open, kernel);
            Cv2.BitwiseOr(lines, open, lines);
        }
        if (Cv2.CountNonZero(lines) == 0) return;
        using (var k3 = Cv2.GetStructuringElement(MorphShapes.Rect, new Size(3, 3)))
            Cv2.Dilate(lines, lines, k3);
        bin.SetTo(Scalar.All(0), lines);
    }

    /// <summary>Drops specks, thin remnants of box lines along the border, and printed labels: a row of five or more
    /// small components of similar height on one baseline, away from the signature's largest stroke.</summary>
    private static void RemoveComponents(Mat bin)
    {
        using var labels = new Mat();
        using var stats = new Mat();
        using var centroids = new Mat();
        var n = Cv2.ConnectedComponentsWithStats(bin, labels, stats, centroids, PixelConnectivity.Connectivity8);
        if (n <= 1) return;
        int W = bin.Width, H = bin.Height;
        var minArea = Math.Max(6, (int)(0.00012 * W * H));
        var remove = new bool[n];
        var comps = new List<(int I, Rect R, int Area)>();
        for (var i = 1; i < n; i++)
        {
            var r = new Rect(stats.At<int>(i, 0), stats.At<int>(i, 1), stats.At<int>(i, 2), stats.At<int>(i, 3));
            var a = stats.At<int>(i, 4);
            var touches = r.Left <= 1 || r.Top <= 1 || r.Right >= W - 1 || r.Bottom >= H - 1;
            if (a < minArea) remove[i] = true;
            else if (touches && (r.Height <= 0.06 * H || r.Width <= 0.03 * W)) remove[i] = true;
            else comps.Add((i, r, a));
        }

        if (comps.Count >= 5)
        {
            var largest = comps.MaxBy(c => c.Area).R;
            var small = comps.Where(c => c.R.Height <= 0.16 * H && c.R.Height >= 3 && c.R.Width <= 3 * c.R.Height + 4).OrderBy(c => c.R.Left).ToList();
            var used = new bool[small.Count];
            for (var s = 0; s < small.Count; s++)
            {
                if (used[s]) continue;
                var chain = new List<int> { s };
                var last = small[s].R;
                for (var t = s + 1; t < small.Count; t++)
                {
                    if (used[t]) continue;
                    var r = small[t].R;
                    var hRef = Math.Max(last.Height, small[s].R.Height);
                    if (r.Left - last.Right > 2.5 * hRef) break;
                    var sameBase = Math.Abs(r.Bottom - last.Bottom) <= 0.35 * hRef + 1 || Math.Abs(r.Top - last.Top) <= 0.35 * hRef + 1;
                    if (sameBase && r.Height <= 2.2 * hRef && r.Height * 2.2 >= hRef * 0.5) { chain.Add(t); last = r; }
                }
                if (chain.Count < 5) continue;
                var inside = chain.Count(c => small[c].I != comps.MaxBy(x => x.Area).I && largest.Contains(Centre(small[c].R)));
                if (inside > chain.Count / 2) continue;
                foreach (var c in chain) { used[c] = true; remove[small[c].I] = true; }
            }
        }
        RemoveTextBands(comps.Where(c => !remove[c.I]).ToList(), remove, W);
        if (!remove.Any(x => x)) return;
        var lut = new byte[n];
        for (var i = 1; i < n; i++) lut[i] = remove[i] ? (byte)0 : (byte)255;
        var size = W * H;
        labels.GetArray(out int[] lab);
        var outPx = new byte[size];
        for (var p = 0; p < size; p++) outPx[p] = lut[lab[p]];
        bin.SetArray(outPx);

        static Point Centre(Rect r) => new(r.X + r.Width / 2, r.Y + r.Height / 2);
    }

    /// <summary>A printed label the chain test missed (at 150 dpi or in a fax its letters break up or merge into
    /// fragments of uneven size): three or more components, each small next to the signature's tallest stroke, lying
    /// wholly above (or below) the tall strokes — above the median of their tops, so one tall initial reaching into the
    /// label's line does not hide it — and spread over at least a quarter of the width. A signature's i-dots are too
    /// few or too close together; a flourish under the name is one component.</summary>
    private static void RemoveTextBands(List<(int I, Rect R, int Area)> comps, bool[] remove, int width)
    {
        if (comps.Count < 4) return;
        var hBig = comps.Max(c => c.R.Height);
        var tall = comps.Where(c => c.R.Height > 0.3 * hBig).ToList();
        var top = tall.Select(c => c.R.Top).Order().ElementAt(tall.Count / 2);
        var bottom = tall.Select(c => c.R.Bottom).Order().ElementAt(tall.Count / 2);
        var slack = 0.08 * hBig;
        foreach (var side in new[] { -1, 1 })
        {
            var band = comps.Where(c => c.R.Height <= 0.3 * hBig && (side < 0 ? c.R.Bottom <= top + slack : c.R.Top >= bottom - slack)).ToList();
            if (band.Count < 3) continue;
            if (band.Max(c => c.R.Right) - band.Min(c => c.R.Left) < 0.25 * width) continue;
            foreach (var c in band) remove[c.I] = true;
        }
    }

    /// <summary>The box holding all but <paramref name="trim"/> of the ink on each side (a lone speck far away does not
    /// stretch it).</summary>
    private static Rect InkBox(Mat bin, double trim)
    {
        using var colsum = new Mat();
        using var rowsum = new Mat();
        Cv2.Reduce(bin, colsum, ReduceDimension.Row, ReduceTypes.Sum, MatType.CV_64F);
        Cv2.Reduce(bin, rowsum, ReduceDimension.Column, ReduceTypes.Sum, MatType.CV_64F);
        colsum.GetArray(out double[] cols);
        rowsum.GetArray(out double[] rows);
        var (x0, x1) = Span(cols);
        var (y0, y1) = Span(rows);
        return new Rect(x0, y0, Math.Max(1, x1 - x0 + 1), Math.Max(1, y1 - y0 + 1));

        (int, int) Span(double[] v)
        {
            var total = v.Sum();
            double acc = 0;
            int lo = 0, hi = v.Length - 1;
            for (var i = 0; i < v.Length; i++) { acc += v[i]; if (acc > total * trim) { lo = i; break; } }
            acc = 0;
            for (var i = v.Length - 1; i >= 0; i--) { acc += v[i]; if (acc > total * trim) { hi = i; break; } }
            return (lo, Math.Max(lo, hi));
        }
    }

    /// <summary>The slant by moments, μ11/μ02 (clamped to ±1; positive leans right).</summary>
    private static double Slant(Mat bin)
    {
        var m = Cv2.Moments(bin, true);
        return m.Mu02 > 0 ? Math.Clamp(m.Mu11 / m.Mu02, -1, 1) : 0;
    }

    /// <summary>Stretches the ink to the canvas, thins it to a skeleton and redraws it 3 px wide: the pen's width and the
    /// scan's resolution no longer matter to the features computed on it.</summary>
    /// <summary>Half the canvas frame, in standard deviations of the ink (a uniform spread reaches ±1.73).</summary>
    private const double Spread = 2.3;

    /// <summary>The part of <paramref name="bin"/> inside <paramref name="r"/>, zero where r reaches beyond it.</summary>
    private static Mat Frame(Mat bin, Rect r)
    {
        var outMat = new Mat(r.Size, MatType.CV_8UC1, Scalar.All(0));
        var inter = r & new Rect(0, 0, bin.Width, bin.Height);
        if (inter.Width <= 0 || inter.Height <= 0) return outMat;
        using var src = new Mat(bin, inter);
        using var dst = new Mat(outMat, new Rect(inter.X - r.X, inter.Y - r.Y, inter.Width, inter.Height));
        src.CopyTo(dst);
        return outMat;
    }

    private static Mat ToCanvas(Mat ink, out Mat skeleton)
    {
        const int pad = 4;
        using var cov = new Mat();
        Cv2.Resize(ink, cov, new Size(PreparedSignature.CanvasW - 2 * pad, PreparedSignature.CanvasH - 2 * pad), 0, 0, InterpolationFlags.Area);
        using var bin = new Mat();
        Cv2.Threshold(cov, bin, 50, 255, ThresholdTypes.Binary);
        using var skel = new Mat();
        OpenCvSharp.XImgProc.CvXImgProc.Thinning(bin, skel, OpenCvSharp.XImgProc.ThinningTypes.ZHANGSUEN);
        var canvas = new Mat(new Size(PreparedSignature.CanvasW, PreparedSignature.CanvasH), MatType.CV_8UC1, Scalar.All(0));
        using (var roi = new Mat(canvas, new Rect(pad, pad, skel.Width, skel.Height)))
            skel.CopyTo(roi);
        skeleton = canvas.Clone();
        using var k = Cv2.GetStructuringElement(MorphShapes.Ellipse, new Size(3, 3));
        Cv2.Dilate(canvas, canvas, k);
        return canvas;
    }
}
