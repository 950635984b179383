using System.Net;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using VerifyPipeline.Cases;
using VerifyPipeline.Decisions;
using VerifyPipeline.Ingest;
using VerifyPipeline.ReviewUi.Review;
using OpenTelemetry.Exporter;
using VerifyPipeline.Cases.Retention;

namespace VerifyPipeline.ReviewUi;

public static class Wiring
{
    /// <param name="jobs">Adds the pipeline's jobs (with the decision policy) when <c>Hosting:RunJobs</c> is on: the all-in-one
    /// host passes the Worker's <c>AddPipelineServices</c>; the review/ingest host passes none, as it references no imaging code.</param>
    public static WebApplicationBuilder AddVerifyPipeline(this WebApplicationBuilder builder, Action<IServiceCollection>? jobs)
    {
        var s = builder.Services;
        PrivateFiles.RestrictProcess(); // before anything is written: everything this process writes is private (0600/0700)
        var hosting = builder.Configuration.GetOptions<HostingOptions>(HostingOptions.Section);
        builder.Logging.ClearProviders().AddVerifyPipelineConsole();
        s.AddOptions<HostingOptions>().BindSection(HostingOptions.Section);
        s.AddOptions<ReviewOptions>().BindSection(ReviewOptions.Section)
            .Validate(o => o.Accounts.Values.All(a => a.Role is "reviewer" or "supervisor" or "admin"), "Review:Accounts:<user>:Role must be reviewer, supervisor or admin.")
            .Validate(o => o.Accounts.Values.All(a => a.PasswordHash.Length > 0), "Every Review:Accounts:<user> needs a PasswordHash.")
            .ValidateOnStart();
        s.AddSingleton<IValidateOptions<IngestOptions>>(new NoDemoCredentialsWhenScaled(builder.Configuration));

        s.AddCaseServices();
        s.AddIngestServices(servesApi: hosting.ServeIngest);
        if (!hosting.WatchFaxInbox || !hosting.ServeIngest) s.Configure<FaxInboxOptions>(o => o.Enabled = false);
        if (hosting.RunJobs)
            (jobs ?? throw new InvalidOperationException("Hosting:RunJobs is on, but this host runs no pipeline jobs (the review and ingest host " +
                "loads no imaging code): set Hosting:RunJobs=false and run the jobs in `verify worker`, or run the all-in-one host " +
                "src/Host (./run.sh).")).Invoke(s);
        else s.AddDecisionOptions(); // the review desk re-decides a corrected case with the configured policy
        s.AddRetentionServices(runPurge: hosting.RunJobs);
        if (hosting.ServeReview) builder.AddReviewUi();
        s.AddVerifyTelemetry(builder.Configuration);

        s.ConfigureHttpJsonOptions(o => WireJson.Configure(o.SerializerOptions));
        // Sign-in cookies and anti-forgery tokens survive a restart (and, on a shared folder, several review hosts). The key
        // ring is protected at rest (issue 11, docs/data-retention.md): its folder is 0700 and its files 0600 (the umask),
        // and with Review:KeysCertificate each key is also encrypted with that certificate's public key.
        var keysFolder = Path.Combine(builder.Environment.ContentRootPath, builder.Configuration["Review:KeysFolder"] ?? "data/keys");
        PrivateFiles.EnsureFolder(keysFolder);
        foreach (var keyFile in Directory.EnumerateFiles(keysFolder)) PrivateFiles.Restrict(keyFile);
        var keyRing = s.AddDataProtection().SetApplicationName("VerifyPipeline").PersistKeysToFileSystem(new DirectoryInfo(keysFolder));
        if (builder.Configuration["Review:KeysCertificate"] is { Length: > 0 } certificate)
            keyRing.ProtectKeysWithCertificate(KeyRingCertificate.Load(Path.Combine(builder.Environment.ContentRootPath, certificate),
                builder.Configuration["Review:KeysCertificatePassword"]));
        // Behind a TLS proxy: the client's address (the sign-in limit per address) and scheme (Secure cookies, HSTS) come
        // from X-Forwarded-For / X-Forwarded-Proto, believed only from loopback and Hosting:KnownProxies / KnownNetworks.
        var proxies = hosting.KnownProxies.Select(p => IPAddress.TryParse(p, out var ip) ? ip
            : throw new InvalidOperationException($"Hosting:KnownProxies: '{p}' is not an IP address.")).ToList();
        var networks = hosting.KnownNetworks.Select(n => System.Net.IPNetwork.TryParse(n, out var net) ? net
            : throw new InvalidOperationException($"Hosting:KnownNetworks: '{n}' is not a network in CIDR notation (e.g. 10.0.0.0/8).")).ToList();
        s.Configure<ForwardedHeadersOptions>(o =>
        {
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            foreach (var ip in proxies) o.KnownProxies.Add(ip);
            foreach (var net in networks) o.KnownIPNetworks.Add(net);
        });
        s.AddHsts(o => o.MaxAge = TimeSpan.FromDays(365));
        s.AddProblemDetails();
        s.AddExceptionHandler<StorageUnavailable>();
        s.AddOpenApi();
        s.AddHostedService<DemoData>();
        s.AddHostedService<StartupBanner>();
        return builder;
    }

    public static WebApplication UseVerifyPipeline(this WebApplication app)
    {
        var hosting = app.Services.GetRequiredService<IOptions<HostingOptions>>().Value;
        app.UseForwardedHeaders();
        // HSTS wherever the host is reached through the network (it is sent on HTTPS requests only); not for ./run.sh on loopback.
        if (!app.Environment.IsDevelopment() && !TransportSecurity.ListensOnLoopbackOnly(app.Configuration)) app.UseHsts();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        if (hosting.ServeReview) app.UseReviewSignInLimits();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapOpenApi();
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions
        {
            Predicate = c => c.Tags.Contains("ready"),
            ResponseWriter = async (http, report) =>
            {
                http.Response.ContentType = "application/json";
                await JsonSerializer.SerializeAsync(http.Response.Body, new
                {
                    status = report.Status.ToString(),
                    checks = report.Entries.ToDictionary(e => e.Key, e => new
                    {
                        status = e.Value.Status.ToString(), description = e.Value.Description,
                        data = e.Value.Data.Count == 0 ? null : e.Value.Data,
                    }),
                });
            },
        });
        // The metrics hold ids, states, stages and reason codes, no personal data; serve them on the internal network only.
        if (app.Configuration.GetValue<bool>("Telemetry:Prometheus")) app.MapPrometheusScrapingEndpoint();
        if (hosting.ServeIngest) app.MapIngestApi().MapPinDispute();
        if (hosting.ServeReview) app.MapReviewUi();
        else app.MapGet("/", () => Results.Text(
            "VerifyPipeline — conversione del PIN online in PIN dispositivo.\n" +
            "API: /openapi/v1.json   Health: /health/ready\n", "text/plain; charset=utf-8")).ExcludeFromDescription();
        return app;
    }
}

/// <summary>No shipped demo credential where others can reach it: the scaled configuration never starts with one
/// (DESIGN.md), and neither does the embedded one when it listens on anything but this machine's loopback (issue 11:
/// demo keys, demo accounts with password "demo" and the public development key that signs the forms' QR codes are
/// in the repository for anyone to read).</summary>
internal sealed class NoDemoCredentialsWhenScaled(IConfiguration config) : IValidateOptions<IngestOptions>
{
    public ValidateOptionsResult Validate(string? name, IngestOptions options)
    {
        var scaled = CaseServices.IsScaled(config);
        List<string> exposed = scaled ? [] : ListenAddresses.NotLoopback(config);
        if (!scaled && exposed.Count == 0) return ValidateOptionsResult.Success;
        var demoKeys = options.Clients.Where(c => c.Value.Key.StartsWith("demo-", StringComparison.Ordinal) || c.Value.Key.Length < 24).Select(c => c.Key).ToList();
        var accounts = config.GetOptions<ReviewOptions>(ReviewOptions.Section).Accounts;
        var demoAccounts = accounts.Where(a => a.Value.DemoPassword is not null
            || new PasswordHasher<string>().VerifyHashedPassword(a.Key, a.Value.PasswordHash, "demo") != PasswordVerificationResult.Failed).Select(a => a.Key).ToList();
        if (scaled)
        {
            if (demoKeys.Count == 0 && demoAccounts.Count == 0) return ValidateOptionsResult.Success;
            return ValidateOptionsResult.Fail(
                "A scaled configuration (PostgreSQL, Azure Blob or PostgreSQL jobs) must not use demo credentials. " +
                (demoKeys.Count > 0 ? $"Replace the API keys of: {string.Join(", ", demoKeys)} (Ingest:Clients:<name>:Key, random, at least 24 characters). " : "") +
                (demoAccounts.Count > 0 ? $"Remove or change the password of the demo accounts: {string.Join(", ", demoAccounts)} (Review:Accounts, or VP_DEMO_CREDENTIALS=off)." : ""));
        }
        var demoPins = PipelineDefaults.DemoCredentialsEnabled;
        var developmentKey = (config.GetSection(VerifyPipeline.Cases.Forms.FormOptions.Section).Get<VerifyPipeline.Cases.Forms.FormOptions>()?.HmacKey
            ?? VerifyPipeline.Cases.Forms.FormQr.DevelopmentKey) == VerifyPipeline.Cases.Forms.FormQr.DevelopmentKey;
        if (demoKeys.Count == 0 && demoAccounts.Count == 0 && !demoPins && !developmentKey) return ValidateOptionsResult.Success;
        return ValidateOptionsResult.Fail(
            $"The embedded configuration listens on {string.Join(", ", exposed)}, reachable from other machines, with credentials published in the repository. " +
            (demoPins || demoKeys.Count > 0 || demoAccounts.Count > 0
                ? "Set VP_DEMO_CREDENTIALS=off" + (demoKeys.Count > 0 ? $" and give the API clients keys of their own (Ingest:Clients:<name>:Key, random, at least 24 characters; now: {string.Join(", ", demoKeys)})" : "")
                  + (demoAccounts.Count > 0 ? $" and change the password of the demo accounts ({string.Join(", ", demoAccounts)}, Review:Accounts)" : "") + ". "
                : "") +
            (developmentKey ? "Set Forms:HmacKey to a secret of your own (it signs the QR code on the forms; the development key is public). " : "") +
            "Or listen on this machine only: --urls http://127.0.0.1:5080 (localhost and [::1] are fine too).");
    }
}

/// <summary>The addresses the server will listen on, from the same settings Kestrel reads (urls, http_ports/https_ports,
/// Kestrel:Endpoints).</summary>
internal static class ListenAddresses
{
    public static List<string> NotLoopback(IConfiguration config)
    {
        var urls = (config["urls"] ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
        if (urls.Count == 0)
            foreach (var key in new[] { "http_ports", "https_ports" })
                urls.AddRange((config[key] ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(p => $"*:{p}"));
        urls.AddRange(config.GetSection("Kestrel:Endpoints").GetChildren().Select(e => e["Url"]).OfType<string>());
        return urls.Where(u => !IsLoopback(u)).ToList();
    }

    /// <summary>True for 127.0.0.0/8, ::1, localhost and a Unix socket; false for wildcards (*, +, 0.0.0.0, [::]) and
    /// any other host name or address.</summary>
    public static bool IsLoopback(string url)
    {
        var rest = url.Contains("://", StringComparison.Ordinal) ? url[(url.IndexOf("://", StringComparison.Ordinal) + 3)..] : url;
        if (rest.StartsWith("unix:", StringComparison.OrdinalIgnoreCase)) return true;
        rest = rest.Split('/')[0];
        var host = rest.StartsWith('[') ? rest[1..Math.Max(1, rest.IndexOf(']'))] : rest.Split(':')[0];
        return host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
            || System.Net.IPAddress.TryParse(host, out var ip) && System.Net.IPAddress.IsLoopback(ip);
    }
}

/// <summary>Prints where the system listens and, in embedded mode, the demo credentials to try it with.</summary>
internal sealed class StartupBanner(IServer server, IHostApplicationLifetime lifetime, IOptions<IngestOptions> ingest, IOptions<ReviewOptions> review,
    IOptions<HostingOptions> hosting, IConfiguration config, IHostEnvironment env) : IHostedService
{
    public Task StartAsync(CancellationToken ct)
    {
        lifetime.ApplicationStarted.Register(() =>
        {
            var addresses = server.Features.Get<Microsoft.AspNetCore.Hosting.Server.Features.IServerAddressesFeature>()?.Addresses ?? [];
            var h = hosting.Value;
            Console.WriteLine();
            Console.WriteLine($"VerifyPipeline is running ({(CaseServices.IsScaled(config) ? "scaled" : "embedded")} mode) on {string.Join(", ", addresses)}");
            Console.WriteLine($"  serves: {(h.ServeIngest ? "ingest API + fax inbox " : "")}{(h.ServeReview ? "review UI " : "")}{(h.RunJobs ? "pipeline jobs" : "")}");
            Console.WriteLine($"  data under {env.ContentRootPath}");
            foreach (var (name, c) in ingest.Value.Clients.Where(c => c.Value.Key.StartsWith("demo-", StringComparison.Ordinal)))
                Console.WriteLine($"  demo API client {name} ({c.Channel.ToString().ToLowerInvariant()}): X-Api-Key: {c.Key}");
            foreach (var (user, a) in review.Value.Accounts.Where(a => a.Value.DemoPassword is not null))
                Console.WriteLine($"  demo account {user} ({a.Role}), password: {a.DemoPassword}");
            if (!CaseServices.IsScaled(config) && PipelineDefaults.DemoCredentialsEnabled)
                Console.WriteLine($"  demo PINs: {string.Join(", ", DemoData.Pins.Select(p => $"{p.PinReference} ({(p.Revoked ? "revoked" : p.Type.ToString().ToLowerInvariant())})"))}");
            Console.WriteLine();
        });
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken ct) => Task.CompletedTask;
}

/// <summary>The certificate that encrypts the data-protection key ring (<c>Review:KeysCertificate</c>, a PKCS#12 file with
/// its private key; <c>Review:KeysCertificatePassword</c>). Every review host needs the same one to read the ring.</summary>
internal static class KeyRingCertificate
{
    public static System.Security.Cryptography.X509Certificates.X509Certificate2 Load(string path, string? password)
    {
        if (!File.Exists(path))
            throw new InvalidOperationException($"Review:KeysCertificate: no file at {path}. Give a PKCS#12 (.pfx) file with its private key, or leave the key unset.");
        try
        {
            var cert = System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadPkcs12FromFile(path, password);
            if (!cert.HasPrivateKey) throw new InvalidOperationException($"Review:KeysCertificate: {path} has no private key: the key ring could be written but never read back.");
            return cert;
        }
        catch (System.Security.Cryptography.CryptographicException e)
        {
            throw new InvalidOperationException($"Review:KeysCertificate: {path} cannot be read ({e.Message}); check Review:KeysCertificatePassword.", e);
        }
    }
}
