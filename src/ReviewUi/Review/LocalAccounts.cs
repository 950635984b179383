using System.Security.Claims;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using VerifyPipeline.Cases;

namespace VerifyPipeline.ReviewUi.Review;

/// <summary>The accounts of Review:Accounts: passwords checked against ASP.NET Core Identity PBKDF2 hashes, and an unknown
/// user costs the same hash computation as a known one. Failures per user name are kept in the case database
/// (<see cref="CaseStore.RecordSignInFailureAsync"/>): after Review:SignIn:BackoffAfterFailures of them the name waits
/// 1, 2, 4 … minutes (at most Review:SignIn:MaxBackoff) before the next try, on every host and across restarts; a
/// successful sign-in clears them. Unknown names are counted the same way, so the answers do not tell which names exist.</summary>
public sealed class LocalAccounts(IOptionsMonitor<ReviewOptions> options, CaseStore store, TimeProvider clock)
{
    private static readonly PasswordHasher<string> Hasher = new();
    // A hash of a random password, verified when the user name is unknown so that timing does not reveal which names exist.
    private static readonly string DummyHash = Hasher.HashPassword("-", Guid.NewGuid().ToString());

    public abstract record Outcome;
    public sealed record SignedIn(ClaimsPrincipal Principal) : Outcome;
    public sealed record Refused : Outcome;
    /// <summary>Too many failures for this name: nothing was checked; the next try is possible after <see cref="RetryAfter"/>.</summary>
    public sealed record LockedOut(TimeSpan RetryAfter) : Outcome;

    /// <summary>The name the failures are counted under: trimmed, case-insensitive, bounded.</summary>
    public static string Key(string? user)
    {
        var u = (user ?? "").Trim().ToLowerInvariant();
        return u.Length > 128 ? u[..128] : u;
    }

    public async Task<Outcome> VerifyAsync(string? user, string? password, CancellationToken ct)
    {
        user = user?.Trim() ?? "";
        var key = Key(user);
        var signIn = options.CurrentValue.SignIn;
        if (await store.GetSignInBlockedUntilAsync(key, ct) is { } blocked) return new LockedOut(blocked - clock.GetUtcNow());

        var account = options.CurrentValue.Accounts.FirstOrDefault(a => string.Equals(a.Key, user, StringComparison.OrdinalIgnoreCase));
        var ok = Hasher.VerifyHashedPassword(account.Key ?? "-", account.Value?.PasswordHash ?? DummyHash, password ?? "") != PasswordVerificationResult.Failed;
        if (account.Value is null || !ok || password is not { Length: > 0 })
        {
            await store.RecordSignInFailureAsync(key, signIn.ForgetFailuresAfter, signIn.BackoffAfter, ct);
            return new Refused();
        }
        await store.ClearSignInFailuresAsync(key, ct);
        return new SignedIn(Principal(account.Key!, account.Value.Role, "local"));
    }

    public bool OpenIdConnectEnabled => !string.IsNullOrWhiteSpace(options.CurrentValue.OpenIdConnect.Authority);
    public string OpenIdConnectName => options.CurrentValue.OpenIdConnect.DisplayName;

    public static ClaimsPrincipal Principal(string name, string role, string method) => new(new ClaimsIdentity(
        [new Claim(ClaimTypes.Name, name), new Claim(ClaimTypes.Role, role), new Claim("amr", method)],
        CookieAuthenticationDefaults.AuthenticationScheme, ClaimTypes.Name, ClaimTypes.Role));
}
