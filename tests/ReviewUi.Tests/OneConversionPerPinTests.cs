using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using VerifyPipeline.Cases;
using VerifyPipeline.Cases.Tests.Storage;
using VerifyPipeline.ReviewUi.Review;

namespace VerifyPipeline.ReviewUi.Tests;

/// <summary>One conversion per PIN (issue 15): once a case for a PIN was approved, a further file for it — uploaded by the
/// portal or faxed and matched by its QR — is rejected PIN_ALREADY_DISPOSITIVO, and no reviewer can approve it, even while
/// the registry still says online (the conversion not yet recorded there).</summary>
public sealed class OneConversionPerPinTests : IDisposable
{
    private readonly TempDir _tmp = new();
    public void Dispose() => _tmp.Dispose();

    [Fact]
    public async Task FileAfterAnApproval_IsRejectedPinAlreadyDispositivo_OnThePortal_AndNoReviewerCanApproveIt()
    {
        await using var host = Review.ReviewFixture.Host("embedded", _tmp.Path);
        var portal = host.Portal();
        var created = await portal.PostAsJsonAsync("/api/requests", TestHost.RequestBody("PIN-O-0001"));
        var requestId = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        await host.Store.UpsertPinAsync(new Pin("PIN-O-0001", "RSSMRA80A01H501U", PinType.Online, false, DateTimeOffset.UtcNow));
        var approved = await ApprovedCaseAsync(host, requestId, Channel.Portal);

        var upload = await TestHost.UploadAsync(portal, requestId, Samples.ScannedPdf(1, 620, 877), "di-nuovo.pdf");
        Assert.Equal(HttpStatusCode.Accepted, upload.StatusCode);
        var second = (await upload.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("case_id").GetString()!;
        var c = await host.WaitForStateAsync(second, TimeSpan.FromSeconds(60), CaseState.Rejected, CaseState.InReview, CaseState.Approved, CaseState.NeedsAttention);
        Assert.Equal(CaseState.Rejected, c.State);
        Assert.Contains("PIN_ALREADY_DISPOSITIVO", c.Reasons);
        Assert.Contains("già di tipo dispositivo", Assert.Single(await host.Store.GetOutboxAsync(second, unsentOnly: false)).Body);
        Assert.Equal(PinType.Online, (await host.Store.GetPinAsync("PIN-O-0001"))!.Type);

        // A case for the same PIN left with a reviewer cannot be approved either.
        var (open, _) = await host.Store.CreateCaseAsync(new NewCase("portal", Channel.Portal, requestId, File(), null, null));
        await host.Store.TransitionAsync(open.Id, [CaseState.Received], CaseState.Processing, "processing", Actor.Machine("pipeline"), null);
        await host.Store.DecideAsync(open.Id, [CaseState.Processing], new DecisionOutcome(CaseState.InReview, "review", [], "a reviewer decides", null, null), Actor.Machine("pipeline"));
        var refused = await host.Services.GetRequiredService<ReviewDesk>().ApproveAsync(open.Id, "revisore1", null, default);
        Assert.False(refused.Ok);
        Assert.Contains("già stata approvata", refused.Message);
        Assert.Contains(approved, (await host.Store.ListCasesOfRequestsAsync([requestId])).Select(x => x.Id));
    }

    [Fact]
    public async Task FaxAfterAnApproval_MatchedByItsQr_IsRejectedPinAlreadyDispositivo()
    {
        const string sample = "fax-204x196-g4-cie-ok.tif";
        var submissions = Path.Combine(Samples.RepoRoot(), "tests", "TestData", "submissions");
        var declared = JsonDocument.Parse(await System.IO.File.ReadAllTextAsync(Path.Combine(submissions, sample + ".expected.json"))).RootElement.GetProperty("request");
        await using var host = new TestHost("embedded", _tmp.Path, new() { ["Forms:HmacKey"] = VerifyPipeline.Cases.Forms.FormQr.DevelopmentKey });
        var data = JsonSerializer.Deserialize<RequestData>(declared.GetRawText(), new JsonSerializerOptions(JsonSerializerDefaults.Web) { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower })!;
        var requestId = declared.GetProperty("id").GetString()!;
        await host.Store.CreateRequestAsync(new ConversionRequest(requestId, "portal", DateTimeOffset.UtcNow, data));
        await host.Store.UpsertPinAsync(new Pin(data.PinReference, data.CodiceFiscale, PinType.Online, false, DateTimeOffset.UtcNow));
        await ApprovedCaseAsync(host, requestId, Channel.Portal);
        var inbox = Path.Combine(_tmp.Path, "fax-inbox");
        Directory.CreateDirectory(inbox);
        System.IO.File.Copy(Path.Combine(submissions, sample), Path.Combine(inbox, "incoming.tif"));

        Case? fax = null;
        for (var i = 0; i < 300 && fax is null; i++)
        {
            fax = (await host.Store.ListCasesAsync("fax-gateway", Channel.Fax, null, 10)).FirstOrDefault();
            if (fax is null) await Task.Delay(100);
        }
        Assert.NotNull(fax);
        var c = await host.WaitForStateAsync(fax.Id, TimeSpan.FromSeconds(90), CaseState.Rejected, CaseState.InReview, CaseState.Approved, CaseState.NeedsAttention);
        Assert.Equal(requestId, c.RequestId);
        Assert.Equal(CaseState.Rejected, c.State);
        Assert.Contains("PIN_ALREADY_DISPOSITIVO", c.Reasons);
    }

    /// <summary>A case for the request approved by a reviewer while the registry has not recorded the conversion yet.</summary>
    private static async Task<string> ApprovedCaseAsync(TestHost host, string requestId, Channel channel)
    {
        var (c, _) = await host.Store.CreateCaseAsync(new NewCase("portal", channel, requestId, File(), null, null));
        await host.Store.TransitionAsync(c.Id, [CaseState.Received], CaseState.Processing, "processing", Actor.Machine("pipeline"), null);
        Assert.True(await host.Store.DecideAsync(c.Id, [CaseState.Processing], new DecisionOutcome(CaseState.Approved, "approve", [], "approvata da revisore1", null, null),
            Actor.Person("revisore1")));
        return c.Id;
    }

    private static OriginalFile File() =>
        new(Convert.ToHexString(RandomNumberGenerator.GetBytes(32)).ToLowerInvariant(), "richiesta.pdf", 120_000, FileKind.Pdf);
}
