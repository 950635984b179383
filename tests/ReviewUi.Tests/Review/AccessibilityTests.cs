using System.Text.Json;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using VerifyPipeline.Cases;
using VerifyPipeline.Cases.Tests.Storage;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace VerifyPipeline.ReviewUi.Tests.Review;

/// <summary>axe-core (npm, installed by scripts/setup.sh --test; test.sh names it in VP_TEST_AXE) on the review desk's
/// pages in Chromium, WCAG 2.1 A and AA rules: the queue with a search, a signature-only case and an unmatched fax, with no
/// violation. Each violation is printed with the elements it was found on. The test's browser bypasses the pages' CSP
/// (script-src 'self') to inject axe; the pages themselves run no inline script.</summary>
public sealed class AccessibilityTests(ITestOutputHelper output) : IDisposable
{
    private readonly TempDir _tmp = new();
    public void Dispose() => _tmp.Dispose();

    [Fact]
    public async Task QueueAndCasePages_HaveNoAxeViolations()
    {
        var axe = Environment.GetEnvironmentVariable("VP_TEST_AXE");
        Assert.True(axe is not null && File.Exists(axe), $"axe-core not found ({axe ?? "VP_TEST_AXE unset"}): run the tests with ./test.sh, which installs it.");
        await using var host = ReviewFixture.Host("embedded", _tmp.Path);
        await using var browser = await ReviewBrowser.StartAsync(host);
        var giulia = await ReviewSearchTests.RequestAsync(host, "PIN-X-0001", ReviewSearchTests.GiuliaCf, "Bianchi", "Giulia");
        await host.Store.UpsertPinAsync(new Pin("PIN-X-0001", ReviewSearchTests.GiuliaCf, PinType.Online, false, DateTimeOffset.UtcNow));
        var signatureOnly = await FindAnythingBrowserTests.InReviewAsync(host, Channel.Portal, giulia.Id,
            ReportSamples.Report(ReportSamples.Facts(ReportSamples.Cf, signature: 0.88, requestId: giulia.Id, pin: "PIN-X-0001")));
        var fax = await FindAnythingBrowserTests.InReviewAsync(host, Channel.Fax, null, ReportSamples.Report(ReportSamples.Facts(ReportSamples.Cf, requestId: giulia.Id)));

        var page = await browser.SignedInPageAsync("/login", bypassCsp: true);

        var total = 0;
        foreach (var url in new[] { "/queue", "/queue?q=bianchi", "/lane", $"/cases/{signatureOnly}", $"/cases/{fax}", $"/cases/{fax}?cerca=bianchi" })
        {
            await page.GotoAsync(url);
            total += await ViolationsAsync(page, axe!, url);
        }
        await using var anonymous = await browser.ContextAsync(bypassCsp: true);
        var login = await anonymous.NewPageAsync();
        await login.GotoAsync("/login");
        total += await ViolationsAsync(login, axe!, "/login");
        Assert.Equal(0, total);
    }

    private async Task<int> ViolationsAsync(IPage page, string axe, string url)
    {
        await page.AddScriptTagAsync(new() { Path = axe });
        var violations = await page.EvaluateAsync<JsonElement>("""
            async () => (await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } }))
              .violations.map(v => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.length, where: v.nodes.slice(0, 3).map(n => n.target.join(' ')) }))
            """);
        var count = violations.GetArrayLength();
        output.WriteLine($"axe {url}: {count} violations");
        foreach (var v in violations.EnumerateArray()) output.WriteLine("  " + v.GetRawText());
        return count;
    }
}
