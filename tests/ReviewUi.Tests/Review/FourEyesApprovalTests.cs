using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using VerifyPipeline.Cases;
using VerifyPipeline.Cases.Tests.Storage;
using VerifyPipeline.ReviewUi.Review;

namespace VerifyPipeline.ReviewUi.Tests.Review;

/// <summary>Issue 11: four-eyes applied only to rejections, so one reviewer could approve over a failed identity or
/// signature check. Now such an approval is a proposal that a different reviewer confirms.</summary>
public sealed class FourEyesApprovalTests : IDisposable
{
    private readonly TempDir _tmp = new();
    public void Dispose() => _tmp.Dispose();
    public static TheoryData<string> Backends => new() { "embedded", "scaled" };

    [Theory, MemberData(nameof(Backends))]
    public async Task Approval_OverAFailedIdentityCheck_NeedsASecondReviewer(string backend)
    {
        await using var host = ReviewFixture.Host(backend, _tmp.Path);
        var (caseId, _) = await ReviewFixture.InReviewCaseAsync(host, "PIN-G-0001", pages: 1);
        // The stored report as the Decide stage writes it, with the identity rule failed (the reader is not what is tested here).
        var report = (await host.Store.GetCaseAsync(caseId))!.Report is { } json ? JsonNode.Parse(json)!.AsObject() : new JsonObject();
        var rules = report["rules"] as JsonArray ?? [];
        report["rules"] = new JsonArray(rules.Select(r => r!.DeepClone()).Where(r => (string?)r["rule"] != "identity")
            .Append(new JsonObject { ["rule"] = "identity", ["verdict"] = "fail", ["confidence"] = 0.97, ["reasons"] = new JsonArray("IDENTITY_MISMATCH"), ["evidence"] = new JsonObject() }).ToArray());
        Assert.True(await host.Store.ReplaceReportAsync(caseId, CaseState.InReview, report.ToJsonString(), null, "rerun", Actor.Machine("pipeline"), "identità non corrispondente"));
        var desk = host.Services.GetRequiredService<ReviewDesk>();

        var proposed = await desk.ApproveAsync(caseId, "revisore1", "Il documento è dello stesso richiedente.", default);
        Assert.True(proposed.Ok, proposed.Message);
        Assert.Contains("serve la conferma di un secondo revisore", proposed.Message);
        Assert.Equal(CaseState.InReview, (await host.Store.GetCaseAsync(caseId))!.State);
        Assert.Equal(PinType.Online, (await host.Store.GetPinAsync("PIN-G-0001"))!.Type);
        Assert.Empty(await host.Store.GetOutboxAsync(caseId, false));
        var pending = (await host.Store.GetPendingDecisionAsync(caseId))!;
        Assert.Equal(("approve", "revisore1"), (pending.Decision, pending.ProposedBy));
        Assert.Equal(["IDENTITY_MISMATCH"], pending.Reasons);

        Assert.False((await desk.ConfirmAsync(caseId, "revisore1", default)).Ok); // the proposer cannot confirm
        Assert.Equal(CaseState.InReview, (await host.Store.GetCaseAsync(caseId))!.State);

        using var second = await ReviewFixture.SignInAsync(host, "revisore2");
        var page = await second.GetStringAsync($"/cases/{caseId}");
        Assert.Contains("Approvazione proposta", page);
        Assert.Contains("IDENTITY_MISMATCH", page);
        Assert.Contains("data-testid=\"confirm\">Conferma l", page);

        var confirmed = await desk.ConfirmAsync(caseId, "revisore2", default);
        Assert.True(confirmed.Ok, confirmed.Message);
        Assert.Equal(CaseState.Approved, (await host.Store.GetCaseAsync(caseId))!.State);
        Assert.Equal(PinType.Dispositivo, (await host.Store.GetPinAsync("PIN-G-0001"))!.Type);
        var events = await host.Store.GetEventsAsync(caseId);
        Assert.Contains(events, e => e.Kind == "approval_proposed" && e.By == Actor.Person("revisore1"));
        var decided = Assert.Single(events, e => e.Kind == "decided" && e.State == CaseState.Approved);
        Assert.Equal(Actor.Person("revisore2"), decided.By);
        Assert.Contains("proposta da revisore1, confermata da revisore2", decided.Detail);
    }

    [Fact]
    public async Task Approval_AfterAReviewersCorrection_NeedsASecondReviewer_EvenWhenTheRulesNowPass()
    {
        await using var host = ReviewFixture.Host("embedded", _tmp.Path);
        var (caseId, _) = await ReviewFixture.InReviewCaseAsync(host, "PIN-G-0002", pages: 1);
        // The report as CorrectAsync leaves it: every rule re-run and passing, and the corrected value listed.
        var report = (await host.Store.GetCaseAsync(caseId))!.Report is { } json ? JsonNode.Parse(json)!.AsObject() : new JsonObject();
        report["rules"] = new JsonArray(new JsonObject { ["rule"] = "identity", ["verdict"] = "pass", ["confidence"] = 1.0, ["reasons"] = new JsonArray(), ["evidence"] = new JsonObject() });
        report["corrections"] = new JsonArray(new JsonObject { ["field"] = "codice_fiscale", ["value"] = "RSSMRA80A01H501U" });
        Assert.True(await host.Store.ReplaceReportAsync(caseId, CaseState.InReview, report.ToJsonString(), "[]", "corrected", Actor.Person("revisore1"), "corretto"));
        var desk = host.Services.GetRequiredService<ReviewDesk>();

        var proposed = await desk.ApproveAsync(caseId, "revisore1", null, default);
        Assert.True(proposed.Ok, proposed.Message);
        Assert.Contains("serve la conferma di un secondo revisore", proposed.Message);
        Assert.Equal(CaseState.InReview, (await host.Store.GetCaseAsync(caseId))!.State);
        Assert.Equal(PinType.Online, (await host.Store.GetPinAsync("PIN-G-0002"))!.Type);
        Assert.Equal([ReviewDesk.ReviewerCorrection], (await host.Store.GetPendingDecisionAsync(caseId))!.Reasons);
    }
}
