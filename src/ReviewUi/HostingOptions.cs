namespace VerifyPipeline.ReviewUi;

/// <summary>Which parts this process serves. Embedded (the default): all of them, one process is the whole system.
/// Scaled: e.g. `ingest` on the host the portal and fax gateway reach, `review` on the internal one, and workers
/// started with `verify worker`; all share PostgreSQL and the blob store.</summary>
public sealed class HostingOptions
{
    public const string Section = "Hosting";
    public bool ServeIngest { get; set; } = true;
    public bool ServeReview { get; set; } = true;
    public bool RunJobs { get; set; } = true;
    public bool WatchFaxInbox { get; set; } = true;
    /// <summary>Addresses of the TLS proxies in front of this host whose X-Forwarded-For and X-Forwarded-Proto are believed
    /// (besides loopback, which ASP.NET Core always trusts). Without them the client address is the proxy's, so the
    /// sign-in limit per address would count every user as one, and the request would not be seen as HTTPS.</summary>
    public string[] KnownProxies { get; set; } = [];
    /// <summary>The same as networks in CIDR notation, e.g. 10.0.0.0/8.</summary>
    public string[] KnownNetworks { get; set; } = [];
}

public sealed class ReviewOptions
{
    public const string Section = "Review";
    /// <summary>Local accounts (embedded mode): user name → role and a password hash (ASP.NET Core Identity's PBKDF2 format).</summary>
    public Dictionary<string, AccountOptions> Accounts { get; set; } = new();
    /// <summary>Sign-in through an OpenID Connect provider instead of (or beside) local accounts; off while Authority is empty.</summary>
    public OpenIdConnectSettings OpenIdConnect { get; set; } = new();
    /// <summary>A session ends after this long without a request (sliding: every request renews it).</summary>
    public TimeSpan SessionIdleTimeout { get; set; } = TimeSpan.FromMinutes(30);
    /// <summary>How long a claim keeps other reviewers off a case; renewed by every action of its holder.</summary>
    public TimeSpan ClaimDuration { get; set; } = TimeSpan.FromMinutes(15);
    /// <summary>The procedure promises an outcome within 1–2 days: a case older than this is overdue.</summary>
    public TimeSpan Deadline { get; set; } = TimeSpan.FromDays(2);
    /// <summary>From this age a case is shown as close to its deadline.</summary>
    public TimeSpan DeadlineWarning { get; set; } = TimeSpan.FromDays(1);
    /// <summary>A rejection carrying any of these reasons needs a second, different reviewer to confirm it (four-eyes).</summary>
    public string[] FourEyesReasons { get; set; } = ["SIGNATURE_MISMATCH"];
    /// <summary>An approval of a case whose stored machine verdicts include a failed rule with any of these reasons needs a
    /// second, different reviewer to confirm it (four-eyes, issue 11): one person must not approve over a failed check alone.</summary>
    public string[] FourEyesApprovalReasons { get; set; } = ["IDENTITY_MISMATCH", "SIGNATURE_MISMATCH", "DOCUMENT_DATA_MISMATCH", "ID_EXPIRED"];
    /// <summary>Auto: the sign-in cookie is marked Secure unless the host listens on loopback only (./run.sh on
    /// http://127.0.0.1:5080) or runs in Development. Always or SameAsRequest force one or the other.</summary>
    public SecureCookieMode SecureCookie { get; set; } = SecureCookieMode.Auto;
    /// <summary>Typo-tolerant search (a near request id, codice fiscale or surname) compares against this many of the newest
    /// requests; exact matches are found among all of them.</summary>
    public int SearchWindow { get; set; } = 20_000;
    public SignInOptions SignIn { get; set; } = new();
}

public enum SecureCookieMode { Auto, Always, SameAsRequest }

/// <summary>How fast sign-in may be tried. Each attempt costs a PBKDF2 check (about 70 ms of CPU): the rate limiter caps
/// attempts per client address and per user name in memory; failed attempts per user name are kept in the database and
/// answered with a growing wait (<see cref="FirstBackoff"/> after <see cref="BackoffAfterFailures"/> failures, doubling up
/// to <see cref="MaxBackoff"/>) instead of a fixed lock, so that nobody can lock a reviewer out for long.</summary>
public sealed class SignInOptions
{
    public int PermitsPerAddress { get; set; } = 20;
    public int PermitsPerUser { get; set; } = 10;
    public TimeSpan PermitWindow { get; set; } = TimeSpan.FromMinutes(1);
    public int BackoffAfterFailures { get; set; } = 5;
    public TimeSpan FirstBackoff { get; set; } = TimeSpan.FromMinutes(1);
    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromMinutes(15);
    /// <summary>Failures older than this (since the last one) are forgotten.</summary>
    public TimeSpan ForgetFailuresAfter { get; set; } = TimeSpan.FromDays(1);

    /// <summary>The wait after the <paramref name="failures"/>-th consecutive failure, or null when there is none yet.</summary>
    public TimeSpan? BackoffAfter(int failures)
    {
        if (failures < BackoffAfterFailures) return null;
        var doublings = Math.Min(failures - BackoffAfterFailures, 30);
        var wait = FirstBackoff * Math.Pow(2, doublings);
        return wait < MaxBackoff ? wait : MaxBackoff;
    }
}

public sealed class OpenIdConnectSettings
{
    /// <summary>The provider's issuer URL, e.g. https://login.example.org/realms/inps. Empty: OpenID Connect is off.</summary>
    public string Authority { get; set; } = "";
    public string ClientId { get; set; } = "";
    public string? ClientSecret { get; set; }
    /// <summary>The claim that carries the user's groups or roles in the ID token.</summary>
    public string RoleClaim { get; set; } = "roles";
    /// <summary>Provider role or group → reviewer, supervisor or admin. A user with none of these is refused.</summary>
    public Dictionary<string, string> RoleMap { get; set; } = new();
    public string DisplayName { get; set; } = "Accesso con il sistema di identità aziendale";
}

public sealed class AccountOptions
{
    public string Role { get; set; } = "reviewer";
    public string PasswordHash { get; set; } = "";
    /// <summary>Set only for the shipped demo accounts, so that start-up can print them and the scaled mode can refuse them.</summary>
    public string? DemoPassword { get; set; }
}
