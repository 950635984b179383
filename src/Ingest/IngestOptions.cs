using System.ComponentModel.DataAnnotations;
using VerifyPipeline.Cases;

namespace VerifyPipeline.Ingest;

public sealed class IngestOptions
{
    public const string Section = "Ingest";
    /// <summary>Largest accepted file (upload or fax), in bytes.</summary>
    [Range(1024, 1L << 32)] public long MaxUploadBytes { get; set; } = 30L * 1024 * 1024;
    /// <summary>API clients by name. Each key belongs to one client; a client sees only what it submitted.</summary>
    public Dictionary<string, ApiClientOptions> Clients { get; set; } = new();
    /// <summary>Where files are buffered while they are hashed and checked (defaults to the system temp folder).</summary>
    public string? TempFolder { get; set; }
}

public sealed class ApiClientOptions
{
    [Required] public string Key { get; set; } = "";
    public Channel Channel { get; set; } = Channel.Portal;
}

public sealed class FaxInboxOptions
{
    public const string Section = "Ingest:FaxInbox";
    public bool Enabled { get; set; } = true;
    [Required] public string Folder { get; set; } = "data/fax-inbox";
    [Required] public string QuarantineFolder { get; set; } = "data/fax-quarantine";
    /// <summary>The client that owns fax cases (the fax gateway's API client, so it can list them).</summary>
    [Required] public string Client { get; set; } = "fax-gateway";
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);
    /// <summary>A file is taken only after its size and modification time stayed the same this long.</summary>
    public TimeSpan StableFor { get; set; } = TimeSpan.FromSeconds(2);
    /// <summary>A sidecar NAME.json with no fax beside it after this long is quarantined.</summary>
    public TimeSpan OrphanSidecarAfter { get; set; } = TimeSpan.FromMinutes(10);
    /// <summary>A file with a temporary name (starting with <c>.</c>, ending <c>.tmp</c> or <c>.part</c>: the gateway is
    /// still writing it) unchanged this long was abandoned: it is quarantined with a reason.</summary>
    public TimeSpan AbandonedAfter { get; set; } = TimeSpan.FromHours(1);
    /// <summary>A file still in the inbox (not taken, not quarantined) this long raises the alert: one warning in the log,
    /// the count on the supervisor page, <c>/health/ready</c> degraded.</summary>
    public TimeSpan AlertAfter { get; set; } = TimeSpan.FromMinutes(15);
    /// <summary>The watcher has not finished a pass for this long (stuck on a file, a disk that hangs): <c>/health/ready</c> unhealthy.</summary>
    public TimeSpan StalledAfter { get; set; } = TimeSpan.FromMinutes(2);
}
