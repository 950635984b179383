using OpenCvSharp;
using SkiaSharp;
using VerifyPipeline.Corpus;

namespace VerifyPipeline.Corpus;

/// <summary>A capture resolution of the calibration: a flatbed scan (JPEG, grain), a rectified phone photo (blur, uneven
/// light, noise, JPEG) or a fax (thresholded, speckled, at
/// 204 × 98 or 204 × 196 dpi, resampled to square pixels as the page extractor does).</summary>
public sealed record CaptureResolution(string Name, int DpiX, int DpiY, bool Fax, bool Photo = false)
{
    public static readonly CaptureResolution[] All =
    [
        new("scan_300", 300, 300, false), new("scan_150", 150, 150, false),
        // A phone photo, perspective-corrected: the card rectified to ~1100 px across its 85.6 mm (≈ 326 dpi); a lens
        // blur, uneven light, sensor noise and a stronger JPEG than a scanner's.
        new("photo", 326, 326, false, Photo: true),
        new("fax_fine", 204, 196, true), new("fax_standard", 204, 98, true),
    ];
}

/// <summary>
/// Signature crops drawn with the corpus's own <see cref="SignatureHand"/>: the document's signature box of a CIE front
/// (tinted card, guilloche, printed label above the box) and the form's signature box (label, 0.6 mm frame), cropped
/// with a margin as a reader would, then captured at a <see cref="CaptureResolution"/>.
/// </summary>
public static class SyntheticSignatures
{
    private static readonly SKColor Ink = new(0x15, 0x2A, 0x8A), ForgerInk = new(0x10, 0x10, 0x30);

    /// <summary>The form's box (100 × 30 mm), its label band above, 1.5 mm margin; signed as DocumentArt signs it.</summary>
    public static Mat Form(ISignatureHand? hand, SignatureKind kind, int variationSeed, CaptureResolution res, int captureSeed)
    {
        const float left = 1.5f, top = 4.5f, w = 100, h = 30;
        return Capture(left + w + 1.5f, top + h + 1.5f, res, captureSeed, c =>
        {
            c.Clear(SKColors.White);
            using var grey = new SKPaint { Color = new SKColor(0x44, 0x44, 0x44), IsAntialias = true };
            using (var font = new SKFont(CorpusFonts.Default.Bold, 8 * 25.4f / 72))
                c.DrawText("Firma del richiedente", left + 0.3f, top - 0.8f, SKTextAlign.Left, font, grey);
            using var frame = new SKPaint { Color = SKColors.Black, IsAntialias = true, Style = SKPaintStyle.Stroke, StrokeWidth = 0.6f };
            c.DrawRect(new SKRect(left, top, left + w, top + h), frame);
            hand?.Draw(c, new SKRect(left + 4, top + 3, left + w - 10, top + h - 2), kind, variationSeed, kind == SignatureKind.Genuine ? Ink : ForgerInk);
        });
    }

    /// <summary>The signature area of a CIE front (DocumentArt: label at 44.2 mm, box 3.5-36 × 44.5-53 mm) on the card's
    /// tinted, guillochéd background, cropped 1.5 mm around the box and label.</summary>
    public static Mat Card(ISignatureHand? hand, SignatureKind kind, int variationSeed, CaptureResolution res, int captureSeed)
    {
        const float x0 = 2f, y0 = 42.5f;
        return Capture(36, 11.4f, res, captureSeed, c =>
        {
            c.Translate(-x0, -y0);
            c.Clear(new SKColor(0xE9, 0xEE, 0xF7));
            var rng = new Random(captureSeed);
            using (var line = new SKPaint { Color = new SKColor(0xB8, 0xC4, 0xDE), IsAntialias = true, Style = SKPaintStyle.Stroke, StrokeWidth = 0.12f })
                for (var k = 0; k < 6; k++)
                {
                    using var pb = new SKPathBuilder();
                    var amp = 2 + (float)rng.NextDouble() * 4;
                    var freq = 0.08f + (float)rng.NextDouble() * 0.12f;
                    var yk = y0 + 11.4f * k / 6f;
                    var phase = (float)rng.NextDouble() * 6;
                    pb.MoveTo(x0, yk);
                    for (var x = x0 + 0.5f; x <= x0 + 36; x += 0.5f) pb.LineTo(x, yk + amp * MathF.Sin(x * freq + phase));
                    using var path = pb.Detach();
                    c.DrawPath(path, line);
                }
            using (var label = new SKPaint { Color = new SKColor(0x2B, 0x3F, 0x7A), IsAntialias = true })
            using (var font = new SKFont(CorpusFonts.Default.Sans, 1.1f))
                c.DrawText("FIRMA DEL TITOLARE / HOLDER'S SIGNATURE", 3.5f, 44.2f, SKTextAlign.Left, font, label);
            hand?.Draw(c, new SKRect(3.5f, 44.5f, 36f, 53f), kind, variationSeed, kind == SignatureKind.Genuine ? Ink : ForgerInk);
        });
    }

    private static Mat Capture(float wMm, float hMm, CaptureResolution res, int seed, Action<SKCanvas> draw)
    {
        var w = (int)Math.Round(wMm * res.DpiX / 25.4);
        var h = (int)Math.Round(hMm * res.DpiY / 25.4);
        using var surface = SKSurface.Create(new SKImageInfo(w, h, SKColorType.Rgba8888, SKAlphaType.Premul))
            ?? throw new InvalidOperationException("could not allocate a surface");
        var c = surface.Canvas;
        c.Clear(SKColors.White);
        c.Scale(res.DpiX / 25.4f, res.DpiY / 25.4f);
        draw(c);
        c.Flush();
        using var pixmap = surface.PeekPixels();
        var span = pixmap.GetPixelSpan();
        var rng = new Random(seed);
        var grey = new byte[w * h];
        var threshold = 150 + rng.Next(30);
        for (var y = 0; y < h; y++)
            for (var x = 0; x < w; x++)
            {
                var o = y * pixmap.RowBytes + x * 4;
                var lum = (span[o] * 54 + span[o + 1] * 183 + span[o + 2] * 19) >> 8;
                if (res.Fax)
                {
                    var black = lum < threshold;
                    if (rng.Next(2000) == 0) black = !black;
                    grey[y * w + x] = black ? (byte)0 : (byte)255;
                }
                else grey[y * w + x] = (byte)Math.Clamp(lum - rng.Next(8) - (rng.Next(1500) == 0 ? 70 : 0), 0, 255);
            }
        var mat = new Mat(h, w, MatType.CV_8UC1);
        mat.SetArray(grey);
        if (res.Fax)
        {
            if (res.DpiY == res.DpiX) return mat;
            var square = new Mat();
            Cv2.Resize(mat, square, new Size(w, (int)Math.Round(h * (double)res.DpiX / res.DpiY)), 0, 0, InterpolationFlags.Nearest);
            mat.Dispose();
            return square;
        }
        if (res.Photo)
        {
            // Light falling off across the crop (up to 20 %), a lens/motion blur of about a pixel, sensor noise.
            var gx = (rng.NextDouble() - 0.5) * 0.4 / w;
            var gy = (rng.NextDouble() - 0.5) * 0.4 / h;
            using var f = new Mat();
            mat.ConvertTo(f, MatType.CV_32F);
            var light = new float[w * h];
            for (var y = 0; y < h; y++)
                for (var x = 0; x < w; x++) light[y * w + x] = (float)(0.9 + gx * (x - w / 2.0) + gy * (y - h / 2.0));
            using var lm = new Mat(h, w, MatType.CV_32F);
            lm.SetArray(light);
            Cv2.Multiply(f, lm, f);
            Cv2.GaussianBlur(f, f, new Size(0, 0), 0.8 + rng.NextDouble() * 0.6);
            // Noise from the capture's own generator (not OpenCV's global one): the calibration stays deterministic.
            for (var i = 0; i < light.Length; i++)
                light[i] = (float)(4 * Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble()));
            using var noise = new Mat(h, w, MatType.CV_32F);
            noise.SetArray(light);
            Cv2.Add(f, noise, f);
            f.ConvertTo(mat, MatType.CV_8U);
        }
        Cv2.ImEncode(".jpg", mat, out var jpeg, new ImageEncodingParam(ImwriteFlags.JpegQuality, res.Photo ? 70 : 80));
        mat.Dispose();
        return Cv2.ImDecode(jpeg, ImreadModes.Grayscale);
    }
}
