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

/// <summary>Key presses per decision in Chromium (issue 15, target ≤ 4 for an identity rejection): the machine's reason is
/// pre-ticked, R opens the rejection with the focus on its button, Enter rejects. Printed per run.</summary>
public sealed class DecisionKeysBrowserTests(ITestOutputHelper output) : IDisposable
{
    private readonly TempDir _tmp = new();
    public void Dispose() => _tmp.Dispose();

    [Fact]
    public async Task IdentityRejection_TakesTwoKeys()
    {
        await using var host = ReviewFixture.Host("embedded", _tmp.Path);
        await using var browser = await ReviewBrowser.StartAsync(host);
        // The father's codice fiscale with the daughter's name and document: IDENTITY_MISMATCH, a certain failure for a person.
        var caseId = await EvidencePageTests.CaseWithReportAsync(host, "PIN-K-0001", ReportSamples.FatherCf,
            id => ReportSamples.Facts(ReportSamples.FatherCf, requestId: id, pin: "PIN-K-0001"));

        var page = await browser.SignedInPageAsync($"/cases/{caseId}");
        await Expect(page).ToHaveURLAsync(new Regex($"/cases/{caseId}$"));
        await Expect(page.Locator("input[name=reasons][value=IDENTITY_MISMATCH]")).ToBeCheckedAsync();

        var keys = 0;
        await page.Keyboard.PressAsync("r"); keys++;
        await Expect(page.Locator("[data-testid=reject]")).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Enter"); keys++;
        await Expect(page.Locator("[data-testid=flash]")).ToContainTextAsync("respinta");
        output.WriteLine($"identity rejection: {keys} key presses");
        Assert.True(keys <= 4);
        var c = (await host.Store.GetCaseAsync(caseId))!;
        Assert.Equal(CaseState.Rejected, c.State);
        Assert.Equal(["IDENTITY_MISMATCH"], c.Reasons);
    }
}
