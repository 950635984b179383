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
}

public sealed class AccountOptions
{
    public string Role { get; set; } = "reviewer";
    public string PasswordHash { get; set; } = "";
    /// <summary>Set only for the shipped demo accounts, so that start-up can print them and the scaled mode can refuse them.</summary>
    public string? DemoPassword { get; set; }
}
