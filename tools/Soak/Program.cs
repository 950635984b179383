using System.Diagnostics;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

// soak URL API_KEY [COUNT=2000] [CONCURRENCY=20] [TIMEOUT_MINUTES=180]
// Uploads COUNT distinct small scans from CONCURRENCY clients through the API, each with its own Idempotency-Key; an
// upload answered 503/507/5xx or cut off is sent again with the same key until it is accepted. Then polls every case
// until the machine has decided it (InReview, Approved or Rejected). Counts what issue 11 asks: cases lost (accepted but
// missing, or never accepted), duplicated (two cases for one key, or two decisions in one case's timeline), undecided
// (NeedsAttention, or still processing at the timeout). Prints one JSON line; exit 0 only when all three are 0.
if (args.Length < 2) { Console.Error.WriteLine("usage: soak URL API_KEY [COUNT] [CONCURRENCY] [TIMEOUT_MINUTES]"); return 2; }
var url = args[0].TrimEnd('/');
var key = args[1];
var count = args.Length > 2 ? int.Parse(args[2]) : 2000;
var concurrency = args.Length > 3 ? int.Parse(args[3]) : 20;
var timeout = TimeSpan.FromMinutes(args.Length > 4 ? double.Parse(args[4]) : 180);
var run = Guid.NewGuid().ToString("N")[..8];

using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = concurrency }) { BaseAddress = new Uri(url), Timeout = TimeSpan.FromSeconds(120) };
http.DefaultRequestHeaders.Add("X-Api-Key", key);
var requestId = await Retry(async () =>
{
    using var created = await http.PostAsJsonAsync("/api/requests", new
    {
        pin_reference = "PIN-SOAK", codice_fiscale = "RSSMRA80A01H501U", surname = "Rossi", given_names = "Mario", birth_date = "1980-01-01",
        document = new { type = "cie", number = "CA00000AA", expiry_date = "2031-01-01" },
    });
    return created.StatusCode == HttpStatusCode.Created ? (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString() : null;
});

var caseIds = new string?[count];
var uploadAttempts = 0;
var retryAnswers = new Dictionary<int, int>();
var next = -1;
var wall = Stopwatch.StartNew();
await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
{
    int i;
    while ((i = Interlocked.Increment(ref next)) < count)
    {
        var png = Scan(i);
        var n = i;
        caseIds[i] = await Retry(async () =>
        {
            Interlocked.Increment(ref uploadAttempts);
            using var form = new MultipartFormDataContent { { new ByteArrayContent(png), "file", $"soak-{n}.png" } };
            using var req = new HttpRequestMessage(HttpMethod.Post, $"/api/requests/{requestId}/file") { Content = form };
            req.Headers.Add("Idempotency-Key", $"soak-{run}-{n}");
            using var r = await http.SendAsync(req);
            if (r.StatusCode == HttpStatusCode.Accepted) return (await r.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("case_id").GetString();
            lock (retryAnswers) retryAnswers[(int)r.StatusCode] = retryAnswers.GetValueOrDefault((int)r.StatusCode) + 1;
            if ((int)r.StatusCode < 500) throw new InvalidOperationException($"upload {n}: {(int)r.StatusCode} {await r.Content.ReadAsStringAsync()}");
            return null;
        });
    }
}));
var uploadSeconds = wall.Elapsed.TotalSeconds;

// Every accepted case, polled until decided by the machine (or the timeout).
var decided = new Dictionary<string, (string State, int Decisions, double AtSeconds)>();
var pending = caseIds.OfType<string>().Distinct().ToList();
var missing = 0;
var nextProgress = 60.0; // a progress line on stderr every minute
while (pending.Count > 0 && wall.Elapsed < timeout)
{
    var still = new List<string>();
    foreach (var batch in pending.Chunk(concurrency))
        await Task.WhenAll(batch.Select(async id =>
        {
            try
            {
                using var r = await http.GetAsync($"/api/cases/{id}");
                if (r.StatusCode == HttpStatusCode.NotFound) { Interlocked.Increment(ref missing); return; }
                if (!r.IsSuccessStatusCode) { lock (still) still.Add(id); return; }
                var c = await r.Content.ReadFromJsonAsync<JsonElement>();
                var state = c.GetProperty("state").GetString()!;
                if (state is "InReview" or "Approved" or "Rejected" or "NeedsAttention")
                {
                    var decisions = c.GetProperty("timeline").EnumerateArray().Count(e => e.GetProperty("event").GetString() is "in_review" or "approved" or "rejected");
                    lock (decided) decided[id] = (state, decisions, wall.Elapsed.TotalSeconds);
                }
                else lock (still) still.Add(id);
            }
            catch (HttpRequestException) { lock (still) still.Add(id); }
            catch (TaskCanceledException) { lock (still) still.Add(id); }
        }));
    pending = still;
    if (wall.Elapsed.TotalSeconds >= nextProgress)
    {
        Console.Error.WriteLine($"{wall.Elapsed.TotalSeconds:F0} s: {decided.Count} decided, {pending.Count} waiting");
        nextProgress += 60;
    }
    if (pending.Count > 0) await Task.Delay(2000);
}

var accepted = caseIds.Count(c => c is not null);
var distinct = caseIds.OfType<string>().Distinct().Count();
var doubleDecided = decided.Values.Count(d => d.Decisions > 1);
var needsAttention = decided.Values.Count(d => d.State == "NeedsAttention");
var lost = count - accepted + missing;
var duplicated = accepted - distinct + doubleDecided;
var undecided = pending.Count + needsAttention;
Console.WriteLine(JsonSerializer.Serialize(new
{
    uploads = count, concurrency, upload_attempts = uploadAttempts, retried_answers = retryAnswers.ToDictionary(k => k.Key.ToString(), k => k.Value),
    accepted, distinct_cases = distinct, lost, duplicated, undecided, needs_attention = needsAttention, still_processing = pending.Count,
    states = decided.Values.GroupBy(d => d.State).ToDictionary(g => g.Key, g => g.Count()),
    upload_seconds = Math.Round(uploadSeconds, 1), all_decided_seconds = Math.Round(decided.Count > 0 ? decided.Values.Max(d => d.AtSeconds) : 0, 1),
    cases_per_minute = Math.Round(decided.Count / Math.Max(1, wall.Elapsed.TotalMinutes), 1),
}));
return lost == 0 && duplicated == 0 && undecided == 0 ? 0 : 1;

// Sends again after 503/507/5xx, a refused or cut connection, or a timeout (the service's faults), with a pause.
static async Task<string?> Retry(Func<Task<string?>> attempt)
{
    for (var tries = 0; tries < 600; tries++)
    {
        try
        {
            if (await attempt() is { } done) return done;
        }
        catch (HttpRequestException) { }
        catch (TaskCanceledException) { }
        await Task.Delay(1000);
    }
    return null;
}

// A small greyscale PNG, distinct for each index (its own SHA-256, so its own case): stripes whose widths encode i.
static byte[] Scan(int i)
{
    const int w = 320, h = 120;
    var raw = new byte[(w + 1) * h];
    for (var y = 0; y < h; y++)
        for (var x = 0; x < w; x++)
            raw[y * (w + 1) + 1 + x] = (byte)(((x / (2 + (i + y / 8) % 7)) & 1) == 0 ? 255 : (i * 37 + y) & 0x7F);
    using var png = new MemoryStream();
    png.Write([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);
    var ihdr = new byte[13];
    System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(ihdr, w);
    System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(ihdr.AsSpan(4), h);
    ihdr[8] = 8; // bit depth; colour type 0 (grey), compression, filter, interlace 0
    Chunk(png, "IHDR", ihdr);
    using (var z = new MemoryStream())
    {
        using (var zs = new ZLibStream(z, CompressionLevel.Fastest, leaveOpen: true)) zs.Write(raw);
        Chunk(png, "IDAT", z.ToArray());
    }
    Chunk(png, "IEND", []);
    return png.ToArray();
}

static void Chunk(Stream s, string type, byte[] data)
{
    var head = new byte[8];
    System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(head, data.Length);
    System.Text.Encoding.ASCII.GetBytes(type, head.AsSpan(4));
    s.Write(head);
    s.Write(data);
    var crc = new byte[4];
    System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(crc, Crc32(head.AsSpan(4), data));
    s.Write(crc);
}

static uint Crc32(ReadOnlySpan<byte> type, ReadOnlySpan<byte> data)
{
    var c = 0xFFFFFFFFu;
    foreach (var b in type) c = Step(c, b);
    foreach (var b in data) c = Step(c, b);
    return c ^ 0xFFFFFFFFu;

    static uint Step(uint c, byte b)
    {
        c ^= b;
        for (var k = 0; k < 8; k++) c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
        return c;
    }
}
