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
        foreach (var candidate in Candidates(square))
        {
            using (candidate)
            {
                var text = Decode(candidate);
                if (string.IsNullOrEmpty(text)) continue;
                return FormQr.TryVerify(text, hmacKey, out var payload, out var error)
                    ? new FormQrRead(page, text, payload, null)
                    : new FormQrRead(page, text, null, error.ToString());
            }
        }
        return null;
    }

    private static string? Decode(Mat m)
    {
        using var detector = new QRCodeDetector();
        var text = detector.DetectAndDecode(m, out _);
        return string.IsNullOrEmpty(text) ? null : text;
    }

    /// <summary>Fax standard resolution is 204×98 dpi: rows are doubled (nearest) to get square pixels.</summary>
    private static Mat SquarePixels(Mat grey, double dpiX, double dpiY)
    {
        if (dpiX <= 0 || dpiY <= 0 || Math.Abs(dpiX - dpiY) / Math.Max(dpiX, dpiY) < 0.1) return grey.Clone();
        var resized = new Mat();
        Cv2.Resize(grey, resized, new Size(grey.Width, (int)Math.Round(grey.Height * dpiX / dpiY)), 0, 0, InterpolationFlags.Nearest);
        return resized;
    }

    private static IEnumerable<Mat> Candidates(Mat square)
    {
        yield return square.Clone();
        var bin = new Mat();
        Cv2.Threshold(square, bin, 0, 255, ThresholdTypes.Binary | ThresholdTypes.Otsu);
        yield return bin;
        if (square.Width < 2500)
        {
            var up = new Mat();
            Cv2.Resize(square, up, new Size(), 2, 2, InterpolationFlags.Cubic);
            Cv2.Threshold(up, up, 0, 255, ThresholdTypes.Binary | ThresholdTypes.Otsu);
            yield return up;
        }
        var flipped = new Mat();
        Cv2.Rotate(square, flipped, RotateFlags.Rotate180); // an upside-down scan
        yield return flipped;
    }
}
