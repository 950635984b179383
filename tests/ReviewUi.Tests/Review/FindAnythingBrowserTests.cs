using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using VerifyPipeline.Cases;
using VerifyPipeline.Cases.Tests.Storage;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace VerifyPipeline.ReviewUi.Tests.Review;

/// <summary>Find anything in Chromium (issue 15): the queue's search finds a case by codice fiscale (and by a surname with a
/// typo); an unmatched fax offers the request its verified QR names and is matched in one click. Prints the reviewer's
/// actions (clicks and key presses) and page loads for each, and keeps the screenshots (embedded/ui-*.png).</summary>
public sealed class FindAnythingBrowserTests(ITestOutputHelper output) : IDisposable
{
    private readonly TempDir _tmp = new();
    public void Dispose() => _tmp.Dispose();

    [Fact]
    public async Task Queue_FindsACaseByCodiceFiscale_AndAnUnmatchedFaxIsMatchedInOneClick()
    {
        await using var host = ReviewFixture.Host("embedded", _tmp.Path);
        await using var browser = await ReviewBrowser.StartAsync(host);
        var giulia = await ReviewSearchTests.RequestAsync(host, "PIN-F-0001", ReviewSearchTests.GiuliaCf, "Bianchi", "Giulia");
        var marco = await ReviewSearchTests.RequestAsync(host, "PIN-F-0002", ReviewSearchTests.MarcoCf, "Esposito", "Marco");
        var marcoCase = await InReviewAsync(host, Channel.Portal, marco.Id, null);
        // Giulia faxed her form: the QR was read and verified, but the pipeline did not match it (e.g. it arrived before
        // the portal's request reached us); what it read is in the report.
        var fax = await InReviewAsync(host, Channel.Fax, null, ReportSamples.Report(ReportSamples.Facts(ReportSamples.Cf, requestId: giulia.Id)));
        var shots = ReviewBrowser.Screenshots();

        var page = await browser.SignedInPageAsync("/queue");
        var loads = 0;
        page.Load += (_, _) => loads++;
        await Expect(page.Locator("h1")).ToHaveTextAsync("Coda delle pratiche");

        // A citizen calls with her codice fiscale: focus the box, type it, Enter, open the case.
        loads = 0;
        var actions = 0;
        await page.FocusAsync("#q"); actions++;
        await page.Keyboard.TypeAsync(ReviewSearchTests.MarcoCf.ToLowerInvariant()); actions++; // typing counted as one action
        await page.Keyboard.PressAsync("Enter"); actions++;
        var results = page.Locator("[data-testid=search-results]");
        await Expect(results).ToContainTextAsync("Risultati per");
        await Expect(results.Locator($"tr[data-result='{marcoCase}']")).ToContainTextAsync("codice fiscale");
        await results.Locator($"tr[data-result='{marcoCase}'] a.case-link").ClickAsync(); actions++;
        await Expect(page).ToHaveURLAsync(new Regex($"/cases/{marcoCase}$"));
        output.WriteLine($"search by codice fiscale → case open: {actions} actions, {loads} page loads");
        Assert.True(actions <= 4 && loads <= 2, $"{actions} actions, {loads} page loads");

        // A surname with a typo still finds the case, and says it is a near match.
        await page.GotoAsync("/queue?q=Espositto");
        await Expect(page.Locator($"[data-testid=search-results] tr[data-result='{marcoCase}']")).ToContainTextAsync("cognome simile");
        await page.ScreenshotAsync(new() { Path = Path.Combine(shots, "ui-search.png") });

        // The unmatched fax: open it from the queue, its candidate is Giulia's request (verified QR), one click matches it.
        await page.GotoAsync("/queue?state=unmatched");
        loads = 0;
        actions = 0;
        await page.Locator($"tr[data-case='{fax}'] a.case-link").ClickAsync(); actions++;
        var card = page.Locator("[data-testid=decision-card]");
        await Expect(card).ToContainTextAsync("Fax non abbinato");
        var candidate = card.Locator($"[data-candidate='{giulia.Id}']");
        await Expect(candidate).ToContainTextAsync("QR del modulo autentico");
        await Expect(candidate).ToContainTextAsync("Bianchi Giulia");
        Assert.DoesNotContain("{\"", await page.Locator("body").InnerTextAsync());
        await card.ScreenshotAsync(new() { Path = Path.Combine(shots, "ui-fax-match.png") });
        await candidate.Locator("[data-testid=match-candidate]").ClickAsync(); actions++;
        await Expect(page.Locator("[data-testid=flash]")).ToContainTextAsync("Fax abbinato alla richiesta");
        output.WriteLine($"fax match: {actions} actions, {loads} page loads");
        Assert.True(actions <= 3, $"fax match took {actions} actions");
        var matched = (await host.Store.GetCaseAsync(fax))!;
        Assert.Equal(giulia.Id, matched.RequestId);
        Assert.Contains(await host.Store.GetEventsAsync(fax), e => e.Kind == "matched" && e.By == Actor.Person("revisore1"));
    }

    /// <summary>A case InReview (its file is not in the blob store: the page only shows it), with a stored report or none.</summary>
    internal static async Task<string> InReviewAsync(TestHost host, Channel channel, string? requestId, string? report, IReadOnlyList<string>? reasons = null)
    {
        var sha = Convert.ToHexString(RandomNumberGenerator.GetBytes(32)).ToLowerInvariant();
        var (c, _) = await host.Store.CreateCaseAsync(new NewCase(channel == Channel.Fax ? "fax-gateway" : "portal", channel, requestId,
            new OriginalFile(sha, channel == Channel.Fax ? "fax-20261202-0001.tif" : "richiesta.pdf", 48_213, channel == Channel.Fax ? FileKind.Tiff : FileKind.Pdf), null, null));
        await host.Store.TransitionAsync(c.Id, [CaseState.Received], CaseState.Processing, "processing", Actor.Machine("pipeline"), null);
        Assert.True(await host.Store.DecideAsync(c.Id, [CaseState.Processing], new DecisionOutcome(CaseState.InReview, "review", reasons ?? [],
            requestId is null ? "3 page(s) read; unmatched fax (the QR code on page 1 names no known request): a reviewer matches it to its request" : "3 page(s) read; SIGNATURE_MISMATCH: a reviewer decides",
            null, null) { Report = report }, Actor.Machine("pipeline")));
        return c.Id;
    }
}
