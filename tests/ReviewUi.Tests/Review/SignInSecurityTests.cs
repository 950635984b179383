using System.Net;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Mvc.Testing.Handlers;
using Microsoft.Extensions.Time.Testing;
using VerifyPipeline.Cases;
using VerifyPipeline.Cases.Tests.Storage;

namespace VerifyPipeline.ReviewUi.Tests.Review;

/// <summary>Issue 11, sign-in: each hole shown closed through the real host (SQLite, or PostgreSQL + Azurite). Before:
/// no rate limit, a fixed 15-minute lock that lived in one process's memory, and a cookie that stayed valid after sign-out.</summary>
public sealed class SignInSecurityTests : IDisposable
{
    private readonly TempDir _tmp = new();
    public void Dispose() => _tmp.Dispose();
    public static TheoryData<string> Backends => new() { "embedded", "scaled" };

    private static Task<HttpResponseMessage> TryAsync(HttpClient client, string token, string user, string password) =>
        client.PostAsync("/login", ReviewFixture.Form(token, ("user", user), ("password", password)));

    [Fact]
    public async Task SignIn_Answers429WithRetryAfter_PastTheLimitPerAddress_AndPerUserName()
    {
        // The backoff is pushed out of the way so that only the rate limiter answers.
        var settings = new Dictionary<string, string?>
        {
            ["Hosting:RunJobs"] = "false", ["Review:SignIn:BackoffAfterFailures"] = "1000",
            ["Review:SignIn:PermitsPerAddress"] = "20", ["Review:SignIn:PermitsPerUser"] = "10",
        };
        await using (var host = ReviewFixture.Host("embedded", Path.Combine(_tmp.Path, "per-address"), settings))
        {
            // One address, a new user name each time: 20 attempts in the window, then 429 with Retry-After and a page in Italian.
            using var client = await ReviewFixture.SignInAsync(host, null);
            var token = await ReviewFixture.TokenAsync(client);
            var statuses = new List<HttpStatusCode>();
            HttpResponseMessage? refused = null;
            for (var i = 0; i < 30; i++)
            {
                var r = await TryAsync(client, token, $"utente{i}", "sbagliata");
                statuses.Add(r.StatusCode);
                if (r.StatusCode == HttpStatusCode.TooManyRequests) refused ??= r;
            }
            Assert.Equal(Enumerable.Repeat(HttpStatusCode.Unauthorized, 20).Concat(Enumerable.Repeat(HttpStatusCode.TooManyRequests, 10)), statuses);
            Assert.InRange(refused!.Headers.RetryAfter!.Delta!.Value, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(1));
            Assert.Contains("Troppi tentativi di accesso da questo indirizzo o per questo utente", await refused.Content.ReadAsStringAsync());
            // Pages other than the sign-in POST are not limited.
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/login")).StatusCode);
        }

        settings["Review:SignIn:PermitsPerAddress"] = "1000";
        await using (var host = ReviewFixture.Host("embedded", Path.Combine(_tmp.Path, "per-user"), settings))
        {
            // One user name: 10 attempts are answered, the next ones get 429 ...
            using var client = await ReviewFixture.SignInAsync(host, null);
            var token = await ReviewFixture.TokenAsync(client);
            var sameUser = new List<HttpStatusCode>();
            for (var i = 0; i < 12; i++) sameUser.Add((await TryAsync(client, token, "revisore2", "sbagliata")).StatusCode);
            Assert.Equal(Enumerable.Repeat(HttpStatusCode.Unauthorized, 10).Concat(Enumerable.Repeat(HttpStatusCode.TooManyRequests, 2)), sameUser);
            // ... while another name from the same address is still answered.
            Assert.Equal(HttpStatusCode.Redirect, (await TryAsync(client, token, "revisore1", ReviewFixture.Password)).StatusCode);
        }
    }

    [Fact]
    public async Task SignIn_Succeeds_OnceTheBackoffAfterWrongPasswordsHasExpired_AndTheWaitDoubles()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var host = ReviewFixture.Host("embedded", _tmp.Path, new() { ["Hosting:RunJobs"] = "false" }, clock: clock);
        using var client = await ReviewFixture.SignInAsync(host, null);
        var token = await ReviewFixture.TokenAsync(client);

        for (var i = 0; i < 5; i++) Assert.Equal(HttpStatusCode.Unauthorized, (await TryAsync(client, token, "revisore1", "sbagliata")).StatusCode);
        var blocked = await TryAsync(client, token, "revisore1", ReviewFixture.Password);
        Assert.Equal(HttpStatusCode.Unauthorized, blocked.StatusCode);
        Assert.Contains("riprovi tra 1 minuto", await blocked.Content.ReadAsStringAsync());
        Assert.InRange(blocked.Headers.RetryAfter!.Delta!.Value, TimeSpan.FromSeconds(59), TimeSpan.FromSeconds(60));

        clock.Advance(TimeSpan.FromSeconds(61));
        Assert.Equal(HttpStatusCode.Unauthorized, (await TryAsync(client, token, "revisore1", "sbagliata")).StatusCode); // the 6th failure: 2 minutes
        clock.Advance(TimeSpan.FromSeconds(61));
        Assert.Contains("riprovi tra 1 minuto", await (await TryAsync(client, token, "revisore1", ReviewFixture.Password)).Content.ReadAsStringAsync());
        clock.Advance(TimeSpan.FromSeconds(60));
        Assert.Equal(HttpStatusCode.Redirect, (await TryAsync(client, token, "revisore1", ReviewFixture.Password)).StatusCode);

        // The successful sign-in cleared the failures: the next wrong password is an ordinary one.
        using var other = await ReviewFixture.SignInAsync(host, null);
        var wrong = await TryAsync(other, await ReviewFixture.TokenAsync(other), "revisore1", "sbagliata");
        Assert.Contains("Utente o password non corretti", await wrong.Content.ReadAsStringAsync());
    }

    [Theory, MemberData(nameof(Backends))]
    public async Task SignInBackoff_SurvivesARestart_OnTheSameDatabase(string backend)
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        string? postgres;
        await using (var first = ReviewFixture.Host(backend, _tmp.Path, new() { ["Hosting:RunJobs"] = "false" }, clock: clock))
        {
            using var client = await ReviewFixture.SignInAsync(first, null);
            var token = await ReviewFixture.TokenAsync(client);
            for (var i = 0; i < 5; i++) Assert.Equal(HttpStatusCode.Unauthorized, (await TryAsync(client, token, "revisore1", "sbagliata")).StatusCode);
            postgres = first.Postgres;
        }

        await using var second = ReviewFixture.Host(backend, _tmp.Path, new() { ["Hosting:RunJobs"] = "false" }, postgres, clock);
        using var again = await ReviewFixture.SignInAsync(second, null);
        var t = await ReviewFixture.TokenAsync(again);
        var blocked = await TryAsync(again, t, "revisore1", ReviewFixture.Password);
        Assert.Equal(HttpStatusCode.Unauthorized, blocked.StatusCode);
        Assert.Contains("Troppi tentativi non riusciti", await blocked.Content.ReadAsStringAsync());
        clock.Advance(TimeSpan.FromSeconds(61));
        Assert.Equal(HttpStatusCode.Redirect, (await TryAsync(again, t, "revisore1", ReviewFixture.Password)).StatusCode);
    }

    [Theory, MemberData(nameof(Backends))]
    public async Task SessionCookie_SavedBeforeSignOut_IsRefusedAfterIt(string backend)
    {
        await using var host = ReviewFixture.Host(backend, _tmp.Path, new() { ["Hosting:RunJobs"] = "false" });
        var jar = new CookieContainer();
        var site = new Uri("http://localhost");
        using var browser = host.CreateDefaultClient(site, new CookieContainerHandler(jar));
        var signedIn = await TryAsync(browser, await ReviewFixture.TokenAsync(browser), "revisore1", ReviewFixture.Password);
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        var saved = jar.GetCookieHeader(site);
        Assert.Contains("vp_revisione=", saved);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/queue")).StatusCode);

        var signedOut = await browser.PostAsync("/logout", ReviewFixture.Form(await ReviewFixture.TokenAsync(browser)));
        Assert.Equal(HttpStatusCode.Redirect, signedOut.StatusCode);
        await using (var db = await host.Store.Database.OpenAsync())
            Assert.Equal(0L, Convert.ToInt64(await db.ScalarAsync(null, "select count(*) from review_sessions", default)));

        using var replay = host.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        replay.DefaultRequestHeaders.Add("Cookie", saved);
        var r = await replay.GetAsync("/queue");
        Assert.Equal(HttpStatusCode.Redirect, r.StatusCode);
        Assert.Contains("/login", r.Headers.Location!.ToString());
    }
}
