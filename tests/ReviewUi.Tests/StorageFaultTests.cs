using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using VerifyPipeline.Cases;
using VerifyPipeline.Cases.Tests.Storage;
using Xunit.Abstractions;

namespace VerifyPipeline.ReviewUi.Tests;

/// <summary>Issue 11, "Faults to survive": a database whose write lock is held and a disk that is full are the service's
/// faults. The caller gets 503/507 with Retry-After in seconds (never 400 or a 500 after 30 s), nothing is half-stored,
/// readiness says so, and the same Idempotency-Key sent again once the fault is gone gets exactly one case. Real
/// components only: the real host on SQLite, a second SQLite connection holding the lock, a real full tmpfs.</summary>
public sealed class StorageFaultTests(ITestOutputHelper output) : IDisposable
{
    private readonly TempDir _tmp = new();
    private readonly List<string> _mounts = [];

    public void Dispose()
    {
        foreach (var m in _mounts) Run("umount", "-l", m);
        _tmp.Dispose();
    }

    private static readonly Dictionary<string, string?> NoJobs = new()
    {
        ["Hosting:RunJobs"] = "false", ["Hosting:WatchFaxInbox"] = "false", ["Storage:MinFreeBytes"] = "262144",
    };

    [Fact]
    public async Task Upload_Answers503WithRetryAfterInSeconds_WhileTheSqliteWriteLockIsHeld_AndTheRetryGetsOneCase()
    {
        await using var host = new TestHost("embedded", _tmp.Path, NoJobs);
        var portal = host.Portal();
        var requestId = await host.CreateRequestAsync(portal);
        var png = Samples.Png(seed: 11);
        Assert.Equal(HttpStatusCode.OK, (await portal.GetAsync("/health/ready")).StatusCode);

        await using (var locker = new SqliteConnection($"Data Source={Path.Combine(_tmp.Path, "cases.db")};Pooling=False"))
        {
            await locker.OpenAsync();
            await using (var begin = locker.CreateCommand()) { begin.CommandText = "begin immediate"; await begin.ExecuteNonQueryAsync(); }

            var clock = Stopwatch.StartNew();
            var upload = await TestHost.UploadAsync(portal, requestId, png, "scan.png", idempotencyKey: "locked-1");
            var uploadSeconds = clock.Elapsed.TotalSeconds;
            await AssertRetryLater(upload, HttpStatusCode.ServiceUnavailable, "SERVICE_UNAVAILABLE");
            Assert.True(uploadSeconds < 10, $"the 503 came after {uploadSeconds:0.0} s");

            clock.Restart();
            var create = await portal.PostAsJsonAsync("/api/requests", TestHost.RequestBody());
            var createSeconds = clock.Elapsed.TotalSeconds;
            await AssertRetryLater(create, HttpStatusCode.ServiceUnavailable, "SERVICE_UNAVAILABLE");

            clock.Restart();
            var ready = await portal.GetAsync("/health/ready");
            var readySeconds = clock.Elapsed.TotalSeconds;
            var readyBody = await ready.Content.ReadAsStringAsync();
            Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
            Assert.Contains("not writable", readyBody);
            output.WriteLine($"write lock held: upload 503 in {uploadSeconds:0.00} s, POST /api/requests 503 in {createSeconds:0.00} s, readiness Unhealthy in {readySeconds:0.00} s");
            Assert.Empty(await host.Store.ListCasesAsync("portal", null, null, 10));
        } // the lock's connection closes: its transaction is rolled back

        var retry = await TestHost.UploadAsync(portal, requestId, png, "scan.png", idempotencyKey: "locked-1");
        Assert.Equal(HttpStatusCode.Accepted, retry.StatusCode);
        var again = await TestHost.UploadAsync(portal, requestId, png, "scan.png", idempotencyKey: "locked-1");
        Assert.Equal(HttpStatusCode.Accepted, again.StatusCode);
        var cases = await host.Store.ListCasesAsync("portal", null, null, 10);
        Assert.Equal(CaseIdOf(await retry.Content.ReadFromJsonAsync<JsonElement>()), Assert.Single(cases).Id);
        Assert.True(await host.Blobs.ExistsAsync(cases[0].Original.BlobKey));
        Assert.Equal(HttpStatusCode.OK, (await portal.GetAsync("/health/ready")).StatusCode);
    }

    [Fact]
    public async Task Upload_Answers507AndCreatesNoCase_WhenTheBlobDiskIsFull_AndTheRetryIsAcceptedOnceSpaceReturns()
    {
        if (MountSmallTmpfs("blobs") is not { } blobs) return;
        await using var host = new TestHost("embedded", _tmp.Path, new(NoJobs) { ["Storage:Blobs:Connection"] = blobs });
        var portal = host.Portal();
        var requestId = await host.CreateRequestAsync(portal);
        var filler = Fill(blobs);
        var png = Samples.Png(400, 300, seed: 12);

        var upload = await TestHost.UploadAsync(portal, requestId, png, "scan.png", idempotencyKey: "full-1");
        await AssertRetryLater(upload, HttpStatusCode.InsufficientStorage, "STORAGE_FULL");
        var problem = await upload.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains("our fault", problem.GetProperty("detail").GetString());
        Assert.Contains("same Idempotency-Key", problem.GetProperty("detail").GetString());
        Assert.Empty(await host.Store.ListCasesAsync("portal", null, null, 10));
        Assert.Empty(Directory.GetFiles(blobs, "*.tmp", SearchOption.AllDirectories));
        var ready = await portal.GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.Contains("below Storage:MinFreeBytes", await ready.Content.ReadAsStringAsync());

        File.Delete(filler);
        var retry = await TestHost.UploadAsync(portal, requestId, png, "scan.png", idempotencyKey: "full-1");
        Assert.Equal(HttpStatusCode.Accepted, retry.StatusCode);
        var c = Assert.Single(await host.Store.ListCasesAsync("portal", null, null, 10));
        Assert.True(await host.Blobs.ExistsAsync(c.Original.BlobKey));
        Assert.Equal(HttpStatusCode.OK, (await portal.GetAsync("/health/ready")).StatusCode);
    }

    [Fact]
    public async Task Stage_ParksTheCaseWithTheStorageError_WhenTheWorkFolderIsFull()
    {
        if (MountSmallTmpfs("work") is not { } work) return;
        await using var host = new TestHost("embedded", _tmp.Path, new() { ["Pipeline:WorkFolder"] = work, ["Storage:MinFreeBytes"] = "0" });
        var portal = host.Portal();
        var requestId = await host.CreateRequestAsync(portal);
        Fill(work);

        var caseId = CaseIdOf(await (await TestHost.UploadAsync(portal, requestId, Samples.Png(400, 300, seed: 13))).Content.ReadFromJsonAsync<JsonElement>());
        var c = await host.WaitForStateAsync(caseId, TimeSpan.FromSeconds(60), CaseState.NeedsAttention);

        Assert.Contains("Stage unpack failed after all retries: storage full", c.Error);
        Assert.Contains("No space left on device", c.Error);
        Assert.Equal("failed", (await host.Store.GetEventsAsync(caseId)).Last().Kind);
    }

    [Fact]
    public async Task Upload_Answers503WithRetryAfter_WhilePostgresIsStopped_AndTheRetryGetsOneCaseAfterItRestarts()
    {
        // A throwaway cluster of this test's own: stopping the shared one of test.sh would fail the other tests.
        const string bin = "/usr/lib/postgresql/15/bin";
        if (!File.Exists(Path.Combine(bin, "pg_ctl")))
        {
            output.WriteLine($"SKIPPED: no PostgreSQL 15 binaries in {bin} (test.sh installs them).");
            return;
        }
        var cluster = Path.Combine(_tmp.Path, "pg");
        Directory.CreateDirectory(cluster);
        Assert.Equal(0, Run("chown", "postgres:postgres", cluster, _tmp.Path).Code);
        Assert.Equal(0, Run("chmod", "755", _tmp.Path).Code);
        var data = Path.Combine(cluster, "data");
        var (init, initError) = Run("runuser", "-u", "postgres", "--", Path.Combine(bin, "initdb"), "-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8");
        Assert.True(init == 0, initError);
        var port = FreePort();
        string[] start = ["runuser", "-u", "postgres", "--", Path.Combine(bin, "pg_ctl"), "-D", data, "-l", Path.Combine(cluster, "server.log"), "-w", "-t", "60",
            "-o", $"-c listen_addresses=127.0.0.1 -p {port} -k {cluster} -c fsync=off", "start"];
        string[] stop = ["runuser", "-u", "postgres", "--", Path.Combine(bin, "pg_ctl"), "-D", data, "-m", "fast", "-w", "stop"];
        Assert.Equal(0, Run(start[0], start[1..]).Code);
        try
        {
            await using var host = new TestHost("embedded", _tmp.Path, new(NoJobs)
            {
                ["Storage:Cases:Provider"] = "Postgres",
                ["Storage:Cases:Connection"] = $"Host=127.0.0.1;Port={port};Username=postgres;Database=postgres;Timeout=3",
            });
            var portal = host.Portal();
            var requestId = await host.CreateRequestAsync(portal);
            var png = Samples.Png(seed: 14);

            Assert.Equal(0, Run(stop[0], stop[1..]).Code);
            var clock = Stopwatch.StartNew();
            var upload = await TestHost.UploadAsync(portal, requestId, png, "scan.png", idempotencyKey: "pg-1");
            var uploadSeconds = clock.Elapsed.TotalSeconds;
            await AssertRetryLater(upload, HttpStatusCode.ServiceUnavailable, "SERVICE_UNAVAILABLE");
            Assert.True(uploadSeconds < 10, $"the 503 came after {uploadSeconds:0.0} s");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, (await portal.GetAsync("/health/ready")).StatusCode);
            output.WriteLine($"PostgreSQL stopped: upload 503 in {uploadSeconds:0.00} s");

            Assert.Equal(0, Run(start[0], start[1..]).Code);
            // Like a client honouring Retry-After: a pooled connection broken by the restart may cost one more 503.
            HttpResponseMessage retry;
            var attempts = 0;
            do retry = await TestHost.UploadAsync(portal, requestId, png, "scan.png", idempotencyKey: "pg-1");
            while (retry.StatusCode == HttpStatusCode.ServiceUnavailable && ++attempts < 5 && await Delay());
            Assert.Equal(HttpStatusCode.Accepted, retry.StatusCode);
            Assert.Single(await host.Store.ListCasesAsync("portal", null, null, 10));
        }
        finally { Run(stop[0], stop[1..]); }
    }

    private static async Task<bool> Delay() { await Task.Delay(500); return true; }

    private static int FreePort()
    {
        using var l = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    private static string CaseIdOf(JsonElement accepted) => accepted.GetProperty("case_id").GetString()!;

    private static async Task AssertRetryLater(HttpResponseMessage r, HttpStatusCode status, string reasonCode)
    {
        var body = await r.Content.ReadAsStringAsync();
        Assert.True(r.StatusCode == status, $"expected {(int)status}, got {(int)r.StatusCode}: {body}");
        Assert.NotNull(r.Headers.RetryAfter?.Delta);
        Assert.Equal(reasonCode, JsonDocument.Parse(body).RootElement.GetProperty("reason_code").GetString());
    }

    /// <summary>A 2 MiB tmpfs, so that "disk full" is a real ENOSPC from the kernel. Needs root (the tests run as root);
    /// where mounting is not permitted the test says so in its output and proves nothing else.</summary>
    private string? MountSmallTmpfs(string name)
    {
        var dir = Path.Combine(_tmp.Path, name);
        Directory.CreateDirectory(dir);
        var (code, error) = Run("mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", dir);
        if (code != 0)
        {
            output.WriteLine($"SKIPPED: mounting a tmpfs is not permitted here (mount exited {code}: {error.Trim()}); the disk-full path was not exercised.");
            return null;
        }
        _mounts.Add(dir);
        return dir;
    }

    /// <summary>Writes one file until the kernel refuses with ENOSPC; returns its path (delete it to free the space).</summary>
    private static string Fill(string dir)
    {
        var path = Path.Combine(dir, "filler");
        using var f = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 0);
        var chunk = new byte[64 * 1024];
        try
        {
            while (true) f.Write(chunk);
        }
        catch (IOException e) when (StorageFaults.IsDiskFull(e)) { }
        return path;
    }

    private static (int Code, string Error) Run(string file, params string[] args)
    {
        try
        {
            var psi = new ProcessStartInfo(file, args) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
            using var p = Process.Start(psi)!;
            var error = p.StandardError.ReadToEnd();
            p.WaitForExit();
            return (p.ExitCode, error);
        }
        catch (System.ComponentModel.Win32Exception e) { return (-1, e.Message); }
    }
}
