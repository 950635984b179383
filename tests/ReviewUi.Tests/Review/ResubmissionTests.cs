using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using VerifyPipeline.Cases;
using VerifyPipeline.Cases.Tests.Storage;
using VerifyPipeline.ReviewUi.Review;
using static Microsoft.Playwright.Assertions;

namespace VerifyPipeline.ReviewUi.Tests.Review;

/// <summary>"Chiedi un nuovo file" (issue 15), in Chromium: the reviewer asks for a new file on the case page; the case
/// waits for a file on the same request, the citizen's message says what to send again, the case leaves "Next" and its
/// ageing pauses; the portal's next upload joins the case (same case id, both files in the history), which is read again,
/// shown with "Nuovo file arrivato", and approved on the same page, with its own letter beside the first message.</summary>
public sealed class ResubmissionTests : IDisposable
{
    private readonly TempDir _tmp = new();
    public void Dispose() => _tmp.Dispose();

    [Fact]
    public async Task AskForNewFile_ThenTheUploadJoinsTheCase_AndIsDecidedThere()
    {
        await using var host = ReviewFixture.Host("embedded", _tmp.Path);
        await using var browser = await ReviewBrowser.StartAsync(host);
        var (caseId, requestId) = await ReviewFixture.InReviewCaseAsync(host, "PIN-R-0001", pages: 1, name: "primo.pdf");
        var desk = host.Services.GetRequiredService<ReviewDesk>();
        var queue = host.Services.GetRequiredService<ReviewQueue>();

        Assert.False((await desk.AskForNewFileAsync(caseId, "revisore1", [], null, default)).Ok);
        var page = await browser.SignedInPageAsync($"/cases/{caseId}");
        page.Dialog += (_, d) => d.AcceptAsync();
        await page.ClickAsync("[data-testid=ask-file-panel] summary");
        await page.CheckAsync("#ask-file-form input[name=items][value=form_signed]");
        await page.CheckAsync("#ask-file-form input[name=items][value=id_both_sides]");
        await page.FillAsync("#ask-file-form textarea[name=note]", "firma assente");
        await page.ClickAsync("[data-testid=ask-file]");
        await Expect(page.Locator("[data-testid=flash]")).ToContainTextAsync("messaggio al cittadino messo in coda");
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

        await page.GotoAsync($"/cases/{caseId}");
        await Expect(page.Locator("[data-testid=new-file]")).ToContainTextAsync("Nuovo file arrivato dal portale");
        await Expect(page.Locator("[data-testid=files]")).ToContainTextAsync("primo.pdf");
        await page.ClickAsync("[data-testid=approve]");
        await Expect(page.Locator("[data-testid=flash]")).ToContainTextAsync("approvata");
        Assert.Equal(CaseState.Approved, (await host.Store.GetCaseAsync(caseId))!.State);
        Assert.Equal(["resubmission-1", ""], (await host.Store.GetOutboxAsync(caseId, unsentOnly: false)).Select(m => m.DedupeKey));
    }
}
