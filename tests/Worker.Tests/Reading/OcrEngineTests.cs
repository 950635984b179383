using OpenCvSharp;
using VerifyPipeline.Worker.Reading.Ocr;
using VerifyPipeline.Worker.Tests.Documents;
using Xunit.Abstractions;

namespace VerifyPipeline.Worker.Tests.Reading;

/// <summary>libtesseract through our own binding: known text read back, zone OCR, whitelist, the pool under two threads.</summary>
public sealed class OcrEngineTests(ITestOutputHelper output)
{
    private static readonly Lazy<OcrEnginePool> SharedPool = new(() => new OcrEnginePool("ita+eng", capacity: 2));

    /// <summary>A white 8-bit grey image of <paramref name="lines"/> in DejaVu Sans at <paramref name="pt"/> points, 300 dpi.</summary>
    internal static (byte[] Pixels, int W, int H) Render(IReadOnlyList<string> lines, float pt = 12, int width = 2480) =>
        VerifyPipeline.Cli.ReadingBench.RenderText(lines, pt, width);

    [Fact]
    public void ReadsARenderedLineOfKnownText()
    {
        var (pixels, w, h) = Render(["Il sottoscritto Mario Rossi, nato a Roma il 10/12/1985"]);
        var text = SharedPool.Value.Use(e => e.Read(pixels, w, h, w, 300, PageSegMode.SingleBlock));

        Assert.Equal("Il sottoscritto Mario Rossi, nato a Roma il 10/12/1985", text.Text.Trim());
        Assert.InRange(text.MeanConfidence, 80, 100);
    }

    [Fact]
    public void ReadsOnlyTheZone_AndHonoursTheWhitelist()
    {
        var (pixels, w, h) = Render(["Codice fiscale", "RSSMRA85T10H501Z", "Firma del richiedente"]);
        var px = 12 / 72f * 300f;
        var baseline = px * (1.6f * 1 + 1.8f); // second line, as Render places it
        using var lease = SharedPool.Value.Rent();
        var e = lease.Engine;
        e.SetImage(pixels, w, h, w, 300);
        try
        {
            // The whole width: libtesseract needs the one-column workaround in OcrEngine.Read for such a band.
            var rect = new PixelRect(0, (int)(baseline - 1.1f * px), w, (int)(1.5f * px));
            Assert.Equal("RSSMRA85T10H501Z", e.Read(rect, PageSegMode.SingleLine).Text.Trim());
            e.SetWhitelist("ABCDEFGHIJKLMNOPQRSTUVWXYZ");
            Assert.DoesNotContain(e.Read(rect, PageSegMode.SingleLine).Text, char.IsDigit);
            e.SetWhitelist("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789");
            var zone = e.Read(rect with { Width = 1200 }, PageSegMode.SingleLine);
            Assert.Equal("RSSMRA85T10H501Z", zone.Text.Trim());
        }
        finally
        {
            e.SetWhitelist(null);
        }
    }

    [Fact]
    public void ReadSymbols_GivesEachCharacterWithItsChoices_WhenALineIsRead()
    {
        var (pixels, w, h) = Render(["RSSMRA85T10H501Z"], width: 1400);
        using var lease = SharedPool.Value.Rent();
        var e = lease.Engine;
        e.SetImage(pixels, w, h, w, 300);
        var symbols = e.ReadSymbols(PageSegMode.SingleLine);

        Assert.Equal("RSSMRA85T10H501Z", string.Concat(symbols.Select(s => s.Text)));
        Assert.All(symbols, s => Assert.Contains(s.Choices, c => c.Text == s.Text));
        Assert.All(symbols, s => Assert.InRange(s.Confidence, 50, 100));
        // The choice mode is switched off again: a plain read afterwards is unchanged.
        Assert.Equal("RSSMRA85T10H501Z", e.Read(null, PageSegMode.SingleLine).Text.Trim());
    }

    /// <summary>
    /// Skia, then OpenCV, then a page-layout read: aborted the process ("libpng error: Invalid IHDR data") until
    /// libtesseract was loaded before OpenCV (OcrEnvironment); also the full-width band quirk, on a fresh engine.
    /// </summary>
    [Fact]
    public void SkiaThenOpenCvThenLayoutAnalysis_DoesNotCorruptLibpng()
    {
        var (pixels, w, h) = Render(["Codice fiscale", "RSSMRA85T10H501Z", "Firma del richiedente"]);
        using var img = Cv2.ImRead(TestFiles.Real("07_ocr_text_images/passporteye__tesseract-test2.png"), ImreadModes.Grayscale);
        using var e = new OcrEngine("ita+eng");
        e.SetImage(img.Data, img.Width, img.Height, (int)img.Step(), 300);
        Assert.StartsWith("This is a lot", e.Read().Text);
        e.SetImage(pixels, w, h, w, 300);
        Assert.Equal("RSSMRA85T10H501Z", e.Read(new PixelRect(0, 115, w, 75), PageSegMode.SingleLine).Text.Trim());
    }

    [Fact]
    public void ReadsTheReferenceTextImage()
    {
        using var img = Cv2.ImRead(TestFiles.Real("07_ocr_text_images/passporteye__tesseract-test2.png"), ImreadModes.Grayscale);
        var text = SharedPool.Value.Use(e =>
        {
            e.SetImage(img.Data, img.Width, img.Height, (int)img.Step(), 300);
            return e.Read();
        });

        // MANIFEST: starts 'This is a lot of 12 point text to test the\nocr code and see if', ends 'The quick\nbrown dog jumped over the lazy fox.'
        Assert.StartsWith("This is a lot of 12 point text to test the\nocr code and see if", text.Text);
        Assert.EndsWith("The quick\nbrown dog jumped over the lazy fox.", text.Text.TrimEnd());
    }

    [Fact]
    public void PoolOfTwo_ServesTwoThreadsConcurrently_WithTheSameResults()
    {
        var lines = new[] { "Patente di guida numero U1X234567Y", "Carta di identita numero 7264" };
        var images = lines.Select(l => Render([l])).ToArray();
        using var pool = new OcrEnginePool("eng", capacity: 2);
        var results = new string[2][];
        var threads = Enumerable.Range(0, 2).Select(t => new Thread(() =>
        {
            results[t] = new string[6];
            for (var i = 0; i < 6; i++)
            {
                var (px, w, h) = images[(t + i) % 2];
                results[t][i] = pool.Use(e => e.Read(px, w, h, w, 300, PageSegMode.SingleLine)).Text.Trim();
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());

        Assert.InRange(pool.Created, 1, 2);
        for (var t = 0; t < 2; t++)
            for (var i = 0; i < 6; i++)
                Assert.Equal(lines[(t + i) % 2], results[t][i]);
    }

    [Fact]
    public void Pool_DisposesEngines_AndRefusesAfterDispose()
    {
        var pool = new OcrEnginePool("eng", capacity: 1);
        var lease = pool.Rent();
        pool.Dispose();
        lease.Dispose(); // returned after the pool was disposed: the engine is disposed, no exception
        Assert.Throws<ObjectDisposedException>(() => pool.Rent());
    }

    [Fact]
    public void ThreadLimitIsInEffect()
    {
        _ = OcrEngine.Version;
        Assert.Equal("1", Environment.GetEnvironmentVariable("OMP_THREAD_LIMIT"));
        output.WriteLine($"tesseract {OcrEngine.Version}, libgomp loaded before the limit: {OcrEnvironment.GompLoadedBeforeLimit}");
    }
}
