using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

// ingest-bench URL API_KEY [COUNT=2000] [CONCURRENCY=32] [SIZE_BYTES=1048576]
// Creates one request, then uploads COUNT distinct files of SIZE_BYTES (a PDF header + random bytes: the intake
// only sniffs, hashes and stores; the pipeline's work happens later) from CONCURRENCY clients; prints uploads/s and
// latency percentiles of the 202 answers.
if (args.Length < 2) { Console.Error.WriteLine("usage: ingest-bench URL API_KEY [COUNT] [CONCURRENCY] [SIZE_BYTES]"); return 2; }
var url = args[0].TrimEnd('/');
var key = args[1];
var count = args.Length > 2 ? int.Parse(args[2]) : 2000;
var concurrency = args.Length > 3 ? int.Parse(args[3]) : 32;
var size = args.Length > 4 ? int.Parse(args[4]) : 1 << 20;

using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = concurrency, PooledConnectionLifetime = TimeSpan.FromMinutes(10) }) { BaseAddress = new Uri(url) };
http.DefaultRequestHeaders.Add("X-Api-Key", key);
// A request (and PIN) per upload, made before the clock starts: files for one request or PIN join its open case (one
// conversion per PIN at a time), and this measures case creation.
var requestIds = new string[count];
for (var n = 0; n < count; n++)
{
    var created = await http.PostAsJsonAsync("/api/requests", new
    {
        pin_reference = $"PIN-BENCH-{n}", codice_fiscale = "RSSMRA80A01H501U", surname = "Rossi", given_names = "Mario", birth_date = "1980-01-01",
        document = new { type = "cie", number = "CA00000AA", expiry_date = "2031-01-01" },
    });
    created.EnsureSuccessStatusCode();
    requestIds[n] = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
}

var template = new byte[size];
Random.Shared.NextBytes(template);
"%PDF-1.4\n"u8.CopyTo(template);
var latencies = new double[count];
var failures = 0;
var next = -1;
var wall = Stopwatch.StartNew();
await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
{
    var body = (byte[])template.Clone();
    int i;
    while ((i = Interlocked.Increment(ref next)) < count)
    {
        BitConverter.TryWriteBytes(body.AsSpan(16), i);             // every file distinct: its own SHA-256, its own case
        BitConverter.TryWriteBytes(body.AsSpan(20), Environment.TickCount64);
        using var form = new MultipartFormDataContent { { new ByteArrayContent(body), "file", $"bench-{i}.pdf" } };
        var t = Stopwatch.StartNew();
        using var r = await http.PostAsync($"/api/requests/{requestIds[i]}/file", form);
        latencies[i] = t.Elapsed.TotalMilliseconds;
        if (r.StatusCode != HttpStatusCode.Accepted) Interlocked.Increment(ref failures);
    }
}));
wall.Stop();
Array.Sort(latencies);
double P(double q) => latencies[Math.Min(count - 1, (int)(q * count))];
Console.WriteLine(JsonSerializer.Serialize(new
{
    uploads = count, concurrency, size_bytes = size, failures,
    seconds = Math.Round(wall.Elapsed.TotalSeconds, 2),
    uploads_per_s = Math.Round(count / wall.Elapsed.TotalSeconds, 1),
    mb_per_s = Math.Round(count * (double)size / (1 << 20) / wall.Elapsed.TotalSeconds, 1),
    p50_ms = Math.Round(P(0.50), 1), p95_ms = Math.Round(P(0.95), 1), p99_ms = Math.Round(P(0.99), 1),
}));
return failures == 0 ? 0 : 1;
