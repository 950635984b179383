using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using VerifyPipeline.Cases;
using VerifyPipeline.Cases.Tests.Storage;
using Xunit.Abstractions;

namespace VerifyPipeline.ReviewUi.Tests;

/// <summary>Issue 11, "Azurite stopped": the blob store goes away with uploads arriving and stages running (scaled
/// configuration: PostgreSQL for cases and jobs, Azure Blob Storage on an Azurite of this test's own, stopped and started
/// again on the same port and folder). Uploads answer 503 with Retry-After, readiness is unhealthy, stages are retried;
/// once Azurite is back the same Idempotency-Key gets one case, no case is lost and each is decided exactly once.</summary>
public sealed class BlobStoreFaultTests(ITestOutputHelper output) : IDisposable
{
    private readonly TempDir _tmp = new();
    private Process? _azurite;

    public void Dispose()
    {
        StopAzurite();
        _tmp.Dispose();
    }

    private static string? AzuriteBinary()
    {
        var tools = Environment.GetEnvironmentVariable("VP_TOOLS_DIR")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "verifypipeline", "tools");
        var bin = Path.Combine(tools, "azurite", "node_modules", ".bin", "azurite-blob");
        return File.Exists(bin) ? bin : null;
    }

    private async Task StartAzuriteAsync(string bin, int port, string location)
    {
        var closed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _azurite = new Process
        {
            StartInfo = new ProcessStartInfo(bin, ["--blobHost", "127.0.0.1", "--blobPort", port.ToString(), "--location", location, "--skipApiVersionCheck", "--silent"])
                { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true },
        };
        _azurite.OutputDataReceived += (_, e) => { if (e.Data?.Contains("successfully closed", StringComparison.Ordinal) == true) closed.TrySetResult(); };
        _azurite.ErrorDataReceived += (_, _) => { };
        _azurite.Start();
        _azurite.BeginOutputReadLine();
        _azurite.BeginErrorReadLine();
        _azuriteClosed = closed.Task;
        for (var i = 0; i < 300; i++)
        {
            try
            {
                using var tcp = new System.Net.Sockets.TcpClient();
                await tcp.ConnectAsync(IPAddress.Loopback, port);
                return;
            }
            catch (System.Net.Sockets.SocketException) { await Task.Delay(100); }
        }
        throw new TimeoutException("Azurite did not start listening within 30 s.");
    }

    private Task _azuriteClosed = Task.CompletedTask;

    /// <summary>Stops Azurite as a service is stopped, so that it keeps what it acknowledged, as a real store does. Azurite
    /// holds its blob index in memory and writes it out every 5 s (LokiJS autosave, an interval no option changes;
    /// <c>--inMemoryPersistence</c> cannot be combined with <c>--location</c> and keeps nothing across the restart this
    /// test needs): a SIGKILL would lose the last seconds' uploads, which cost this test a 6 s wait. SIGINT closes the
    /// index (written out); Azurite then says so but does not exit, so it is killed.</summary>
    private async Task StopAzuriteAsync()
    {
        if (_azurite is null) return;
        using (var signal = Process.Start("kill", ["-INT", _azurite.Id.ToString()])!) await signal.WaitForExitAsync();
        if (await Task.WhenAny(_azuriteClosed, Task.Delay(TimeSpan.FromSeconds(30))) != _azuriteClosed)
            output.WriteLine("Azurite did not report closing within 30 s; killed");
        StopAzurite();
    }

    /// <summary>SIGKILL (Azurite does not exit on SIGTERM or SIGINT), as a crash would.</summary>
    private void StopAzurite()
    {
        if (_azurite is null) return;
        try { _azurite.Kill(entireProcessTree: true); _azurite.WaitForExit(10_000); } catch (InvalidOperationException) { }
        _azurite.Dispose();
        _azurite = null;
    }

    private static int FreePort()
    {
        using var l = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    [Fact]
    public async Task AzuriteStopped_UploadsAnswer503AndReadinessFails_StagesRecover_NoCaseLost_EachDecidedOnce()
    {
        if (AzuriteBinary() is not { } bin)
        {
            output.WriteLine("SKIPPED: no azurite-blob in the tools folder (test.sh installs it).");
            return;
        }
        var port = FreePort();
        var location = Directory.CreateDirectory(Path.Combine(_tmp.Path, "azurite")).FullName;
        await StartAzuriteAsync(bin, port, location);
        var blobs = $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;BlobEndpoint=http://127.0.0.1:{port}/devstoreaccount1;";
        var shared = new Dictionary<string, string?>
        {
            ["Storage:Blobs:Connection"] = blobs,
            ["Storage:Blobs:Container"] = "faults",
            ["Hosting:WatchFaxInbox"] = "false",
            // Enough retries to outlast the outage: each failing attempt already waits out the Azure SDK's own retries.
            ["Storage:Jobs:RetryAttempts"] = "8",
        };
        for (var i = 0; i < 8; i++) shared[$"Storage:Jobs:RetryDelaysSeconds:{i}"] = "2";
        await using var ingest = new TestHost("scaled", Path.Combine(_tmp.Path, "ingest"), new(shared) { ["Hosting:RunJobs"] = "false" });
        var portal = ingest.Portal();
        var requestId = await ingest.CreateRequestAsync(portal);
        var accepted = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var r = await TestHost.UploadAsync(portal, requestId, Samples.Png(seed: 100 + i), $"scan{i}.png", idempotencyKey: $"before-{i}");
            Assert.Equal(HttpStatusCode.Accepted, r.StatusCode);
            accepted.Add((await r.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("case_id").GetString()!);
        }
        await StopAzuriteAsync();
        // Mid-stage: a worker starts with the three cases to process and no blob store.
        await using var worker = new TestHost("scaled", Path.Combine(_tmp.Path, "worker"), new(shared) { ["Hosting:ServeReview"] = "false" }, postgres: ingest.Postgres);
        _ = worker.Services; // starts it: its jobs fail to read the originals and are retried
        // Mid-upload: 503 with Retry-After, nothing accepted.
        var refused = await TestHost.UploadAsync(portal, requestId, Samples.Png(seed: 200), "late.png", idempotencyKey: "during");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        Assert.Equal("5", refused.Headers.RetryAfter?.ToString());
        Assert.Equal("SERVICE_UNAVAILABLE", (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("reason_code").GetString());
        var ready = await portal.GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.Contains("blobs", await ready.Content.ReadAsStringAsync());
        Assert.Equal(3, (await ingest.Store.ListCasesAsync("portal", null, null, 100)).Count);

        await StartAzuriteAsync(bin, port, location);
        for (var i = 0; i < 100 && (await portal.GetAsync("/health/ready")).StatusCode != HttpStatusCode.OK; i++) await Task.Delay(200);
        Assert.Equal(HttpStatusCode.OK, (await portal.GetAsync("/health/ready")).StatusCode);
        var retried = await TestHost.UploadAsync(portal, requestId, Samples.Png(seed: 200), "late.png", idempotencyKey: "during");
        Assert.Equal(HttpStatusCode.Accepted, retried.StatusCode);
        accepted.Add((await retried.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("case_id").GetString()!);

        foreach (var id in accepted)
        {
            var c = await worker.WaitForStateAsync(id, TimeSpan.FromSeconds(150), CaseState.InReview, CaseState.Approved, CaseState.Rejected, CaseState.NeedsAttention);
            Assert.True(c.State != CaseState.NeedsAttention, $"case {id} needs attention: {c.Error}");
            Assert.Single(await worker.Store.GetEventsAsync(id), e => e.Kind == "decided");
            Assert.True(await worker.Blobs.ExistsAsync(c.Original.BlobKey), $"case {id} lost its original");
        }
        Assert.Equal(4, (await ingest.Store.ListCasesAsync("portal", null, null, 100)).Count);
    }
}
