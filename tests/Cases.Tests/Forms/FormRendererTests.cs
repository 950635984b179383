using System.Text;
using SkiaSharp;
using VerifyPipeline.Cases.Forms;

namespace VerifyPipeline.Cases.Tests.Forms;

public class FormRendererTests
{
    private static readonly ConversionRequest Request = FormSamples.DAmico();
    private static readonly string Expected = FormQr.Encode(Request.Id, Request.Data.CodiceFiscale, "1", FormSamples.Key);

    [Fact]
    public void RenderPdf_IsAOnePageA4Pdf()
    {
        var pdf = FormRenderer.RenderPdf(Request, FormSamples.Options);
        Assert.Equal("%PDF-", Encoding.ASCII.GetString(pdf, 0, 5));

        var dir = ExternalTool.TempDir();
        try
        {
            var path = Path.Combine(dir, "form.pdf");
            File.WriteAllBytes(path, pdf);
            var info = ExternalTool.Run("pdfinfo", "poppler-utils", path);
            Assert.Equal(0, info.ExitCode);
            Assert.Matches(@"Pages:\s+1\n", info.Stdout);
            Assert.Matches(@"Page size:\s+595(\.\d+)? x 84[12](\.\d+)? pts \(A4\)", info.Stdout); // 595.28 × 841.89 pt
            Assert.Contains("Richiesta di conversione del PIN online in PIN dispositivo", info.Stdout); // the title metadata

            // The text layer carries the declared values verbatim (fonts embedded, accents and apostrophe intact).
            var text = ExternalTool.Run("pdftotext", "poppler-utils", "-layout", path, "-").Stdout;
            foreach (var value in new[] { "D'Àmico", "Maria Lucía", "DMCMLC85L54H501A", "14/07/1985", "CA12345XY", "14/07/2031", "Firma del richiedente", "Luogo e data", "800 803 164" })
                Assert.Contains(value, text);
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    [Fact]
    public void RenderPdf_QrDecodesWithZbar_ToTheDocumentedPayload()
    {
        var dir = ExternalTool.TempDir();
        try
        {
            var pdf = Path.Combine(dir, "form.pdf");
            File.WriteAllBytes(pdf, FormRenderer.RenderPdf(Request, FormSamples.Options));
            var r = ExternalTool.Run("pdftoppm", "poppler-utils", "-r", "200", "-png", "-singlefile", pdf, Path.Combine(dir, "page"));
            Assert.Equal(0, r.ExitCode);
            var decoded = ExternalTool.DecodeQr(Path.Combine(dir, "page.png"));
            Assert.Equal([Expected], decoded);
            Assert.True(FormQr.TryVerify(decoded[0], FormSamples.Key, out var parsed, out _));
            Assert.Equal(Request.Id, parsed.RequestId);
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    [Fact]
    public void RenderPng_QrDecodesWithZbar_At200Dpi()
    {
        var png = FormRenderer.RenderPng(Request, FormSamples.Options, 200);
        using var bitmap = SKBitmap.Decode(png);
        Assert.Equal(FormLayout.PageSizePixels(200), (bitmap.Width, bitmap.Height));
        Assert.Equal([Expected], DecodeQr(bitmap));
    }

    /// <summary>A fax at standard resolution: scanned at 204 × 98 dpi, bilevel, then resampled to square pixels
    /// (204 × 196, line doubling) as the pipeline's normalisation does.</summary>
    [Fact]
    public void RenderPng_QrDecodesWithZbar_AfterAStandardResolutionFax()
    {
        using var fax = Fax(FormRenderer.RenderPng(Request, FormSamples.Options, 300), 204, 98);
        using var square = fax.Resize(new SKImageInfo(fax.Width, fax.Height * 2, SKColorType.Rgba8888, SKAlphaType.Premul),
            new SKSamplingOptions(SKFilterMode.Nearest));
        Assert.Equal([Expected], DecodeQr(square));
    }

    [Fact]
    public void RenderPng_QrDecodesWithZbar_AfterAFineResolutionFax()
    {
        using var fax = Fax(FormRenderer.RenderPng(Request, FormSamples.Options, 300), 204, 196);
        Assert.Equal([Expected], DecodeQr(fax));
    }

    [Fact]
    public void CodiceFiscale_IsReadByTesseract_AfterAStandardResolutionFax()
    {
        using var fax = Fax(FormRenderer.RenderPng(Request, FormSamples.Options, 300), 204, 98);
        using var square = fax.Resize(new SKImageInfo(fax.Width, fax.Height * 2, SKColorType.Rgba8888, SKAlphaType.Premul),
            new SKSamplingOptions(SKFilterMode.Linear));
        var zone = FormLayout.Zone(FormZones.CodiceFiscale).ToPixels(204, 196);
        using var crop = new SKBitmap();
        Assert.True(square.ExtractSubset(crop, new SKRectI(zone.X + 3, zone.Y + 3, zone.Right - 3, zone.Bottom - 3)));
        var dir = ExternalTool.TempDir();
        try
        {
            var path = Path.Combine(dir, "cf.png");
            using (var data = crop.Encode(SKEncodedImageFormat.Png, 100)) File.WriteAllBytes(path, data.ToArray());
            var r = ExternalTool.Run("tesseract", "tesseract-ocr", path, "stdout", "--psm", "7", "-l", "eng", "--dpi", "204");
            Assert.Equal("DMCMLC85L54H501A", r.Stdout.Trim());
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    [Fact]
    public void Values_WithApostrophesAndAccents_HaveEveryGlyphInTheFormFonts()
    {
        var fonts = FormFonts.Default;
        foreach (var (zone, value) in FormRenderer.PrintedValues(Request))
        {
            using var sans = new SKFont(fonts.Sans);
            using var mono = new SKFont(fonts.Mono);
            Assert.True(sans.ContainsGlyphs(value) || mono.ContainsGlyphs(value), $"{zone}: {value}");
        }
        using var bold = new SKFont(fonts.SansBold);
        Assert.True(bold.ContainsGlyphs("D'Àmico Lucía «Firma» 1–2 ÈÉÌÒÙ àèéìòù"));
    }

    [Fact]
    public void PrintedValues_AreNfcNormalised_WhenTheRequestHasDecomposedAccents()
    {
        var decomposed = FormSamples.DAmico(givenNames: "Maria Luci\u0301a", surname: "D'A\u0300mico");
        var values = FormRenderer.PrintedValues(decomposed);
        Assert.Equal("Maria Lucía", values[FormZones.GivenNames]);
        Assert.Equal("D'Àmico", values[FormZones.Surname]);
        Assert.Equal(FormRenderer.RenderPdf(Request, FormSamples.Options).Length, FormRenderer.RenderPdf(decomposed, FormSamples.Options).Length);
    }

    [Fact]
    public void RenderPdf_Throws_WhenAValueHasCharactersTheFontsCannotPrint()
    {
        var e = Assert.Throws<ArgumentException>(() => FormRenderer.RenderPdf(FormSamples.DAmico(givenNames: "李 Maria"), FormSamples.Options));
        Assert.Contains(FormZones.GivenNames, e.Message);
    }

    [Fact]
    public void RenderPdf_DoesNotPrintTheValue_WhenItsCharactersCannotBePrinted()
    {
        var e = Assert.Throws<ArgumentException>(() => FormRenderer.RenderPdf(FormSamples.DAmico(surname: "山田"), FormSamples.Options));
        Assert.DoesNotContain("山田", e.Message); // exception messages are logged; names are not
    }

    /// <summary>Issue 11: the value was shortened one character per measurement, quadratic in its length (a 40 000-character
    /// surname took 10.8 s, one of 1 MB more than 120 s). Now a binary search: this takes milliseconds.</summary>
    [Fact]
    public void RenderPdf_TakesUnderASecond_WhenAValueIsFarTooLongForItsBox()
    {
        var huge = FormSamples.DAmico(surname: string.Concat(Enumerable.Repeat("Bevilacqua ", 4000)));
        FormRenderer.RenderPdf(Request, FormSamples.Options); // fonts loaded, code jitted
        var watch = System.Diagnostics.Stopwatch.StartNew();
        FormRenderer.RenderPdf(huge, FormSamples.Options);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(1), $"{watch.Elapsed.TotalMilliseconds:0} ms");
        Assert.Throws<OperationCanceledException>(() => FormRenderer.RenderPdf(huge, FormSamples.Options, new CancellationToken(canceled: true)));
    }

    /// <summary><see cref="FormRenderer.MaxChars"/> assumes no character the API admits into a value is narrower than
    /// <see cref="FormRenderer.NarrowestAdvanceEm"/> in any face a value may be printed in; else a value the API refuses could have fit.</summary>
    [Fact]
    public void NarrowestAdvanceEm_IsAtMostTheNarrowestAdmittedCharacter_InEveryValueFace()
    {
        var admitted = Enumerable.Range(0x20, 0x5F).Concat(Enumerable.Range(0xC0, 0x40)).Concat(Enumerable.Range(0x100, 0x80)).Append(0x2019)
            .Select(c => ((char)c).ToString()).ToList();
        var fonts = FormFonts.Default;
        foreach (var face in new[] { fonts.Sans, fonts.Mono, fonts.Narrow })
        {
            using var font = new SKFont(face, 100);
            foreach (var c in admitted)
                Assert.True(font.MeasureText(c) / 100 >= FormRenderer.NarrowestAdvanceEm, $"{face.FamilyName} '{c}': {font.MeasureText(c) / 100:0.000} em");
        }
    }

    [Fact]
    public void RenderPng_Renders_WhenValuesAreTooLongForTheirBoxes()
    {
        var longOnes = FormSamples.DAmico(
            surname: "De Sanctis Bevilacqua Della Rovere Montefeltro Di Sant'Agata",
            email: "un.indirizzo.di.posta.elettronica.molto.lungo.davvero@dominio-di-esempio-molto-lungo.example.it");
        using var bitmap = SKBitmap.Decode(FormRenderer.RenderPng(longOnes, FormSamples.Options, 100));
        Assert.Equal(FormLayout.PageSizePixels(100), (bitmap.Width, bitmap.Height));
    }

    [Fact]
    public void Render_IsDeterministic_ForTheSameRequestAndOptions()
    {
        Assert.Equal(FormRenderer.RenderPng(Request, FormSamples.Options, 100), FormRenderer.RenderPng(Request, FormSamples.Options, 100));
    }

    [Fact]
    public void Fiducials_AreBlackWhereTheLayoutSaysAndTheQuietZoneIsWhite()
    {
        const int dpi = 100;
        using var page = SKBitmap.Decode(FormRenderer.RenderPng(Request, FormSamples.Options, dpi));
        foreach (var f in FormLayout.Fiducials)
        {
            var px = f.Rect.ToPixels(dpi);
            var cx = (int)FormLayout.MmToPixels(f.Rect.CentreX, dpi);
            var cy = (int)FormLayout.MmToPixels(f.Rect.CentreY, dpi);
            Assert.True(page.GetPixel(cx, cy).Red < 64, $"{f.Name} core");
            Assert.True(page.GetPixel(px.X + 3, px.Y + 3).Red < 64, $"{f.Name} ring");
            Assert.True(page.GetPixel(px.X - 4, px.Y - 4).Red > 192, $"{f.Name} outside");
        }
        var qr = FormLayout.Qr.Rect.ToPixels(dpi);
        for (var x = qr.X + 1; x < qr.Right - 1; x++)
            Assert.True(page.GetPixel(x, qr.Y + 2).Red > 192, "QR quiet zone (top edge)");
    }

    // ---------- helpers ----------

    /// <summary>Resamples a page to a fax's resolution (area average) and thresholds it to black and white.</summary>
    private static SKBitmap Fax(byte[] png, int dpiX, int dpiY)
    {
        using var source = SKBitmap.Decode(png);
        var (w, h) = FormLayout.PageSizePixels(dpiX, dpiY);
        var fax = source.Resize(new SKImageInfo(w, h, SKColorType.Rgba8888, SKAlphaType.Premul),
            new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.Linear));
        var pixels = fax.GetPixelSpan();
        for (var i = 0; i < pixels.Length; i += 4)
        {
            var v = (byte)(pixels[i] < 128 ? 0 : 255);
            pixels[i] = pixels[i + 1] = pixels[i + 2] = v;
            pixels[i + 3] = 255;
        }
        return fax;
    }

    private static IReadOnlyList<string> DecodeQr(SKBitmap bitmap)
    {
        var dir = ExternalTool.TempDir();
        try
        {
            var path = Path.Combine(dir, "page.png");
            using (var data = bitmap.Encode(SKEncodedImageFormat.Png, 100)) File.WriteAllBytes(path, data.ToArray());
            return ExternalTool.DecodeQr(path);
        }
        finally { Directory.Delete(dir, recursive: true); }
    }
}
