using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using VerifyPipeline.Cases;
using VerifyPipeline.Cases.Tests.Storage;
using VerifyPipeline.Decisions;
using VerifyPipeline.ReviewUi.Review;
using VerifyPipeline.ReviewUi.Tests.Review;
using VerifyPipeline.Rules;

namespace VerifyPipeline.ReviewUi.Tests.Hosting;

/// <summary>Issue 12: Read and Decide are separate, persisted stages. What the Read stage read is kept with the case, so a
/// policy change (here: a host restarted with another <c>Pipeline:Policy</c>) re-decides on it without reading a page.</summary>
public sealed class ReadDecideStagesTests : IDisposable
{
    private readonly TempDir _tmp = new();
    public void Dispose() => _tmp.Dispose();

    [Fact]
    public async Task Rerun_AfterAPolicyChange_DecidesOnTheStoredRead_WithoutReadingAPage()
    {
        // First policy: a PIN already dispositivo is not rejected by the machine, so the case goes to a reviewer.
        string caseId;
        await using (var first = ReviewFixture.Host("embedded", _tmp.Path, new() { ["Pipeline:Policy:AutoRejectReasons:0"] = ReasonCodes.FormMissing }))
        {
            var requestId = await first.CreateRequestAsync(first.Portal(), PinType.Dispositivo, pin: "PIN-R-0001");
            var upload = await TestHost.UploadAsync(first.Portal(), requestId, Samples.ScannedPdf(2, 620, 877));
            caseId = (await upload.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("case_id").GetString()!;
            var c = await first.WaitForStateAsync(caseId, TimeSpan.FromSeconds(120), CaseState.InReview, CaseState.Rejected, CaseState.NeedsAttention);
            Assert.Equal(CaseState.InReview, c.State);
            Assert.Contains(ReasonCodes.PinAlreadyDispositivo, c.Reasons);
            Assert.NotNull(StoredRead.Parse(c.Read));
        }

        // The default policy rejects it. The page images are gone: reading again would fail the stage.
        await using var second = ReviewFixture.Host("embedded", _tmp.Path);
        var blobs = second.Services.GetRequiredService<IBlobStore>();
        foreach (var page in (await second.Store.GetCaseAsync(caseId))!.Pages!) await blobs.DeleteAsync(page.BlobKey);
        var desk = second.Services.GetRequiredService<ReviewDesk>();
        Assert.True((await desk.ClaimAsync(caseId, "revisore1", default)).Ok);

        Assert.True((await desk.RerunAsync(caseId, "revisore1", default)).Ok);

        var decided = await second.WaitForStateAsync(caseId, TimeSpan.FromSeconds(120), CaseState.Rejected, CaseState.NeedsAttention);
        Assert.Equal(CaseState.Rejected, decided.State);
        Assert.Equal([ReasonCodes.PinAlreadyDispositivo], decided.Reasons);
        var events = await second.Store.GetEventsAsync(caseId);
        Assert.Single(events, e => e.Kind == "read");
        Assert.Equal(2, events.Count(e => e.Kind == "decided"));
        Assert.Equal(Rules.Decisions.Outcome.Reject, CaseReport.Parse(decided.Report)!.Decision);
    }
}
