using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using VerifyPipeline.Cases;

namespace VerifyPipeline.ReviewUi.Tests.Review;

/// <summary>The review desk's test setting: four accounts (two reviewers, a supervisor, an admin) on top of
/// <see cref="TestHost"/>, cases made through the real API and pipeline, and signed-in HTTP clients.</summary>
public static partial class ReviewFixture
{
    public const string Password = "una-password-di-prova";
    public static readonly (string User, string Role)[] Accounts =
        [("revisore1", "reviewer"), ("revisore2", "reviewer"), ("supervisore", "supervisor"), ("admin", "admin")];

    private static readonly Lazy<Dictionary<string, string?>> AccountSettings = new(() =>
    {
        var d = new Dictionary<string, string?>();
        foreach (var (user, role) in Accounts)
        {
            d[$"Review:Accounts:{user}:Role"] = role;
            d[$"Review:Accounts:{user}:PasswordHash"] = new PasswordHasher<string>().HashPassword(user, Password);
        }
        return d;
    });

    public static TestHost Host(string backend, string dir, Dictionary<string, string?>? extra = null, string? postgres = null, TimeProvider? clock = null)
    {
        var settings = new Dictionary<string, string?>(AccountSettings.Value)
        {
            // Every test client is one address (the test server gives none) signing in many times over (AccessTests: a
            // fresh session per route): the rate limit per address and per name is raised here; SignInSecurityTests sets its own.
            ["Review:SignIn:PermitsPerAddress"] = "10000",
            ["Review:SignIn:PermitsPerUser"] = "10000",
        };
        foreach (var (k, v) in extra ?? new()) settings[k] = v;
        return new TestHost(backend, dir, settings, postgres, clock);
    }

    /// <summary>A request (with its PIN in the registry, type online) and an uploaded scan, waited until InReview.</summary>
    public static async Task<(string CaseId, string RequestId)> InReviewCaseAsync(TestHost host, string pin, int pages = 2, byte[]? file = null, string name = "scansione.pdf")
    {
        var portal = host.Portal();
        var created = await portal.PostAsJsonAsync("/api/requests", TestHost.RequestBody(pin));
        created.EnsureSuccessStatusCode();
        var requestId = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        await host.Store.UpsertPinAsync(new Pin(pin, "RSSMRA80A01H501U", PinType.Online, false, DateTimeOffset.UtcNow));
        var upload = await TestHost.UploadAsync(portal, requestId, file ?? Samples.ScannedPdf(pages, 620, 877), name);
        Assert.Equal(HttpStatusCode.Accepted, upload.StatusCode);
        var caseId = (await upload.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("case_id").GetString()!;
        await host.WaitForStateAsync(caseId, TimeSpan.FromSeconds(60), CaseState.InReview);
        return (caseId, requestId);
    }

    /// <summary>An HTTP client holding the session cookie of <paramref name="user"/> (anonymous when null); redirects are not followed.</summary>
    public static async Task<HttpClient> SignInAsync(TestHost host, string? user)
    {
        var client = host.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        if (user is null) return client;
        var r = await client.PostAsync("/login", Form(await TokenAsync(client), ("user", user), ("password", Password)));
        Assert.Equal(HttpStatusCode.Redirect, r.StatusCode);
        return client;
    }

    /// <summary>An anti-forgery token for the client's current identity (the sign-in page always renders one).</summary>
    public static async Task<string> TokenAsync(HttpClient client)
    {
        var html = await client.GetStringAsync("/login");
        return TokenField().Match(html).Groups[1].Value;
    }

    public static FormUrlEncodedContent Form(string? token, params (string, string)[] fields) =>
        new(fields.Select(f => new KeyValuePair<string, string>(f.Item1, f.Item2))
            .Concat(token is null ? [] : [new KeyValuePair<string, string>("__RequestVerificationToken", token)]));

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex TokenField();
}
