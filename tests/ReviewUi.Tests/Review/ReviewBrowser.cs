using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace VerifyPipeline.ReviewUi.Tests.Review;

/// <summary>The browser tests' common setting: the host served by Kestrel on a free loopback port, a real Chromium
/// (Playwright; the executable from <c>PLAYWRIGHT_CHROMIUM_EXECUTABLE</c>, which test.sh sets), contexts in Italian at a
/// desk's screen size, and signing in through the sign-in page as a reviewer would. One browser per test, as before.</summary>
public sealed class ReviewBrowser : IAsyncDisposable
{
    private readonly IPlaywright _playwright;
    public IBrowser Browser { get; }
    public string BaseUrl { get; }

    private ReviewBrowser(IPlaywright playwright, IBrowser browser, string baseUrl) => (_playwright, Browser, BaseUrl) = (playwright, browser, baseUrl);

    /// <summary>Starts the host's Kestrel server (before any case is made through it is fine too) and a Chromium.</summary>
    public static async Task<ReviewBrowser> StartAsync(TestHost host)
    {
        host.UseKestrel(0);
        host.StartServer();
        var baseUrl = host.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = Environment.GetEnvironmentVariable("PLAYWRIGHT_CHROMIUM_EXECUTABLE") ?? "/usr/bin/chromium",
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run", "--disable-sync"],
        });
        return new ReviewBrowser(playwright, browser, baseUrl);
    }

    /// <summary>A fresh browser context (its own cookies: one person) in Italian.</summary>
    /// <param name="bypassCsp">For a test that injects a script (axe-core) into pages whose CSP allows only their own.</param>
    public Task<IBrowserContext> ContextAsync(int width = 1440, int height = 900, bool bypassCsp = false) =>
        Browser.NewContextAsync(Options(width, height, bypassCsp));

    public BrowserNewContextOptions Options(int width = 1440, int height = 900, bool bypassCsp = false) =>
        new() { BaseURL = BaseUrl, ViewportSize = new() { Width = width, Height = height }, Locale = "it-IT", BypassCSP = bypassCsp };

    /// <summary>A page of a new context that opens <paramref name="url"/> and signs in as <paramref name="user"/> on the
    /// sign-in page it is sent to; it then stands where the sign-in took it (<paramref name="url"/>).</summary>
    public async Task<IPage> SignedInPageAsync(string url, string user = "revisore1", int width = 1440, int height = 900, bool bypassCsp = false)
    {
        var ctx = await ContextAsync(width, height, bypassCsp);
        var page = await ctx.NewPageAsync();
        await page.GotoAsync(url);
        await SignInAsync(page, user);
        return page;
    }

    /// <summary>Fills the sign-in page the browser stands on and waits until the top bar names the user.</summary>
    public static async Task SignInAsync(IPage page, string user = "revisore1")
    {
        await page.FillAsync("input[name=user]", user);
        await page.FillAsync("input[name=password]", ReviewFixture.Password);
        await page.ClickAsync("button[type=submit].primary");
        await Expect(page.Locator("[data-testid=user]")).ToHaveTextAsync(user);
    }

    /// <summary>Where the tests write screenshots (copied by hand into docs/ when the UI changes).</summary>
    public static string Screenshots(string backend = "embedded")
    {
        var dir = Path.Combine(AppContext.BaseDirectory, "screenshots", backend);
        Directory.CreateDirectory(dir);
        return dir;
    }

    public async ValueTask DisposeAsync()
    {
        await Browser.DisposeAsync();
        _playwright.Dispose();
    }
}
