using System.Net;
using Microsoft.Extensions.DependencyInjection;
using VerifyPipeline.ReviewUi.Review;
using VerifyPipeline.Cases.Tests.Storage;

namespace VerifyPipeline.ReviewUi.Tests.Review;

/// <summary>Every route of the review UI × every role (and anonymous) → the expected answer. Anonymous people are sent
/// to the sign-in page; a signed-in user without the role gets 403; the API never accepts the UI's cookie.</summary>
public sealed class AccessTests : IDisposable
{
    private readonly TempDir _tmp = new();
    public void Dispose() => _tmp.Dispose();

    private const int Login = -302; // a redirect to the sign-in page
    private static readonly string?[] Who = [null, "revisore1", "supervisore", "admin"];

    // route → expected status for: anonymous, reviewer, supervisor, admin. 302 = redirect elsewhere (not to sign-in).
    private static readonly (string Method, string Route, int[] Expected)[] Matrix =
    [
        ("GET", "/", [Login, 302, 302, 302]),
        ("GET", "/login", [200, 200, 200, 200]),
        ("GET", "/assets/review.css", [200, 200, 200, 200]),
        ("GET", "/assets/review.js", [200, 200, 200, 200]),
        ("GET", "/queue", [Login, 200, 200, 403]),
        ("GET", "/queue?state=four-eyes&age=overdue", [Login, 200, 200, 403]),
        ("GET", "/queue?q=RSSMRA80A01H501U", [Login, 200, 200, 403]),
        ("GET", "/lane", [Login, 200, 200, 403]),
        ("GET", "/cases/{id}", [Login, 200, 200, 403]),
        ("GET", "/cases/{id}?cerca=rossi", [Login, 200, 200, 403]),
        ("GET", "/cases/no-such-case", [Login, 404, 404, 403]),
        ("GET", "/cases/{id}/pages/1", [Login, 200, 200, 403]),
        ("GET", "/cases/{id}/pages/99", [Login, 404, 404, 403]),
        ("GET", "/cases/{id}/original", [Login, 200, 200, 403]),
        ("GET", "/cases/{id}/signatures/form", [Login, 404, 404, 403]), // a scan of test patterns: no signature crop kept
        ("GET", "/supervision", [Login, 403, 200, 200]),
        ("GET", "/hangfire", [Login, 403, 403, 200]),
        ("GET", "/hangfire/jobs/succeeded", [Login, 403, 403, 200]),
        ("GET", "/api/cases", [401, 401, 401, 401]),
        ("GET", "/api/cases/{id}", [401, 401, 401, 401]),
        ("GET", "/api/cases/{id}/pages/1", [401, 401, 401, 401]),
        ("GET", "/health/live", [200, 200, 200, 200]),
        ("POST", "/queue/Next", [Login, 302, 302, 403]),
        ("POST", "/cases/{id}/Claim", [Login, 302, 302, 403]),
        ("POST", "/cases/{id}/Release", [Login, 302, 302, 403]),
        ("POST", "/cases/{id}/Approve", [Login, 302, 302, 403]),
        ("POST", "/cases/{id}/Reject", [Login, 302, 302, 403]),
        ("POST", "/cases/{id}/Confirm", [Login, 302, 302, 403]),
        ("POST", "/cases/{id}/Decline", [Login, 302, 302, 403]),
        ("POST", "/cases/{id}/Match", [Login, 302, 302, 403]),
        ("POST", "/cases/{id}/Retry", [Login, 302, 302, 403]),
        ("POST", "/cases/{id}/Rerun", [Login, 302, 302, 403]),
        ("POST", "/cases/{id}/Correct", [Login, 302, 302, 403]),
        ("POST", "/lane/Decide", [Login, 400, 400, 403]), // no case named: a JSON refusal, nothing written
        // erasure by codice fiscale (the supervision page's policy): the empty form reaches the handler and is refused
        // for its missing confirmation (400, nothing erased) — a reviewer never reaches it
        ("POST", "/supervision?handler=Erase", [Login, 403, 400, 400]),
        ("POST", "/logout", [302, 302, 302, 302]),
    ];

    [Fact]
    public async Task EveryRoute_AnswersAsExpected_ForEveryRole()
    {
        await using var host = ReviewFixture.Host("embedded", _tmp.Path);
        var (caseId, _) = await ReviewFixture.InReviewCaseAsync(host, "PIN-A-0001");
        var failures = new List<string>();
        for (var w = 0; w < Who.Length; w++)
        {
            foreach (var (method, template, expected) in Matrix)
            {
                // A fresh session per request: /logout and decisions must not change what the next row sees.
                using var client = await ReviewFixture.SignInAsync(host, Who[w]);
                var route = template.Replace("{id}", caseId);
                HttpResponseMessage r = method == "GET"
                    ? await client.GetAsync(route)
                    // Empty forms: the reviewer's Approve decides the case, every other action is refused by the desk
                    // (no reasons, no request id, wrong state) and answers with a redirect to the case and a message.
                    : await client.PostAsync(route, ReviewFixture.Form(await ReviewFixture.TokenAsync(client)));
                var location = r.Headers.Location?.ToString() ?? "";
                var got = (int)r.StatusCode == 302 && location.Contains("/login") && !route.StartsWith("/logout") ? Login : (int)r.StatusCode;
                if (got != expected[w]) failures.Add($"{method} {template} as {Who[w] ?? "anonymous"}: expected {expected[w]}, got {got} {location}");
                if (route.StartsWith("/api/") && r.StatusCode == HttpStatusCode.Unauthorized)
                    Assert.Equal("application/problem+json", r.Content.Headers.ContentType?.MediaType);
            }
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public async Task Post_IsRefused_WithoutAntiforgeryToken()
    {
        await using var host = ReviewFixture.Host("embedded", _tmp.Path, new() { ["Hosting:RunJobs"] = "false" });
        using var reviewer = await ReviewFixture.SignInAsync(host, "revisore1");
        var r = await reviewer.PostAsync("/queue/Next", ReviewFixture.Form(null));
        Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode);
        var forged = await reviewer.PostAsync("/queue/Next", ReviewFixture.Form("CfDJ8-not-a-real-token"));
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        using var anonymous = await ReviewFixture.SignInAsync(host, null);
        var login = await anonymous.PostAsync("/login", ReviewFixture.Form(null, ("user", "revisore1"), ("password", ReviewFixture.Password)));
        Assert.Equal(HttpStatusCode.BadRequest, login.StatusCode);
    }

    [Fact]
    public async Task SignIn_IsRefused_ForWrongPassword_AndLocksAfterRepeatedFailures()
    {
        await using var host = ReviewFixture.Host("embedded", _tmp.Path, new() { ["Hosting:RunJobs"] = "false" });
        using var client = await ReviewFixture.SignInAsync(host, null);
        for (var i = 0; i < 5; i++)
        {
            var wrong = await client.PostAsync("/login", ReviewFixture.Form(await ReviewFixture.TokenAsync(client), ("user", "revisore2"), ("password", "sbagliata")));
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
            Assert.Contains("Utente o password non corretti", await wrong.Content.ReadAsStringAsync());
        }
        var locked = await client.PostAsync("/login", ReviewFixture.Form(await ReviewFixture.TokenAsync(client), ("user", "revisore2"), ("password", ReviewFixture.Password)));
        Assert.Equal(HttpStatusCode.Unauthorized, locked.StatusCode);
        Assert.Contains("Troppi tentativi", await locked.Content.ReadAsStringAsync());
        var unknown = await client.PostAsync("/login", ReviewFixture.Form(await ReviewFixture.TokenAsync(client), ("user", "nessuno"), ("password", ReviewFixture.Password)));
        Assert.Equal(HttpStatusCode.Unauthorized, unknown.StatusCode);
    }

    [Fact]
    public async Task Session_Expires_AfterIdleTimeout()
    {
        await using var host = ReviewFixture.Host("embedded", _tmp.Path, new() { ["Hosting:RunJobs"] = "false", ["Review:SessionIdleTimeout"] = "00:00:02" });
        using var reviewer = await ReviewFixture.SignInAsync(host, "revisore1");
        Assert.Equal(HttpStatusCode.OK, (await reviewer.GetAsync("/queue")).StatusCode);
        await Task.Delay(TimeSpan.FromSeconds(2.5));
        var expired = await reviewer.GetAsync("/queue");
        Assert.Equal(HttpStatusCode.Redirect, expired.StatusCode);
        Assert.Contains("/login", expired.Headers.Location!.ToString());
    }

    [Fact]
    public async Task OpenIdConnect_IsOffered_WhenConfigured()
    {
        // The scheme is registered from the configuration the host starts with (appsettings, environment, command
        // line); settings a WebApplicationFactory adds arrive after service registration, so this test uses the environment.
        var vars = new Dictionary<string, string>
        {
            ["Review__OpenIdConnect__Authority"] = "https://login.example.invalid/realms/inps",
            ["Review__OpenIdConnect__ClientId"] = "revisione",
            ["Review__OpenIdConnect__RoleMap__inps-revisori"] = "reviewer",
        };
        foreach (var (k, v) in vars) Environment.SetEnvironmentVariable(k, v);
        try
        {
            await using var host = ReviewFixture.Host("embedded", _tmp.Path, new() { ["Hosting:RunJobs"] = "false" });
            using var anonymous = await ReviewFixture.SignInAsync(host, null);
            var page = await anonymous.GetStringAsync("/login");
            Assert.Contains("Accesso con il sistema di identità aziendale", page);
            var schemes = host.Services.GetRequiredService<Microsoft.AspNetCore.Authentication.IAuthenticationSchemeProvider>();
            Assert.NotNull(await schemes.GetSchemeAsync(ReviewUiSetup.OidcScheme));
            // Local accounts keep working beside it.
            using var reviewer = await ReviewFixture.SignInAsync(host, "revisore1");
            Assert.Equal(HttpStatusCode.OK, (await reviewer.GetAsync("/queue")).StatusCode);
        }
        finally
        {
            foreach (var k in vars.Keys) Environment.SetEnvironmentVariable(k, null);
        }
    }
}
