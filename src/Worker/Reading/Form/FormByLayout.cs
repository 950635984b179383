using OpenCvSharp;
using SkiaSharp;
using VerifyPipeline.Cases;
using VerifyPipeline.Cases.Forms;
using VerifyPipeline.Worker.Reading.Documents;

namespace VerifyPipeline.Worker.Reading.Form;

/// <summary>
/// Recognises the request form by its printed layout when its QR cannot be decoded (a blurred scan, a standard fax, a form
/// photographed from afar): the page's structure map at 1 px/mm (<see cref="Specimens.Structure"/>: ink against a 2 mm blur
/// of itself) correlated with a specimen form's, both ways up. Such a page is the form, not read: no QR to verify, no
/// signature measured — the rules are uncertain about everything it should have told, never sure of its absence.
/// </summary>
public static class FormByLayout
{
    private const double PxPerMm = 1, A4W = 210, A4H = 297;

    /// <summary>The specimen's border left out of the comparison, so that a page shifted or cut by up to this much on a side
    /// is still compared whole (a scan's placement on the glass, a fax's shorter page).</summary>
    private const int SlackMm = 12;

    /// <summary>Below this correlation a page is not the form. Measured on 142 pages of the realistic corpus: forms 0.21–0.65
    /// (faxes 0.21–0.28, scans 0.35–0.65, photographed sheets ≈ 0.48), but a form too small in a photo, or a fax so dark
    /// or coarse that its print is gone, 0.03–0.06 and missed; bills and document sides at most 0.10.</summary>
    public const double MinScore = 0.17;

    private static readonly Lazy<(Mat Upright, Mat Turned)> Grey = new(() => Render(false), LazyThreadSafetyMode.ExecutionAndPublication);
    private static readonly Lazy<(Mat Upright, Mat Turned)> Bilevel = new(() => Render(true), LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The best correlation of the page (or, on a photo, of any A4-shaped outline in it) with the form's layout.</summary>
    /// <param name="bilevel">A fax: compared with the specimen thresholded as a fax machine does.</param>
    public static double Score(Mat grey, bool photo, bool bilevel)
    {
        if (!photo) return ScoreSheet(grey, bilevel);
        var best = -1.0;
        foreach (var quad in CardLocator.FindQuads(grey))
        {
            double horizontal = CardLocator.Dist(quad[0], quad[1]) + CardLocator.Dist(quad[2], quad[3]);
            double vertical = CardLocator.Dist(quad[1], quad[2]) + CardLocator.Dist(quad[3], quad[0]);
            var ratio = Math.Max(horizontal, vertical) / Math.Min(horizontal, vertical);
            if (ratio is < 1.25 or > 1.6) continue;
            // Portrait: the short sides on top and bottom (corners clockwise from the top-left).
            var q = horizontal > vertical ? new[] { quad[1], quad[2], quad[3], quad[0] } : quad;
            int w = (int)(A4W * PxPerMm), h = (int)(A4H * PxPerMm);
            var dst = new[] { new Point2f(0, 0), new Point2f(w, 0), new Point2f(w, h), new Point2f(0, h) };
            using var hm = Cv2.GetPerspectiveTransform(q, dst);
            using var sheet = new Mat();
            Cv2.WarpPerspective(grey, sheet, hm, new Size(w, h), InterpolationFlags.Area, BorderTypes.Replicate);
            best = Math.Max(best, Correlate(sheet, Grey.Value));
        }
        return best;
    }

    private static double ScoreSheet(Mat grey, bool bilevel)
    {
        var s = PxPerMm * A4W / Math.Min(grey.Width, grey.Height);
        using var reduced = new Mat();
        Cv2.Resize(grey, reduced, new Size(), s, s, InterpolationFlags.Area);
        if (reduced.Width > reduced.Height) Cv2.Rotate(reduced, reduced, RotateFlags.Rotate90Clockwise);
        return Correlate(reduced, bilevel ? Bilevel.Value : Grey.Value);
    }

    /// <summary>The sheet (≈ A4 at 1 px/mm, portrait) against the specimen's inner part, either way up, anywhere within the slack.</summary>
    private static double Correlate(Mat sheet, (Mat Upright, Mat Turned) specimen)
    {
        using var structure = Specimens.Structure(sheet, PxPerMm);
        var (upright, turned) = specimen;
        // Pad so the inner part can slide SlackMm either way even on a page shorter than A4 (faxes).
        var padX = Math.Max(0, upright.Width + 2 * SlackMm - structure.Width);
        var padY = Math.Max(0, upright.Height + 2 * SlackMm - structure.Height);
        using var padded = new Mat();
        Cv2.CopyMakeBorder(structure, padded, padY / 2 + 1, padY - padY / 2 + 1, padX / 2 + 1, padX - padX / 2 + 1, BorderTypes.Constant, Scalar.All(0));
        var best = -1.0;
        foreach (var t in new[] { upright, turned })
        {
            using var map = new Mat();
            Cv2.MatchTemplate(padded, t, map, TemplateMatchModes.CCoeffNormed);
            map.MinMaxLoc(out _, out double max);
            // A blank page has no variance: OpenCV reports 1 there (see CardLocator.FlatWindows).
            if (max < 0.999) best = Math.Max(best, max);
        }
        return best;
    }

    /// <summary>A form printed for a specimen request (thresholded as a fax machine does when <paramref name="bilevel"/>), its
    /// structure map cropped by <see cref="SlackMm"/> on every side, and the same turned by 180°.</summary>
    private static (Mat, Mat) Render(bool bilevel)
    {
        var data = new RequestData("PIN-SPECIMEN", "RSSMRA80A01H501U", "ROSSI", "MARIA", new DateOnly(1980, 1, 1), "ROMA (RM)",
            "maria.rossi@example.it", "+39 333 000 0000", new DeclaredDocument("cie", "CA00000AA", "Comune di Roma", new DateOnly(2020, 1, 1), new DateOnly(2030, 1, 1)));
        var request = new ConversionRequest("00000000000000000000000000000000", "specimen", new DateTimeOffset(2026, 1, 1, 9, 0, 0, TimeSpan.FromHours(1)), data);
        int w = (int)(A4W * PxPerMm), h = (int)(A4H * PxPerMm);
        using var bitmap = new SKBitmap(new SKImageInfo(w, h, SKColorType.Bgra8888, SKAlphaType.Premul));
        using (var canvas = new SKCanvas(bitmap))
        {
            canvas.Clear(SKColors.White);
            canvas.Scale((float)PxPerMm);
            FormRenderer.DrawPage(canvas, request, new FormRenderOptions("specimen-key-not-used-for-reading-00000000"));
        }
        using var bgra = Mat.FromPixelData(h, w, MatType.CV_8UC4, bitmap.GetPixels(), bitmap.RowBytes);
        using var grey = new Mat();
        Cv2.CvtColor(bgra, grey, ColorConversionCodes.BGRA2GRAY);
        if (bilevel) Cv2.Threshold(grey, grey, 165, 255, ThresholdTypes.Binary);
        using var structure = Specimens.Structure(grey, PxPerMm);
        var inner = new Rect(SlackMm, SlackMm, w - 2 * SlackMm, h - 2 * SlackMm);
        var upright = new Mat(structure, inner).Clone();
        var turned = new Mat();
        Cv2.Rotate(upright, turned, RotateFlags.Rotate180);
        return (upright, turned);
    }
}
