using System.Buffers.Binary;
using System.Diagnostics;
using System.Runtime.InteropServices;
using BitMiracle.LibTiff.Classic;
using OpenCvSharp;
using UglyToad.PdfPig;
using UglyToad.PdfPig.Content;
using UglyToad.PdfPig.Core;
using UglyToad.PdfPig.Exceptions;
using VerifyPipeline.Cases;

namespace VerifyPipeline.Worker.Documents;

/// <summary>Limits per file and per page. A page over <see cref="MaxPixelsPerPage"/> is refused before any
/// pixel buffer is allocated; <see cref="MaxTimePerPage"/> bounds the external renderer (killed when over).</summary>
public sealed record PageBudget
{
    public int MaxPages { get; init; } = 60;
    public long MaxPixelsPerPage { get; init; } = 80_000_000;
    public TimeSpan MaxTimePerPage { get; init; } = TimeSpan.FromSeconds(20);
}

/// <summary>One page as an encoded image, at its native resolution (non-square fax DPI is kept, not resampled).
/// DPI 0 means unknown. <c>Origin</c>: <c>pdf-image</c> (a scanned page's embedded image taken as is),
/// <c>pdf-render</c> (rendered by poppler), <c>tiff</c>, <c>image</c> (a JPEG/PNG file, bytes unchanged).</summary>
/// <c>Note</c> says when the page is not at its native resolution (e.g. rendered smaller to fit the pixel budget).
public sealed record PageImage(
    string Source, int WidthPx, int HeightPx, double DpiX, double DpiY, string MediaType, byte[] Bytes, string Origin, string? Note = null);

/// <summary>Splits a PDF, TIFF, JPEG or PNG into page images, lazily: one page is decoded per
/// <c>MoveNext</c> and nothing keeps earlier pages, so memory stays bounded by one page whatever the page count.
/// Every failure of a decoding library on the input becomes a <see cref="BadInputException"/>.</summary>
public static class PageExtractor
{
    public const int RenderDpi = 200;

    /// <summary>A page over the pixel budget is rendered smaller rather than refused (issue 11: one 9000 × 9000 px image
    /// on page 2 refused a six-page PDF), as long as it is within this many times the budget — the same bound as a
    /// JPEG photo decoded at half size. poppler streams the image through its scaler, so the full-size bitmap is
    /// never made. Beyond it the page is absurd and refused before any pixel is decoded.</summary>
    public const int OversizeFactor = 4;

    /// <summary>Above this much of the page, a single image is taken to be the scanned page itself.</summary>
    private const double DominantImageShare = 0.75;

    public static IEnumerable<PageImage> Extract(string path, string source, FileKind kind, PageBudget budget, CancellationToken ct)
    {
        var pages = kind switch
        {
            FileKind.Pdf => PdfPages(path, source, budget, ct),
            FileKind.Tiff => TiffPages(path, source, budget, ct),
            FileKind.Jpeg or FileKind.Png => SingleImage(path, source, kind, budget),
            _ => throw BadInputException.Unreadable($"The file '{source}' is not a PDF, JPEG, PNG or TIFF file."),
        };
        return AtLeastOne(pages, source);
    }

    private static IEnumerable<PageImage> AtLeastOne(IEnumerable<PageImage> pages, string source)
    {
        int count = 0;
        foreach (var page in pages)
        {
            count++;
            yield return page;
        }
        if (count == 0)
            throw BadInputException.Unreadable($"The file '{source}' contains no page that can be read.");
    }

    // ---------------------------------------------------------------- PDF

    private static IEnumerable<PageImage> PdfPages(string path, string source, PageBudget budget, CancellationToken ct)
    {
        using var doc = OpenPdf(path, source);
        int count = PdfCall(() => doc.NumberOfPages, source);
        if (count > budget.MaxPages)
            throw BadInputException.Unreadable(
                $"The PDF '{source}' has {count} pages, more than the {budget.MaxPages}-page limit: send only the pages requested.");
        for (int n = 1; n <= count; n++)
        {
            ct.ThrowIfCancellationRequested();
            yield return PdfPage(doc, path, source, n, budget, ct);
        }
    }

    private static PdfDocument OpenPdf(string path, string source)
    {
        try
        {
            return PdfDocument.Open(path, new ParsingOptions { UseLenientParsing = true, SkipMissingFonts = true });
        }
        catch (PdfDocumentEncryptedException e)
        {
            throw PasswordProtected(source, e);
        }
        catch (Exception e) when (IsLibraryFailure(e))
        {
            throw BadInputException.Unreadable(
                $"The PDF '{source}' is damaged and cannot be opened ({e.GetType().Name}): save or scan it again and send the new file.", e);
        }
    }

    private static PageImage PdfPage(PdfDocument doc, string path, string source, int n, PageBudget budget, CancellationToken ct)
    {
        var pageSource = $"{source}#{n}";
        Page? page = null;
        Exception? pdfPigFailure = null;
        try
        {
            page = doc.GetPage(n);
        }
        catch (Exception e) when (IsLibraryFailure(e))
        {
            // PdfPig is stricter than poppler on some damage (and cannot decrypt some empty-password files):
            // poppler gets the page, and if it fails too the page is unreadable.
            pdfPigFailure = e;
        }

        double dpi = RenderDpi;
        string? note = null;
        if (page is not null)
        {
            long renderPixels = (long)Math.Ceiling(page.Width / 72 * RenderDpi) * (long)Math.Ceiling(page.Height / 72 * RenderDpi);
            try
            {
                if (DominantImage(page) is { } image)
                {
                    long pixels = (long)image.WidthInSamples * image.HeightInSamples;
                    if (pixels > OversizeFactor * budget.MaxPixelsPerPage)
                        throw TooLarge(pageSource, image.WidthInSamples, image.HeightInSamples, budget);
                    if (pixels > budget.MaxPixelsPerPage)
                        note = $"downscaled: the page's image is {image.WidthInSamples}×{image.HeightInSamples} px, over the {budget.MaxPixelsPerPage / 1_000_000} MP limit; rendered at {RenderDpi} dpi instead";
                    else if (FromEmbeddedImage(image, pageSource) is { } taken) return taken;
                }
            }
            catch (Exception e) when (IsLibraryFailure(e))
            {
                // The embedded image did not decode in PdfPig (shared/reference: some corruption only surfaces in
                // GetImages); poppler renders what can be rendered.
            }
            if (renderPixels > budget.MaxPixelsPerPage)
            {
                // A large sheet is rendered at the resolution that fits the budget, down to half the usual one.
                dpi = Math.Floor(RenderDpi * Math.Sqrt((double)budget.MaxPixelsPerPage / renderPixels) * 10) / 10;
                if (renderPixels > OversizeFactor * budget.MaxPixelsPerPage)
                    throw BadInputException.Unreadable(
                        $"Page {n} of '{source}' measures {page.Width / 72 * 2.54:0} × {page.Height / 72 * 2.54:0} cm: even at {RenderDpi / 2} dpi that is more than the {budget.MaxPixelsPerPage / 1_000_000} MP limit; send pages of normal paper size.");
                note = $"downscaled: the page measures {page.Width / 72 * 2.54:0} × {page.Height / 72 * 2.54:0} cm, over the {budget.MaxPixelsPerPage / 1_000_000} MP limit at {RenderDpi} dpi; rendered at {dpi:0.#} dpi instead";
            }
        }

        var rendered = Render(path, n, pageSource, budget, dpi, ct);
        if (rendered is not null) return rendered with { Note = note };
        if (pdfPigFailure is PdfDocumentEncryptedException)
            throw PasswordProtected(source, pdfPigFailure);
        throw BadInputException.Unreadable(
            $"Page {n} of the PDF '{source}' is damaged and cannot be read: save or scan the document again and send the new file.", pdfPigFailure);
    }

    /// <summary>The page's one image when the page is a scan: an unrotated image covering most of the page with no
    /// other sizeable image and no visible text (an invisible OCR layer is allowed). Image masks and inverted
    /// Decode arrays are drawn with the fill colour / inverted by a renderer, so those pages are rendered instead.</summary>
    private static IPdfImage? DominantImage(Page page)
    {
        if (page.Rotation.Value != 0) return null;
        double pageArea = page.Width * page.Height;
        if (pageArea <= 0) return null;
        var images = page.GetImages().ToList();
        if (images.Count == 0) return null;
        var main = images.MaxBy(i => i.BoundingBox.Area)!;
        if (main.BoundingBox.Area < DominantImageShare * pageArea) return null;
        if (images.Any(i => !ReferenceEquals(i, main) && i.BoundingBox.Area > 0.05 * pageArea)) return null;
        if (Math.Abs(main.BoundingBox.Rotation) > 0.5) return null;
        if (main.IsImageMask || main.MaskImage is not null) return null;
        if (main.Decode is { Count: >= 2 } d && d[0] > d[1]) return null;
        if (page.Letters.Any(l => l.RenderingMode != TextRenderingMode.Neither)) return null;
        return main;
    }

    private static PageImage? FromEmbeddedImage(IPdfImage image, string pageSource)
    {
        int w = image.WidthInSamples, h = image.HeightInSamples;
        if (w <= 0 || h <= 0 || image.BoundingBox.Width <= 0 || image.BoundingBox.Height <= 0) return null;
        // DPI from the size the image is drawn at, which is the page size for a full-page scan.
        double dpiX = Math.Round(w / (image.BoundingBox.Width / 72), 1), dpiY = Math.Round(h / (image.BoundingBox.Height / 72), 1);
        var raw = image.RawMemory.Span;
        bool onlyDct = FilterNames(image) is ["DCTDecode"];
        bool cmyk = image.ColorSpaceDetails?.NumberOfColorComponents == 4;
        if (onlyDct && !cmyk && raw.Length > 3 && raw[0] == 0xFF && raw[1] == 0xD8 && raw[2] == 0xFF)
            return new PageImage(pageSource, w, h, dpiX, dpiY, "image/jpeg", raw.ToArray(), "pdf-image");
        if (onlyDct || FilterNames(image).Contains("JBIG2Decode") || FilterNames(image).Contains("JPXDecode")) return null;
        if (!image.TryGetPng(out var png) || png is null || png.Length == 0) return null;
        return new PageImage(pageSource, w, h, dpiX, dpiY, "image/png", png, "pdf-image");
    }

    private static string[] FilterNames(IPdfImage image)
    {
        if (!image.ImageDictionary.Data.TryGetValue("Filter", out var filter) || filter is null) return [];
        return filter switch
        {
            UglyToad.PdfPig.Tokens.NameToken name => [name.Data],
            UglyToad.PdfPig.Tokens.ArrayToken array => array.Data.OfType<UglyToad.PdfPig.Tokens.NameToken>().Select(x => x.Data).ToArray(),
            _ => [],
        };
    }

    /// <summary>Renders one page with poppler's pdftoppm as raw 8-bit grey (PGM on stdout; pdftoppm's own PNG encoder
    /// is 5–9× slower than rendering) and encodes it as PNG with OpenCV. The output is capped at the pixel
    /// budget with -W/-H even when the page size is unknown, and the process is killed past the time budget.
    /// Returns null when poppler cannot read the page.</summary>
    private static PageImage? Render(string path, int n, string pageSource, PageBudget budget, double dpi, CancellationToken ct)
    {
        int side = (int)Math.Sqrt(budget.MaxPixelsPerPage);
        var psi = new ProcessStartInfo("pdftoppm")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var a in new[] { "-r", dpi.ToString(System.Globalization.CultureInfo.InvariantCulture), "-gray", "-f", n.ToString(), "-l", n.ToString(),
                     "-x", "0", "-y", "0", "-W", side.ToString(), "-H", side.ToString(), path })
            psi.ArgumentList.Add(a);
        using var process = Process.Start(psi) ?? throw new InvalidOperationException("pdftoppm did not start");
        process.StandardInput.Close();
        using var output = new MemoryStream();
        var stdout = process.StandardOutput.BaseStream.CopyToAsync(output, ct);
        var stderr = process.StandardError.ReadToEndAsync(ct);
        bool exited;
        try
        {
            exited = process.WaitForExitAsync(ct).Wait(budget.MaxTimePerPage, ct);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
        if (!exited)
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            throw BadInputException.Unreadable(
                $"Page '{pageSource}' took longer than {budget.MaxTimePerPage.TotalSeconds:0} s to render: the PDF is too complex or damaged; send a scan of the document instead.");
        }
        try
        {
            // Not copied whole within 5 s after the exit: never decode a buffer still being written.
            if (!Task.WaitAll([stdout, stderr], 5000, ct)) return null;
        }
        catch (AggregateException)
        {
            return null;
        }
        if (process.ExitCode != 0 || output.Length == 0) return null;
        using var grey = Cv2.ImDecode(output.GetBuffer().AsSpan(0, (int)output.Length), ImreadModes.Grayscale);
        if (grey.Empty()) return null;
        Cv2.ImEncode(".png", grey, out var png, PngFast);
        return new PageImage(pageSource, grey.Width, grey.Height, dpi, dpi, "image/png", png, "pdf-render");
    }

    /// <summary>zlib level 1: page images are mostly flat background, so the size gain of higher levels is small
    /// and they cost several times the encoding time.</summary>
    private static readonly ImageEncodingParam[] PngFast = [new(ImwriteFlags.PngCompression, 1)];

    // ---------------------------------------------------------------- TIFF

    static PageExtractor()
    {
        // LibTiff.NET reports through a process-wide handler that writes to the console by default, which would
        // corrupt the JSON on stdout of `verify check`. Its calls also return false/null on errors, which we check.
        Tiff.SetErrorHandler(new SilentTiffErrors());
    }

    private sealed class SilentTiffErrors : TiffErrorHandler
    {
        public override void ErrorHandler(Tiff tif, string method, string format, params object[] args) { }
        public override void ErrorHandlerExt(Tiff tif, object clientData, string method, string format, params object[] args) { }
        public override void WarningHandler(Tiff tif, string method, string format, params object[] args) { }
        public override void WarningHandlerExt(Tiff tif, object clientData, string method, string format, params object[] args) { }
    }

    private static IEnumerable<PageImage> TiffPages(string path, string source, PageBudget budget, CancellationToken ct)
    {
        using var tiff = TiffCall(() => Tiff.Open(path, "r"), source)
            ?? throw BadInputException.Unreadable($"The TIFF file '{source}' is damaged and cannot be opened: scan or export it again.");
        // IFD chains can loop (malformed files); an offset seen twice ends the file, and the page budget caps the rest.
        var seen = new HashSet<long>();
        int index = 0;
        do
        {
            ct.ThrowIfCancellationRequested();
            if (!seen.Add(TiffCall(tiff.CurrentDirOffset, source))) break;
            if (IsReducedImage(tiff, source)) continue;
            if (++index > budget.MaxPages)
                throw BadInputException.Unreadable(
                    $"The TIFF file '{source}' has more than {budget.MaxPages} pages: send only the pages requested.");
            yield return TiffPage(tiff, $"{source}#{index}", budget);
        }
        while (TiffCall(tiff.ReadDirectory, source));
    }

    /// <summary>NewSubfileType bit 0 marks a thumbnail or reduced-resolution copy of another page (TIFF 6.0 §8).</summary>
    private static bool IsReducedImage(Tiff tiff, string source) => TiffCall(() =>
        tiff.GetField(TiffTag.SUBFILETYPE) is { Length: > 0 } v && (v[0].ToInt() & 1) != 0, source);

    private static PageImage TiffPage(Tiff tiff, string pageSource, PageBudget budget)
    {
        try
        {
            int w = tiff.GetField(TiffTag.IMAGEWIDTH)?[0].ToInt() ?? 0;
            int h = tiff.GetField(TiffTag.IMAGELENGTH)?[0].ToInt() ?? 0;
            if (w <= 0 || h <= 0) throw Damaged(pageSource);
            if ((long)w * h > budget.MaxPixelsPerPage) throw TooLarge(pageSource, w, h, budget);
            int bits = tiff.GetFieldDefaulted(TiffTag.BITSPERSAMPLE)?[0].ToInt() ?? 1;
            int samples = tiff.GetFieldDefaulted(TiffTag.SAMPLESPERPIXEL)?[0].ToInt() ?? 1;
            var photometric = tiff.GetField(TiffTag.PHOTOMETRIC) is { Length: > 0 } p ? (Photometric)p[0].ToInt() : Photometric.MINISWHITE;
            int orientation = tiff.GetField(TiffTag.ORIENTATION) is { Length: > 0 } o ? o[0].ToInt() : 1;
            var (dpiX, dpiY) = TiffResolution(tiff);

            using var stored = bits == 1 && samples == 1 && photometric is Photometric.MINISWHITE or Photometric.MINISBLACK
                ? ReadBilevel(tiff, w, h, photometric == Photometric.MINISWHITE, pageSource)
                : ReadAny(tiff, w, h, pageSource);
            using var shown = Orient(stored, orientation);
            if (orientation is >= 5 and <= 8) (dpiX, dpiY) = (dpiY, dpiX);
            Cv2.ImEncode(".png", shown, out var png, PngFast);
            return new PageImage(pageSource, shown.Width, shown.Height, dpiX, dpiY, "image/png", png, "tiff");
        }
        catch (Exception e) when (IsLibraryFailure(e))
        {
            throw BadInputException.Unreadable(
                $"Page '{pageSource}' of the TIFF file is damaged and cannot be decoded ({e.GetType().Name}): scan or fax it again.", e);
        }
    }

    /// <summary>1-bit pages (fax G3/G4, uncompressed bilevel) to 8-bit grey, white 255. LibTiff undoes FillOrder=2.</summary>
    private static Mat ReadBilevel(Tiff tiff, int w, int h, bool minIsWhite, string pageSource)
    {
        int lineBytes = tiff.ScanlineSize();
        if (lineBytes < (w + 7) / 8) throw Damaged(pageSource);
        var line = new byte[lineBytes];
        var row = new byte[(w + 7) / 8 * 8];
        var mat = new Mat(h, w, MatType.CV_8UC1);
        // Each packed byte expands to 8 grey bytes, most significant bit first.
        var expand = new byte[256 * 8];
        for (int b = 0; b < 256; b++)
            for (int bit = 0; bit < 8; bit++)
                expand[b * 8 + bit] = ((b >> (7 - bit)) & 1) != 0 == minIsWhite ? (byte)0 : (byte)255;
        for (int y = 0; y < h; y++)
        {
            if (!tiff.ReadScanline(line, y))
            {
                mat.Dispose();
                throw Damaged(pageSource);
            }
            for (int i = 0, n = (w + 7) / 8; i < n; i++)
                Buffer.BlockCopy(expand, line[i] * 8, row, i * 8, 8);
            Marshal.Copy(row, 0, mat.Ptr(y), w);
        }
        return mat;
    }

    /// <summary>Any other layout (grey, palette, RGB, YCbCr, JPEG-in-TIFF…) through LibTiff's RGBA reader, in stored
    /// row order (the orientation tag is reset first so that <see cref="Orient"/> alone applies it).</summary>
    private static Mat ReadAny(Tiff tiff, int w, int h, string pageSource)
    {
        if (!tiff.RGBAImageOK(out _)) throw Damaged(pageSource);
        tiff.SetField(TiffTag.ORIENTATION, BitMiracle.LibTiff.Classic.Orientation.TOPLEFT);
        var raster = new int[checked(w * h)];
        if (!tiff.ReadRGBAImageOriented(w, h, raster, BitMiracle.LibTiff.Classic.Orientation.TOPLEFT, true))
            throw Damaged(pageSource);
        using var rgba = new Mat(h, w, MatType.CV_8UC4);
        Marshal.Copy(raster, 0, rgba.Data, raster.Length); // ABGR packed = R,G,B,A bytes on little-endian
        var bgr = new Mat();
        Cv2.CvtColor(rgba, bgr, ColorConversionCodes.RGBA2BGR);
        return bgr;
    }

    /// <summary>TIFF 6.0 Orientation (same values as EXIF): how the stored rows map to the visual page.</summary>
    private static Mat Orient(Mat stored, int orientation)
    {
        var result = new Mat();
        switch (orientation)
        {
            case 2: Cv2.Flip(stored, result, FlipMode.Y); break;
            case 3: Cv2.Rotate(stored, result, RotateFlags.Rotate180); break;
            case 4: Cv2.Flip(stored, result, FlipMode.X); break;
            case 5: Cv2.Transpose(stored, result); break;
            case 6: Cv2.Rotate(stored, result, RotateFlags.Rotate90Clockwise); break;
            case 7:
                using (var t = new Mat())
                {
                    Cv2.Transpose(stored, t);
                    Cv2.Rotate(t, result, RotateFlags.Rotate180);
                }
                break;
            case 8: Cv2.Rotate(stored, result, RotateFlags.Rotate90Counterclockwise); break;
            default: stored.CopyTo(result); break;
        }
        return result;
    }

    private static (double X, double Y) TiffResolution(Tiff tiff)
    {
        double x = tiff.GetField(TiffTag.XRESOLUTION) is { Length: > 0 } xr ? xr[0].ToDouble() : 0;
        double y = tiff.GetField(TiffTag.YRESOLUTION) is { Length: > 0 } yr ? yr[0].ToDouble() : 0;
        var unit = tiff.GetField(TiffTag.RESOLUTIONUNIT) is { Length: > 0 } u ? (ResUnit)u[0].ToInt() : ResUnit.INCH;
        double factor = unit switch { ResUnit.INCH => 1, ResUnit.CENTIMETER => 2.54, _ => 0 };
        static double Clean(double v) => double.IsFinite(v) && v > 0 && v < 100_000 ? Math.Round(v, 1) : 0;
        return (Clean(x * factor), Clean(y * factor));
    }

    // ---------------------------------------------------------------- JPEG / PNG

    private static IEnumerable<PageImage> SingleImage(string path, string source, FileKind kind, PageBudget budget)
    {
        var bytes = File.ReadAllBytes(path);
        var header = kind == FileKind.Png ? PngHeader(bytes) : JpegHeader(bytes);
        if (header is not var (w, h, dpiX, dpiY) || w <= 0 || h <= 0)
            throw BadInputException.Unreadable($"The image '{source}' is damaged: its size cannot be read. Send the photo or scan again.");
        // A side longer than any scan or photo (A4 at 1200 dpi is 14 000 px) is refused before any decoder sees it: libpng
        // errors out on a width or height over its 1 000 000 px user limit, and the decoder's error path then aborted the
        // whole process ("double free or corruption") — one crafted header must never take the worker down.
        if (w > MaxSidePx || h > MaxSidePx) throw TooLarge(source, w, h, budget);
        if ((long)w * h > budget.MaxPixelsPerPage)
        {
            // A phone's 108–200 MP photo is an ordinary upload, not an attack: libjpeg decodes it at half size by DCT
            // scaling (the full-size bitmap is never made), still ≥ 25 px/mm on a card filling a third of the frame.
            // Beyond four times the limit, or a PNG (no scaled decoding: the whole bitmap first), it stays refused.
            if (kind != FileKind.Jpeg || (long)w * h > 4 * budget.MaxPixelsPerPage) throw TooLarge(source, w, h, budget);
            using var half = Cv2.ImDecode(bytes, ImreadModes.ReducedGrayscale2);
            if (half.Empty())
                throw BadInputException.Unreadable($"The image '{source}' is damaged and cannot be decoded. Send the photo or scan again.");
            Cv2.ImEncode(".jpg", half, out var halved, new ImageEncodingParam(ImwriteFlags.JpegQuality, 92));
            yield return new PageImage(source, half.Width, half.Height, dpiX / 2, dpiY / 2, "image/jpeg", halved, "image");
            yield break;
        }
        // A reduced decode proves the data decodes without paying for the full-size bitmap (JPEG decodes at 1/8).
        using (var probe = Cv2.ImDecode(bytes, ImreadModes.ReducedGrayscale8))
        {
            if (probe.Empty())
                throw BadInputException.Unreadable($"The image '{source}' is damaged and cannot be decoded. Send the photo or scan again.");
        }
        yield return new PageImage(source, w, h, dpiX, dpiY, FileSniffer.MediaType(kind), bytes, "image");
    }

    private static (int W, int H)? PngSize(ReadOnlySpan<byte> b) =>
        b.Length >= 24 && b[12..16].SequenceEqual("IHDR"u8)
            ? ((int)BinaryPrimitives.ReadUInt32BigEndian(b[16..]), (int)BinaryPrimitives.ReadUInt32BigEndian(b[20..]))
            : null;

    /// <summary>Width, height from IHDR; DPI from pHYs (unit 1 = pixels per metre) when it precedes the image data.</summary>
    internal static (int W, int H, double DpiX, double DpiY)? PngHeader(ReadOnlySpan<byte> b)
    {
        if (PngSize(b) is not var (w, h)) return null;
        double dx = 0, dy = 0;
        int pos = 8;
        while (pos + 8 <= b.Length)
        {
            long len = BinaryPrimitives.ReadUInt32BigEndian(b[pos..]);
            var type = b.Slice(pos + 4, 4);
            if (type.SequenceEqual("IDAT"u8) || type.SequenceEqual("IEND"u8) || pos + 12 + len > b.Length) break;
            if (type.SequenceEqual("pHYs"u8) && len >= 9 && b[pos + 16] == 1)
            {
                dx = Math.Round(BinaryPrimitives.ReadUInt32BigEndian(b[(pos + 8)..]) * 0.0254, 1);
                dy = Math.Round(BinaryPrimitives.ReadUInt32BigEndian(b[(pos + 12)..]) * 0.0254, 1);
            }
            pos += 12 + (int)len;
        }
        return (w, h, dx, dy);
    }

    /// <summary>Width, height from the first SOFn marker (ITU T.81 B.2.2); DPI from the JFIF APP0 density.</summary>
    internal static (int W, int H, double DpiX, double DpiY)? JpegHeader(ReadOnlySpan<byte> b)
    {
        if (b.Length < 4 || b[0] != 0xFF || b[1] != 0xD8) return null;
        double dx = 0, dy = 0;
        int pos = 2;
        while (pos + 4 <= b.Length)
        {
            if (b[pos] != 0xFF) return null;
            byte marker = b[pos + 1];
            if (marker == 0xFF) { pos++; continue; }
            if (marker is 0xD8 or 0x01 or >= 0xD0 and <= 0xD7) { pos += 2; continue; }
            int len = BinaryPrimitives.ReadUInt16BigEndian(b[(pos + 2)..]);
            if (len < 2 || pos + 2 + len > b.Length) return null;
            var seg = b.Slice(pos + 4, len - 2);
            if (marker == 0xE0 && seg.Length >= 12 && seg[..5].SequenceEqual("JFIF\0"u8))
            {
                double f = seg[7] switch { 1 => 1, 2 => 2.54, _ => 0 };
                dx = BinaryPrimitives.ReadUInt16BigEndian(seg[8..]) * f;
                dy = BinaryPrimitives.ReadUInt16BigEndian(seg[10..]) * f;
            }
            if (marker is >= 0xC0 and <= 0xCF and not 0xC4 and not 0xC8 and not 0xCC && seg.Length >= 5)
                return (BinaryPrimitives.ReadUInt16BigEndian(seg[3..]), BinaryPrimitives.ReadUInt16BigEndian(seg[1..]), dx, dy);
            if (marker == 0xDA) return null;
            pos += 2 + len;
        }
        return null;
    }

    // ---------------------------------------------------------------- failures

    /// <summary>PdfPig and LibTiff.NET signal bad input with many exception types (IndexOutOfRange, InvalidOperation,
    /// ArgumentOutOfRange on fuzzed files, shared/testdata 05_pdf); inside their calls all of them are the input's fault.</summary>
    private static bool IsLibraryFailure(Exception e) => e is not (OperationCanceledException or BadInputException or OutOfMemoryException);

    private static T PdfCall<T>(Func<T> call, string source)
    {
        try { return call(); }
        catch (PdfDocumentEncryptedException e) { throw PasswordProtected(source, e); }
        catch (Exception e) when (IsLibraryFailure(e))
        {
            throw BadInputException.Unreadable($"The PDF '{source}' is damaged and cannot be read ({e.GetType().Name}): save or scan it again and send the new file.", e);
        }
    }

    private static T TiffCall<T>(Func<T> call, string source)
    {
        try { return call(); }
        catch (Exception e) when (IsLibraryFailure(e))
        {
            throw BadInputException.Unreadable($"The TIFF file '{source}' is damaged and cannot be read ({e.GetType().Name}): scan or fax it again.", e);
        }
    }

    private static BadInputException PasswordProtected(string source, Exception? inner) => BadInputException.Unreadable(
        $"The PDF '{source}' is password-protected: send the file without a password.", inner);

    /// <summary>The longest side an image page may have, in pixels.</summary>
    public const int MaxSidePx = 40_000;

    private static BadInputException TooLarge(string source, int w, int h, PageBudget budget) => BadInputException.Unreadable(
        $"The image '{source}' is {w}×{h} px, more than the {budget.MaxPixelsPerPage / 1_000_000} MP limit: send a scan at 300 dpi or less.");

    private static BadInputException Damaged(string pageSource) => BadInputException.Unreadable(
        $"Page '{pageSource}' of the TIFF file is damaged and cannot be decoded: scan or fax it again.");
}
