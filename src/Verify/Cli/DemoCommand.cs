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
/// <c>verify demo --api URL [--count N] [--key API_KEY] [--seed S] [--profile realistic|hard|fax] [--wait SECONDS] [--db …]
/// [--faxes N [--fax-inbox DIR] [--fax-key API_KEY]]</c>:
/// fills a running system through its API the way the portal would, so that a newcomer sees approvals, rejections and a
/// review queue. Submissions are planned by the corpus generator (<c>docs/corpus.md</c>: synthetic people, their
/// documents, the profile's defects); their PINs are imported into the local PIN directory (<see cref="PinsCommand"/>,
/// the host's database); each request is created with <c>POST /api/requests</c>, its own form fetched with
/// <c>GET …/form.pdf</c> (so the QR is signed with the system's key and names the request the API created), printed,
/// filled in and signed by a synthetic hand, put beside the identity document, captured (scan, photo or fax) and
/// uploaded with <c>POST …/file</c>. Then the cases are watched through <c>GET /api/cases/{id}</c> until each is decided
/// or in review, and a summary is printed (JSON on stdout; one line per case on stderr). With <c>--faxes N</c>, N of the
/// submissions are fax captures of the corpus (TIFF G3/G4, 204×98 or 204×196 dpi) dropped into the host's fax inbox
/// instead of uploaded, as the fax gateway delivers them: they carry no request id, so the host matches each to its
/// request by the form's QR code in the Decide stage (else a reviewer does, in the fax-match lane); they are found and
/// watched through the fax gateway's key (<c>GET /api/cases?channel=fax</c>, by the name they were dropped under).
/// </summary>
public static class DemoCommand
{
    /// <param name="Wait">How long to watch after the last submission was sent.</param>
    /// <param name="Faxes">How many submissions are dropped into <paramref name="FaxInbox"/> as faxes instead of uploaded.</param>
    public sealed record Options(int Count, int Seed, CorpusProfile Profile, TimeSpan Wait, int Faxes = 0, string? FaxInbox = null);

    /// <param name="Channel"><c>portal</c> (uploaded) or <c>fax</c> (dropped into the fax inbox).</param>
    /// <param name="State">The case's state, or <c>NotSent</c>, or <c>Dropped</c> (a fax the inbox has not taken yet).</param>
    public sealed record CaseLine(string File, string Channel, string Expected, string? RequestId, string? CaseId, string State, string? Decision, IReadOnlyList<string> Reasons, string? Error)
    {
        [System.Text.Json.Serialization.JsonIgnore] public bool Open => State is "Received" or "Processing" or "Dropped";
        /// <summary>A fax the host matched to the request the demo created for it (by the form's QR code).</summary>
        public bool MatchedToItsRequest => Channel == "fax" && CaseId is not null && MatchedRequestId == RequestId;
        [System.Text.Json.Serialization.JsonIgnore] public string? MatchedRequestId { get; init; }
    }

    public sealed record Result(int Seed, IReadOnlyList<CaseLine> Cases, double SecondsToUpload, double? SecondsUntilAllDecided, double? SecondsToFirstApproval, object Pins)
    {
        public int Count(string state) => Cases.Count(c => c.State == state);
    }

    public static async Task<int> RunAsync(string[] args)
    {
        string? api = null;
        var key = "demo-portal-key";
        var faxKey = "demo-fax-key";
        var faxInbox = Environment.GetEnvironmentVariable("Ingest__FaxInbox__Folder") is { Length: > 0 } inbox ? inbox : "data/fax-inbox";
        int count = 30, faxes = 0, seed = Environment.TickCount & 0x7FFFFFFF;
        var profile = CorpusProfile.Realistic;
        var wait = TimeSpan.FromMinutes(5);
        var db = DatabaseArgs.Defaults();
        for (var i = 0; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : throw new UsageException($"option {args[i]} needs a value");
            int Int(string name, int min = 1) => int.TryParse(Value(), CultureInfo.InvariantCulture, out var v) && v >= min ? v
                : throw new UsageException(min == 0 ? $"{name} needs a number, 0 or more" : $"{name} needs a positive number");
            if (db.TryParse(args, ref i)) continue;
            switch (args[i])
            {
                case "--api": api = Value(); break;
                case "--key": key = Value(); break;
                case "--count": count = Int("--count"); break;
                case "--seed": seed = Int("--seed"); break;
                case "--wait": wait = TimeSpan.FromSeconds(Int("--wait")); break;
                case "--faxes": faxes = Int("--faxes", min: 0); break;
                case "--fax-inbox": faxInbox = Value(); break;
                case "--fax-key": faxKey = Value(); break;
                case "--profile":
                    var p = Value();
                    profile = Enum.TryParse<CorpusProfile>(p, ignoreCase: true, out var pp) ? pp : throw new UsageException($"--profile must be realistic, hard or fax, not '{p}'");
                    break;
                default: throw new UsageException($"unexpected argument '{args[i]}' for demo");
            }
        }
        if (api is null || !Uri.TryCreate(api, UriKind.Absolute, out var root)) throw new UsageException("demo needs --api URL, e.g. --api http://127.0.0.1:5080");
        if (faxes > count) throw new UsageException($"--faxes {faxes} is more than --count {count}: the faxes are some of the submissions");
        // The inbox is the running host's folder: it must be there already (the host creates it at start), else the faxes
        // would wait in a folder nobody watches.
        if (faxes > 0 && !Directory.Exists(faxInbox))
            throw new UsageException($"no fax inbox at '{Path.GetFullPath(faxInbox)}': run the demo from the folder where ./run.sh runs (its inbox is data/fax-inbox), or give the host's inbox with --fax-inbox DIR");
        using var http = new HttpClient { BaseAddress = root, Timeout = TimeSpan.FromMinutes(2) };
        http.DefaultRequestHeaders.Add("X-Api-Key", key);
        using var faxHttp = new HttpClient { BaseAddress = root, Timeout = TimeSpan.FromMinutes(2) };
        faxHttp.DefaultRequestHeaders.Add("X-Api-Key", faxKey);
        var store = await db.OpenStoreAsync();
        var result = await RunAsync(http, store, new Options(count, seed, profile, wait, faxes, faxInbox), Console.Error, CancellationToken.None, faxHttp);
        Console.Out.WriteLine(JsonSerializer.Serialize(new
        {
            seed = result.Seed,
            submitted = result.Cases.Count(c => c.CaseId is not null),
            approved = result.Count("Approved"),
            rejected = result.Count("Rejected"),
            in_review = result.Count("InReview"),
            needs_attention = result.Count("NeedsAttention"),
            not_decided = result.Cases.Count(c => c.Open),
            faxes = new { dropped = result.Cases.Count(c => c.Channel == "fax" && c.State != "NotSent"), taken = result.Cases.Count(c => c.Channel == "fax" && c.CaseId is not null),
                matched_to_their_request = result.Cases.Count(c => c.MatchedToItsRequest) },
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
    /// <param name="faxApi">The API as the fax gateway (its key): how dropped faxes are found and watched; needed when
    /// <see cref="Options.Faxes"/> is more than 0.</param>
    public static async Task<Result> RunAsync(HttpClient api, CaseStore pinTable, Options o, TextWriter log, CancellationToken ct, HttpClient? faxApi = null)
    {
        if (o.Faxes > 0 && (faxApi is null || o.FaxInbox is null)) throw new ArgumentException("Faxes need the fax inbox and the fax gateway's API client.", nameof(o));
        var corpus = new CorpusOptions(o.Count, o.Seed, o.Profile, DateOnly.FromDateTime(DateTime.UtcNow), FormQr.DevelopmentKey);
        var chosen = Choose(corpus, o.Count, o.Faxes);
        var plans = chosen.Select(c => c.Plan).ToList();
        var started = DateTimeOffset.UtcNow;

        // The PINs of the synthetic holders, as INPS's directory would hold them (an unknown PIN is left out).
        var pins = plans.Where(p => p.Pin != PinStatus.Unknown).Select(p => new Pin(p.Request.Data.PinReference, p.PinHolder.CodiceFiscale,
            p.Pin == PinStatus.Dispositivo ? PinType.Dispositivo : PinType.Online, p.Pin == PinStatus.Revoked, default, p.PinHolder.Email, null)).ToList();
        var imported = await pinTable.ImportPinsAsync(pins.Select((p, i) => (i + 2, p)).ToList(), ct);
        var pinSummary = PinsCommand.Summary(imported);
        log.WriteLine($"demo: seed {o.Seed}: {pins.Count} synthetic PIN(s) in the local PIN directory; {plans.Count} submission(s) to send" +
            (o.Faxes > 0 ? $", {chosen.Count(c => c.Fax)} of them as faxes into {o.FaxInbox}" : ""));

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
            var fax = chosen[i].Fax ? o.FaxInbox : null;
            try { line = await SubmitAsync(api, plans[i], corpus, o.Seed, work, fax, token); }
            catch (Exception e) when (e is HttpRequestException or InvalidOperationException or IOException or JsonException or UnauthorizedAccessException)
            {
                line = new CaseLine(plans[i].FileName, fax is null ? "portal" : "fax", plans[i].Expected.Decision, null, null, "NotSent", null, [], $"{e.GetType().Name}: {e.Message}");
            }
            lines[i] = line;
            lock (log) log.WriteLine($"demo: {clock.Elapsed.TotalSeconds:0} s: sent {lines.Count(l => l is not null)}/{plans.Count} {line.File}: " +
                (line.CaseId is { } id ? "case " + id : line.State == "Dropped" ? "fax dropped into the inbox" : line.Error));
        });
        try
        {
            var last = "";
            var until = clock.Elapsed + o.Wait;
            while (clock.Elapsed < until || !sending.IsCompleted)
            {
                // --wait counts from the last submission sent: drawing them may take long on a busy machine.
                if (!sending.IsCompleted) until = clock.Elapsed + o.Wait;
                if (faxApi is not null && lines.Any(l => l is { State: "Dropped" })) await FindFaxCasesAsync(faxApi, lines, started, log, ct);
                for (var i = 0; i < lines.Length; i++)
                    if (lines[i] is { CaseId: { } id, State: "Received" or "Processing" } line)
                        lines[i] = await StatusAsync(line.Channel == "fax" ? faxApi! : api, line, id, ct);
                var now = lines.OfType<CaseLine>().ToList();
                var open = now.Count(l => l.Open);
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
        var done = lines.Select((l, i) => l is { State: "Dropped" } ? l with { Error = $"not taken from the fax inbox while watched: look in {o.FaxInbox} and the quarantine folder beside it" }
            : l ?? new CaseLine(plans[i].FileName, chosen[i].Fax ? "fax" : "portal", plans[i].Expected.Decision, null, null, "NotSent", null, [], "not sent before --wait ran out")).ToList();
        log.WriteLine($"demo: {done.Count(l => l.State == "Approved")} approved, {done.Count(l => l.State == "Rejected")} rejected, " +
            $"{done.Count(l => l.State == "InReview")} in review" + (decidedAt is { } d ? $", all decided {d:0} s after the start" : ", some still being processed") +
            (firstApproval is { } f ? $"; first approval after {f:0} s" : "") +
            (o.Faxes > 0 ? $"; {done.Count(l => l.MatchedToItsRequest)} of {done.Count(l => l.Channel == "fax")} fax(es) matched to their request by the machine" : ""));
        return new Result(o.Seed, done, uploaded ?? clock.Elapsed.TotalSeconds, decidedAt, firstApproval, pinSummary);
    }

    /// <summary>The first <paramref name="count"/> plans of the corpus that are files of our own drawing (not the
    /// third-party archives some plans name), with one clean flat scan first so that an approval is seen early; the
    /// first <paramref name="faxes"/> of them that the corpus captured as faxes (its fax channel) are marked to be dropped
    /// into the fax inbox, spread among the uploads. Fewer faxes when the corpus plans too few (it looks 20 × count far).</summary>
    internal static List<(SubmissionPlan Plan, bool Fax)> Choose(CorpusOptions corpus, int count, int faxes = 0)
    {
        var own = Enumerable.Range(0, count * 4 + 20).Select(i => CorpusPlanner.Plan(corpus, i)).Where(p => p.External is null).ToList();
        var clean = own.FirstOrDefault(p => p.Defects.Count == 0 && !p.IsBundle && p.Files[0].Format == PageFormat.Pdf && p.Pages.All(g => g.Capture == Capture.Scan));
        var chosen = (clean is null ? own : own.Where(p => p != clean).Prepend(clean)).Take(count).ToList();
        if (faxes == 0) return chosen.Select(p => (p, false)).ToList();
        // The faxes: the fax captures among the chosen, then more from further on in the corpus; uploads fill the rest.
        var faxPlans = chosen.Where(p => p.Channel == "fax")
            .Concat(Enumerable.Range(count * 4 + 20, count * 16).Select(i => CorpusPlanner.Plan(corpus, i)).Where(p => p.External is null && p.Channel == "fax"))
            .Take(faxes).ToList();
        var uploads = chosen.Where(p => !faxPlans.Contains(p)).Take(count - faxPlans.Count).ToList();
        var result = uploads.Select(p => (p, false)).ToList();
        // Spread: the first fax right after the first upload (so the fax path shows early), the rest evenly.
        for (var j = 0; j < faxPlans.Count; j++)
            result.Insert(Math.Min(result.Count, 1 + j + j * uploads.Count / faxPlans.Count), (faxPlans[j], true));
        return result;
    }

    /// <param name="faxInbox">Drop the file into this fax inbox instead of uploading it (null: upload).</param>
    private static async Task<CaseLine> SubmitAsync(HttpClient api, SubmissionPlan plan, CorpusOptions corpus, int seed, string work, string? faxInbox, CancellationToken ct)
    {
        var expected = plan.Expected.Decision + (plan.Expected.Reasons.Count > 0 ? " " + string.Join(",", plan.Expected.Reasons) : "");
        var channel = faxInbox is null ? "portal" : "fax";
        CaseLine Failed(string error, string? requestId = null) => new(plan.FileName, channel, expected, requestId, null, "NotSent", null, [], error);
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
        if (faxInbox is not null)
        {
            var name = FaxName(seed, plan);
            await DropFaxAsync(faxInbox, name, bytes, ct);
            return new CaseLine(name, channel, expected, requestId, null, "Dropped", null, [], null);
        }

        var upload = await SendAsync(api, () =>
        {
            var content = new MultipartFormDataContent { { new ByteArrayContent(bytes), "file", plan.FileName } };
            var m = new HttpRequestMessage(HttpMethod.Post, $"api/requests/{requestId}/file") { Content = content };
            m.Headers.Add("Idempotency-Key", $"demo-{seed}-{plan.Index}");
            return m;
        }, ct);
        if (upload.StatusCode != HttpStatusCode.Accepted) return Failed($"POST file answered {(int)upload.StatusCode}: {await upload.Content.ReadAsStringAsync(ct)}", requestId);
        var caseId = (await upload.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("case_id").GetString()!;
        return new CaseLine(plan.FileName, channel, expected, requestId, caseId, "Received", null, [], null);
    }

    /// <summary>The name a fax is dropped under: unique per run (the seed) so that its case is found by it.</summary>
    internal static string FaxName(int seed, SubmissionPlan plan) => $"demo-{seed}-{plan.FileName}";

    /// <summary>Into the inbox as a fax gateway does it: the sidecar (caller, time received) first, then the fax written
    /// under a <c>.part</c> name — which the inbox waits on — and renamed, so that the watcher never takes half a file.</summary>
    private static async Task DropFaxAsync(string inbox, string name, byte[] bytes, CancellationToken ct)
    {
        var path = Path.Combine(inbox, name);
        await File.WriteAllTextAsync(path + ".json", JsonSerializer.Serialize(new { caller = "+39 06 0000000", received_at = DateTimeOffset.UtcNow, gateway = "verify demo" }), ct);
        await File.WriteAllBytesAsync(path + ".part", bytes, ct);
        File.Move(path + ".part", path);
    }

    /// <summary>The dropped faxes the inbox has taken: their cases, listed with the fax gateway's key and found by the
    /// name they were dropped under (kept as the case's original file name).</summary>
    private static async Task FindFaxCasesAsync(HttpClient faxApi, CaseLine?[] lines, DateTimeOffset since, TextWriter log, CancellationToken ct)
    {
        var from = Uri.EscapeDataString(since.AddMinutes(-1).ToString("O", CultureInfo.InvariantCulture));
        var r = await SendAsync(faxApi, () => new HttpRequestMessage(HttpMethod.Get, $"api/cases?channel=fax&since={from}&limit=1000"), ct);
        if (!r.IsSuccessStatusCode) return;
        var byName = new Dictionary<string, JsonElement>();
        foreach (var c in (await r.Content.ReadFromJsonAsync<JsonElement>(ct)).EnumerateArray())
            byName.TryAdd(c.GetProperty("original").GetProperty("name").GetString() ?? "", c);
        for (var i = 0; i < lines.Length; i++)
            if (lines[i] is { State: "Dropped" } line && byName.TryGetValue(line.File, out var found))
            {
                lines[i] = Update(line with { CaseId = found.GetProperty("id").GetString() }, found);
                lock (log) log.WriteLine($"demo: fax {line.File} taken from the inbox: case {lines[i]!.CaseId}");
            }
    }

    private static async Task<CaseLine> StatusAsync(HttpClient api, CaseLine line, string caseId, CancellationToken ct)
    {
        var r = await SendAsync(api, () => new HttpRequestMessage(HttpMethod.Get, $"api/cases/{caseId}"), ct);
        if (!r.IsSuccessStatusCode) return line;
        return Update(line, await r.Content.ReadFromJsonAsync<JsonElement>(ct));
    }

    /// <summary>The line with the case's state, decision, reasons and (a fax, once matched) request as the API shows them.</summary>
    private static CaseLine Update(CaseLine line, JsonElement c)
    {
        string? Text(string name) => c.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        var reasons = c.TryGetProperty("reasons", out var rs) && rs.ValueKind == JsonValueKind.Array ? rs.EnumerateArray().Select(x => x.GetString()!).ToList() : [];
        return line with
        {
            State = c.GetProperty("state").GetString()!,
            Decision = Text("decision"),
            Reasons = reasons,
            Error = Text("error"),
            MatchedRequestId = Text("request_id"),
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
