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
