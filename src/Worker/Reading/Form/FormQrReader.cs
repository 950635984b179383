using OpenCvSharp;
using VerifyPipeline.Cases.Forms;

namespace VerifyPipeline.Worker.Reading.Form;

/// <summary>What the QR code of a page says: the verified payload, or why it could not be used.</summary>
public sealed record FormQrRead(int Page, string? Text, FormQrPayload? Payload, string? Error)
{
    public bool Verified => Payload is not null;
}

/// <summary>Finds and decodes the request form's QR code on a page image and verifies its HMAC (docs/form.md). Uses
/// OpenCV's QR detector (objdetect, not the text module: safe beside libtesseract). Fax pages with non-square pixels
/// are resampled to square first; a failed first attempt is retried on a binarised, upscaled copy.</summary>
public static class FormQrReader
{
    public static FormQrRead? Read(byte[] image, int page, double dpiX, double dpiY, string hmacKey)
    {
        using var grey = Cv2.ImDecode(image, ImreadModes.Grayscale);
        if (grey.Empty()) return null;
        using var square = SquarePixels(grey, dpiX, dpiY);
        return Read(square, page, hmacKey)?.Read;
    }

    /// <summary>Reads the QR of a grey page with square pixels; also returns the symbol's four corners in the page's pixels
    /// (clockwise from the symbol's own top-left, so an upside-down page gives them turned), which place the form's zones.</summary>
    /// <param name="quick">Only the page as it is (≈ 50 ms): enough for a form scanned, photographed or faxed the right
    /// way up; the binarised, enlarged and turned attempts (≈ 1 s on a 200 dpi page) are for pages nothing else explained.</param>
    public static (FormQrRead Read, Point2f[] Corners)? Read(Mat square, int page, string hmacKey, bool? quick = null)
    {
        foreach (var (candidate, toPage) in Candidates(square).Skip(quick == false ? 1 : 0).Take(quick == true ? 1 : int.MaxValue))
        {
            using (candidate)
            {
                using var detector = new QRCodeDetector();
                var text = detector.DetectAndDecode(candidate, out var points);
                if (string.IsNullOrEmpty(text)) continue;
                var corners = points.Length == 4 ? points.Select(toPage).ToArray() : [];
                var read = FormQr.TryVerify(text, hmacKey, out var payload, out var error)
                    ? new FormQrRead(page, text, payload, null)
                    : new FormQrRead(page, text, null, error.ToString());
                return (read, corners);
            }
        }
        return null;
    }

    /// <summary>Fax standard resolution is 204×98 dpi: rows are doubled (nearest) to get square pixels.</summary>
    internal static Mat SquarePixels(Mat grey, double dpiX, double dpiY)
    {
        if (dpiX <= 0 || dpiY <= 0 || Math.Abs(dpiX - dpiY) / Math.Max(dpiX, dpiY) < 0.1) return grey.Clone();
        var resized = new Mat();
        Cv2.Resize(grey, resized, new Size(grey.Width, (int)Math.Round(grey.Height * dpiX / dpiY)), 0, 0, InterpolationFlags.Nearest);
        return resized;
    }

    /// <summary>The page as it is; then turned (an upside-down scan); then binarised; then, for low-resolution pages only
    /// (faxes, 150 dpi scans: modules under ~5 px), binarised at twice the size.</summary>
    private static IEnumerable<(Mat, Func<Point2f, Point2f>)> Candidates(Mat square)
    {
        yield return (square.Clone(), p => p);
        var flipped = new Mat();
        Cv2.Rotate(square, flipped, RotateFlags.Rotate180);
        float w = square.Width - 1, h = square.Height - 1;
        yield return (flipped, p => new Point2f(w - p.X, h - p.Y));
        var bin = new Mat();
        Cv2.Threshold(square, bin, 0, 255, ThresholdTypes.Binary | ThresholdTypes.Otsu);
        yield return (bin, p => p);
        if (square.Width < 1800)
        {
            var up = new Mat();
            Cv2.Resize(square, up, new Size(), 2, 2, InterpolationFlags.Cubic);
            Cv2.Threshold(up, up, 0, 255, ThresholdTypes.Binary | ThresholdTypes.Otsu);
            yield return (up, p => new Point2f(p.X / 2, p.Y / 2));
        }
    }
}
