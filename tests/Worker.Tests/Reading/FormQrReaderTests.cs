using VerifyPipeline.Worker.Tests.Documents;
using System.Text.Json;
using VerifyPipeline.Cases;
using VerifyPipeline.Cases.Forms;
using VerifyPipeline.Worker.Documents;
using VerifyPipeline.Worker.Reading.Form;

namespace VerifyPipeline.Worker.Tests.Reading;

/// <summary>The form's QR read back from the committed synthetic submissions (tests/TestData/submissions), each with
/// the request id its labels give: scan, photo bundle and fax at both resolutions.</summary>
public sealed class FormQrReaderTests
{
    private static string Submissions => TestFiles.Submissions;

    [Theory]
    [InlineData("pdf-scan-cie-ok.pdf", FileKind.Pdf)]
    [InlineData("fax-204x98-g3-passport-ok.tif", FileKind.Tiff)]
    [InlineData("fax-204x196-g4-cie-ok.tif", FileKind.Tiff)]
    public void Read_FindsTheVerifiedRequest_OnTheFormPage(string file, FileKind kind)
    {
        var label = JsonDocument.Parse(File.ReadAllText(Path.Combine(Submissions, file + ".expected.json"))).RootElement;
        var requestId = label.GetProperty("request").GetProperty("id").GetString();
        var key = label.TryGetProperty("hmac_key", out var k) ? k.GetString()! : FormQr.DevelopmentKey;
        var pages = PageExtractor.Extract(Path.Combine(Submissions, file), file, kind, new PageBudget(), CancellationToken.None).ToList();
        var reads = pages.Select((p, i) => FormQrReader.Read(p.Bytes, i + 1, p.DpiX, p.DpiY, key)).Where(r => r is not null).ToList();
        var read = Assert.Single(reads, r => r!.Verified);
        Assert.Equal(requestId, read!.Payload!.RequestId);
    }

    [Fact]
    public void Read_RefusesAForgedQr()
    {
        var request = new ConversionRequest("req-forged-1", "portal", DateTimeOffset.UnixEpoch, new RequestData("PIN-1", "RSSMRA80A01H501U", "Rossi", "Mario",
            new DateOnly(1980, 1, 1), "Roma", null, null, new DeclaredDocument("cie", "CA00000AA", null, null, new DateOnly(2031, 1, 1))));
        var png = FormRenderer.RenderPng(request, new FormRenderOptions("the-forger-s-own-key-0123456789"), 200);
        var read = FormQrReader.Read(png, 1, 200, 200, FormQr.DevelopmentKey);
        Assert.NotNull(read);
        Assert.False(read!.Verified);
        Assert.Equal("MacMismatch", read.Error);
    }
}
