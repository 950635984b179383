using OpenCvSharp;
using SkiaSharp;
using VerifyPipeline.Cases;
using VerifyPipeline.Corpus;
using VerifyPipeline.Worker.Reading.Form;

namespace VerifyPipeline.Worker.Tests.Reading;

/// <summary>The form recognised by its printed layout when its QR cannot be decoded, and nothing else taken for it.</summary>
public sealed class FormByLayoutTests
{
    private static Mat Page(string content, double pxPerMm, double blurMm, bool upsideDown = false)
    {
        var data = new RequestData("PIN-ABCDEFGH", "BNCGLI85M41F205Z", "Bianchi", "Giulia", new DateOnly(1985, 8, 1), "Milano (MI)",
            null, null, new DeclaredDocument("cie", "CA12345BB", "Comune di Milano", new DateOnly(2022, 3, 1), new DateOnly(2033, 3, 1)));
        var request = new ConversionRequest("0123456789abcdef0123456789abcdef", "test", new DateTimeOffset(2026, 11, 2, 10, 0, 0, TimeSpan.FromHours(1)), data);
        var form = new FormTruth(request, "Via Roma 1, 20100 Milano", "Milano, 03/11/2026", null);
        var art = new DocumentArt(new Dictionary<string, Person>(), "test-key-0000000000000000000000000000000");
        int w = (int)(210 * pxPerMm), h = (int)(297 * pxPerMm);
        using var bitmap = new SKBitmap(new SKImageInfo(w, h, SKColorType.Bgra8888, SKAlphaType.Premul));
        using (var canvas = new SKCanvas(bitmap))
        {
            canvas.Clear(SKColors.White);
            if (upsideDown) canvas.RotateDegrees(180, w / 2f, h / 2f);
            canvas.Scale((float)pxPerMm);
            art.Draw(canvas, new PageItem(content, 0, null), new PlannedDocument("form", form, null), 5);
        }
        using var bgra = Mat.FromPixelData(h, w, MatType.CV_8UC4, bitmap.GetPixels(), bitmap.RowBytes);
        var grey = new Mat();
        Cv2.CvtColor(bgra, grey, ColorConversionCodes.BGRA2GRAY);
        if (blurMm > 0) Cv2.GaussianBlur(grey, grey, new Size(0, 0), blurMm * pxPerMm);
        return grey;
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Score_IsAboveTheBar_WhenTheFormIsTooBlurredForItsQr(bool upsideDown)
    {
        using var page = Page("form", 6, 0.6, upsideDown);
        Assert.True(FormByLayout.Score(page, photo: false, bilevel: false) >= FormByLayout.MinScore);
    }

    [Fact]
    public void Score_IsBelowTheBar_WhenThePageIsABill()
    {
        using var page = Page("unrelated", 6, 0);
        Assert.True(FormByLayout.Score(page, photo: false, bilevel: false) < FormByLayout.MinScore);
    }

    [Fact]
    public void Score_IsBelowTheBar_WhenThePageIsBlank()
    {
        using var page = new Mat(1782, 1260, MatType.CV_8UC1, Scalar.All(255));
        Assert.True(FormByLayout.Score(page, photo: false, bilevel: false) < FormByLayout.MinScore);
    }
}
