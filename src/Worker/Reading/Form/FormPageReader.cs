using OpenCvSharp;
using VerifyPipeline.Cases.Forms;
using VerifyPipeline.Worker.Reading.Documents;
using VerifyPipeline.Worker.Reading.Ocr;

namespace VerifyPipeline.Worker.Reading.Form;

/// <summary>The request form found on a page: its QR (verified or not), the signature box's ink and crop, and — when the
/// QR could not vouch for them — the printed fields read by zone OCR.</summary>
public sealed record FormRead(int Page, FormQrRead Qr, InkRead? Signed, Mat? SignatureCrop, double PxPerMm, IReadOnlyList<FieldRead> Fields) : IDisposable
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

    public static FormRead? Read(Mat square, int page, string hmacKey, OcrEngine? ocr, bool? quick = null)
    {
        if (FormQrReader.Read(square, page, hmacKey, quick) is not var (qr, corners)) return null;
        if (corners.Length != 4) return new FormRead(page, qr, null, null, 0, []);
        var symbol = FormLayout.Qr.Rect.Inflate(-FormLayout.QrQuietZoneModules * FormLayout.QrModuleMm);
        var mm = new[]
        {
            new Point2f((float)symbol.Left, (float)symbol.Top), new Point2f((float)symbol.Right, (float)symbol.Top),
            new Point2f((float)symbol.Right, (float)symbol.Bottom), new Point2f((float)symbol.Left, (float)symbol.Bottom),
        };
        // A similarity (turn, scale, shift) fitted to the four corners, not their homography: the corners are found to a
        // pixel or two, and a homography of a 39 mm square extrapolated 200 mm down the page turns that into centimetres.
        using var affine = Cv2.EstimateAffinePartial2D(InputArray.Create(mm), InputArray.Create(corners));
        if (affine is null || affine.Empty()) return new FormRead(page, qr, null, null, 0, []);
        using var toPage = new Mat(3, 3, MatType.CV_64FC1, Scalar.All(0));
        for (var r = 0; r < 2; r++) for (var c = 0; c < 3; c++) toPage.Set(r, c, affine.At<double>(r, c));
        toPage.Set(2, 2, 1.0);
        var pxPerMm = Math.Sqrt(Math.Abs(Cv2.ContourArea(corners)) / (symbol.Width * symbol.Height));
        // Inside the box, clear of its frame and of the label printed on its top edge (the QR fixes the layout to ± 1 mm).
        var sr = FormLayout.Signature.Rect;
        var box = new MmRect(sr.X + 2, sr.Y + 3.5, sr.Width - 4, sr.Height - 5.5);
        var crop = Cut(square, toPage, box);
        var ink = Ink.Measure(crop);
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
        return new FormRead(page, qr, ink, crop, pxPerMm, fields);
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
