using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Microsoft.Playwright;
using VerifyPipeline.Cases;
using VerifyPipeline.Cases.Tests.Storage;
using static Microsoft.Playwright.Assertions;

namespace VerifyPipeline.ReviewUi.Tests.Review;

/// <summary>An expired session in Chromium (issue 15): a rejection submitted after the idle timeout leads to the sign-in
/// page; signed in again, the reviewer is back on the case told "Azione non eseguita", nothing was recorded, and the note
/// typed is back in the form — submitting it again records the rejection. The expiry warning shows before the timeout.</summary>
public sealed class SessionExpiryBrowserTests : IDisposable
{
    private readonly TempDir _tmp = new();
    public void Dispose() => _tmp.Dispose();

    [Fact]
    public async Task RejectionAfterExpiry_IsNotLost_ItIsSaidNotDone_AndTheNoteIsKept()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        // A short idle timeout so the warning (a quarter of it before the end, here) shows within the test.
        await using var host = ReviewFixture.Host("embedded", _tmp.Path, new() { ["Review:SessionIdleTimeout"] = "00:00:08" }, clock: clock);
        await using var browser = await ReviewBrowser.StartAsync(host);
        var r = await ReviewSearchTests.RequestAsync(host, "PIN-E-0009", ReviewSearchTests.GiuliaCf, "Bianchi", "Giulia");
        var caseId = await FindAnythingBrowserTests.InReviewAsync(host, Channel.Portal, r.Id, null, ["FORM_NOT_SIGNED"]);

        var page = await (await browser.ContextAsync()).NewPageAsync();
        page.Dialog += (_, d) => d.AcceptAsync();
        await page.GotoAsync($"/cases/{caseId}");
        await ReviewBrowser.SignInAsync(page);
        await Expect(page).ToHaveURLAsync(new Regex($"/cases/{caseId}$"));
        await Expect(page.Locator("[data-testid=session-warning]")).ToBeVisibleAsync(new() { Timeout = 15_000 });
        await Expect(page.Locator("[data-testid=session-warning]")).ToContainTextAsync("La sessione scade alle");

        const string note = "Il modulo non è firmato: manca la firma nel riquadro in basso.";
        await page.Keyboard.PressAsync("r");
        await page.CheckAsync("input[name=reasons][value=FORM_NOT_SIGNED]");
        await page.FillAsync("#reject-form textarea[name=note]", note);
        clock.Advance(TimeSpan.FromMinutes(1)); // the server-side session ends (idle timeout passed)
        await page.ClickAsync("[data-testid=reject]");

        await Expect(page).ToHaveURLAsync(new Regex("/login"));
        Assert.Equal(CaseState.InReview, (await host.Store.GetCaseAsync(caseId))!.State);
        await ReviewBrowser.SignInAsync(page);
        await Expect(page).ToHaveURLAsync(new Regex($"/cases/{caseId}/Reject$"));
        await Expect(page.Locator("[data-testid=flash]")).ToContainTextAsync("Azione non eseguita: «Respingi» non è stata registrata");
        await Expect(page.Locator("#reject-form textarea[name=note]")).ToHaveValueAsync(note);
        Assert.Equal(CaseState.InReview, (await host.Store.GetCaseAsync(caseId))!.State);

        await page.CheckAsync("input[name=reasons][value=FORM_NOT_SIGNED]");
        await page.ClickAsync("[data-testid=reject]");
        await Expect(page.Locator("[data-testid=flash]")).ToContainTextAsync("respinta");
        var rejected = (await host.Store.GetCaseAsync(caseId))!;
        Assert.Equal(CaseState.Rejected, rejected.State);
        Assert.Contains(await host.Store.GetEventsAsync(caseId), e => e.Kind == "decided" && e.Detail!.Contains(note));
    }
}
