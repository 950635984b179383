using System.Buffers.Binary;
using OpenCvSharp;
using UglyToad.PdfPig.Content;
using UglyToad.PdfPig.Core;
using UglyToad.PdfPig.Writer;
using VerifyPipeline.Cases;
using VerifyPipeline.Rules;
using VerifyPipeline.Worker.Documents;

namespace VerifyPipeline.Worker.Tests.Documents;

/// <summary>Not run in parallel with other tests: the streaming test reads the process-wide heap size.</summary>
[CollectionDefinition(nameof(PageExtractorTests), DisableParallelization = true)]
public sealed class PageExtractorCollection;

[Collection(nameof(PageExtractorTests))]
public sealed class PageExtractorTests : IDisposable
{
    private readonly TempDir _temp = new();

    public void Dispose() => _temp.Dispose();

    /// <summary>A scanned-looking A4 PDF: one full-page 200 dpi grey JPEG per page, partly noise so each is ~0.5 MB.</summary>
    internal static byte[] ScannedPdf(int pages)
    {
        var builder = new PdfDocumentBuilder();
        for (int i = 0; i < pages; i++)
        {
            using var mat = new Mat(2339, 1654, MatType.CV_8UC1, Scalar.White);
            Cv2.PutText(mat, $"Page {i + 1}", new Point(200, 300), HersheyFonts.HersheySimplex, 4, Scalar.Black, 8);
            using (var noise = new Mat(mat, new Rect(200, 600, 900, 900))) Cv2.Randu(noise, Scalar.All(0), Scalar.All(255));
            Cv2.ImEncode(".jpg", mat, out var jpeg, new ImageEncodingParam(ImwriteFlags.JpegQuality, 75));
            builder.AddPage(PageSize.A4).AddJpeg(jpeg, new PdfRectangle(0, 0, 595.27, 841.89));
        }
        return builder.Build();
    }

    [Fact]
    public void Extract_StreamsPages_WithMemoryBoundedOnA50PagePdf()
    {
        var pdf = _temp.File("fifty.pdf");
        File.WriteAllBytes(pdf, ScannedPdf(50));

        long baseline = 0, peak = 0, produced = 0;
        int count = 0;
        foreach (var page in PageExtractor.Extract(pdf, "fifty.pdf", FileKind.Pdf, new PageBudget(), default))
        {
            count++;
            Assert.Equal($"fifty.pdf#{count}", page.Source);
            Assert.Equal("pdf-image", page.Origin);
            if (count == 5) baseline = GC.GetTotalMemory(forceFullCollection: true);
            if (count > 5)
            {
                produced += page.Bytes.Length;
                if (count % 5 == 0) peak = Math.Max(peak, GC.GetTotalMemory(forceFullCollection: true));
            }
        }

        Assert.Equal(50, count);
        long growth = peak - baseline;
        // Holding the pages would grow the heap by `produced` (~20 MB); streaming keeps it flat.
        Assert.True(produced > 3 * 4_000_000, $"pages too small for the test to mean anything: {produced} bytes");
        Assert.True(growth < 4_000_000, $"heap grew {growth / 1e6:0.0} MB over 45 pages of {produced / 1e6:0.0} MB in all");
    }

    [Fact]
    public void Extract_TakesTheEmbeddedJpegAsIs_WithDpiFromItsPlacement()
    {
        var pdf = _temp.File("one.pdf");
        File.WriteAllBytes(pdf, ScannedPdf(1));

        var page = Assert.Single(PageExtractor.Extract(pdf, "b.zip/one.pdf", FileKind.Pdf, new PageBudget(), default));

        Assert.Equal(("b.zip/one.pdf#1", 1654, 2339, "image/jpeg", "pdf-image"), (page.Source, page.WidthPx, page.HeightPx, page.MediaType, page.Origin));
        Assert.Equal(200, page.DpiX, 0);
        Assert.Equal(200, page.DpiY, 0);
        Assert.Equal(0xD8, page.Bytes[1]);
    }

    [Fact]
    public void Extract_RendersTextPages_AtTwoHundredDpi()
    {
        var builder = new PdfDocumentBuilder();
        var font = builder.AddStandard14Font(UglyToad.PdfPig.Fonts.Standard14Fonts.Standard14Font.Helvetica);
        builder.AddPage(PageSize.A4).AddText("Modulo di richiesta", 14, new PdfPoint(72, 700), font);
        var pdf = _temp.File("text.pdf");
        File.WriteAllBytes(pdf, builder.Build());

        var page = Assert.Single(PageExtractor.Extract(pdf, "text.pdf", FileKind.Pdf, new PageBudget(), default));

        Assert.Equal(("pdf-render", "image/png", 200.0), (page.Origin, page.MediaType, page.DpiX));
        Assert.InRange(page.WidthPx, 1650, 1656);
        Assert.InRange(page.HeightPx, 2336, 2342);
        using var decoded = Cv2.ImDecode(page.Bytes, ImreadModes.Unchanged);
        Assert.Equal((page.WidthPx, page.HeightPx, 1), (decoded.Width, decoded.Height, decoded.Channels()));
    }

    [Fact]
    public void Extract_Rejects_WhenThePdfHasMorePagesThanAllowed()
    {
        var pdf = _temp.File("three.pdf");
        File.WriteAllBytes(pdf, ScannedPdf(3));

        var e = Assert.Throws<BadInputException>(() =>
            PageExtractor.Extract(pdf, "three.pdf", FileKind.Pdf, new PageBudget { MaxPages = 2 }, default).ToList());

        Assert.Contains("3 pages, more than the 2-page limit", e.Message);
    }

    /// <summary>A PNG whose header claims a side longer than libpng's 1 000 000 px limit (2 MP in all, under the pixel
    /// budget): decoding it aborted the process; it is refused from its header, and the process lives on.</summary>
    [Fact]
    public void Extract_RefusesFromItsHeader_APngWithASideLongerThanAnyScan()
    {
        using var real = new Mat(4, 4, MatType.CV_8UC1, Scalar.White);
        Cv2.ImEncode(".png", real, out var png);
        BinaryPrimitives.WriteUInt32BigEndian(png.AsSpan(16), 2_000_000); // IHDR width (the CRC no longer matches either)
        BinaryPrimitives.WriteUInt32BigEndian(png.AsSpan(20), 1);
        var path = Path.Combine(_temp.Path, "wide.png");
        File.WriteAllBytes(path, png);

        var e = Assert.Throws<BadInputException>(() => PageExtractor.Extract(path, "wide.png", FileKind.Png, new PageBudget(), default).ToList());

        Assert.Equal(ReasonCodes.UnreadableFile, e.ReasonCode);
        Assert.Contains("2000000", e.Message);
    }

    [Fact]
    public void Extract_RejectsAsPasswordProtected_WhenThePdfNeedsAUserPassword()
    {
        var path = TestFiles.Real("05_pdf/encrypted/qpdf__enc-R3_V2_U-view_O-master.pdf");

        var e = Assert.Throws<BadInputException>(() => PageExtractor.Extract(path, "x.pdf", FileKind.Pdf, new PageBudget(), default).ToList());

        Assert.Equal(ReasonCodes.UnreadableFile, e.ReasonCode);
        Assert.Contains("password-protected", e.Message);
    }

    [Fact]
    public void Extract_KeepsFaxResolution_204By98()
    {
        var path = TestFiles.Real("02_fax_tiff/commonsimaging__1pagefax.tif");

        var page = Assert.Single(PageExtractor.Extract(path, "fax.tif", FileKind.Tiff, new PageBudget(), default));

        Assert.Equal(("fax.tif#1", 1728, 1146, 204.0, 98.0, "tiff"), (page.Source, page.WidthPx, page.HeightPx, page.DpiX, page.DpiY, page.Origin));
        using var grey = Cv2.ImDecode(page.Bytes, ImreadModes.Unchanged);
        Assert.Equal(1, grey.Channels());
    }

    [Fact]
    public void Extract_ReadsEveryPageOfAMultiPageG4Tiff()
    {
        var path = TestFiles.Real("02_fax_tiff/pillow__g4-multi.tiff");

        var pages = PageExtractor.Extract(path, "m.tiff", FileKind.Tiff, new PageBudget(), default).ToList();

        Assert.Equal(["m.tiff#1", "m.tiff#2", "m.tiff#3"], pages.Select(p => p.Source));
        Assert.All(pages, p => Assert.Equal((3307, 4677, 400.0), (p.WidthPx, p.HeightPx, p.DpiX)));
    }

    [Fact]
    public void Extract_UndoesFillOrder2_MatchingThePillowReference()
    {
        var page = Assert.Single(PageExtractor.Extract(TestFiles.Real("02_fax_tiff/pillow__g4-fillorder-test.tif"), "f.tif", FileKind.Tiff, new PageBudget(), default));
        using var ours = Cv2.ImDecode(page.Bytes, ImreadModes.Grayscale);
        using var reference = Cv2.ImRead(TestFiles.Real("02_fax_tiff/pillow__g4-fillorder-test.png"), ImreadModes.Grayscale);

        Assert.Equal(0, Cv2.Norm(ours, reference, NormTypes.L1));
    }

    [Theory]
    [InlineData("pillow__g4_orientation_3.tif")]
    [InlineData("pillow__g4_orientation_6.tif")]
    [InlineData("pillow__g4_orientation_8.tif")]
    public void Extract_AppliesTheOrientationTag_MatchingTheUprightPage(string file)
    {
        using var upright = Decode("02_fax_tiff/pillow__g4_orientation_1.tif");
        using var turned = Decode("02_fax_tiff/" + file);

        Assert.Equal(upright.Size(), turned.Size());
        using var diff = new Mat();
        Cv2.Absdiff(upright, turned, diff);
        Assert.True(Cv2.Mean(diff).Val0 < 255 * 0.05, $"mean difference {Cv2.Mean(diff).Val0:0.0}");
    }

    [Fact]
    public void Extract_DecodesAllFiveCcittVariantsToTheSamePixels()
    {
        var names = new[] { "T_4_1D_fill", "T_4_1D_no_fill", "T_4_2D_fill", "T_4_2D_no_fill", "T_6" };
        using var first = Decode($"02_fax_tiff/commonsimaging__DSC_0307_small_CCITT_{names[0]}.tiff");
        foreach (var name in names[1..])
        {
            using var other = Decode($"02_fax_tiff/commonsimaging__DSC_0307_small_CCITT_{name}.tiff");
            Assert.Equal(0, Cv2.Norm(first, other, NormTypes.L1));
        }
    }

    [Fact]
    public void Extract_RendersAnOversizedPageWithinTheBudget_InsteadOfRefusingTheWholePdf()
    {
        // Issue 11: a 9000×9000 px scan (81 MP, over the 80 MP budget) on page 2 of six refused the whole file.
        var builder = new PdfDocumentBuilder();
        for (int i = 1; i <= 6; i++)
        {
            var side = i == 2 ? 9000 : 1200;
            using var mat = new Mat(side, side, MatType.CV_8UC1, Scalar.White);
            Cv2.PutText(mat, $"Pagina {i}", new Point(side / 10, side / 2), HersheyFonts.HersheySimplex, side / 300.0, Scalar.Black, side / 100);
            Cv2.ImEncode(".jpg", mat, out var jpeg, new ImageEncodingParam(ImwriteFlags.JpegQuality, 75));
            builder.AddPage(595, 595).AddJpeg(jpeg, new PdfRectangle(0, 0, 595, 595));
        }
        var pdf = _temp.File("six.pdf");
        File.WriteAllBytes(pdf, builder.Build());
        var budget = new PageBudget();

        var pages = PageExtractor.Extract(pdf, "six.pdf", FileKind.Pdf, budget, default).ToList();

        Assert.Equal(6, pages.Count);
        var big = pages[1];
        Assert.Equal(("six.pdf#2", "pdf-render"), (big.Source, big.Origin));
        Assert.True((long)big.WidthPx * big.HeightPx <= budget.MaxPixelsPerPage, $"{big.WidthPx}×{big.HeightPx}");
        Assert.InRange(big.WidthPx, 1650, 1656); // 595 pt at 200 dpi
        Assert.Contains("downscaled", big.Note);
        Assert.Contains("9000×9000 px", big.Note);
        using (var decoded = Cv2.ImDecode(big.Bytes, ImreadModes.Grayscale))
            Assert.True(Cv2.Mean(decoded).Val0 < 254, "the page's text survived the downscaling");
        Assert.All(pages.Where(p => p != big), p => Assert.Equal(("pdf-image", (string?)null, 1200), (p.Origin, p.Note, p.WidthPx)));
    }

    [Fact]
    public void Extract_Refuses_WhenAPdfPageImageIsOverFourTimesThePixelBudget()
    {
        var builder = new PdfDocumentBuilder();
        using var mat = new Mat(1200, 1200, MatType.CV_8UC1, Scalar.White);
        Cv2.ImEncode(".jpg", mat, out var jpeg);
        builder.AddPage(595, 595).AddJpeg(jpeg, new PdfRectangle(0, 0, 595, 595));
        var pdf = _temp.File("absurd.pdf");
        File.WriteAllBytes(pdf, builder.Build());

        var e = Assert.Throws<BadInputException>(() =>
            PageExtractor.Extract(pdf, "absurd.pdf", FileKind.Pdf, new PageBudget { MaxPixelsPerPage = 300_000 }, default).ToList());

        Assert.Contains("1200×1200 px, more than the 0 MP limit", e.Message);
    }

    [Fact]
    public void Extract_RejectsBeforeDecoding_WhenAnImageHeaderClaims40000x40000()
    {
        var png = _temp.File("huge.png");
        var bytes = Convert.FromBase64String("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAAAAAA6fptVAAAACklEQVR4nGP4DwABAQEAWk1v8QAAAABJRU5ErkJggg==");
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(16), 40000);
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(20), 40000);
        File.WriteAllBytes(png, bytes);

        var e = Assert.Throws<BadInputException>(() => PageExtractor.Extract(png, "huge.png", FileKind.Png, new PageBudget(), default).ToList());

        Assert.Contains("40000×40000 px, more than the 80 MP limit", e.Message);
    }

    [Fact]
    public void Extract_DecodesAtHalfSize_WhenAJpegIsOverThePixelLimitButWithinFourTimesIt()
    {
        using var mat = new Mat(1200, 1600, MatType.CV_8UC1, Scalar.White);
        Cv2.PutText(mat, "CARTA", new Point(100, 600), HersheyFonts.HersheySimplex, 8, Scalar.Black, 20);
        Cv2.ImEncode(".jpg", mat, out var jpeg);
        jpeg[13] = 1;
        BinaryPrimitives.WriteUInt16BigEndian(jpeg.AsSpan(14), 600);
        BinaryPrimitives.WriteUInt16BigEndian(jpeg.AsSpan(16), 600);
        var path = _temp.File("phone-108mp.jpg");
        File.WriteAllBytes(path, jpeg);
        var budget = new PageBudget { MaxPixelsPerPage = 1_000_000 }; // 1.92 MP image: like 108 MP against 80

        var page = Assert.Single(PageExtractor.Extract(path, "phone-108mp.jpg", FileKind.Jpeg, budget, default));

        Assert.Equal((800, 600, 300.0, 300.0, "image/jpeg"), (page.WidthPx, page.HeightPx, page.DpiX, page.DpiY, page.MediaType));
        using var decoded = Cv2.ImDecode(page.Bytes, ImreadModes.Grayscale);
        Assert.Equal((800, 600), (decoded.Width, decoded.Height));
        Assert.True(Cv2.Mean(decoded).Val0 < 250, "the text survived the halving");
    }

    [Fact]
    public void Extract_Rejects_WhenAJpegIsOverFourTimesThePixelLimit()
    {
        using var mat = new Mat(1200, 1600, MatType.CV_8UC1, Scalar.Gray);
        Cv2.ImEncode(".jpg", mat, out var jpeg);
        var path = _temp.File("huge.jpg");
        File.WriteAllBytes(path, jpeg);

        var e = Assert.Throws<BadInputException>(() => PageExtractor.Extract(path, "huge.jpg", FileKind.Jpeg, new PageBudget { MaxPixelsPerPage = 400_000 }, default).ToList());

        Assert.Contains("1600×1200 px", e.Message);
    }

    [Fact]
    public void Extract_KeepsJpegBytesAsIs_WithDpiFromJfif()
    {
        using var mat = new Mat(300, 200, MatType.CV_8UC1, Scalar.Gray);
        Cv2.ImEncode(".jpg", mat, out var jpeg);
        jpeg[13] = 1; // JFIF density unit: dots per inch
        BinaryPrimitives.WriteUInt16BigEndian(jpeg.AsSpan(14), 300);
        BinaryPrimitives.WriteUInt16BigEndian(jpeg.AsSpan(16), 150);
        var path = _temp.File("photo.jpg");
        File.WriteAllBytes(path, jpeg);

        var page = Assert.Single(PageExtractor.Extract(path, "photo.jpg", FileKind.Jpeg, new PageBudget(), default));

        Assert.Equal(("photo.jpg", 200, 300, 300.0, 150.0, "image/jpeg", "image"), (page.Source, page.WidthPx, page.HeightPx, page.DpiX, page.DpiY, page.MediaType, page.Origin));
        Assert.Equal(jpeg, page.Bytes);
    }

    [Fact]
    public void Extract_Rejects_WhenAJpegIsTruncated()
    {
        using var mat = new Mat(300, 200, MatType.CV_8UC1, Scalar.Gray);
        Cv2.ImEncode(".jpg", mat, out var jpeg);
        var path = _temp.File("cut.jpg");
        File.WriteAllBytes(path, jpeg[..200]);

        var e = Assert.Throws<BadInputException>(() => PageExtractor.Extract(path, "cut.jpg", FileKind.Jpeg, new PageBudget(), default).ToList());

        Assert.Equal(ReasonCodes.UnreadableFile, e.ReasonCode);
    }

    private static Mat Decode(string relative)
    {
        var page = Assert.Single(PageExtractor.Extract(TestFiles.Real(relative), relative, FileKind.Tiff, new PageBudget(), default));
        return Cv2.ImDecode(page.Bytes, ImreadModes.Grayscale);
    }
}
