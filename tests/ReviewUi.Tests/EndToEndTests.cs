using System.Net.Http.Json;
using System.Text.Json;
using VerifyPipeline.Cases;
using VerifyPipeline.Cases.Forms;
using VerifyPipeline.Cases.Tests.Storage;
using VerifyPipeline.Corpus;

namespace VerifyPipeline.ReviewUi.Tests;

/// <summary>
/// Through the running system, nothing faked: a real Kestrel host, its background jobs, the reading stage and the rules.
/// A complete scanned request is approved by the machine (PIN now dispositivo, the approval mailed through MailDev); a
/// faxed expired CIE dropped in the gateway's folder is matched by its QR and rejected with ID_EXPIRED (PostgreSQL,
/// Azurite); a borderline signature goes to a reviewer.
/// </summary>
public sealed class EndToEndTests : IDisposable
{
    private readonly TempDir _tmp = new();
    public void Dispose() => _tmp.Dispose();

    private static string Submissions => Path.Combine(Samples.RepoRoot(), "tests", "TestData", "submissions");

    private static async Task<(string RequestId, RequestData Data)> SeedAsync(TestHost host, string sample)
    {
        var label = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(Submissions, sample + ".expected.json"))).RootElement.GetProperty("request");
        var data = JsonSerializer.Deserialize<RequestData>(label.GetRawText(), new JsonSerializerOptions(JsonSerializerDefaults.Web) { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower })!;
        var id = label.GetProperty("id").GetString()!;
        await host.Store.CreateRequestAsync(new ConversionRequest(id, "portal", DateTimeOffset.UtcNow, data));
        await host.Store.UpsertPinAsync(new Pin(data.PinReference, data.CodiceFiscale, PinType.Online, false, DateTimeOffset.UtcNow));
        return (id, data);
    }

    [Fact]
    public async Task CompleteScannedRequest_IsApproved_PinBecomesDispositivo_AndTheCitizenIsMailed()
    {
        var smtp = Environment.GetEnvironmentVariable("VP_TEST_SMTP") ?? throw new InvalidOperationException("VP_TEST_SMTP is not set: run ./test.sh");
        await using var host = new TestHost("embedded", _tmp.Path, new()
        {
            ["Forms:HmacKey"] = FormQr.DevelopmentKey, // the committed samples carry the development key's QR
            ["Outbox:Mode"] = "Smtp", ["Outbox:SmtpHost"] = smtp.Split(':')[0], ["Outbox:SmtpPort"] = smtp.Split(':')[1],
        });
        var (requestId, data) = await SeedAsync(host, "pdf-scan-cie-ok.pdf");
        var upload = await TestHost.UploadAsync(host.Portal(), requestId, await File.ReadAllBytesAsync(Path.Combine(Submissions, "pdf-scan-cie-ok.pdf")), "richiesta.pdf");
        var caseId = (await upload.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("case_id").GetString()!;

        var c = await host.WaitForStateAsync(caseId, TimeSpan.FromSeconds(120), CaseState.Approved, CaseState.Rejected, CaseState.InReview, CaseState.NeedsAttention);
        Assert.True(c.State == CaseState.Approved, $"{c.State}: {c.Report}");
        var report = JsonDocument.Parse(c.Report!).RootElement;
        Assert.All(report.GetProperty("rules").EnumerateArray(), r => Assert.Equal("pass", r.GetProperty("verdict").GetString()));
        Assert.Contains(report.GetProperty("documents").EnumerateArray(), d => d.GetProperty("kind").GetString() == "cie" && d.GetProperty("mrz").GetProperty("valid").GetBoolean());
        var pin = await host.Store.GetPinAsync(data.PinReference);
        Assert.Equal((PinType.Dispositivo, data.PinReference), (pin!.Type, pin.PinReference)); // same characters, new type

        var mail = await OutboxSmtpTests.MailFor(caseId);
        Assert.NotNull(mail);
        Assert.Equal(data.Email, mail!.Value.GetProperty("envelope").GetProperty("to")[0].GetProperty("address").GetString());
        Assert.Contains("dispositivo", mail.Value.GetProperty("subject").GetString(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task FaxOfAnExpiredCard_DroppedInTheGatewayFolder_IsMatchedByQr_AndRejectedWithIdExpired()
    {
        const string key = "test-form-key-0123456789abcdef"; // TestHost's form key: the corpus signs the form's QR with it
        var options = new CorpusOptions(1, 3, CorpusProfile.Fax, CorpusOptions.DefaultAsOf, key);
        var plan = Enumerable.Range(0, 3000).Select(i => CorpusPlanner.Plan(options, i))
            .First(p => p.Defects.SequenceEqual([Defects.IdExpired]) && p.FileName.Contains("fax-204x196") && p.FileName.Contains("-cie-"));
        Assert.Equal("reject", plan.Expected.Decision);
        Assert.Equal(["ID_EXPIRED"], plan.Expected.Reasons);
        var bytes = CorpusGenerator.Render(plan, options);

        await using var host = new TestHost("scaled", _tmp.Path);
        _ = host.Services;
        await host.Store.CreateRequestAsync(plan.Request with { Client = "portal" });
        await host.Store.UpsertPinAsync(new Pin(plan.Request.Data.PinReference, plan.Request.Data.CodiceFiscale, PinType.Online, false, DateTimeOffset.UtcNow));
        var inbox = Path.Combine(_tmp.Path, "fax-inbox");
        Directory.CreateDirectory(inbox);
        await File.WriteAllBytesAsync(Path.Combine(inbox, "fax-expired.tif"), bytes);

        Case? c = null;
        for (var i = 0; i < 600 && c is null; i++)
        {
            c = (await host.Store.ListCasesAsync("fax-gateway", Channel.Fax, null, 10)).FirstOrDefault();
            if (c is null) await Task.Delay(100);
        }
        Assert.NotNull(c);
        c = await host.WaitForStateAsync(c!.Id, TimeSpan.FromSeconds(120), CaseState.Rejected, CaseState.InReview, CaseState.NeedsAttention);
        Assert.True(c.State == CaseState.Rejected, $"{c.State}: {c.Report}");
        Assert.Equal(["ID_EXPIRED"], c.Reasons);
        Assert.Equal(plan.Request.Id, c.RequestId);
        Assert.Contains(await host.Store.GetEventsAsync(c.Id), e => e.Kind == "matched" && e.Detail!.Contains("QR code"));
        var letter = Assert.Single(await host.Store.GetOutboxAsync(c.Id, unsentOnly: false));
        Assert.Contains("scaduto", letter.Body, StringComparison.OrdinalIgnoreCase);
        var pin = await host.Store.GetPinAsync(plan.Request.Data.PinReference);
        Assert.Equal(PinType.Online, pin!.Type);
    }

    [Fact]
    public async Task BorderlineSignature_GoesToAReviewer_WithTheScoreAndTheBand()
    {
        await using var host = new TestHost("embedded", _tmp.Path, new() { ["Forms:HmacKey"] = FormQr.DevelopmentKey });
        const string sample = "fax-204x98-g3-cie-signature-skilled-forgery.tif";
        var (requestId, _) = await SeedAsync(host, sample);
        // the request is the portal's, so the portal uploads the faxed file for it
        var upload = await TestHost.UploadAsync(host.Portal(), requestId, await File.ReadAllBytesAsync(Path.Combine(Submissions, sample)), "fax.tif");
        var caseId = (await upload.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("case_id").GetString()!;

        var c = await host.WaitForStateAsync(caseId, TimeSpan.FromSeconds(120), CaseState.InReview, CaseState.Approved, CaseState.Rejected, CaseState.NeedsAttention);
        Assert.Equal(CaseState.InReview, c.State);
        Assert.Equal(["SIGNATURE_MISMATCH"], c.Reasons);
        var signature = JsonDocument.Parse(c.Report!).RootElement.GetProperty("rules").EnumerateArray().Single(r => r.GetProperty("rule").GetString() == "signature");
        Assert.Equal("uncertain", signature.GetProperty("verdict").GetString());
        var score = signature.GetProperty("evidence").GetProperty("score").GetDouble();
        Assert.InRange(score, 0.20, 0.8999);
    }

    [Fact]
    public async Task FaxWhoseQrDoesNotVerify_IsMatchedByTheCodiceFiscaleReadOnTheDocument()
    {
        // The scaled host signs forms with its own key, so the sample's QR (development key) does not verify there:
        // the case must be matched by the codice fiscale printed on the CIE's back.
        await using var host = new TestHost("scaled", _tmp.Path);
        _ = host.Services;
        var (requestId, _) = await SeedAsync(host, "pdf-scan-cie-ok.pdf");
        var inbox = Path.Combine(_tmp.Path, "fax-inbox");
        Directory.CreateDirectory(inbox);
        File.Copy(Path.Combine(Submissions, "pdf-scan-cie-ok.pdf"), Path.Combine(inbox, "fax-cf.pdf"));

        Case? c = null;
        for (var i = 0; i < 600 && c is null; i++)
        {
            c = (await host.Store.ListCasesAsync("fax-gateway", Channel.Fax, null, 10)).FirstOrDefault();
            if (c is null) await Task.Delay(100);
        }
        Assert.NotNull(c);
        c = await host.WaitForStateAsync(c!.Id, TimeSpan.FromSeconds(120), CaseState.InReview, CaseState.Approved, CaseState.Rejected, CaseState.NeedsAttention);
        Assert.Equal(requestId, c.RequestId);
        var matched = Assert.Single(await host.Store.GetEventsAsync(c.Id), e => e.Kind == "matched");
        Assert.Contains("codice fiscale", matched.Detail);
        // an unverified QR is not evidence that the form belongs to this request: never approved by the machine
        Assert.NotEqual(CaseState.Approved, c.State);
    }
}
