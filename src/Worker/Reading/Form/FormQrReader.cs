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
    /// <param name="quick">true: the symbol found on a reduced copy and decoded where it is (≈ 40 ms): enough for a form
    /// scanned, photographed or faxed either way up. Otherwise the thorough attempts — full page, turned, binarised,
    /// enlarged (≈ 1 s on a 200 dpi page) — for pages nothing else explained.</param>
    public static (FormQrRead Read, Point2f[] Corners)? Read(Mat square, int page, string hmacKey, bool? quick = null)
    {
        var attempts = new List<Func<(Mat, Func<Point2f, Point2f>)>>();
        var debug = Environment.GetEnvironmentVariable("VERIFY_LOCATE_DEBUG") == "1";
        if (quick == true)
        {
            // Find the symbol on a ~120 dpi copy (modules ≈ 3.8 px: enough to see the finder patterns, ≈ 30 ms), then
            // decode only its neighbourhood at full resolution.
            var reduce = Math.Min(1.0, 1000.0 / Math.Min(square.Width, square.Height));
            using var small = new Mat();
            Cv2.Resize(square, small, new Size(), reduce, reduce, InterpolationFlags.Area);
            using var finder = new QRCodeDetector();
            Point2f[] found;
            try
            {
                if (!finder.Detect(small, out found) || found.Length != 4) return null;
            }
            catch (OpenCVException)
            {
                return null; // OpenCV's detector asserts on some degenerate candidate shapes: no QR found there
            }
            var xs = found.Select(p => p.X / reduce).ToArray();
            var ys = found.Select(p => p.Y / reduce).ToArray();
            var margin = (xs.Max() - xs.Min()) * 0.25;
            var x0 = (int)Math.Clamp(xs.Min() - margin, 0, square.Width - 1);
            var y0 = (int)Math.Clamp(ys.Min() - margin, 0, square.Height - 1);
            var x1 = (int)Math.Clamp(xs.Max() + margin, x0 + 1, square.Width);
            var y1 = (int)Math.Clamp(ys.Max() + margin, y0 + 1, square.Height);
            attempts.Add(() => (new Mat(square, new Rect(x0, y0, x1 - x0, y1 - y0)).Clone(), p => new Point2f(p.X + x0, p.Y + y0)));
        }
        else
        {
            // The WeChat decoder first (≈ 30 ms when there is a QR, but up to 2–3 s on a busy page without one: only
            // here, for pages nothing else explained), on a copy of at most ~150 dpi.
            var cap = Math.Min(1.0, 1300.0 / Math.Min(square.Width, square.Height));
            using (var reduced = new Mat())
            {
                Cv2.Resize(square, reduced, new Size(), cap, cap, InterpolationFlags.Area);
                if (WeChat(reduced, page, hmacKey, debug) is var (r, c))
                    return (r, c.Select(p => new Point2f((float)(p.X / cap), (float)(p.Y / cap))).ToArray());
            }
            attempts.AddRange(Candidates(square));
        }
        foreach (var attempt in attempts)
        {
            var watch = System.Diagnostics.Stopwatch.StartNew();
            var (candidate, toPage) = attempt();
            using (candidate)
            {
                using var detector = new QRCodeDetector();
                string text;
                Point2f[] points;
                try { text = detector.DetectAndDecode(candidate, out points); }
                catch (OpenCVException) { continue; }
                if (debug) Console.Error.WriteLine($"    qr attempt {candidate.Width}x{candidate.Height} {(string.IsNullOrEmpty(text) ? "nothing" : "read")} {watch.ElapsedMilliseconds} ms");
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

    /// <summary>Last resort: OpenCV's WeChat decoder (a ZXing port, no CNN models given: it scans the whole page), which
    /// decodes 0.8 mm modules at 150 dpi through JPEG noise where the classic detector gives up.</summary>
    private static (FormQrRead Read, Point2f[] Corners)? WeChat(Mat square, int page, string hmacKey, bool debug)
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        try
        {
            using var wechat = new WeChatQRCode("", "", "", "");
            var texts = wechat.DetectAndDecode(square, out var boxes);
            if (debug) Console.Error.WriteLine($"    qr wechat {square.Width}x{square.Height} {texts.Length} found {watch.ElapsedMilliseconds} ms");
            for (var i = 0; i < texts.Length; i++)
            {
                if (string.IsNullOrEmpty(texts[i])) continue;
                var corners = i < boxes.Length && boxes[i].Length == 4 ? boxes[i] : [];
                var read = FormQr.TryVerify(texts[i], hmacKey, out var payload, out var error)
                    ? new FormQrRead(page, texts[i], payload, null)
                    : new FormQrRead(page, texts[i], null, error.ToString());
                return (read, corners);
            }
        }
        catch (OpenCVException) { }
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

    /// <summary>Turned (an upside-down scan); binarised; and, for low-resolution pages only (faxes, 150 dpi scans: modules
    /// under ~5 px), binarised at twice the size. Each made only when it is tried.</summary>
    private static IEnumerable<Func<(Mat, Func<Point2f, Point2f>)>> Candidates(Mat square)
    {
        float w = square.Width - 1, h = square.Height - 1;
        yield return () =>
        {
            var flipped = new Mat();
            Cv2.Rotate(square, flipped, RotateFlags.Rotate180);
            return (flipped, p => new Point2f(w - p.X, h - p.Y));
        };
        yield return () =>
        {
            var bin = new Mat();
            Cv2.Threshold(square, bin, 0, 255, ThresholdTypes.Binary | ThresholdTypes.Otsu);
            return (bin, p => p);
        };
        if (square.Width < 1800)
            yield return () =>
            {
                var up = new Mat();
                Cv2.Resize(square, up, new Size(), 2, 2, InterpolationFlags.Cubic);
                Cv2.Threshold(up, up, 0, 255, ThresholdTypes.Binary | ThresholdTypes.Otsu);
                return (up, p => new Point2f(p.X / 2, p.Y / 2));
            };
    }
}
