// End-to-end throughput through the API (docs/performance.md): N submissions, each a request created with
// POST /api/requests and a file uploaded to it, sent at an open-loop arrival rate (the next one leaves on schedule
// whether or not the earlier ones are done), then polled until the machine decided (Approved, Rejected, InReview).
// Latency = the case's own timeline: 'received' → the machine's decision (server clocks, no polling error).
// With --pid PID,PID…, the server's CPU seconds — utime + stime of /proc/PID/stat (its threads included), of the children
// it waited for (cutime + cstime: pdftoppm, PostgreSQL's ended backends) and of its live descendants — and peak memory
// (VmHWM, the processes named only); each process's figures too. The load average (/proc/loadavg, 1 min) is sampled
// every 5 s during the run: the machine's other work shares the cores, so every figure is read against it.
//
//   dotnet tools/ThroughputBench/bin/Release/net10.0/VerifyPipeline.ThroughputBench.dll \
//     --api http://127.0.0.1:5090 --key demo-portal-key --file tests/TestData/submissions/pdf-scan-cie-ok.pdf \
//     --request docs/form-example.request.json --count 30 --rate 0 [--pid PID,PID…] [--label TEXT]
//   --pin-prefix P: submission i asks for PIN P + i (4 digits; default PIN-TB + 4 random letters), one PIN each, since
//   files for a PIN with an open case join that case (one conversion per PIN at a time): with one PIN for all, N uploads
//   would be one case read N times. A PIN missing from the directory is rejected PIN_NOT_ELIGIBLE after the same reading;
//   import them first (verify pins import) for the cases to end as the embedded host's demo PIN does.
//   The scaled deployment (PostgreSQL, Azurite, API host, 1 or 2 workers) is started by tools/ThroughputBench/scaled.sh.
//   --rate 0: all at once (saturation: submissions/hour = N / (last decision − first upload)); else submissions per hour.
using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

var a = Args(args);
var api = a.GetValueOrDefault("api") ?? "http://127.0.0.1:5090";
var key = a.GetValueOrDefault("key") ?? "demo-portal-key";
var file = a.GetValueOrDefault("file") ?? "tests/TestData/submissions/pdf-scan-cie-ok.pdf";
var requestTemplate = JsonNode.Parse(File.ReadAllText(a.GetValueOrDefault("request") ?? "docs/form-example.request.json"))!.AsObject();
requestTemplate.Remove("id");
var count = int.Parse(a.GetValueOrDefault("count") ?? "20");
var ratePerHour = double.Parse(a.GetValueOrDefault("rate") ?? "0", System.Globalization.CultureInfo.InvariantCulture);
var pids = (a.GetValueOrDefault("pid") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries).Select(int.Parse).ToArray();
var timeout = TimeSpan.FromMinutes(double.Parse(a.GetValueOrDefault("timeout-min") ?? "30", System.Globalization.CultureInfo.InvariantCulture));
var bytes = File.ReadAllBytes(file);
var pinPrefix = a.GetValueOrDefault("pin-prefix") ?? "PIN-TB" + string.Concat(Enumerable.Range(0, 4).Select(_ => (char)('A' + Random.Shared.Next(26))));

using var http = new HttpClient { BaseAddress = new Uri(api), Timeout = TimeSpan.FromMinutes(2) };
http.DefaultRequestHeaders.Add("X-Api-Key", key);
var cpuBefore = pids.Select(CpuSeconds).ToArray();
var loads = new List<double>();
using var sampling = new CancellationTokenSource();
var sampler = Task.Run(async () =>
{
    while (!sampling.IsCancellationRequested)
    {
        loads.Add(double.Parse(File.ReadAllText("/proc/loadavg").Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture));
        try { await Task.Delay(TimeSpan.FromSeconds(5), sampling.Token); } catch (OperationCanceledException) { }
    }
});
var started = Stopwatch.StartNew();
var wallStart = DateTimeOffset.UtcNow;
var interval = ratePerHour > 0 ? TimeSpan.FromHours(1 / ratePerHour) : TimeSpan.Zero;
var submissions = new List<Task<Result>>();
for (var i = 0; i < count; i++)
{
    var due = interval * i;
    if (due > started.Elapsed) await Task.Delay(due - started.Elapsed);
    submissions.Add(SubmitAndWaitAsync(i));
}
var results = await Task.WhenAll(submissions);
var cpuAfter = pids.Select(CpuSeconds).ToArray();
sampling.Cancel();
await sampler;
var ok = results.Where(r => r.Error is null).ToList();
var lat = ok.Select(r => r.Latency.TotalSeconds).Order().ToArray();
var firstUpload = ok.Count > 0 ? ok.Min(r => r.Received) : wallStart;
var lastDecision = ok.Count > 0 ? ok.Max(r => r.Decided) : DateTimeOffset.UtcNow;
var span = (lastDecision - firstUpload).TotalHours;
var report = new
{
    label = a.GetValueOrDefault("label"), api, pin_prefix = pinPrefix, file = Path.GetFileName(file), count, rate_per_hour = ratePerHour, decided = ok.Count, failed = results.Count(r => r.Error is not null),
    errors = results.Where(r => r.Error is not null).Select(r => r.Error).Distinct().Take(5),
    states = ok.GroupBy(r => r.State).ToDictionary(g => g.Key, g => g.Count()),
    submissions_per_hour = span > 0 ? Math.Round(ok.Count / span) : 0,
    latency_s = new { p50 = Pct(lat, 0.5), p95 = Pct(lat, 0.95), p99 = Pct(lat, 0.99), max = lat.LastOrDefault() },
    wall_s = Math.Round(started.Elapsed.TotalSeconds, 1),
    server_cpu_s_per_submission = pids.Length > 0 && ok.Count > 0 ? Math.Round((cpuAfter.Sum() - cpuBefore.Sum()) / ok.Count, 2) : (double?)null,
    server_peak_rss_mib = pids.Length > 0 ? pids.Sum(PeakRssMiB) : (long?)null,
    processes = pids.Select((p, i) => new { pid = p, name = NameOf(p), cpu_s = Math.Round(cpuAfter[i] - cpuBefore[i], 1), peak_rss_mib = PeakRssMiB(p) }),
    load_average = loads.Count == 0 ? null : new { min = loads.Min(), mean = Math.Round(loads.Average(), 1), max = loads.Max() },
};
Console.WriteLine(JsonSerializer.Serialize(report, new JsonSerializerOptions { WriteIndented = true }));
return 0;

async Task<Result> SubmitAndWaitAsync(int i)
{
    try
    {
        var body = requestTemplate.DeepClone().AsObject();
        body["pin_reference"] = $"{pinPrefix}{i:D4}";
        var created = await http.PostAsJsonAsync("/api/requests", body);
        created.EnsureSuccessStatusCode();
        var requestId = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        using var form = new MultipartFormDataContent();
        form.Add(new ByteArrayContent(bytes), "file", Path.GetFileName(file));
        using var upload = new HttpRequestMessage(HttpMethod.Post, $"/api/requests/{requestId}/file") { Content = form };
        upload.Headers.Add("Idempotency-Key", $"bench-{i}");
        var accepted = await http.SendAsync(upload);
        accepted.EnsureSuccessStatusCode();
        var caseId = (await accepted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("case_id").GetString()!;
        var until = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < until)
        {
            await Task.Delay(500);
            var c = await http.GetFromJsonAsync<JsonElement>($"/api/cases/{caseId}");
            var state = c.GetProperty("state").GetString()!;
            if (state is not ("Approved" or "Rejected" or "InReview")) continue;
            var timeline = c.GetProperty("timeline").EnumerateArray().ToList();
            var received = timeline.First(e => e.GetProperty("event").GetString() == "received").GetProperty("at").GetDateTimeOffset();
            var decided = timeline.Last(e => e.GetProperty("event").GetString() is "approved" or "rejected" or "in_review").GetProperty("at").GetDateTimeOffset();
            return new Result(caseId, state, received, decided, decided - received, null);
        }
        return new Result(caseId, "", default, default, default, "timed out");
    }
    catch (Exception e) { return new Result("", "", default, default, default, $"{e.GetType().Name}: {e.Message}"); }
}

static double Pct(double[] sorted, double p) => sorted.Length == 0 ? 0 : Math.Round(sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)], 2);

// The process's CPU with its children's: its own (utime, stime), its waited-for children's (cutime, cstime) and every
// live descendant's the same way. A child alive before and ended after is in the live sum first, in cutime last.
static double CpuSeconds(int pid)
{
    var all = Directory.EnumerateDirectories("/proc").Select(d => int.TryParse(Path.GetFileName(d), out var p) ? Stat(p) : null)
        .OfType<(int Pid, int Parent, long Ticks)>().ToList();
    var total = 0L;
    var tree = new HashSet<int> { pid };
    for (var grew = true; grew;)
    {
        grew = false;
        foreach (var s in all)
            if (!tree.Contains(s.Pid) && tree.Contains(s.Parent)) { tree.Add(s.Pid); grew = true; }
    }
    foreach (var s in all) if (tree.Contains(s.Pid)) total += s.Ticks;
    return total / 100.0;
}

// fields 4 (ppid) and 14–17 (utime, stime, cutime, cstime) in clock ticks; the name (field 2) may hold spaces, so split
// after its ')'. Null for a process gone meanwhile.
static (int Pid, int Parent, long Ticks)? Stat(int pid)
{
    try
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var f = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (pid, int.Parse(f[1]), long.Parse(f[11]) + long.Parse(f[12]) + long.Parse(f[13]) + long.Parse(f[14]));
    }
    catch (IOException) { return null; }
}

static string NameOf(int pid) => File.Exists($"/proc/{pid}/cmdline")
    ? string.Join(' ', File.ReadAllText($"/proc/{pid}/cmdline").Split('\0', StringSplitOptions.RemoveEmptyEntries).Take(2).Select(Path.GetFileName)) : "";

static long PeakRssMiB(int pid) =>
    File.ReadAllLines($"/proc/{pid}/status").Where(l => l.StartsWith("VmHWM:")).Select(l => long.Parse(l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) / 1024).FirstOrDefault();

static Dictionary<string, string> Args(string[] args)
{
    var d = new Dictionary<string, string>();
    for (var i = 0; i + 1 < args.Length; i += 2) d[args[i].TrimStart('-')] = args[i + 1];
    return d;
}

record Result(string CaseId, string State, DateTimeOffset Received, DateTimeOffset Decided, TimeSpan Latency, string? Error);
