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

    /// <summary>One conversion per PIN at a time, portal: a second file — for the same request, or another request of the same
    /// PIN — while the case is open joins it (same case id, both files kept, the newest read), whether the case is still
    /// Received or with a reviewer who claimed it; the reviewer's page for the previous file cannot decide it (stale-page
    /// guard: "nuovo file arrivato"), the previous file stays viewable, and the case is decided on the new file.</summary>
    [Fact]
    public async Task SecondUpload_ForTheSamePin_JoinsTheOpenCase_AndTheOldPageCannotDecideIt()
    {
        await using var host = Review.ReviewFixture.Host("embedded", _tmp.Path);
        var (caseId, first) = await Review.ReviewFixture.InReviewCaseAsync(host, "PIN-J-0001", pages: 1, name: "primo.pdf");
        var desk = host.Services.GetRequiredService<ReviewDesk>();
        Assert.True((await desk.ClaimAsync(caseId, "revisore1", default)).Ok);
        var reviewer = await Review.ReviewFixture.SignInAsync(host, "revisore1");
        Assert.Contains("name=\"file\" value=\"1\"", await reviewer.GetStringAsync($"/cases/{caseId}"));

        var portal = host.Portal();
        var created = await portal.PostAsJsonAsync("/api/requests", TestHost.RequestBody("PIN-J-0001"));
        var second = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        var file = Samples.ScannedPdf(2, 620, 877);
        var upload = await TestHost.UploadAsync(portal, second, file, "secondo.pdf", idempotencyKey: "secondo");
        Assert.Equal(HttpStatusCode.Accepted, upload.StatusCode);
        Assert.Equal(caseId, (await upload.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("case_id").GetString());
        var again = await TestHost.UploadAsync(portal, second, file, "secondo.pdf", idempotencyKey: "secondo");
        Assert.Equal(caseId, (await again.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("case_id").GetString()); // a retry joins nothing new

        // The old page (file 1) posts a decision: refused, nothing written, whatever state the re-read has reached.
        var token = await Review.ReviewFixture.TokenAsync(reviewer);
        var stale = await reviewer.PostAsync($"/cases/{caseId}/Approve", Review.ReviewFixture.Form(token, ("file", "1")));
        Assert.Equal(HttpStatusCode.Redirect, stale.StatusCode);
        Assert.Contains("Nuovo file arrivato", await reviewer.GetStringAsync(stale.Headers.Location!.ToString()));
        var c = await WaitForFileAsync(host, caseId, 2);
        Assert.Equal(CaseState.InReview, c.State);
        Assert.Equal(("secondo.pdf", 2, second), (c.Original.FileName, c.Pages!.Count, c.RequestId));
        Assert.Single(await host.Store.ListCasesOfRequestsAsync([first, second]));
        Assert.Null(await host.Store.GetActiveClaimAsync(caseId)); // the claim was on the previous file
        Assert.Contains("primo.pdf", Assert.Single(await host.Store.GetEventsAsync(caseId), e => e.Kind == "resubmitted").Detail);
        var files = await host.Store.GetFilesAsync(c);
        Assert.Equal(new[] { "primo.pdf", "secondo.pdf" }, files.Select(f => f.File.FileName));
        Assert.Single(files[0].Pages!); // the previous file's page stays viewable

        var page = await reviewer.GetStringAsync($"/cases/{caseId}");
        Assert.Contains("data-testid=\"new-file\"", page);
        Assert.Contains("File ricevuti (2)", page);
        Assert.Equal(HttpStatusCode.OK, (await reviewer.GetAsync($"/cases/{caseId}/files/1")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await reviewer.GetAsync($"/cases/{caseId}/files/1/pages/1")).StatusCode);
        Assert.False((await desk.ApproveAsync(caseId, "revisore1", null, default, fileNo: 1)).Ok);
        var approved = await desk.ApproveAsync(caseId, "revisore1", null, default, fileNo: 2);
        Assert.True(approved.Ok, approved.Message);
        var status = await portal.GetFromJsonAsync<JsonElement>($"/api/cases/{caseId}");
        Assert.Equal("Approved", status.GetProperty("state").GetString());
    }

    /// <summary>A file joining a case whose stages are still running (Received here: no worker) replaces the file they would
    /// read; a stage's result or a decision made from the previous file is not saved (file_no).</summary>
    [Fact]
    public async Task FileJoiningACaseMidStage_LeavesNoResultOfThePreviousFileSaved()
    {
        await using var host = new TestHost("embedded", _tmp.Path, new() { ["Hosting:RunJobs"] = "false" });
        var portal = host.Portal();
        var requestId = await host.CreateRequestAsync(portal);
        var first = (await (await TestHost.UploadAsync(portal, requestId, Samples.Png(seed: 1))).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("case_id").GetString()!;
        var joined = (await (await TestHost.UploadAsync(portal, requestId, Samples.Png(seed: 2), "nuovo.png")).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("case_id").GetString()!;
        Assert.Equal(first, joined);
        var c = (await host.Store.GetCaseAsync(first))!;
        Assert.Equal((CaseState.Received, 2, "nuovo.png"), (c.State, c.FileNo, c.Original.FileName));
        Assert.False(await host.Store.SaveStageResultAsync(first, "parts", Array.Empty<Part>(), "unpacked", Actor.Machine("pipeline"), null, default, fileNo: 1));
        await host.Store.TransitionAsync(first, [CaseState.Received], CaseState.Processing, "processing", Actor.Machine("pipeline"), null);
        Assert.False(await host.Store.DecideAsync(first, [CaseState.Processing],
            new DecisionOutcome(CaseState.InReview, "review", [], "old file", null, null) { FileNo = 1 }, Actor.Machine("pipeline")));
        Assert.True(await host.Store.SaveStageResultAsync(first, "parts", Array.Empty<Part>(), "unpacked", Actor.Machine("pipeline"), null, default, fileNo: 2));
    }

    /// <summary>One conversion per PIN at a time, fax: a fax matched by its QR to a request whose case is open — with a
    /// reviewer, or waiting for the new file a reviewer asked for — joins that case with the pages read from it; the fax's
    /// own case is merged away (its id still answers the fax gateway with the joined case), and the case is decided on it.</summary>
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Fax_ForARequestWithAnOpenCase_JoinsIt_AndTheCaseIsDecidedOnTheFax(bool askedForANewFile)
    {
        const string sample = "fax-204x196-g4-cie-ok.tif";
        var submissions = Path.Combine(Samples.RepoRoot(), "tests", "TestData", "submissions");
        var declared = JsonDocument.Parse(await System.IO.File.ReadAllTextAsync(Path.Combine(submissions, sample + ".expected.json"))).RootElement.GetProperty("request");
        await using var host = Review.ReviewFixture.Host("embedded", _tmp.Path, new() { ["Forms:HmacKey"] = VerifyPipeline.Cases.Forms.FormQr.DevelopmentKey });
        var data = JsonSerializer.Deserialize<RequestData>(declared.GetRawText(), new JsonSerializerOptions(JsonSerializerDefaults.Web) { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower })!;
        var requestId = declared.GetProperty("id").GetString()!;
        await host.Store.CreateRequestAsync(new ConversionRequest(requestId, "portal", DateTimeOffset.UtcNow, data));
        await host.Store.UpsertPinAsync(new Pin(data.PinReference, data.CodiceFiscale, PinType.Online, false, DateTimeOffset.UtcNow));
        var upload = await TestHost.UploadAsync(host.Portal(), requestId, Samples.ScannedPdf(1, 620, 877), "illeggibile.pdf");
        var caseId = (await upload.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("case_id").GetString()!;
        await host.WaitForStateAsync(caseId, TimeSpan.FromSeconds(60), CaseState.InReview);
        if (askedForANewFile)
            Assert.True((await host.Services.GetRequiredService<ReviewDesk>().AskForNewFileAsync(caseId, "revisore1", ["legible_scan"], null, default)).Ok);

        var inbox = Path.Combine(_tmp.Path, "fax-inbox");
        Directory.CreateDirectory(inbox);
        System.IO.File.Copy(Path.Combine(submissions, sample), Path.Combine(inbox, "incoming.tif"));
        var c = await WaitForFileAsync(host, caseId, 2, TimeSpan.FromSeconds(120));
        Assert.NotEqual(CaseState.NeedsAttention, c.State);
        Assert.Equal((Channel.Portal, FileKind.Tiff, requestId), (c.Channel, c.Original.Kind, c.RequestId));
        var fax = (await host.Store.GetFilesAsync(c))[^1];
        Assert.Equal((Channel.Fax, "fax-gateway"), (fax.Channel, fax.Client));
        Assert.NotNull(fax.JoinedFrom);
        Assert.Null(await host.Store.GetCaseAsync(fax.JoinedFrom)); // merged: one case for the request
        Assert.Single(await host.Store.ListCasesOfRequestsAsync([requestId]));
        Assert.Equal(askedForANewFile, (await host.Store.GetResubmissionAsync(caseId)) is { Open: false });
        var events = await host.Store.GetEventsAsync(caseId);
        Assert.Contains(events, e => e.Kind == "matched");   // the fax's own history moved with it
        Assert.Contains("illeggibile.pdf", Assert.Single(events, e => e.Kind == "resubmitted").Detail);
        var seen = await host.Fax().GetFromJsonAsync<JsonElement>($"/api/cases/{fax.JoinedFrom}");
        Assert.Equal(caseId, seen.GetProperty("id").GetString());
    }

    /// <summary>Waits until the case has its <paramref name="fileNo"/>-th file and has left Received/Processing.</summary>
    private static async Task<Case> WaitForFileAsync(TestHost host, string caseId, int fileNo, TimeSpan? timeout = null)
    {
        var until = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        Case? c = null;
        while (DateTime.UtcNow < until)
        {
            c = await host.Store.GetCaseAsync(caseId);
            if (c is { State: not (CaseState.Received or CaseState.Processing) } && c.FileNo >= fileNo) return c;
            await Task.Delay(100);
        }
        throw new TimeoutException($"Case {caseId} is {c?.State} with file {c?.FileNo} after the wait, expected file {fileNo} read. Error: {c?.Error}");
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
