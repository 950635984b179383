using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using VerifyPipeline.Cases;
using VerifyPipeline.Cases.Tests.Storage;

namespace VerifyPipeline.ReviewUi.Tests;

/// <summary>Nothing is lost and nothing is done twice: killed workers, restarts, concurrent clients.</summary>
public sealed class ReliabilityTests : IDisposable
{
    private readonly TempDir _tmp = new();
    private readonly List<Process> _workers = [];

    public void Dispose()
    {
        foreach (var w in _workers) { try { if (!w.HasExited) w.Kill(entireProcessTree: true); w.WaitForExit(5000); } catch (InvalidOperationException) { } w.Dispose(); }
        _tmp.Dispose();
    }

    private static readonly string[] OneOfEach = ["received", "processing", "unpacked", "paged", "read", "decided"];

    [Fact]
    public async Task KilledWorker_MidStage_AnotherWorkerFinishesTheCaseExactlyOnce()
    {
        var pg = TestBackends.NewPostgresDatabase();
        await using var ingest = new TestHost("scaled", _tmp.Path, new() { ["Hosting:RunJobs"] = "false", ["Hosting:WatchFaxInbox"] = "false" }, pg);
        var portal = ingest.Portal();
        var requestId = await ingest.CreateRequestAsync(portal);

        var a = StartWorker(ingest.Settings, "a");
        var pdf = Samples.ScannedPdf(40, 1240, 1754);
        var caseId = (await (await TestHost.UploadAsync(portal, requestId, pdf, "bundle.pdf")).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("case_id").GetString()!;

        // Kill worker A while the Pages stage runs: after Unpack saved its result, before Pages saved its own.
        var until = DateTime.UtcNow.AddSeconds(90);
        while (!(await ingest.Store.GetEventsAsync(caseId)).Any(e => e.Kind == "unpacked"))
        {
            Assert.True(DateTime.UtcNow < until, "worker A never unpacked the case");
            if (a.HasExited) Assert.Fail("worker A exited: " + await a.StandardError.ReadToEndAsync());
            await Task.Delay(50);
        }
        await Task.Delay(300);
        Assert.DoesNotContain(await ingest.Store.GetEventsAsync(caseId), e => e.Kind == "paged");
        a.Kill(entireProcessTree: true); // SIGKILL: no shutdown, the job's row is simply left behind
        await a.WaitForExitAsync();

        StartWorker(ingest.Settings, "b");
        var c = await ingest.WaitForStateAsync(caseId, TimeSpan.FromSeconds(240), CaseState.InReview, CaseState.NeedsAttention, CaseState.Rejected);
        Assert.Equal(CaseState.InReview, c.State);
        Assert.Equal(40, c.Pages!.Count);
        Assert.Equal(OneOfEach, (await ingest.Store.GetEventsAsync(caseId)).Select(e => e.Kind));
    }

    [Fact]
    public async Task EmbeddedRestart_MidCase_SweepFinishesIt()
    {
        string caseId;
        await using (var first = new TestHost("embedded", _tmp.Path))
        {
            var portal = first.Portal();
            var requestId = await first.CreateRequestAsync(portal);
            caseId = (await (await TestHost.UploadAsync(portal, requestId, Samples.ScannedPdf(40, 1240, 1754), "bundle.pdf")).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("case_id").GetString()!;
            var until = DateTime.UtcNow.AddSeconds(60);
            while (!(await first.Store.GetEventsAsync(caseId)).Any(e => e.Kind == "unpacked"))
            {
                Assert.True(DateTime.UtcNow < until, "the case was never unpacked");
                await Task.Delay(50);
            }
        } // the process "stops": the in-memory job store forgets the running Pages job

        await using var second = new TestHost("embedded", _tmp.Path);
        _ = second.Services;
        // 40 pages, each read in full (QR, specimens, both ways up): ~1 s a page in a Debug build on 2 shared cores.
        var c = await second.WaitForStateAsync(caseId, TimeSpan.FromSeconds(240), CaseState.InReview, CaseState.NeedsAttention, CaseState.Rejected);
        Assert.Equal(CaseState.InReview, c.State);
        Assert.Equal(40, c.Pages!.Count);
        Assert.Equal(OneOfEach, (await second.Store.GetEventsAsync(caseId)).Select(e => e.Kind));
    }

    [Theory]
    [InlineData("embedded")]
    [InlineData("scaled")]
    public async Task ConcurrentClients_EveryUploadHasExactlyOneCaseAndOneOriginal(string backend)
    {
        await using var host = new TestHost(backend, _tmp.Path, new() { ["Hosting:RunJobs"] = "false", ["Hosting:WatchFaxInbox"] = "false" });
        var portal = host.Portal();
        const int clients = 50, each = 20;
        // A request per upload: files for one request (or PIN) join its open case (issue 15); this is about distinct cases.
        var requests = new string[clients * each];
        for (var i = 0; i < requests.Length; i++) requests[i] = await host.CreateRequestAsync(portal);
        var results = await Task.WhenAll(Enumerable.Range(0, clients).Select(client => Task.Run(async () =>
        {
            var http = host.Portal();
            var mine = new List<(string CaseId, string Sha)>();
            for (var i = 0; i < each; i++)
            {
                var png = Samples.Png(32, 32, client * each + i);
                var r = await TestHost.UploadAsync(http, requests[client * each + i], png, $"c{client}-{i}.png", idempotencyKey: $"c{client}-u{i}");
                if (r.StatusCode != HttpStatusCode.Accepted)
                    Assert.Fail($"upload c{client}-{i}: {(int)r.StatusCode} {await r.Content.ReadAsStringAsync()}\n"
                        + string.Join("\n", host.Logs.Where(l => l.StartsWith("Error") || l.StartsWith("Critical")).Take(3)));
                mine.Add(((await r.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("case_id").GetString()!,
                    Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(png))));
            }
            return mine;
        })));
        var all = results.SelectMany(x => x).ToList();
        Assert.Equal(clients * each, all.Select(x => x.CaseId).Distinct().Count());
        var cases = await host.Store.ListCasesAsync("portal", null, null, 5000);
        Assert.Equal(clients * each, cases.Count);
        foreach (var (caseId, sha) in all)
        {
            var c = cases.Single(x => x.Id == caseId);
            Assert.Equal(sha, c.Original.Sha256);
        }
        foreach (var sha in all.Select(x => x.Sha).Take(100))
            Assert.True(await host.Blobs.ExistsAsync(BlobKeys.ForContent(sha)));
    }

    [Fact]
    public async Task StageThatKeepsFailing_ParksCaseAsNeedsAttentionWithError()
    {
        await using var host = new TestHost("embedded", _tmp.Path, new() { ["Hosting:RunJobs"] = "false" });
        var portal = host.Portal();
        var requestId = await host.CreateRequestAsync(portal);
        var caseId = (await (await TestHost.UploadAsync(portal, requestId, Samples.Png())).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("case_id").GetString()!;
        var c = await host.Store.GetCaseAsync(caseId);
        await host.Blobs.DeleteAsync(c!.Original.BlobKey); // storage lost the original: every attempt of Unpack fails
        await host.DisposeAsync();

        await using var worker = new TestHost("embedded", _tmp.Path);
        _ = worker.Services;
        c = await worker.WaitForStateAsync(caseId, TimeSpan.FromSeconds(60), CaseState.NeedsAttention);
        Assert.Contains("Stage unpack failed after all retries", c.Error);
        Assert.Contains("not found", c.Error);
        Assert.Equal("failed", (await worker.Store.GetEventsAsync(caseId)).Last().Kind);
    }

    private Process StartWorker(Dictionary<string, string?> settings, string name)
    {
        var config = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}") ? "Release" : "Debug";
        var dll = Path.Combine(Samples.RepoRoot(), "src", "Verify", "bin", config, "net10.0", "verify.dll");
        Assert.True(File.Exists(dll), $"{dll} is missing: build the solution first");
        var psi = new ProcessStartInfo("dotnet", [dll, "worker"]) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        psi.Environment["Logging__LogLevel__Default"] = "Warning";
        foreach (var (k, v) in settings.Where(s => s.Key.StartsWith("Storage:", StringComparison.Ordinal) || s.Key.StartsWith("Pipeline:", StringComparison.Ordinal) || s.Key.StartsWith("Forms:", StringComparison.Ordinal)))
            psi.Environment[k.Replace(":", "__")] = v;
        psi.Environment["Storage__Jobs__WorkerCount"] = "2";
        psi.Environment["VP_DEMO_CREDENTIALS"] = "off";
        psi.Environment["OMP_THREAD_LIMIT"] = "1";
        var p = Process.Start(psi)!;
        p.OutputDataReceived += (_, _) => { };
        p.BeginOutputReadLine();
        _workers.Add(p);
        return p;
    }
}
