using System.Buffers.Binary;
using BitMiracle.LibTiff.Classic;
using OpenCvSharp;
using SkiaSharp;

namespace VerifyPipeline.DocumentFamilies;

/// <summary>Raster helpers on OpenCV matrices (BGR, 8 bit) and the file encoders with their declared resolution.</summary>
internal static class Images
{
    public static Mat ToBgr(SKBitmap bitmap)
    {
        if (bitmap.ColorType != SKColorType.Rgba8888) throw new ArgumentException("expected an RGBA8888 bitmap", nameof(bitmap));
        using var rgba = Mat.FromPixelData(bitmap.Height, bitmap.Width, MatType.CV_8UC4, bitmap.GetPixels(), bitmap.RowBytes);
        var bgr = new Mat();
        Cv2.CvtColor(rgba, bgr, ColorConversionCodes.RGBA2BGR);
        return bgr;
    }

    public static byte[] Png(Mat mat, double dpi)
    {
        Cv2.ImEncode(".png", mat, out var png);
        return WithPhys(png, dpi);
    }

    public static byte[] Jpeg(Mat mat, int quality, double dpi)
    {
        Cv2.ImEncode(".jpg", mat, out var jpg, new ImageEncodingParam(ImwriteFlags.JpegQuality, quality));
        return WithJfifDensity(jpg, dpi, dpi);
    }

    public static byte[] Jpeg(Mat mat, int quality, double dpiX, double dpiY)
    {
        Cv2.ImEncode(".jpg", mat, out var jpg, new ImageEncodingParam(ImwriteFlags.JpegQuality, quality));
        return WithJfifDensity(jpg, dpiX, dpiY);
    }

    /// <summary>Inserts a pHYs chunk (PNG 1.2 §4.2.4.2, pixels per metre) after IHDR; OpenCV writes none.</summary>
    private static byte[] WithPhys(byte[] png, double dpi)
    {
        const int afterIhdr = 8 + 4 + 4 + 13 + 4;
        var ppm = (uint)Math.Round(dpi / 0.0254);
        var chunk = new byte[4 + 4 + 9 + 4];
        BinaryPrimitives.WriteUInt32BigEndian(chunk, 9);
        "pHYs"u8.CopyTo(chunk.AsSpan(4));
        BinaryPrimitives.WriteUInt32BigEndian(chunk.AsSpan(8), ppm);
        BinaryPrimitives.WriteUInt32BigEndian(chunk.AsSpan(12), ppm);
        chunk[16] = 1;
        BinaryPrimitives.WriteUInt32BigEndian(chunk.AsSpan(17), Crc32(chunk.AsSpan(4, 13)));
        return [.. png.AsSpan(0, afterIhdr), .. chunk, .. png.AsSpan(afterIhdr)];
    }

    /// <summary>Sets the JFIF APP0 density (units = dots per inch) that OpenCV leaves at 1:1 aspect only.</summary>
    private static byte[] WithJfifDensity(byte[] jpg, double dpiX, double dpiY)
    {
        if (jpg.Length > 18 && jpg[2] == 0xFF && jpg[3] == 0xE0 && jpg.AsSpan(6, 5).SequenceEqual("JFIF\0"u8))
        {
            jpg[13] = 1;
            BinaryPrimitives.WriteUInt16BigEndian(jpg.AsSpan(14), (ushort)Math.Round(dpiX));
            BinaryPrimitives.WriteUInt16BigEndian(jpg.AsSpan(16), (ushort)Math.Round(dpiY));
        }
        return jpg;
    }

    private static uint Crc32(ReadOnlySpan<byte> data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++) crc = (crc & 1) != 0 ? 0xEDB88320u ^ (crc >> 1) : crc >> 1;
        }
        return ~crc;
    }

    public static void RoundedRect(Mat mask, int radius)
    {
        var w = mask.Cols; var h = mask.Rows;
        radius = Math.Max(1, radius);
        Cv2.Rectangle(mask, new Rect(radius, 0, w - 2 * radius, h), Scalar.All(255), -1);
        Cv2.Rectangle(mask, new Rect(0, radius, w, h - 2 * radius), Scalar.All(255), -1);
        foreach (var (x, y) in new[] { (radius, radius), (w - radius - 1, radius), (radius, h - radius - 1), (w - radius - 1, h - radius - 1) })
            Cv2.Circle(mask, new Point(x, y), radius, Scalar.All(255), -1, LineTypes.AntiAlias);
    }

    /// <summary>A table top: a base colour with low-frequency blotches and directional grain (wood, fabric, desk).</summary>
    public static Mat Table(int w, int h, Random rng)
    {
        Scalar[] bases = [new(60, 95, 140), new(150, 150, 145), new(120, 80, 50), new(70, 110, 75), new(200, 195, 190), new(40, 40, 45)];
        var baseColour = bases[rng.Next(bases.Length)];
        var table = new Mat(h, w, MatType.CV_8UC3, baseColour);
        using var low = Field(rng, 5, 7, 0.8, 1.2, w, h);
        using var grain = rng.Next(2) == 0 ? Field(rng, h / 4, 6, 0.9, 1.1, w, h) : Field(rng, 6, w / 4, 0.9, 1.1, w, h);
        Cv2.Multiply(low, grain, low);
        Multiply(table, low);
        return table;
    }

    /// <summary>Uneven light: a smooth gain field (a window on one side, a shadowed corner) and a colour cast.</summary>
    public static void Light(Mat photo, Random rng)
    {
        using var gain = Field(rng, 3, 3, 0.62, 1.18, photo.Cols, photo.Rows);
        Multiply(photo, gain);
        var cast = new Scalar(0.95 + rng.NextDouble() * 0.1, 0.97 + rng.NextDouble() * 0.06, 0.95 + rng.NextDouble() * 0.1);
        Cv2.Multiply(photo, cast, photo);
    }

    private static Mat Field(Random rng, int rows, int cols, double lo, double hi, int w, int h)
    {
        using var small = new Mat(rows, cols, MatType.CV_32FC1);
        for (var y = 0; y < rows; y++)
            for (var x = 0; x < cols; x++)
                small.Set(y, x, (float)(lo + rng.NextDouble() * (hi - lo)));
        var big = new Mat();
        Cv2.Resize(small, big, new Size(w, h), 0, 0, InterpolationFlags.Cubic);
        return big;
    }

    private static void Multiply(Mat bgr, Mat gain)
    {
        using var g3 = new Mat();
        Cv2.CvtColor(gain, g3, ColorConversionCodes.GRAY2BGR);
        using var f = new Mat();
        bgr.ConvertTo(f, MatType.CV_32FC3);
        Cv2.Multiply(f, g3, f);
        f.ConvertTo(bgr, MatType.CV_8UC3);
    }

    public static void Darken(Mat bgr, Mat mask, double strength)
    {
        using var m = new Mat();
        mask.ConvertTo(m, MatType.CV_32FC1, -strength / 255.0, 1.0);
        Multiply(bgr, m);
    }

    /// <summary>dst = src where mask is 255, dst where 0, linear in between (anti-aliased card edges).</summary>
    public static void Blend(Mat dst, Mat src, Mat mask)
    {
        using var m1 = new Mat();
        mask.ConvertTo(m1, MatType.CV_32FC1, 1 / 255.0);
        using var m3 = new Mat();
        Cv2.CvtColor(m1, m3, ColorConversionCodes.GRAY2BGR);
        using var ones = new Mat(m3.Size(), m3.Type(), Scalar.All(1));
        using var inv = new Mat();
        Cv2.Subtract(ones, m3, inv);
        using var sf = new Mat();
        using var df = new Mat();
        src.ConvertTo(sf, MatType.CV_32FC3);
        dst.ConvertTo(df, MatType.CV_32FC3);
        Cv2.Multiply(sf, m3, sf);
        Cv2.Multiply(df, inv, df);
        Cv2.Add(sf, df, df);
        df.ConvertTo(dst, MatType.CV_8UC3);
    }
}

/// <summary>A bilevel page packed MSB first, 1 = black (TIFF PhotometricInterpretation MinIsWhite).</summary>
internal sealed record BilevelPage(int Width, int Height, double DpiX, double DpiY, byte[] Bits);

internal static class Fax1Bit
{
    /// <summary>Thresholds the page as a fax machine's scanner does (no dithering: tints vanish or turn to specks), adds
    /// line noise, and in standard mode keeps every other scan line.</summary>
    public static BilevelPage Bilevel(SKBitmap page, FaxMode mode, Random rng)
    {
        using var bgr = Images.ToBgr(page);
        using var gray = new Mat();
        Cv2.CvtColor(bgr, gray, ColorConversionCodes.BGR2GRAY);
        if (mode == FaxMode.Standard) Cv2.Resize(gray, gray, new Size(gray.Cols, gray.Rows / 2), 0, 0, InterpolationFlags.Nearest);
        using var bw = new Mat();
        Cv2.Threshold(gray, bw, 150 + rng.Next(40), 255, ThresholdTypes.Binary);
        var w = bw.Cols; var h = bw.Rows;
        var stride = (w + 7) / 8;
        var bits = new byte[stride * h];
        bw.GetArray(out byte[] px);
        for (var y = 0; y < h; y++)
            for (var x = 0; x < w; x++)
                if (px[y * w + x] < 128) bits[y * stride + (x >> 3)] |= (byte)(0x80 >> (x & 7));
        var specks = w * h / 4000;
        for (var i = 0; i < specks; i++)
        {
            var x = rng.Next(w); var y = rng.Next(h);
            bits[y * stride + (x >> 3)] ^= (byte)(0x80 >> (x & 7));
        }
        // A few corrupted scan lines: short black runs, the usual trace of a noisy line.
        for (var i = rng.Next(3); i > 0; i--)
        {
            var y = rng.Next(h); var x0 = rng.Next(w - 200);
            for (var x = x0; x < x0 + 40 + rng.Next(160); x++) bits[y * stride + (x >> 3)] |= (byte)(0x80 >> (x & 7));
        }
        return new BilevelPage(w, h, 204, mode == FaxMode.Fine ? 196 : 98, bits);
    }

    /// <summary>A multi-page fax TIFF: 1 bit, MinIsWhite, CCITT T.6 (G4) or T.4 (G3), resolution tags, Page N of M.</summary>
    public static byte[] Tiff(IReadOnlyList<BilevelPage> pages, bool g4)
    {
        using var ms = new MemoryStream();
        using (var tiff = BitMiracle.LibTiff.Classic.Tiff.ClientOpen("fax.tif", "w", ms, new TiffStream())
                          ?? throw new InvalidOperationException("LibTiff could not open a memory stream"))
        {
            for (var i = 0; i < pages.Count; i++)
            {
                var p = pages[i];
                tiff.SetField(TiffTag.SUBFILETYPE, FileType.PAGE);
                tiff.SetField(TiffTag.IMAGEWIDTH, p.Width);
                tiff.SetField(TiffTag.IMAGELENGTH, p.Height);
                tiff.SetField(TiffTag.BITSPERSAMPLE, 1);
                tiff.SetField(TiffTag.SAMPLESPERPIXEL, 1);
                tiff.SetField(TiffTag.PHOTOMETRIC, Photometric.MINISWHITE);
                tiff.SetField(TiffTag.FILLORDER, FillOrder.MSB2LSB);
                tiff.SetField(TiffTag.COMPRESSION, g4 ? Compression.CCITTFAX4 : Compression.CCITTFAX3);
                if (!g4) tiff.SetField(TiffTag.GROUP3OPTIONS, Group3Opt.FILLBITS);
                tiff.SetField(TiffTag.XRESOLUTION, p.DpiX);
                tiff.SetField(TiffTag.YRESOLUTION, p.DpiY);
                tiff.SetField(TiffTag.RESOLUTIONUNIT, ResUnit.INCH);
                tiff.SetField(TiffTag.ROWSPERSTRIP, p.Height);
                tiff.SetField(TiffTag.PAGENUMBER, i, pages.Count);
                var stride = (p.Width + 7) / 8;
                var row = new byte[stride];
                for (var y = 0; y < p.Height; y++)
                {
                    Array.Copy(p.Bits, y * stride, row, 0, stride);
                    if (!tiff.WriteScanline(row, y)) throw new InvalidOperationException($"LibTiff failed on row {y} of page {i + 1}");
                }
                tiff.WriteDirectory();
            }
        }
        return ms.ToArray();
    }
}
