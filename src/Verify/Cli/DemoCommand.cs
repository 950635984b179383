using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using VerifyPipeline.Cases;
using VerifyPipeline.Cases.Forms;
using VerifyPipeline.Corpus;
using PinStatus = VerifyPipeline.Rules.Facts.PinStatus;

namespace VerifyPipeline.Cli;

/// <summary>
/// <c>verify demo --api URL [--count N] [--key API_KEY] [--seed S] [--profile realistic|hard|fax] [--wait SECONDS] [--db …]</c>:
/// fills a running system through its API the way the portal would, so that a newcomer sees approvals, rejections and a
/// review queue. Submissions are planned by the corpus generator (<c>docs/corpus.md</c>: synthetic people, their
/// documents, the profile's defects); their PINs are imported into the local PIN directory (<see cref="PinsCommand"/>,
/// the host's database); each request is created with <c>POST /api/requests</c>, its own form fetched with
/// <c>GET …/form.pdf</c> (so the QR is signed with the system's key and names the request the API created), printed,
/// filled in and signed by a synthetic hand, put beside the identity document, captured (scan, photo or fax) and
/// uploaded with <c>POST …/file</c>. Then the cases are watched through <c>GET /api/cases/{id}</c> until each is decided
/// or in review, and a summary is printed (JSON on stdout; one line per case on stderr).
/// </summary>
public static class DemoCommand
{
    public sealed record Options(int Count, int Seed, CorpusProfile Profile, TimeSpan Wait);

    public sealed record CaseLine(string File, string Expected, string? RequestId, string? CaseId, string State, string? Decision, IReadOnlyList<string> Reasons, string? Error);

    public sealed record Result(int Seed, IReadOnlyList<CaseLine> Cases, double SecondsToUpload, double? SecondsUntilAllDecided, double? SecondsToFirstApproval, object Pins)
    {
        public int Count(string state) => Cases.Count(c => c.State == state);
    }

    public static async Task<int> RunAsync(string[] args)
    {
        string? api = null;
        var key = "demo-portal-key";
        int count = 30, seed = Environment.TickCount & 0x7FFFFFFF;
        var profile = CorpusProfile.Realistic;
        var wait = TimeSpan.FromMinutes(5);
        var db = DatabaseArgs.Defaults();
        for (var i = 0; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : throw new UsageException($"option {args[i]} needs a value");
            int Int(string name) => int.TryParse(Value(), CultureInfo.InvariantCulture, out var v) && v > 0 ? v : throw new UsageException($"{name} needs a positive number");
            if (db.TryParse(args, ref i)) continue;
            switch (args[i])
            {
                case "--api": api = Value(); break;
                case "--key": key = Value(); break;
                case "--count": count = Int("--count"); break;
                case "--seed": seed = Int("--seed"); break;
                case "--wait": wait = TimeSpan.FromSeconds(Int("--wait")); break;
                case "--profile":
                    var p = Value();
                    profile = Enum.TryParse<CorpusProfile>(p, ignoreCase: true, out var pp) ? pp : throw new UsageException($"--profile must be realistic, hard or fax, not '{p}'");
                    break;
                default: throw new UsageException($"unexpected argument '{args[i]}' for demo");
            }
        }
        if (api is null || !Uri.TryCreate(api, UriKind.Absolute, out var root)) throw new UsageException("demo needs --api URL, e.g. --api http://127.0.0.1:5080");
        using var http = new HttpClient { BaseAddress = root, Timeout = TimeSpan.FromMinutes(2) };
        http.DefaultRequestHeaders.Add("X-Api-Key", key);
        var store = await db.OpenStoreAsync();
        var result = await RunAsync(http, store, new Options(count, seed, profile, wait), Console.Error, CancellationToken.None);
        Console.Out.WriteLine(JsonSerializer.Serialize(new
        {
            seed = result.Seed,
            submitted = result.Cases.Count(c => c.CaseId is not null),
            approved = result.Count("Approved"),
            rejected = result.Count("Rejected"),
            in_review = result.Count("InReview"),
            needs_attention = result.Count("NeedsAttention"),
            not_decided = result.Cases.Count(c => c.State is "Received" or "Processing"),
            seconds_to_upload = Math.Round(result.SecondsToUpload, 1),
            seconds_until_all_decided = result.SecondsUntilAllDecided is { } s ? Math.Round(s, 1) : (double?)null,
            seconds_to_first_approval = result.SecondsToFirstApproval is { } f ? Math.Round(f, 1) : (double?)null,
            pins = result.Pins,
            cases = result.Cases,
        }, Json));
        return Commands.Ok;
    }

    private static JsonSerializerOptions Json => WireJson.Indented;

    /// <summary>The demo against any HTTP client of the API (the command line's, or a test host's) and the case store
    /// whose PIN table is the host's directory.</summary>
    public static async Task<Result> RunAsync(HttpClient api, CaseStore pinTable, Options o, TextWriter log, CancellationToken ct)
    {
        var corpus = new CorpusOptions(o.Count, o.Seed, o.Profile, DateOnly.FromDateTime(DateTime.UtcNow), FormQr.DevelopmentKey);
        var plans = Choose(corpus, o.Count);

        // The PINs of the synthetic holders, as INPS's directory would hold them (an unknown PIN is left out).
        var pins = plans.Where(p => p.Pin != PinStatus.Unknown).Select(p => new Pin(p.Request.Data.PinReference, p.PinHolder.CodiceFiscale,
            p.Pin == PinStatus.Dispositivo ? PinType.Dispositivo : PinType.Online, p.Pin == PinStatus.Revoked, default, p.PinHolder.Email, null)).ToList();
        var imported = await pinTable.ImportPinsAsync(pins.Select((p, i) => (i + 2, p)).ToList(), ct);
        var pinSummary = PinsCommand.Summary(imported);
        log.WriteLine($"demo: seed {o.Seed}: {pins.Count} synthetic PIN(s) in the local PIN directory; {plans.Count} submission(s) to send");

        var clock = Stopwatch.StartNew();
        var lines = new CaseLine?[plans.Count];
        var work = Path.Combine(Path.GetTempPath(), $"vp-demo-{Guid.NewGuid():N}");
        Directory.CreateDirectory(work);
        double? uploaded = null, decidedAt = null, firstApproval = null;
        // Submissions are drawn and sent two at a time while the cases already sent are watched, so the first decisions
        // show up while the rest are still being uploaded.
        var sending = Parallel.ForEachAsync(Enumerable.Range(0, plans.Count), new ParallelOptions { MaxDegreeOfParallelism = 2, CancellationToken = ct }, async (i, token) =>
        {
            CaseLine line;
            try { line = await SubmitAsync(api, plans[i], corpus, o.Seed, work, token); }
            catch (Exception e) when (e is HttpRequestException or InvalidOperationException or IOException or JsonException)
            {
                line = new CaseLine(plans[i].FileName, plans[i].Expected.Decision, null, null, "NotSent", null, [], $"{e.GetType().Name}: {e.Message}");
            }
            lines[i] = line;
            lock (log) log.WriteLine($"demo: {clock.Elapsed.TotalSeconds:0} s: sent {lines.Count(l => l is not null)}/{plans.Count} {line.File}: {(line.CaseId is { } id ? "case " + id : line.Error)}");
        });
        try
        {
            var last = "";
            var until = clock.Elapsed + o.Wait;
            while (clock.Elapsed < until)
            {
                for (var i = 0; i < lines.Length; i++)
                    if (lines[i] is { CaseId: { } id, State: "Received" or "Processing" } line)
                        lines[i] = await StatusAsync(api, line, id, ct);
                var now = lines.OfType<CaseLine>().ToList();
                var open = now.Count(l => l.State is "Received" or "Processing");
                firstApproval ??= now.Any(l => l.State == "Approved") ? clock.Elapsed.TotalSeconds : null;
                var counts = $"{now.Count(l => l.State == "Approved")} approved, {now.Count(l => l.State == "Rejected")} rejected, " +
                    $"{now.Count(l => l.State == "InReview")} in review, {open} being processed";
                if (counts != last) lock (log) log.WriteLine($"demo: {clock.Elapsed.TotalSeconds:0} s: {last = counts}");
                if (sending.IsCompleted)
                {
                    uploaded ??= clock.Elapsed.TotalSeconds;
                    if (open == 0) { decidedAt = clock.Elapsed.TotalSeconds; break; }
                }
                await Task.Delay(TimeSpan.FromSeconds(1), ct);
            }
            await sending;
        }
        finally
        {
            try { Directory.Delete(work, recursive: true); } catch (IOException) { }
        }
        var done = lines.Select((l, i) => l ?? new CaseLine(plans[i].FileName, plans[i].Expected.Decision, null, null, "NotSent", null, [], "not sent before --wait ran out")).ToList();
        log.WriteLine($"demo: {done.Count(l => l.State == "Approved")} approved, {done.Count(l => l.State == "Rejected")} rejected, " +
            $"{done.Count(l => l.State == "InReview")} in review" + (decidedAt is { } d ? $", all decided {d:0} s after the start" : ", some still being processed") +
            (firstApproval is { } f ? $"; first approval after {f:0} s" : ""));
        return new Result(o.Seed, done, uploaded ?? clock.Elapsed.TotalSeconds, decidedAt, firstApproval, pinSummary);
    }

    /// <summary>The first <paramref name="count"/> plans of the corpus that are files of our own drawing (not the
    /// third-party archives some plans name), with one clean flat scan first so that an approval is seen early.</summary>
    internal static List<SubmissionPlan> Choose(CorpusOptions corpus, int count)
    {
        var own = Enumerable.Range(0, count * 4 + 20).Select(i => CorpusPlanner.Plan(corpus, i)).Where(p => p.External is null).ToList();
        var clean = own.FirstOrDefault(p => p.Defects.Count == 0 && !p.IsBundle && p.Files[0].Format == PageFormat.Pdf && p.Pages.All(g => g.Capture == Capture.Scan));
        var chosen = clean is null ? own : own.Where(p => p != clean).Prepend(clean);
        return chosen.Take(count).ToList();
    }

    private static async Task<CaseLine> SubmitAsync(HttpClient api, SubmissionPlan plan, CorpusOptions corpus, int seed, string work, CancellationToken ct)
    {
        var expected = plan.Expected.Decision + (plan.Expected.Reasons.Count > 0 ? " " + string.Join(",", plan.Expected.Reasons) : "");
        CaseLine Failed(string error, string? requestId = null) => new(plan.FileName, expected, requestId, null, "NotSent", null, [], error);
        var d = plan.Request.Data;
        var created = await SendAsync(api, () => new HttpRequestMessage(HttpMethod.Post, "api/requests")
        {
            Content = JsonContent.Create(new
            {
                pin_reference = d.PinReference, codice_fiscale = d.CodiceFiscale, surname = d.Surname, given_names = d.GivenNames,
                birth_date = d.BirthDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), birth_place = d.BirthPlace, email = d.Email, phone = d.Phone,
                document = new
                {
                    type = d.Document.Type, number = d.Document.Number, issued_by = d.Document.IssuedBy,
                    issue_date = d.Document.IssueDate?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                    expiry_date = d.Document.ExpiryDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                },
            }),
        }, ct);
        if (created.StatusCode != HttpStatusCode.Created) return Failed($"POST /api/requests answered {(int)created.StatusCode}: {await created.Content.ReadAsStringAsync(ct)}");
        var requestId = (await created.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("id").GetString()!;

        var form = await SendAsync(api, () => new HttpRequestMessage(HttpMethod.Get, $"api/requests/{requestId}/form.pdf"), ct);
        if (!form.IsSuccessStatusCode) return Failed($"GET form.pdf answered {(int)form.StatusCode}", requestId);
        var printed = await PrintAsync(await form.Content.ReadAsByteArrayAsync(ct), work, ct);

        // The plan's request becomes the one the API created: the form drawn is the API's, filled in and signed here.
        var request = plan.Request with { Id = requestId };
        var documents = plan.Documents.Select(doc => doc.Form is { } f && f.Request.Id == plan.Request.Id
            ? doc with { Form = f with { Request = request, PrintedPage = printed } } : doc).ToList();
        var bytes = CorpusGenerator.Render(plan with { Request = request, Documents = documents }, corpus);

        var upload = await SendAsync(api, () =>
        {
            var content = new MultipartFormDataContent { { new ByteArrayContent(bytes), "file", plan.FileName } };
            var m = new HttpRequestMessage(HttpMethod.Post, $"api/requests/{requestId}/file") { Content = content };
            m.Headers.Add("Idempotency-Key", $"demo-{seed}-{plan.Index}");
            return m;
        }, ct);
        if (upload.StatusCode != HttpStatusCode.Accepted) return Failed($"POST file answered {(int)upload.StatusCode}: {await upload.Content.ReadAsStringAsync(ct)}", requestId);
        var caseId = (await upload.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("case_id").GetString()!;
        return new CaseLine(plan.FileName, expected, requestId, caseId, "Received", null, [], null);
    }

    private static async Task<CaseLine> StatusAsync(HttpClient api, CaseLine line, string caseId, CancellationToken ct)
    {
        var r = await SendAsync(api, () => new HttpRequestMessage(HttpMethod.Get, $"api/cases/{caseId}"), ct);
        if (!r.IsSuccessStatusCode) return line;
        var c = await r.Content.ReadFromJsonAsync<JsonElement>(ct);
        var reasons = c.TryGetProperty("reasons", out var rs) && rs.ValueKind == JsonValueKind.Array ? rs.EnumerateArray().Select(x => x.GetString()!).ToList() : [];
        return line with
        {
            State = c.GetProperty("state").GetString()!,
            Decision = c.TryGetProperty("decision", out var dd) && dd.ValueKind == JsonValueKind.String ? dd.GetString() : null,
            Reasons = reasons,
            Error = c.TryGetProperty("error", out var e) && e.ValueKind == JsonValueKind.String ? e.GetString() : null,
        };
    }

    /// <summary>Sends, and sends again after <c>Retry-After</c> while the service answers 503 (its database briefly busy).</summary>
    private static async Task<HttpResponseMessage> SendAsync(HttpClient api, Func<HttpRequestMessage> make, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            var r = await api.SendAsync(make(), ct);
            if (r.StatusCode != HttpStatusCode.ServiceUnavailable || attempt == 5) return r;
            await Task.Delay(r.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(2), ct);
        }
    }

    /// <summary>The form as the citizen's printer would give it: the PDF rasterised at 300 dpi in grey (poppler's pdftoppm,
    /// which the pipeline uses too).</summary>
    private static async Task<byte[]> PrintAsync(byte[] pdf, string work, CancellationToken ct)
    {
        var name = Path.Combine(work, Guid.NewGuid().ToString("N"));
        await File.WriteAllBytesAsync(name + ".pdf", pdf, ct);
        var psi = new ProcessStartInfo("pdftoppm") { RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { "-r", "300", "-gray", "-png", "-singlefile", "-f", "1", "-l", "1", name + ".pdf", name }) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi) ?? throw new InvalidOperationException("pdftoppm did not start (poppler-utils is installed by scripts/setup.sh).");
        var err = await p.StandardError.ReadToEndAsync(ct);
        await p.WaitForExitAsync(ct);
        if (p.ExitCode != 0) throw new InvalidOperationException($"pdftoppm failed on the form ({p.ExitCode}): {err}");
        return await File.ReadAllBytesAsync(name + ".png", ct);
    }
}
