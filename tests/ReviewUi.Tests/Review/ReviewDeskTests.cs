using Microsoft.Extensions.DependencyInjection;
using VerifyPipeline.Cases;
using VerifyPipeline.Cases.Tests.Storage;
using VerifyPipeline.ReviewUi.Review;

namespace VerifyPipeline.ReviewUi.Tests.Review;

/// <summary>The review desk's rules on both backend sets: claims are exclusive until they expire, the proposer of a
/// four-eyes rejection cannot confirm it, a NeedsAttention case goes back to the pipeline, an unmatched fax is matched.</summary>
public sealed class ReviewDeskTests : IDisposable
{
    private readonly TempDir _tmp = new();
    public void Dispose() => _tmp.Dispose();
    public static TheoryData<string> Backends => new() { "embedded", "scaled" };

    [Theory, MemberData(nameof(Backends))]
    public async Task Claim_IsExclusive_UntilItExpires(string backend)
    {
        await using var host = ReviewFixture.Host(backend, _tmp.Path, new() { ["Review:ClaimDuration"] = "00:00:01.500" });
        var (caseId, _) = await ReviewFixture.InReviewCaseAsync(host, "PIN-C-0001", pages: 1);
        var desk = host.Services.GetRequiredService<ReviewDesk>();

        var racers = await Task.WhenAll(Enumerable.Range(0, 6).Select(i => host.Store.TryClaimAsync(caseId, $"revisore{i % 2 + 1}", TimeSpan.FromSeconds(1.5))));
        Assert.Equal(1, racers.Count(r => r == ClaimOutcome.Claimed));
        var holder = (await host.Store.GetActiveClaimAsync(caseId))!.Reviewer;
        var other = holder == "revisore1" ? "revisore2" : "revisore1";

        var refused = await desk.ApproveAsync(caseId, other, null, default);
        Assert.False(refused.Ok);
        Assert.Contains($"in carico a {holder}", refused.Message);
        Assert.Equal(CaseState.InReview, (await host.Store.GetCaseAsync(caseId))!.State);

        await Task.Delay(1700);
        Assert.Equal(ClaimOutcome.Claimed, await host.Store.TryClaimAsync(caseId, other, TimeSpan.FromMinutes(1)));
        Assert.Equal(ClaimOutcome.Renewed, await host.Store.TryClaimAsync(caseId, other, TimeSpan.FromMinutes(1)));
        Assert.Equal(ClaimOutcome.HeldByOther, await host.Store.TryClaimAsync(caseId, holder, TimeSpan.FromMinutes(1)));
        Assert.True((await desk.ReleaseAsync(caseId, other, default)).Ok);
        Assert.Equal(ClaimOutcome.Claimed, await host.Store.TryClaimAsync(caseId, holder, TimeSpan.FromMinutes(1)));
        Assert.Equal(3, (await host.Store.GetEventsAsync(caseId)).Count(e => e.Kind == "claimed"));
    }

    [Theory, MemberData(nameof(Backends))]
    public async Task FourEyesRejection_IsRefused_WhenProposerConfirms_AndOtherReasonsDecideAtOnce(string backend)
    {
        await using var host = ReviewFixture.Host(backend, _tmp.Path);
        var (signature, _) = await ReviewFixture.InReviewCaseAsync(host, "PIN-D-0001", pages: 1);
        var (expired, _) = await ReviewFixture.InReviewCaseAsync(host, "PIN-D-0002", pages: 1);
        var desk = host.Services.GetRequiredService<ReviewDesk>();

        Assert.True((await desk.RejectAsync(signature, "revisore1", ["SIGNATURE_MISMATCH", "ID_EXPIRED"], "nota", default)).Ok);
        Assert.Equal(CaseState.InReview, (await host.Store.GetCaseAsync(signature))!.State);
        Assert.Null(await host.Store.GetActiveClaimAsync(signature));
        var self = await desk.ConfirmAsync(signature, "revisore1", default);
        Assert.False(self.Ok);
        Assert.False((await desk.ApproveAsync(signature, "revisore2", null, default)).Ok);
        Assert.Empty(await host.Store.GetOutboxAsync(signature, false));
        Assert.False((await desk.DeclineAsync(signature, "revisore2", null, default)).Ok); // a reason is required
        Assert.True((await desk.DeclineAsync(signature, "revisore2", "Le firme sono compatibili.", default)).Ok);
        Assert.Null(await host.Store.GetPendingDecisionAsync(signature));
        Assert.Contains(await host.Store.GetEventsAsync(signature), e => e.Kind == "proposal_declined" && e.By.Name == "revisore2");

        Assert.False((await desk.RejectAsync(expired, "revisore1", ["NOT_A_REASON"], null, default)).Ok);
        Assert.False((await desk.RejectAsync(expired, "revisore1", [], null, default)).Ok);
        Assert.True((await desk.RejectAsync(expired, "revisore1", ["ID_EXPIRED"], null, default)).Ok);
        var c = (await host.Store.GetCaseAsync(expired))!;
        Assert.Equal(CaseState.Rejected, c.State);
        Assert.Contains("scaduto", Assert.Single(await host.Store.GetOutboxAsync(expired, false)).Body);
        Assert.False((await desk.ApproveAsync(expired, "revisore2", null, default)).Ok);
    }

    [Theory, MemberData(nameof(Backends))]
    public async Task Retry_SendsNeedsAttentionCaseBackThroughThePipeline(string backend)
    {
        await using var host = ReviewFixture.Host(backend, _tmp.Path);
        var (caseId, _) = await ReviewFixture.InReviewCaseAsync(host, "PIN-E-0001", pages: 1);
        Assert.True(await host.Store.MarkNeedsAttentionAsync(caseId, "Stage decide failed after all retries: IOException: disk full", Actor.Machine("pipeline")));
        var desk = host.Services.GetRequiredService<ReviewDesk>();
        Assert.False((await desk.ApproveAsync(caseId, "revisore1", null, default)).Ok);
        Assert.True((await desk.RetryAsync(caseId, "revisore1", default)).Ok);
        await host.WaitForStateAsync(caseId, TimeSpan.FromSeconds(60), CaseState.InReview);
        var events = await host.Store.GetEventsAsync(caseId);
        Assert.Contains(events, e => e.Kind == "retried" && e.By == Actor.Person("revisore1") && e.State == CaseState.Processing);
        Assert.Null((await host.Store.GetCaseAsync(caseId))!.Error);
    }

    [Theory, MemberData(nameof(Backends))]
    public async Task Match_GivesUnmatchedFaxItsRequest_AndEvaluatesItAgain(string backend)
    {
        await using var host = ReviewFixture.Host(backend, _tmp.Path, new() { ["Hosting:RunJobs"] = "false" });
        var requestId = await host.CreateRequestAsync(host.Portal());
        var sha = new string('a', 64);
        var (fax, _) = await host.Store.CreateCaseAsync(new NewCase("fax-gateway", Channel.Fax, null, new OriginalFile(sha, "fax.tif", 10, FileKind.Tiff), null, null));
        await host.Store.TransitionAsync(fax.Id, [CaseState.Received], CaseState.Processing, "processing", Actor.Machine("pipeline"), null);
        await host.Store.DecideAsync(fax.Id, [CaseState.Processing], new DecisionOutcome(CaseState.InReview, "review", [], null, null, null), Actor.Machine("pipeline"));
        var queue = await host.Services.GetRequiredService<ReviewQueue>().LoadAsync("revisore1", new QueueFilter("unmatched", null, null, null), default);
        Assert.Equal(fax.Id, Assert.Single(queue.Items).Case.Id);
        Assert.Equal(1, queue.Counts.UnmatchedFax);

        var desk = host.Services.GetRequiredService<ReviewDesk>();
        Assert.False((await desk.ApproveAsync(fax.Id, "revisore1", null, default)).Ok);
        Assert.False((await desk.MatchAsync(fax.Id, "revisore1", "no-such-request", default)).Ok);
        Assert.True((await desk.MatchAsync(fax.Id, "revisore1", requestId, default)).Ok);
        var matched = (await host.Store.GetCaseAsync(fax.Id))!;
        Assert.Equal(requestId, matched.RequestId);
        Assert.Equal(CaseState.Processing, matched.State);
        var events = await host.Store.GetEventsAsync(fax.Id);
        Assert.Contains(events, e => e.Kind == "matched" && e.By == Actor.Person("revisore1"));
        Assert.Contains(events, e => e.Kind == "rerun" && e.By == Actor.Person("revisore1"));
        Assert.Empty((await host.Services.GetRequiredService<ReviewQueue>().LoadAsync("revisore1", new QueueFilter("unmatched", null, null, null), default)).Items);
    }

    [Theory, MemberData(nameof(Backends))]
    public async Task Correct_ReplacesAMisreadValue_ReRunsTheRules_AndLeavesTheDecisionToTheReviewer(string backend)
    {
        // A real CIE fax (committed sample) uploaded for Mario Rossi's request: the document's number is not the declared one.
        // (scaled refuses the development key the sample's QR is signed with: there the form is found but not verified)
        await using var host = ReviewFixture.Host(backend, _tmp.Path, backend == "embedded" ? new() { ["Forms:HmacKey"] = VerifyPipeline.Cases.Forms.FormQr.DevelopmentKey } : null);
        var sample = Path.Combine(Samples.RepoRoot(), "tests", "TestData", "submissions", "fax-204x98-g3-cie-signature-skilled-forgery.tif");
        var (caseId, _) = await ReviewFixture.InReviewCaseAsync(host, "PIN-F-0001", file: await File.ReadAllBytesAsync(sample), name: "fax.tif");
        var before = System.Text.Json.JsonDocument.Parse((await host.Store.GetCaseAsync(caseId))!.Report!).RootElement;
        Assert.True(before.TryGetProperty("facts", out _));
        var desk = host.Services.GetRequiredService<ReviewDesk>();

        Assert.False((await desk.CorrectAsync(caseId, "revisore1", "pin_reference", "X", default)).Ok); // not a correctable field
        Assert.False((await desk.CorrectAsync(caseId, "revisore1", "expiry_date", "31/02/2031", default)).Ok);
        var done = await desk.CorrectAsync(caseId, "revisore1", "document_number", "CA00000AA", default);
        Assert.True(done.Ok, done.Message);
        Assert.False((await desk.CorrectAsync(caseId, "revisore2", "surname", "ROSSI", default)).Ok); // revisore1 holds the case

        var c = (await host.Store.GetCaseAsync(caseId))!;
        Assert.Equal(CaseState.InReview, c.State);
        var after = System.Text.Json.JsonDocument.Parse(c.Report!).RootElement;
        Assert.Equal("document_number", after.GetProperty("corrections")[0].GetProperty("field").GetString());
        var data = after.GetProperty("rules").EnumerateArray().Single(r => r.GetProperty("rule").GetString() == "document_data");
        Assert.Contains("CA00000AA", data.GetProperty("evidence").GetRawText());
        Assert.Contains(await host.Store.GetEventsAsync(caseId), e => e.Kind == "corrected" && e.By == Actor.Person("revisore1") && !e.Detail!.Contains("CA00000AA"));
        Assert.Empty(await host.Store.GetOutboxAsync(caseId, false)); // nothing decided: the reviewer still approves or rejects

        // the two signature crops the Read stage kept, side by side on the case page, served to people who work cases
        using var reviewer = await ReviewFixture.SignInAsync(host, "revisore2");
        foreach (var which in new[] { "form", "document" })
        {
            var crop = await reviewer.GetAsync($"/cases/{caseId}/signatures/{which}");
            Assert.Equal(System.Net.HttpStatusCode.OK, crop.StatusCode);
            Assert.Equal("image/png", crop.Content.Headers.ContentType!.MediaType);
        }
        Assert.Contains($"/cases/{caseId}/signatures/form", await reviewer.GetStringAsync($"/cases/{caseId}"));
    }
}
