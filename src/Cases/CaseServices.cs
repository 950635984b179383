using Microsoft.Extensions.Http.Resilience;
using Hangfire;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace VerifyPipeline.Cases;

public static class CaseServices
{
    /// <summary>Case database, blob store, job storage (client side) and their readiness checks, all from configuration.</summary>
    public static IServiceCollection AddCaseServices(this IServiceCollection services)
    {
        services.AddOptions<CaseDbOptions>().BindSection(CaseDbOptions.Section).ValidateDataAnnotations()
            .Validate(o => o.Provider == CaseDbProvider.Sqlite || o.Connection.Contains('='),
                "Storage:Cases:Connection must be a Npgsql connection string (Host=…;Database=…) when Storage:Cases:Provider is Postgres.")
            .ValidateOnStart();
        services.AddOptions<BlobOptions>().BindSection(BlobOptions.Section).ValidateDataAnnotations()
            .Validate(o => o.Provider == BlobProvider.Folder || o.Connection.Contains('='),
                "Storage:Blobs:Connection must be an Azure Storage connection string when Storage:Blobs:Provider is Azure.")
            .ValidateOnStart();
        services.AddOptions<JobOptions>().BindSection(JobOptions.Section).ValidateDataAnnotations()
            .Validate(o => o.Provider == JobProvider.InMemory || !string.IsNullOrWhiteSpace(o.Connection),
                "Storage:Jobs:Connection is required when Storage:Jobs:Provider is Postgres.")
            .Validate(o => o.RetryDelaysSeconds.Length >= o.RetryAttempts,
                "Storage:Jobs:RetryDelaysSeconds needs one delay per retry attempt.")
            .ValidateOnStart();

        services.AddOptions<FreeSpaceOptions>().BindSection(FreeSpaceOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<Forms.FormOptions>().BindSection(Forms.FormOptions.Section).ValidateDataAnnotations()
            .Validate<IConfiguration>((o, config) => !IsScaled(config) || o.HmacKey != Forms.FormQr.DevelopmentKey,
                "Forms:HmacKey is the development key: a scaled configuration needs a secret of its own (it signs the QR code on the forms).")
            .ValidateOnStart();
        services.AddOptions<CallbackOptions>().BindSection(CallbackOptions.Section)
            .Validate(o => o.Clients.Values.All(c => string.IsNullOrWhiteSpace(c.CallbackUrl) || CallbackUrlProblem(c.CallbackUrl) is null),
                "Ingest:Clients:<name>:CallbackUrl must be an absolute https URL (http only to a loopback address).")
            .Validate(o => o.Clients.Values.All(c => string.IsNullOrWhiteSpace(c.CallbackUrl) || c.CallbackSecret is { Length: >= 32 }),
                "Ingest:Clients:<name>:CallbackSecret (at least 32 random characters) is required with a CallbackUrl: it signs the client's events.")
            .ValidateOnStart();
        services.AddSingleton<CallbackEvents>();
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(sp =>
        {
            var o = sp.GetRequiredService<IOptions<CaseDbOptions>>().Value;
            return new Database(o.Provider, o.Connection, sp.GetRequiredService<IHostEnvironment>().ContentRootPath, o.BusyTimeout, o.RequestBusyTimeout);
        });
        services.AddSingleton<CaseStore>();
        services.AddSingleton<IBlobStore>(sp =>
        {
            var o = sp.GetRequiredService<IOptions<BlobOptions>>().Value;
            return o.Provider == BlobProvider.Azure
                ? new AzureBlobStore(o.Connection, o.Container)
                : new FolderBlobStore(Path.Combine(sp.GetRequiredService<IHostEnvironment>().ContentRootPath, o.Connection));
        });
        services.AddHostedService<SchemaMigration>();
        services.AddMetrics();
        services.AddSingleton<PipelineMetrics>();
        services.AddHostedService<BacklogMonitor>();
        services.AddHealthChecks().AddCheck<BacklogHealthCheck>("backlog", tags: ["ready"]);
        if (!GlobalJobFilters.Filters.Any(f => f.Instance is TraceContextJobFilter)) GlobalJobFilters.Filters.Add(new TraceContextJobFilter());
        services.AddPinDirectory();

        services.AddSingleton(sp => JobStorageSetup.Create(sp.GetRequiredService<IOptions<JobOptions>>().Value));
        services.AddHangfire(cfg => cfg.SetDataCompatibilityLevel(CompatibilityLevel.Version_180).UseSimpleAssemblyNameTypeSerializer().UseRecommendedSerializerSettings());

        services.AddHealthChecks()
            .AddCheck<DatabaseHealthCheck>("database", tags: ["ready"])
            .AddCheck<BlobHealthCheck>("blobs", tags: ["ready"])
            .AddCheck<JobStorageHealthCheck>("jobs", tags: ["ready"])
            .AddCheck<FreeSpaceHealthCheck>("free_space", tags: ["ready"]);
        return services;
    }

    /// <summary>Null when <paramref name="url"/> may receive callbacks: absolute, https, or http to a loopback address
    /// (the events carry no personal data, but their signature is no secret from whoever reads the wire).</summary>
    public static string? CallbackUrlProblem(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var u)) return "not an absolute URL";
        if (u.Scheme == Uri.UriSchemeHttps) return null;
        if (u.Scheme == Uri.UriSchemeHttp && u.IsLoopback) return null;
        return "not https";
    }

    /// <summary>The PIN directory (<see cref="Pins.IPinDirectory"/>): the local table, or the PIN service over HTTP with the
    /// standard resilience handler, as <c>PinDirectory:Mode</c> says (validated at start). The HTTP client is registered in
    /// both modes: the outbox's PIN sender uses it for conversions queued while the mode was Http.</summary>
    private static IServiceCollection AddPinDirectory(this IServiceCollection services)
    {
        services.AddOptions<Pins.PinDirectoryOptions>().BindSection(Pins.PinDirectoryOptions.Section).ValidateDataAnnotations()
            .Validate(o => Pins.PinDirectoryOptions.Problem(o) is null, "PinDirectory:BaseUrl must be the PIN service's absolute http(s) URL when PinDirectory:Mode is Http (e.g. https://pin.example.invalid/v1/); PinDirectory:AttemptTimeout must be positive and PinDirectory:RetryDelay not negative.")
            .ValidateOnStart();
        services.AddSingleton<Pins.LocalPinDirectory>();
        services.AddHttpClient<Pins.HttpPinDirectory>((sp, http) =>
            {
                var o = sp.GetRequiredService<IOptions<Pins.PinDirectoryOptions>>().Value;
                if (Uri.TryCreate(o.BaseUrl, UriKind.Absolute, out var root))
                    http.BaseAddress = root.AbsoluteUri.EndsWith('/') ? root : new Uri(root.AbsoluteUri + "/");
                if (!string.IsNullOrEmpty(o.ApiKey)) http.DefaultRequestHeaders.Add("X-Api-Key", o.ApiKey);
                http.Timeout = Timeout.InfiniteTimeSpan; // the resilience handler's timeouts govern
            })
            .AddStandardResilienceHandler()
            .Configure((HttpStandardResilienceOptions r, IServiceProvider sp) =>
            {
                var o = sp.GetRequiredService<IOptions<Pins.PinDirectoryOptions>>().Value;
                r.AttemptTimeout.Timeout = o.AttemptTimeout;
                r.Retry.MaxRetryAttempts = o.RetryAttempts;
                r.Retry.Delay = o.RetryDelay;
                // The POST is safe to retry: the service is idempotent by case id (Idempotency-Key).
                r.TotalRequestTimeout.Timeout = o.AttemptTimeout * (o.RetryAttempts + 1) + o.RetryDelay * (1 << Math.Min(o.RetryAttempts, 10)) + TimeSpan.FromSeconds(1);
                r.CircuitBreaker.SamplingDuration = o.AttemptTimeout * 2 + TimeSpan.FromSeconds(1);
            });
        services.AddTransient<Pins.IPinDirectory>(sp =>
            sp.GetRequiredService<IOptions<Pins.PinDirectoryOptions>>().Value.Mode == Pins.PinDirectoryMode.Http
                ? sp.GetRequiredService<Pins.HttpPinDirectory>()
                : sp.GetRequiredService<Pins.LocalPinDirectory>());
        return services;
    }

    /// <summary>True when any backend is the scaled one: such a deployment must not run with demo credentials.</summary>
    public static bool IsScaled(IConfiguration config) =>
        config.GetValue<CaseDbProvider>($"{CaseDbOptions.Section}:Provider") != CaseDbProvider.Sqlite
        || config.GetValue<BlobProvider>($"{BlobOptions.Section}:Provider") != BlobProvider.Folder
        || config.GetValue<JobProvider>($"{JobOptions.Section}:Provider") != JobProvider.InMemory;
}

/// <summary>Creates the schema before anything else runs (hosted services start in registration order).</summary>
internal sealed class SchemaMigration(Database db) : IHostedService
{
    public Task StartAsync(CancellationToken ct) => db.MigrateAsync(ct);
    public Task StopAsync(CancellationToken ct) => Task.CompletedTask;
}

/// <summary>Ready means a write commits (on the request path's short lock wait), not only that a connection opens.</summary>
internal sealed class DatabaseHealthCheck(Database db) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
    {
        using var _ = Database.RequestPath();
        try { await db.ProbeWriteAsync(ct); return HealthCheckResult.Healthy($"{db.Provider} writable"); }
        catch (Exception e) { return HealthCheckResult.Unhealthy($"{db.Provider} not writable: {e.Message}"); }
    }
}

public sealed class FreeSpaceOptions
{
    public const string Section = "Storage";
    /// <summary>Readiness fails when a local folder the service writes to (blob folder, SQLite folder, pipeline work
    /// folder, intake temp folder) has less free space than this.</summary>
    [System.ComponentModel.DataAnnotations.Range(0, long.MaxValue)] public long MinFreeBytes { get; set; } = 512L * 1024 * 1024;
}

/// <summary>Unhealthy below <see cref="FreeSpaceOptions.MinFreeBytes"/> on any local folder the service writes to, so a
/// load balancer stops sending uploads before they fail with ENOSPC (issue 11). The folders are read from configuration
/// by key: the work and temp folders belong to the Worker and Ingest projects, which this one does not reference.</summary>
internal sealed class FreeSpaceHealthCheck(Database db, IOptions<BlobOptions> blobs, IOptions<FreeSpaceOptions> options, IConfiguration config, IHostEnvironment env) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
    {
        var folders = new Dictionary<string, string>();
        string Full(string p) => Path.GetFullPath(Path.Combine(env.ContentRootPath, p));
        if (blobs.Value.Provider == BlobProvider.Folder) folders["blobs"] = Full(blobs.Value.Connection);
        if (db.SqlitePath is { } sqlite) folders["database"] = Path.GetDirectoryName(sqlite)!;
        folders["work"] = Full(config["Pipeline:WorkFolder"] is { Length: > 0 } w ? w : Path.GetTempPath());
        folders["intake"] = Full(config["Ingest:TempFolder"] is { Length: > 0 } t ? t : Path.GetTempPath());
        var min = options.Value.MinFreeBytes;
        var low = new List<string>();
        var seen = new List<string>();
        foreach (var (name, folder) in folders)
        {
            try
            {
                var free = FreeBytes(folder);
                seen.Add($"{name} {free / (1024 * 1024)} MiB free");
                if (free < min) low.Add($"{name} ({folder}) has {free / (1024 * 1024.0):0.#} MiB free, below Storage:MinFreeBytes {min / (1024 * 1024.0):0.#} MiB");
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
            {
                low.Add($"{name} ({folder}): free space unknown: {e.Message}");
            }
        }
        return Task.FromResult(low.Count > 0 ? HealthCheckResult.Unhealthy(string.Join("; ", low)) : HealthCheckResult.Healthy(string.Join("; ", seen)));
    }

    /// <summary>statvfs of the folder (or of its nearest existing parent, before the folder is first created).</summary>
    internal static long FreeBytes(string folder)
    {
        var dir = new DirectoryInfo(folder);
        while (!dir.Exists && dir.Parent is { } parent) dir = parent;
        return new DriveInfo(dir.FullName).AvailableFreeSpace;
    }
}

internal sealed class BlobHealthCheck(IBlobStore blobs) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
    {
        try { await blobs.PingAsync(ct); return HealthCheckResult.Healthy(blobs.GetType().Name); }
        catch (Exception e) { return HealthCheckResult.Unhealthy($"{blobs.GetType().Name}: {e.Message}"); }
    }
}

internal sealed class JobStorageHealthCheck(JobStorage storage) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
    {
        try
        {
            using var connection = storage.GetConnection();
            var servers = storage.GetMonitoringApi().Servers().Count;
            return Task.FromResult(HealthCheckResult.Healthy($"{storage.GetType().Name}, {servers} server(s)"));
        }
        catch (Exception e) { return Task.FromResult(HealthCheckResult.Unhealthy($"{storage.GetType().Name}: {e.Message}")); }
    }
}
