using OpenCvSharp;
using VerifyPipeline.Cases.Forms;
using VerifyPipeline.Worker.Reading.Documents;
using VerifyPipeline.Worker.Reading.Ocr;

namespace VerifyPipeline.Worker.Reading.Form;

/// <summary>The request form found on a page: its QR (verified or not), the signature box's ink and crop, and — when the
/// QR could not vouch for them — the printed fields read by zone OCR.</summary>
/// <param name="Outline">The form sheet's four corners on the page (its A4 outline through the QR's placement), when placed.</param>
public sealed record FormRead(int Page, FormQrRead Qr, InkRead? Signed, Mat? SignatureCrop, double PxPerMm, IReadOnlyList<FieldRead> Fields, Point2f[]? Outline = null) : IDisposable
{
    public void Dispose() => SignatureCrop?.Dispose();
}

/// <summary>
/// Places the form's layout (<see cref="FormLayout"/>, millimetres) on a page by the QR symbol's four corners (a
/// homography: scans, faxes, photos and upside-down pages alike), then cuts the signature box out at 12 px/mm.
/// </summary>
public static class FormPageReader
{
    public const double CropPxPerMm = 12;

    public static FormRead? Read(Mat square, int page, string hmacKey, OcrEngine? ocr, bool? quick = null, bool photo = false)
    {
        if (FormQrReader.Read(square, page, hmacKey, quick) is not var (qr, corners)) return null;
        if (corners.Length != 4) return new FormRead(page, qr, null, null, 0, []);
        var symbol = FormLayout.Qr.Rect.Inflate(-FormLayout.QrQuietZoneModules * FormLayout.QrModuleMm);
        var mm = new[]
        {
            new Point2f((float)symbol.Left, (float)symbol.Top), new Point2f((float)symbol.Right, (float)symbol.Top),
            new Point2f((float)symbol.Right, (float)symbol.Bottom), new Point2f((float)symbol.Left, (float)symbol.Bottom),
        };
        // A photographed sheet is in perspective: its outline (the paper against the table) gives the page's homography,
        // the QR telling which corner is which. A scanned or faxed sheet: a similarity (turn, scale, shift) fitted to the
        // QR's four corners, not their homography — the corners are found to a pixel or two, and a homography of a 39 mm
        // square extrapolated 200 mm down the page turns that into centimetres.
        using var toPage = (photo ? SheetHomography(square, mm, corners) : null) ?? Similarity(mm, corners);
        if (toPage is null) return new FormRead(page, qr, null, null, 0, []);
        var pxPerMm = Math.Sqrt(Math.Abs(Cv2.ContourArea(corners)) / (symbol.Width * symbol.Height));
        // Inside the box, clear of its frame and of the label printed on its top edge (the QR fixes the layout to ± 1 mm).
        var sr = FormLayout.Signature.Rect;
        var box = new MmRect(sr.X + 2, sr.Y + 3.5, sr.Width - 4, sr.Height - 5.5);
        using var inkCrop = Cut(square, toPage, box);
        var ink = Ink.Measure(inkCrop);
        // The comparison's crop reaches 2 mm higher and 0.5 mm lower: a signature drifts up to ~1 mm beyond the inner box
        // and its tall letters were cut off (genuine pairs then lost score). Ink wholly in that margin (the frame, if the
        // ± 1 mm placement brings it in) is cleared; a stroke that crosses into the inner box is the signature's.
        var crop = Cut(square, toPage, new MmRect(sr.X + 2, sr.Y + 1.5, sr.Width - 4, sr.Height - 3));
        Ink.ClearMargins(crop, (int)(2.5 * CropPxPerMm), (int)(1.0 * CropPxPerMm));
        if (Environment.GetEnvironmentVariable("VERIFY_READ_DUMP") is { Length: > 0 } dump)
        {
            Console.Error.WriteLine($"form page {page}: qr corners {string.Join(" ", corners.Select(c => $"({c.X:0},{c.Y:0})"))} px/mm {pxPerMm:0.00} page {square.Width}x{square.Height}");
            Directory.CreateDirectory(dump);
            Cv2.ImWrite(Path.Combine(dump, $"form-box-page{page}.png"), crop);
        }
        var fields = new List<FieldRead>();
        if (!qr.Verified && ocr is not null)
        {
            foreach (var (zone, format) in new[] { (FormZones.CodiceFiscale, "cf"), (FormZones.Surname, "name"), (FormZones.GivenNames, "name") })
            {
                var rect = FormLayout.Zone(zone).Rect;
                using var cut = Cut(square, toPage, rect);
                using var flat = Ink.Flatten(cut);
                ocr.SetWhitelist(format == "cf" ? "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789" : null);
                ocr.SetImage(flat.Data, flat.Width, flat.Height, (int)flat.Step(), (int)(CropPxPerMm * 25.4));
                var text = ocr.Read(null, PageSegMode.SingleLine);
                var raw = text.Text.Trim();
                var (value, ok) = CardReader.Parse(format, format == "name" ? raw.ToUpperInvariant() : raw);
                fields.Add(new FieldRead(zone, raw, value, Math.Round(text.MeanConfidence / 100.0 * (ok ? 1 : 0.5), 3), rect));
            }
            ocr.SetWhitelist(null);
        }
        var a4 = new[] { new Point2f(0, 0), new Point2f(210, 0), new Point2f(210, 297), new Point2f(0, 297) };
        return new FormRead(page, qr, ink, crop, pxPerMm, fields, Cv2.PerspectiveTransform(a4, toPage));
    }

    private static Mat? Similarity(Point2f[] mm, Point2f[] corners)
    {
        using var affine = Cv2.EstimateAffinePartial2D(InputArray.Create(mm), InputArray.Create(corners));
        if (affine is null || affine.Empty()) return null;
        var toPage = new Mat(3, 3, MatType.CV_64FC1, Scalar.All(0));
        for (var r = 0; r < 2; r++) for (var c = 0; c < 3; c++) toPage.Set(r, c, affine.At<double>(r, c));
        toPage.Set(2, 2, 1.0);
        return toPage;
    }

    /// <summary>The sheet's outline in a photo (the locator's quadrilaterals, A4-shaped), its corners assigned to the A4
    /// corners in the one of four ways that puts the QR where the QR was found (within 3 % of the sheet).</summary>
    private static Mat? SheetHomography(Mat photo, Point2f[] symbolMm, Point2f[] qrCorners)
    {
        var a4 = new[] { new Point2f(0, 0), new Point2f(210, 0), new Point2f(210, 297), new Point2f(0, 297) };
        Mat? best = null;
        var bestError = double.MaxValue;
        foreach (var quad in CardLocator.FindQuads(photo))
        {
            double d(Point2f a, Point2f b) => Math.Sqrt((a.X - b.X) * (a.X - b.X) + (a.Y - b.Y) * (a.Y - b.Y));
            var sides = new[] { d(quad[0], quad[1]), d(quad[1], quad[2]), d(quad[2], quad[3]), d(quad[3], quad[0]) };
            var ratio = Math.Max(sides[0] + sides[2], sides[1] + sides[3]) / Math.Min(sides[0] + sides[2], sides[1] + sides[3]);
            if (ratio is < 1.25 or > 1.6) continue;
            for (var k = 0; k < 4; k++)
            {
                var rotated = Enumerable.Range(0, 4).Select(i => quad[(i + k) % 4]).ToArray();
                var h = Cv2.GetPerspectiveTransform(a4, rotated);
                var projected = Cv2.PerspectiveTransform(symbolMm, h);
                var error = projected.Zip(qrCorners, d).Average() / Math.Max(sides.Max(), 1);
                if (error < bestError && error < 0.03) { best?.Dispose(); best = h; bestError = error; }
                else h.Dispose();
            }
        }
        return best;
    }

    /// <summary>The millimetre rectangle <paramref name="mm"/> of the form, cut out of the page at 12 px/mm.</summary>
    private static Mat Cut(Mat page, Mat toPage, MmRect mm)
    {
        int w = (int)Math.Round(mm.Width * CropPxPerMm), h = (int)Math.Round(mm.Height * CropPxPerMm);
        using var t = new Mat(3, 3, MatType.CV_64FC1);
        t.Set(0, 0, 1 / CropPxPerMm); t.Set(0, 1, 0.0); t.Set(0, 2, mm.X);
        t.Set(1, 0, 0.0); t.Set(1, 1, 1 / CropPxPerMm); t.Set(1, 2, mm.Y);
        t.Set(2, 0, 0.0); t.Set(2, 1, 0.0); t.Set(2, 2, 1.0);
        using var m = toPage * t;
        using var mat = m.ToMat();
        var crop = new Mat();
        Cv2.WarpPerspective(page, crop, mat, new Size(w, h), InterpolationFlags.Linear | InterpolationFlags.WarpInverseMap, BorderTypes.Replicate);
        return crop;
    }
}
