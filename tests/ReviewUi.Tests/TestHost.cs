using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using VerifyPipeline.Cases;
using VerifyPipeline.Cases.Tests.Storage;

namespace VerifyPipeline.ReviewUi.Tests;

/// <summary>The whole system in-process on a chosen backend set: "embedded" (SQLite, folder, Hangfire in memory)
/// or "scaled" (a fresh PostgreSQL database for cases and jobs, an Azurite container), with a data folder of its own.</summary>
public sealed class TestHost : WebApplicationFactory<VerifyPipeline.Host.AllInOne>
{
    public const string PortalKey = "test-portal-key-0123456789abcdef";
    public const string FaxKey = "test-fax-key-0123456789abcdef012";
    public string DataDir { get; }
    public Dictionary<string, string?> Settings { get; }
    /// <summary>The host's clock when set before it starts (a <c>FakeTimeProvider</c>: ages, back-offs and leases pass
    /// when the test advances it). Folder polls and Hangfire keep real time.</summary>
    public TimeProvider? Clock { get; set; }
    /// <summary>Services the test adds or replaces before the host starts (e.g. an in-memory telemetry exporter).</summary>
    public Action<IServiceCollection>? TestServices { get; set; }

    // Tests bring their own keys and accounts; the shipped demo ones stay out (and the scaled set refuses them).
    static TestHost() => Environment.SetEnvironmentVariable("VP_DEMO_CREDENTIALS", "off");

    /// <param name="clock">The host's time (e.g. a FakeTimeProvider, so a test moves time instead of sleeping); the system clock when null.</param>
    public TestHost(string backend, string dataDir, Dictionary<string, string?>? extra = null, string? postgres = null, TimeProvider? clock = null)
    {
        DataDir = dataDir;
        _clock = clock;
        Directory.CreateDirectory(dataDir);
        Settings = new Dictionary<string, string?>
        {
            ["urls"] = "http://127.0.0.1:0",
            ["Storage:Cases:Provider"] = "Sqlite",
            ["Storage:Cases:Connection"] = Path.Combine(dataDir, "cases.db"),
            ["Storage:Blobs:Provider"] = "Folder",
            ["Storage:Blobs:Connection"] = Path.Combine(dataDir, "blobs"),
            ["Storage:Jobs:Provider"] = "InMemory",
            ["Storage:Jobs:RetryAttempts"] = "2",
            ["Storage:Jobs:SchedulePollingInterval"] = "00:00:01",
            ["Storage:Jobs:RetryDelaysSeconds:0"] = "1",
            ["Storage:Jobs:RetryDelaysSeconds:1"] = "1",
            ["Ingest:Clients:portal:Key"] = PortalKey,
            ["Ingest:Clients:portal:Channel"] = "Portal",
            ["Ingest:Clients:fax-gateway:Key"] = FaxKey,
            ["Ingest:Clients:fax-gateway:Channel"] = "Fax",
            ["Ingest:FaxInbox:Folder"] = Path.Combine(dataDir, "fax-inbox"),
            ["Ingest:FaxInbox:QuarantineFolder"] = Path.Combine(dataDir, "fax-quarantine"),
            ["Ingest:FaxInbox:PollInterval"] = "00:00:00.100",
            ["Ingest:FaxInbox:StableFor"] = "00:00:00.300",
            ["Ingest:TempFolder"] = Path.Combine(dataDir, "tmp"),
            ["Forms:HmacKey"] = "test-form-key-0123456789abcdef",
            ["Pipeline:WorkFolder"] = Path.Combine(dataDir, "work"),
            ["Outbox:Folder"] = Path.Combine(dataDir, "outbox"),
            ["Outbox:PollInterval"] = "00:00:00.200",
            // Approvals convert at once unless a test is about the notice and cooling-off (PinNoticeTests).
            ["Pipeline:Policy:CoolingOff"] = "00:00:00",
            ["Review:Accounts:revisore1:Role"] = "reviewer",
            ["Review:Accounts:revisore1:PasswordHash"] = new Microsoft.AspNetCore.Identity.PasswordHasher<string>().HashPassword("revisore1", "a-test-password"),
        };
        if (backend == "scaled")
        {
            var pg = _postgres = postgres ?? TestBackends.NewPostgresDatabase();
            Settings["Storage:Cases:Provider"] = "Postgres";
            Settings["Storage:Cases:Connection"] = pg;
            Settings["Storage:Jobs:Provider"] = "Postgres";
            Settings["Storage:Jobs:Connection"] = pg;
            Settings["Storage:Jobs:InvisibilityTimeout"] = "00:00:10";
            Settings["Storage:Blobs:Provider"] = "Azure";
            Settings["Storage:Blobs:Connection"] = TestBackends.Azurite;
            Settings["Storage:Blobs:Container"] = TestBackends.NewContainerName();
        }
        foreach (var (k, v) in extra ?? new()) Settings[k] = v;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseContentRoot(DataDir);
        // UseSetting (not ConfigureAppConfiguration) so that Program sees the values while it wires services.
        foreach (var (k, v) in Settings) builder.UseSetting(k, v);
        builder.ConfigureLogging(l => l.AddProvider(new CapturingLoggerProvider(Logs)));
        if ((Clock ?? _clock) is { } clock) builder.ConfigureTestServices(s => s.AddSingleton(clock));
        if (TestServices is { } extra) builder.ConfigureTestServices(extra);
    }

    private readonly string? _postgres;
    private int _pins;
    private readonly TimeProvider? _clock;

    /// <summary>The PostgreSQL database of a scaled host (null for embedded): another host can open the same one.</summary>
    public string? Postgres => _postgres;

    /// <summary>Closes this host's idle PostgreSQL connections: pools outlive their host (idle for 5 minutes by default),
    /// and a test run creates dozens of hosts on one cluster, which would add up past its connection limit.</summary>
    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (_postgres is not null)
        {
            await using var c = new Npgsql.NpgsqlConnection(_postgres);
            Npgsql.NpgsqlConnection.ClearPool(c);
        }
    }

    /// <summary>Every log line this host wrote, with its scopes, as the console would show it.</summary>
    public System.Collections.Concurrent.ConcurrentQueue<string> Logs { get; } = new();

    public CaseStore Store => Services.GetRequiredService<CaseStore>();
    public IBlobStore Blobs => Services.GetRequiredService<IBlobStore>();

    public HttpClient Portal() => Client(PortalKey);
    public HttpClient Fax() => Client(FaxKey);

    public HttpClient Client(string? key)
    {
        var c = CreateClient();
        if (key is not null) c.DefaultRequestHeaders.Add("X-Api-Key", key);
        return c;
    }

    public static object RequestBody(string pin = "PIN-T-0001") => new
    {
        pin_reference = pin,
        codice_fiscale = "RSSMRA80A01H501U",
        surname = "Rossi",
        given_names = "Mario",
        birth_date = "1980-01-01",
        birth_place = "Roma",
        email = "mario.rossi@example.org",
        phone = "+39 06 0000000",
        document = new { type = "cie", number = "CA00000AA", issued_by = "Comune di Roma", issue_date = "2021-03-01", expiry_date = "2031-03-01" },
    };

    /// <summary>A request whose PIN is in the registry (online unless told otherwise). Without <paramref name="pin"/> each
    /// request gets a PIN of its own: files for one PIN join its open case (one conversion per PIN at a time, issue 15).</summary>
    public async Task<string> CreateRequestAsync(HttpClient client, PinType pinType = PinType.Online, bool revoked = false, string? pin = null)
    {
        pin ??= $"PIN-T-{Interlocked.Increment(ref _pins):D5}";
        await Store.UpsertPinAsync(new Pin(pin, "RSSMRA80A01H501U", pinType, revoked, DateTimeOffset.UtcNow));
        var r = await client.PostAsJsonAsync("/api/requests", RequestBody(pin));
        r.EnsureSuccessStatusCode();
        return (await r.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
    }

    public static async Task<HttpResponseMessage> UploadAsync(HttpClient client, string requestId, byte[] bytes, string name = "scan.png", string? idempotencyKey = null)
    {
        using var form = new MultipartFormDataContent();
        form.Add(new ByteArrayContent(bytes), "file", name);
        using var req = new HttpRequestMessage(HttpMethod.Post, $"/api/requests/{requestId}/file") { Content = form };
        if (idempotencyKey is not null) req.Headers.Add("Idempotency-Key", idempotencyKey);
        return await client.SendAsync(req);
    }

    /// <summary>Waits until the case reaches one of the states (the pipeline runs in the background).</summary>
    public async Task<Case> WaitForStateAsync(string caseId, TimeSpan timeout, params CaseState[] states)
    {
        var until = DateTime.UtcNow + timeout;
        Case? c = null;
        while (DateTime.UtcNow < until)
        {
            c = await Store.GetCaseAsync(caseId);
            if (c is not null && states.Contains(c.State)) return c;
            await Task.Delay(100);
        }
        throw new TimeoutException($"Case {caseId} is {c?.State} after {timeout}, expected {string.Join("/", states)}. Error: {c?.Error}");
    }
}

internal sealed class CapturingLoggerProvider(System.Collections.Concurrent.ConcurrentQueue<string> sink) : Microsoft.Extensions.Logging.ILoggerProvider, Microsoft.Extensions.Logging.ISupportExternalScope
{
    private Microsoft.Extensions.Logging.IExternalScopeProvider _scopes = new Microsoft.Extensions.Logging.LoggerExternalScopeProvider();
    public Microsoft.Extensions.Logging.ILogger CreateLogger(string category) => new Logger(category, this);
    public void SetScopeProvider(Microsoft.Extensions.Logging.IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;
    public void Dispose() { }

    private sealed class Logger(string category, CapturingLoggerProvider p) : Microsoft.Extensions.Logging.ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => p._scopes.Push(state);
        public bool IsEnabled(Microsoft.Extensions.Logging.LogLevel level) => true;
        public void Log<TState>(Microsoft.Extensions.Logging.LogLevel level, Microsoft.Extensions.Logging.EventId id, TState state, Exception? e, Func<TState, Exception?, string> format)
        {
            var scopes = new System.Text.StringBuilder();
            p._scopes.ForEachScope((s, sb) => sb.Append(" => ").Append(s), scopes);
            p.Enqueue($"{level} {category}{scopes}: {format(state, e)} {e}");
        }
    }

    private void Enqueue(string line) => sink.Enqueue(line);
}
