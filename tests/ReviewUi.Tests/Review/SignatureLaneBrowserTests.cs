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

/// <summary>The signature lane in Chromium (issue 15): three cases whose only question is the signature, decided one after
/// another with one key each and no page load between them; "different" is a four-eyes proposal, not a rejection; a case
/// with another open question is not in the lane; with the shortcuts turned off a key does nothing. Prints the key
/// presses and page loads per decision.</summary>
public sealed class SignatureLaneBrowserTests(ITestOutputHelper output) : IDisposable
{
    private readonly TempDir _tmp = new();
    public void Dispose() => _tmp.Dispose();

    [Fact]
    public async Task Lane_DecidesSignatureOnlyCases_OneKeyEach_WithoutPageLoads()
    {
        await using var host = ReviewFixture.Host("embedded", _tmp.Path);
        await using var browser = await ReviewBrowser.StartAsync(host);
        var lane = new List<string>();
        for (var n = 1; n <= 3; n++)
        {
            var pin = $"PIN-L-000{n}";
            var r = await ReviewSearchTests.RequestAsync(host, pin, ReviewSearchTests.GiuliaCf, "Bianchi", "Giulia");
            await host.Store.UpsertPinAsync(new Pin(pin, ReviewSearchTests.GiuliaCf, PinType.Online, false, DateTimeOffset.UtcNow));
            // Real crops (drawn by the corpus's synthetic hand), so the lane and its screenshot show what a reviewer compares.
            var crops = await ReportSamples.SignatureCropsAsync(host.Blobs, writer: 40 + n);
            lane.Add(await FindAnythingBrowserTests.InReviewAsync(host, Channel.Portal, r.Id,
                ReportSamples.Report(ReportSamples.Facts(ReportSamples.Cf, signature: 0.88, requestId: r.Id, pin: pin), crops), ["SIGNATURE_MISMATCH"]));
        }
        // The father's codice fiscale: an identity question besides the signature — not a lane case.
        var other = await ReviewSearchTests.RequestAsync(host, "PIN-L-0009", ReportSamples.FatherCf, "Bianchi", "Giulia");
        var notLane = await FindAnythingBrowserTests.InReviewAsync(host, Channel.Portal, other.Id,
            ReportSamples.Report(ReportSamples.Facts(ReportSamples.FatherCf, signature: 0.88, requestId: other.Id, pin: "PIN-L-0009")), ["IDENTITY_MISMATCH", "SIGNATURE_MISMATCH"]);

        var page = await browser.SignedInPageAsync("/lane", width: 1280);
        await Expect(page.Locator("h1")).ToHaveTextAsync("Corsia firme");
        var root = page.Locator("[data-lane]");
        await Expect(root).ToHaveAttributeAsync("data-lane-case", lane[0]);
        await Expect(page.Locator("[data-lane-count]")).ToHaveTextAsync("3 da decidere");
        await Expect(root).ToContainTextAsync("Firma incerta: somiglianza 0,88");
        Assert.DoesNotContain(notLane, await page.Locator("#lane-data").TextContentAsync() ?? "");
        // Both crops are shown (loaded, not the "ritaglio non disponibile" placeholder).
        await page.WaitForFunctionAsync("() => [...document.querySelectorAll('[data-lane-img]')].every(i => !i.hidden && i.complete && i.naturalWidth > 100)");
        await Expect(root.Locator(".placeholder:visible")).ToHaveCountAsync(0);
        await page.ScreenshotAsync(new() { Path = Path.Combine(ReviewBrowser.Screenshots(), "ui-lane.png") });

        // With the shortcuts turned off (WCAG 2.1.4) a key does nothing; turned on again, one key decides.
        await page.CheckAsync("[data-shortcuts-toggle]");
        await page.UncheckAsync("[data-shortcuts-toggle]");
        await page.Locator("h1").ClickAsync();
        await page.Keyboard.PressAsync("a");
        await Expect(root).ToHaveAttributeAsync("data-lane-case", lane[0]);
        await page.CheckAsync("[data-shortcuts-toggle]");
        await page.Locator("h1").ClickAsync();

        var loads = 0;
        page.Load += (_, _) => loads++;
        var url = page.Url;
        var status = page.Locator("[data-testid=lane-status]");
        await page.Keyboard.PressAsync("a");
        await Expect(status).ToContainTextAsync("approvata");
        await Expect(root).ToHaveAttributeAsync("data-lane-case", lane[1]);
        await page.Keyboard.PressAsync("d");
        await Expect(status).ToContainTextAsync("serve la conferma di un secondo revisore");
        await Expect(root).ToHaveAttributeAsync("data-lane-case", lane[2]);
        await page.Keyboard.PressAsync("a");
        await Expect(root).ToHaveAttributeAsync("data-lane-case", "");
        await Expect(page.Locator("[data-lane-done]")).ToBeVisibleAsync();
        output.WriteLine($"signature lane: 3 decisions, 3 key presses (1 per decision), {loads} page loads between cases");
        Assert.Equal(0, loads);
        Assert.Equal(url, page.Url);

        Assert.Equal(CaseState.Approved, (await host.Store.GetCaseAsync(lane[0]))!.State);
        Assert.Equal(CaseState.InReview, (await host.Store.GetCaseAsync(lane[1]))!.State);
        var proposal = (await host.Store.GetPendingDecisionAsync(lane[1]))!;
        Assert.Equal(("reject", "revisore1"), (proposal.Decision, proposal.ProposedBy));
        Assert.Equal(["SIGNATURE_MISMATCH"], proposal.Reasons);
        Assert.Equal(CaseState.Approved, (await host.Store.GetCaseAsync(lane[2]))!.State);
        Assert.Equal(PinType.Dispositivo, (await host.Store.GetPinAsync("PIN-L-0001"))!.Type);
        Assert.Equal(CaseState.InReview, (await host.Store.GetCaseAsync(notLane))!.State);

        // Loaded again, the lane is empty: the proposal on lane[1] waits for a second reviewer, not for its proposer.
        await page.GotoAsync("/lane");
        await Expect(page.Locator("[data-testid=lane-empty]")).ToBeVisibleAsync();
    }
}
