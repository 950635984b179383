using System.Security.Cryptography;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using VerifyPipeline.Cases;
using VerifyPipeline.Cases.Tests.Storage;
using static Microsoft.Playwright.Assertions;

namespace VerifyPipeline.ReviewUi.Tests.Review;

/// <summary>The supervisor's calibration view on reviewed signature pairs in Chromium (issue 13): with the edge in force
/// it says what passed, an edge typed in recomputes what it would have done (rejected pairs passing, with the 95 % upper
/// bound), a proposal is shown, and the edge in force stays what the configuration says
/// (<c>Pipeline:Policy:Signature:CompatiblePass</c>, here 0.8 rather than the default).</summary>
public sealed class SignatureEdgeBrowserTests : IDisposable
{
    private readonly TempDir _tmp = new();
    public void Dispose() => _tmp.Dispose();

    [Fact]
    public async Task SupervisionPage_RecomputesWhatAnEdgeWouldHaveDone_AndLeavesTheEdgeInForce()
    {
        await using var host = ReviewFixture.Host("embedded", _tmp.Path, new() { ["Pipeline:Policy:Signature:CompatiblePass"] = "0.8" });
        host.UseKestrel(0);
        host.StartServer();
        var baseUrl = host.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        foreach (var (score, accepted) in new[] { (0.93, true), (0.71, true), (0.15, false), (0.66, false) })
        {
            var sha = Convert.ToHexString(RandomNumberGenerator.GetBytes(32)).ToLowerInvariant();
            var (c, _) = await host.Store.CreateCaseAsync(new NewCase("fax-gateway", Channel.Fax, null, new OriginalFile(sha, "fax.tif", 1000, FileKind.Tiff), null, null));
            await host.Store.RecordSignatureVerdictAsync(new SignatureVerdict(c.Id, "revisore1", accepted, score, "compatible", null, null, DateTimeOffset.UtcNow));
        }
        const string inForce = "0.8";

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = Environment.GetEnvironmentVariable("PLAYWRIGHT_CHROMIUM_EXECUTABLE") ?? "/usr/bin/chromium",
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run", "--disable-sync"],
        });
        await using var ctx = await browser.NewContextAsync(new() { BaseURL = baseUrl, Locale = "it-IT" });
        var page = await ctx.NewPageAsync();
        await page.GotoAsync("/supervision");
        await page.FillAsync("input[name=user]", "supervisore");
        await page.FillAsync("input[name=password]", ReviewFixture.Password);
        await page.ClickAsync("button[type=submit].primary");

        var outcome = page.Locator("[data-testid=edge-outcome]");
        var proposal = page.Locator("[data-testid=edge-proposal]");
        await Expect(outcome).ToContainTextAsync($"Con la soglia {inForce}: passerebbero 1 di 2 coppie accettate e 0 di 2 coppie respinte");
        await Expect(page.Locator("[data-testid=accepted-bins] td")).ToHaveTextAsync(["0", "0", "0", "0", "0", "0", "0", "1", "0", "1"]);
        await Expect(page.Locator("[data-testid=rejected-bins] td")).ToHaveTextAsync(["0", "1", "0", "0", "0", "0", "1", "0", "0", "0"]);

        await page.FillAsync("input[name=edge]", "0.6");
        await page.ClickAsync("[data-testid=signature-edge] button[type=submit]");
        await Expect(outcome).ToContainTextAsync("Con la soglia 0.6: passerebbero 2 di 2 coppie accettate e 1 di 2 coppie respinte");
        await Expect(outcome).ToContainTextAsync("limite superiore al 95 %");
        await Expect(proposal).ToContainTextAsync("Soglia proposta (la più bassa che non fa passare nessuna coppia respinta): 0.67");
        await Expect(proposal).ToContainTextAsync($"Soglia in vigore (modalità compatibile): {inForce}");

        // Trying an edge changed nothing: the page opened afresh works at the edge in force.
        await page.GotoAsync("/supervision");
        await Expect(page.Locator("input[name=edge]")).ToHaveValueAsync(inForce);
        await Expect(outcome).ToContainTextAsync($"Con la soglia {inForce}:");
    }
}
