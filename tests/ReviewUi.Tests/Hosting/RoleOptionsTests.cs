using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using VerifyPipeline.Cases;
using VerifyPipeline.Cases.Tests.Storage;
using VerifyPipeline.ReviewUi.Review;
using VerifyPipeline.ReviewUi.Tests.Review;
using VerifyPipeline.Rules;
using VerifyPipeline.Rules.Facts;
using VerifyPipeline.Decisions;

namespace VerifyPipeline.ReviewUi.Tests.Hosting;

/// <summary>Issue 12: the decision policy (<c>Pipeline:Policy</c>) is bound and validated on every host that decides —
/// the review host of the scaled configuration (<c>Hosting:RunJobs=false</c>) re-runs the rules on a reviewer's correction
/// with the configured policy, not the default one.</summary>
public sealed class RoleOptionsTests : IDisposable
{
    private readonly TempDir _tmp = new();
    public void Dispose() => _tmp.Dispose();

    [Fact]
    public async Task Correct_OnAReviewHostThatRunsNoJobs_DecidesWithTheConfiguredPolicy()
    {
        // The configured policy does not let the machine reject PIN_ALREADY_DISPOSITIVO (the default one does).
        await using var host = ReviewFixture.Host("embedded", _tmp.Path, new()
        {
            ["Hosting:RunJobs"] = "false",
            ["Pipeline:Policy:AutoRejectReasons:0"] = ReasonCodes.FormMissing,
            ["Pipeline:Policy:AutoRejectReasons:1"] = ReasonCodes.IdMissing,
        });
        var caseId = await CaseWithReportAsync(host, "PIN-P-0001", id => ReportSamples.Facts(ReportSamples.Cf, requestId: id, pin: "PIN-P-0001") with { PinStatus = PinStatus.Dispositivo });
        var desk = host.Services.GetRequiredService<ReviewDesk>();
        Assert.True((await desk.ClaimAsync(caseId, "revisore1", default)).Ok);

        var done = await desk.CorrectAsync(caseId, "revisore1", "surname", "BIANCHI", default);

        Assert.True(done.Ok, done.Message);
        var report = JsonDocument.Parse((await host.Store.GetCaseAsync(caseId))!.Report!).RootElement;
        Assert.Equal("review", report.GetProperty("decision").GetString());
        Assert.Contains("resta da valutare", done.Message);
    }

    [Fact]
    public async Task ConfiguredLists_ReplaceTheirDefaults_WhenShorterThanTheDefault()
    {
        // The configuration binder appends configured items to a list's default; every host binds through OptionsBinding,
        // which makes a configured list the whole list.
        await using var host = ReviewFixture.Host("embedded", _tmp.Path, new()
        {
            // two of the default's four delays (the test host's configuration has keys 0 and 1)
            ["Storage:Jobs:RetryAttempts"] = "2",
            ["Storage:Jobs:RetryDelaysSeconds:0"] = "7",
            ["Storage:Jobs:RetryDelaysSeconds:1"] = "9",
            ["Review:FourEyesApprovalReasons:0"] = ReasonCodes.IdExpired,
            ["Review:FourEyesReasons:0"] = ReasonCodes.IdentityMismatch,
            ["Hosting:KnownProxies:0"] = "10.0.0.7",
            ["Pipeline:Policy:AutoRejectReasons:0"] = ReasonCodes.FormMissing,
        });
        var services = host.Services;

        Assert.Equal([7, 9], services.GetRequiredService<IOptions<JobOptions>>().Value.RetryDelaysSeconds);
        Assert.Equal([ReasonCodes.IdExpired], services.GetRequiredService<IOptions<ReviewOptions>>().Value.FourEyesApprovalReasons);
        Assert.Equal([ReasonCodes.IdentityMismatch], services.GetRequiredService<IOptions<ReviewOptions>>().Value.FourEyesReasons);
        Assert.Equal(["10.0.0.7"], services.GetRequiredService<IOptions<HostingOptions>>().Value.KnownProxies);
        Assert.Equal([ReasonCodes.FormMissing], services.GetRequiredService<IOptions<DecisionOptions>>().Value.Policy.AutoRejectReasons);
    }

    [Fact]
    public async Task ReviewHostThatRunsNoJobs_RefusesToStart_WhenThePolicyIsInvalid()
    {
        await using var host = ReviewFixture.Host("embedded", _tmp.Path, new()
        {
            ["Hosting:RunJobs"] = "false",
            ["Pipeline:Policy:AutoRejectReasons:0"] = "ID_EXPIRD",
        });
        var e = Assert.ThrowsAny<Exception>(() => host.Services);
        Assert.Contains("Pipeline:Policy", e.ToString());
    }

    [Fact]
    public async Task UnreadableFile_IsAFactTheRulesAndTheConfiguredPolicyDecide()
    {
        // Issue 12: bad input used to bypass the rules and the policy (always rejected); a policy that leaves unreadable
        // files to a person now sends the case to review, with the completeness rule's verdict in the report.
        await using var host = ReviewFixture.Host("embedded", _tmp.Path, new() { ["Pipeline:Policy:AutoRejectReasons:0"] = ReasonCodes.FormMissing });
        var requestId = await host.CreateRequestAsync(host.Portal(), pin: "PIN-P-0002");
        var zip = await File.ReadAllBytesAsync(Path.Combine(Samples.SharedTestData, "01_archives_sharpcompress", "zipcrypto.zip"));
        var upload = await TestHost.UploadAsync(host.Portal(), requestId, zip, "richiesta.zip");
        var caseId = (await upload.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("case_id").GetString()!;

        var c = await host.WaitForStateAsync(caseId, TimeSpan.FromSeconds(60), CaseState.InReview, CaseState.Rejected, CaseState.NeedsAttention);

        Assert.Equal(CaseState.InReview, c.State);
        Assert.Equal([ReasonCodes.UnreadableFile], c.Reasons);
        var completeness = JsonDocument.Parse(c.Report!).RootElement.GetProperty("rules").EnumerateArray().Single(r => r.GetProperty("rule").GetString() == "completeness");
        Assert.Equal("fail", completeness.GetProperty("verdict").GetString());
        Assert.Contains("password", completeness.GetProperty("evidence").GetProperty("unreadable_file").GetString());
    }

    private static async Task<string> CaseWithReportAsync(TestHost host, string pin, Func<string, SubmissionFacts> facts)
    {
        var created = await host.Portal().PostAsJsonAsync("/api/requests", TestHost.RequestBody(pin));
        created.EnsureSuccessStatusCode();
        var requestId = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        var f = facts(requestId);
        var decision = ReportSamples.Decide(f with { PinStatus = PinStatus.Online });
        var sha = Convert.ToHexString(RandomNumberGenerator.GetBytes(32)).ToLowerInvariant();
        var (c, _) = await host.Store.CreateCaseAsync(new NewCase("portal", Channel.Portal, requestId, new OriginalFile(sha, "richiesta.pdf", 1000, FileKind.Pdf), null, null));
        await host.Store.TransitionAsync(c.Id, [CaseState.Received], CaseState.Processing, "processing", Actor.Machine("pipeline"), null);
        Assert.True(await host.Store.DecideAsync(c.Id, [CaseState.Processing], new DecisionOutcome(CaseState.InReview, "review", decision.Reasons,
            "a reviewer decides", null, null) { Report = Assessment.ReportJson(decision, [], facts: f) }, Actor.Machine("pipeline")));
        return c.Id;
    }
}
