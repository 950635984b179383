using System.Collections.Concurrent;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace VerifyPipeline.ReviewUi.Review;

/// <summary>The accounts of Review:Accounts: passwords checked against ASP.NET Core Identity PBKDF2 hashes, an unknown
/// user costs the same hash computation as a known one, and five failures lock the name for a quarter of an hour.</summary>
public sealed class LocalAccounts(IOptionsMonitor<ReviewOptions> options, TimeProvider clock)
{
    public const int MaxFailures = 5;
    public static readonly TimeSpan LockoutFor = TimeSpan.FromMinutes(15);

    private static readonly PasswordHasher<string> Hasher = new();
    // A hash of a random password, verified when the user name is unknown so that timing does not reveal which names exist.
    private static readonly string DummyHash = Hasher.HashPassword("-", Guid.NewGuid().ToString());
    private readonly ConcurrentDictionary<string, (int Count, DateTimeOffset Since)> _failures = new(StringComparer.OrdinalIgnoreCase);

    public abstract record Outcome;
    public sealed record SignedIn(ClaimsPrincipal Principal) : Outcome;
    public sealed record Refused : Outcome;
    public sealed record LockedOut : Outcome;

    public Outcome Verify(string? user, string? password)
    {
        user = user?.Trim() ?? "";
        var now = clock.GetUtcNow();
        if (_failures.TryGetValue(user, out var f) && f.Count >= MaxFailures && now - f.Since < LockoutFor) return new LockedOut();

        var account = options.CurrentValue.Accounts.FirstOrDefault(a => string.Equals(a.Key, user, StringComparison.OrdinalIgnoreCase));
        var ok = Hasher.VerifyHashedPassword(account.Key ?? "-", account.Value?.PasswordHash ?? DummyHash, password ?? "") != PasswordVerificationResult.Failed;
        if (account.Value is null || !ok || password is not { Length: > 0 })
        {
            _failures.AddOrUpdate(user, _ => (1, now), (_, old) => now - old.Since >= LockoutFor ? (1, now) : (old.Count + 1, old.Since));
            return new Refused();
        }
        _failures.TryRemove(user, out _);
        return new SignedIn(Principal(account.Key!, account.Value.Role, "local"));
    }

    public bool OpenIdConnectEnabled => !string.IsNullOrWhiteSpace(options.CurrentValue.OpenIdConnect.Authority);
    public string OpenIdConnectName => options.CurrentValue.OpenIdConnect.DisplayName;

    public static ClaimsPrincipal Principal(string name, string role, string method) => new(new ClaimsIdentity(
        [new Claim(ClaimTypes.Name, name), new Claim(ClaimTypes.Role, role), new Claim("amr", method)],
        CookieAuthenticationDefaults.AuthenticationScheme, ClaimTypes.Name, ClaimTypes.Role));
}
