using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using VerifyPipeline.Cases;
using VerifyPipeline.Cases.Tests.Storage;
using VerifyPipeline.ReviewUi.Review;

namespace VerifyPipeline.ReviewUi.Tests.Review;

/// <summary>"Chiedi un nuovo file" (issue 15): the case waits for a file on the same request, the citizen's message says
/// what to send again, the case leaves "Next" and its ageing pauses; the portal's next upload joins the case (same case
/// id, both files in the history), which is read again and decided there, with its own letter beside the first message.</summary>
public sealed class ResubmissionTests : IDisposable
{
    private readonly TempDir _tmp = new();
    public void Dispose() => _tmp.Dispose();

    [Fact]
    public async Task AskForNewFile_ThenTheUploadJoinsTheCase_AndIsDecidedThere()
    {
        await using var host = ReviewFixture.Host("embedded", _tmp.Path);
        var (caseId, requestId) = await ReviewFixture.InReviewCaseAsync(host, "PIN-R-0001", pages: 1, name: "primo.pdf");
        var desk = host.Services.GetRequiredService<ReviewDesk>();
        var queue = host.Services.GetRequiredService<ReviewQueue>();

        Assert.False((await desk.AskForNewFileAsync(caseId, "revisore1", [], null, default)).Ok);
        var asked = await desk.AskForNewFileAsync(caseId, "revisore1", ["form_signed", "id_both_sides"], "firma assente", default);
        Assert.True(asked.Ok, asked.Message);
        Assert.Contains("messaggio al cittadino messo in coda", asked.Message);
        var message = Assert.Single(await host.Store.GetOutboxAsync(caseId, unsentOnly: false));
        Assert.Equal(("letter", "resubmission-1", "mario.rossi@example.org"), (message.Kind, message.DedupeKey, message.Recipient));
        Assert.Contains("il modulo di richiesta stampato e firmato", message.Body);
        Assert.Contains("fronte e retro", message.Body);
        Assert.False((await desk.AskForNewFileAsync(caseId, "revisore2", ["legible_scan"], null, default)).Ok); // already waiting
        var item = Assert.Single(await queue.LoadAllAsync(default), i => i.Case.Id == caseId);
        Assert.True(item.AwaitingFile);
        Assert.Null(await desk.NextAsync("revisore2", QueueFilter.None, null, default));
        var portal = host.Portal();
        var status = await portal.GetFromJsonAsync<JsonElement>($"/api/cases/{caseId}");
        Assert.Contains(status.GetProperty("timeline").EnumerateArray(), e => e.GetProperty("event").GetString() == "awaiting_file");

        var upload = await TestHost.UploadAsync(portal, requestId, Samples.ScannedPdf(2, 620, 877), "secondo.pdf");
        Assert.Equal(HttpStatusCode.Accepted, upload.StatusCode);
        Assert.Equal(caseId, (await upload.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("case_id").GetString());
        var c = await host.WaitForStateAsync(caseId, TimeSpan.FromSeconds(60), CaseState.InReview, CaseState.Approved, CaseState.Rejected, CaseState.NeedsAttention);
        Assert.Equal(CaseState.InReview, c.State);
        Assert.Equal("secondo.pdf", c.Original.FileName);
        Assert.Equal(2, c.Pages!.Count);
        Assert.Single(await host.Store.ListCasesOfRequestsAsync([requestId]));
        var events = await host.Store.GetEventsAsync(caseId);
        Assert.Contains(events, e => e.Kind == "resubmission_requested" && e.By == Actor.Person("revisore1") && e.Detail!.Contains("il modulo firmato"));
        var joined = Assert.Single(events, e => e.Kind == "resubmitted");
        Assert.Contains("secondo.pdf", joined.Detail);
        Assert.Contains("previous file", joined.Detail);
        Assert.Contains("primo.pdf", joined.Detail);
        Assert.False((await host.Store.GetResubmissionAsync(caseId))!.Open);
        Assert.False(Assert.Single(await queue.LoadAllAsync(default), i => i.Case.Id == caseId).AwaitingFile);

        var approved = await desk.ApproveAsync(caseId, "revisore1", null, default);
        Assert.True(approved.Ok, approved.Message);
        Assert.Equal(CaseState.Approved, (await host.Store.GetCaseAsync(caseId))!.State);
        Assert.Equal(["resubmission-1", ""], (await host.Store.GetOutboxAsync(caseId, unsentOnly: false)).Select(m => m.DedupeKey));
    }
}
