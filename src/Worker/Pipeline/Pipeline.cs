using System.Security.Cryptography;
using Hangfire;
using Hangfire.Server;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using VerifyPipeline.Cases;
using VerifyPipeline.Cases.Pins;
using VerifyPipeline.Decisions;
using VerifyPipeline.Rules;
using VerifyPipeline.Rules.Decisions;
using VerifyPipeline.Rules.Identity;
using VerifyPipeline.Cases.Forms;
using VerifyPipeline.Worker.Reading;
using VerifyPipeline.Worker.Reading.Form;
using VerifyPipeline.Worker.Reading.Ocr;
using VerifyPipeline.Worker.Documents;

namespace VerifyPipeline.Worker.Pipeline;

/// <summary>The pipeline, top to bottom. Each stage is a Hangfire job that takes the case id only, is safe to run
/// twice (at-least-once delivery: a result is saved once, on the condition that it was not saved before), and saves
/// its result before it enqueues the next stage. Failure kinds (STYLE 7): bad input → <see cref="BadInputException"/>
/// → a decision with its reason code, never retried; anything else throws and is retried, and when retries are
/// exhausted the last attempt parks the case as NeedsAttention with the error shown.</summary>
public sealed class CasePipeline(
    CaseStore store, IPinDirectory pins, IBlobStore blobs, IBackgroundJobClient jobs, SubmissionRunner runner, IOptions<PipelineOptions> options, IOptions<JobOptions> jobOptions,
    IOptions<FormOptions> forms, IOptions<DecisionOptions> decisions, TimeProvider clock, ILogger<CasePipeline> log, PipelineMetrics metrics) : IPipelineEntry
{
    private static readonly Actor Machine = Actor.Machine("pipeline");

    /// <summary>Enqueues the stage the case needs next, judged from what is saved on it (used by ingest and the sweep).</summary>
    [Queue(StageQueues.Resume)]
    public async Task Resume(string caseId, CancellationToken ct)
    {
        var c = await store.GetCaseAsync(caseId, ct);
        if (c is null || c.State is not (CaseState.Received or CaseState.Processing)) return;
        using var _ = Scope(caseId);
        if (c.State == CaseState.Received)
            await store.TransitionAsync(caseId, [CaseState.Received], CaseState.Processing, "processing", Machine, null, ct);
        EnqueueNeeded(c);
    }

    private void EnqueueNeeded(Case c)
    {
        var caseId = c.Id;
        if (c.Parts is null) jobs.Enqueue<CasePipeline>(p => p.Unpack(caseId, null, CancellationToken.None));
        else if (c.Pages is null) jobs.Enqueue<CasePipeline>(p => p.Pages(caseId, null, CancellationToken.None));
        else if (c.Read is null) jobs.Enqueue<CasePipeline>(p => p.Read(caseId, null, CancellationToken.None));
        else jobs.Enqueue<CasePipeline>(p => p.Decide(caseId, null, CancellationToken.None));
    }

    /// <summary>1. Unpack: archives opened within budgets, every leaf file stored content-addressed.</summary>
    [Queue(StageQueues.Unpack)]
    public Task Unpack(string caseId, PerformContext? job, CancellationToken ct) => RunStage(caseId, job, "unpack", c => c.Parts is null, async (c, work) =>
    {
        var took = System.Diagnostics.Stopwatch.StartNew();
        var original = await DownloadAsync(c.Original.BlobKey, work, ct);
        var result = runner.Unpack(original, c.Original.FileName, c.Original.Kind, work, ct);
        var parts = new List<Part>();
        foreach (var f in result.Files)
        {
            await using (var s = File.OpenRead(f.Path)) await blobs.PutIfAbsentAsync(BlobKeys.ForContent(f.Sha256), s, ct);
            parts.Add(new Part(f.Source, f.Sha256, f.SizeBytes, f.Kind));
        }
        var detail = $"{parts.Count} file(s)" + (result.Notes.Count > 0 ? "; " + string.Join("; ", result.Notes) : "");
        if (!await store.SaveStageResultAsync(c.Id, "parts", parts, "unpacked", Machine, detail, ct, c.FileNo, took.ElapsedMilliseconds)
            && await FileReplacedAsync(c, ct)) return;
        jobs.Enqueue<CasePipeline>(p => p.Pages(c.Id, null, CancellationToken.None));
    });

    /// <summary>2. Pages: every page of every file as an image, stored, with its pixel size and resolution.</summary>
    [Queue(StageQueues.Pages)]
    public Task Pages(string caseId, PerformContext? job, CancellationToken ct) => RunStage(caseId, job, "pages", c => c.Parts is not null && c.Pages is null, async (c, work) =>
    {
        var took = System.Diagnostics.Stopwatch.StartNew();
        var pages = new List<PageInfo>();
        var parts = new List<(string, string, FileKind)>();
        foreach (var part in c.Parts ?? throw new InvalidOperationException("Pages ran before Unpack saved its result."))
            parts.Add((await DownloadAsync(part.BlobKey, work, ct), part.Source, part.Kind));
        foreach (var (index, page) in runner.Pages(parts, ct))
        {
            var sha = Convert.ToHexStringLower(SHA256.HashData(page.Bytes));
            await blobs.PutIfAbsentAsync(BlobKeys.ForContent(sha), new MemoryStream(page.Bytes, writable: false), ct);
            pages.Add(new PageInfo(index, page.Source, page.WidthPx, page.HeightPx, page.DpiX, page.DpiY, sha, page.MediaType, page.Origin, page.Note));
        }
        var notes = pages.Where(p => p.Note is not null).Select(p => $"page {p.Index} {p.Note}");
        if (!await store.SaveStageResultAsync(c.Id, "pages", pages, "paged", Machine, string.Join("; ", notes.Prepend($"{pages.Count} page(s)")), ct, c.FileNo,
                took.ElapsedMilliseconds)
            && await FileReplacedAsync(c, ct)) return;
        jobs.Enqueue<CasePipeline>(p => p.Read(c.Id, null, CancellationToken.None));
    });

    /// <summary>3. Read: every page is read (<see cref="SubmissionReader"/>: form, document sides, fields, MRZ, signatures,
    /// legibility); what was read is saved with the case (<see cref="StoredRead"/>), the signature crops as blobs.</summary>
    [Queue(StageQueues.Read)]
    public Task Read(string caseId, PerformContext? job, CancellationToken ct) => RunStage(caseId, job, "read", c => c.Read is null, async (c, _) =>
    {
        var took = System.Diagnostics.Stopwatch.StartNew();
        var pages = c.Pages ?? throw new InvalidOperationException("Read ran before Pages saved its result.");
        var inputs = new List<PageInput>();
        foreach (var page in pages)
        {
            await using var s = await blobs.OpenReadAsync(page.BlobKey, ct);
            using var ms = new MemoryStream();
            await s.CopyToAsync(ms, ct);
            inputs.Add(new PageInput(page.Index, page.Source, ms.ToArray(), page.DpiX, page.DpiY));
        }
        var read = runner.Read(inputs, forms.Value.HmacKey, AsOf(c), ct);
        var crops = await StoreCropsAsync(read, ct);
        if (!await store.SaveStageResultAsync(c.Id, "read", new StoredRead(read, crops), "read", Machine, $"{pages.Count} page(s) read", ct, c.FileNo,
                took.ElapsedMilliseconds)
            && await FileReplacedAsync(c, ct)) return;
        jobs.Enqueue<CasePipeline>(p => p.Decide(c.Id, null, CancellationToken.None));
    });

    /// <summary>The report's timings: each stage's duration as saved with its result; the read stage's includes fetching
    /// the page images (its <c>read_steps</c> are the reader's own). The total is their sum: the time the file was worked
    /// on, without the waits in the queue between the jobs.</summary>
    private static TimingsReport Timings(Case c, SubmissionRead read)
    {
        var (unpack, pages, readMs) = (c.StageMs.Unpack ?? 0, c.StageMs.Pages ?? 0, c.StageMs.Read ?? read.TimingsMs.Values.Sum());
        return new TimingsReport(unpack + pages + readMs, unpack, pages, readMs, read.TimingsMs);
    }

    private static DateOnly AsOf(Case c) => DateOnly.FromDateTime(c.CreatedAt.UtcDateTime);

    /// <summary>4. Decide: the rules and the policy on what the Read stage saved (<see cref="Assessment"/>) — never reading
    /// a page, so a re-run (a reviewer's, or after a policy change) costs no OCR; the report is stored with the decision. An
    /// unmatched fax is first matched to its request by the form's QR (HMAC verified, codice fiscale equal), else by the
    /// codice fiscale read from the document or the form when exactly one request has it; failing that it goes to a
    /// reviewer, who matches it.</summary>
    [Queue(StageQueues.Decide)]
    public Task Decide(string caseId, PerformContext? job, CancellationToken ct) => RunStage(caseId, job, "decide", _ => true, async (c, _) =>
    {
        var pages = c.Pages ?? [];
        var stored = StoredRead.Parse(c.Read) ?? throw new InvalidOperationException("Decide ran before Read saved its result.");
        var (read, crops) = (stored.Read, stored.SignatureCrops);
        var asOf = AsOf(c);
        var requestId = c.RequestId;
        if (requestId is null)
        {
            var (matched, why) = await MatchAsync(c, read, ct);
            if (matched is null)
            {
                // What was read is kept with the case: the desk offers the requests it points to (the QR's request id, a
                // codice fiscale, a name — issue 15), and shows the pages' evidence. Nothing declared to compare yet.
                var unmatchedFacts = Assessment.FactsFor(null, null, VerifyPipeline.Rules.Facts.PinStatus.Unknown, null, asOf, read);
                var unmatchedDecision = runner.Decide(unmatchedFacts, pinKnown: false);
                var unmatchedReport = Assessment.ReportJson(unmatchedDecision, pages, read, unmatchedFacts, crops, Timings(c, read));
                await store.DecideAsync(c.Id, [CaseState.Processing], new DecisionOutcome(CaseState.InReview, "review", [],
                    $"{pages.Count} page(s) read; unmatched fax ({why}): a reviewer matches it to its request", null, null) { Report = unmatchedReport, FileNo = c.FileNo }, Machine, ct);
                return;
            }
            requestId = matched;
        }
        // One conversion per PIN at a time (issue 15): a file whose request (found just now for a fax, or given at upload
        // while another upload raced it) — or another request for the same PIN — already has an older open case joins that
        // case with the pages made from it; the older case is read and decided on this, the newest, file.
        if (await store.FindOpenCaseForRequestAsync(requestId, olderThan: c, ct) is { } older && await store.MergeCaseAsync(c.Id, older, Machine, ct))
        {
            jobs.Enqueue<IPipelineEntry>(p => p.Resume(older, CancellationToken.None));
            log.LogInformation("The file joined the older open case {Older} of the same request or PIN", older);
            return;
        }
        // This case found its request late (a fax matched by a reviewer) and a newer one for the request or PIN already went
        // to a person: that newer case — the newest file — joins this one, which is read and decided on it.
        if (await store.FindNewerSettledCaseAsync(requestId, c, ct) is { } newer && await store.MergeCaseAsync(newer, c.Id, Machine, ct))
        {
            jobs.Enqueue<IPipelineEntry>(p => p.Resume(c.Id, CancellationToken.None));
            log.LogInformation("The newer case {Newer} of the same request or PIN joined this one", newer);
            return;
        }
        var request = await store.GetRequestAsync(requestId, ct) ?? throw new InvalidOperationException($"Request {requestId} of case {c.Id} is missing.");
        var pin = await pins.FindAsync(request.Data.PinReference, ct);
        // One conversion per PIN (issue 15): a file after another case for this PIN was approved is answered
        // PIN_ALREADY_DISPOSITIVO on either channel, even while the registry has not recorded the conversion yet.
        var status = Assessment.StatusOf(pin);
        if (status == VerifyPipeline.Rules.Facts.PinStatus.Online && await store.AnyApprovedCaseForPinAsync(request.Data.PinReference, c.Id, ct))
            status = VerifyPipeline.Rules.Facts.PinStatus.Dispositivo;
        var facts = Assessment.FactsFor(request.Id, request.Data, status, pin?.CodiceFiscale, asOf, read);
        var decision = runner.Decide(facts);
        var report = Assessment.ReportJson(decision, pages, read, facts, crops, Timings(c, read));
        await store.DecideAsync(c.Id, [CaseState.Processing], OutcomeOf(decision, request, pin, $"{pages.Count} page(s) read") with { Report = report, FileNo = c.FileNo }, Machine, ct);
    });

    /// <summary>A stage's result was not saved: true when that is because another file joined the case meanwhile (the join
    /// enqueued the case's stages for the new file), false when an earlier run saved it (at-least-once delivery).</summary>
    private async Task<bool> FileReplacedAsync(Case read, CancellationToken ct)
    {
        var now = await store.GetCaseAsync(read.Id, ct);
        if (now is not null && now.FileNo == read.FileNo) return false;
        log.LogInformation("Stage result dropped: a newer file joined the case");
        return true;
    }

    /// <summary>The case's next state, decision and letter from the policy's decision.</summary>
    /// <param name="what">What was done, for the event of a review; for a rejection when <paramref name="unreadable"/> is set, that.</param>
    private DecisionOutcome OutcomeOf(Decision decision, ConversionRequest request, Pin? pin, string what, bool unreadable = false) => decision.Outcome switch
    {
        Outcome.Reject => new DecisionOutcome(CaseState.Rejected, "reject", decision.Reasons,
            unreadable ? what : $"{string.Join(", ", decision.Reasons)} (certain: decided by the machine)", null, CitizenLetters.Rejection(request.Data.Email, decision.Reasons, Assessment.Sentences(decision))),
        // The PIN's holder is told on the contacts registered with the PIN; it becomes dispositivo when the cooling-off ends.
        Outcome.Approve => PinNotices.Approval("every rule passed", pin!, pins.ConversionFor(pin!).Via, request.Data.Email, decisions.Value, clock.GetUtcNow()),
        _ => new DecisionOutcome(CaseState.InReview, "review", decision.Reasons,
            $"{what}; {string.Join(", ", decision.Reasons)}: a reviewer decides", null, null),
    };

    /// <summary>The signature crops kept for the reviewer (content-addressed blobs, like pages): their keys, by name.</summary>
    private async Task<IReadOnlyDictionary<string, string>> StoreCropsAsync(SubmissionRead read, CancellationToken ct)
    {
        var keys = new Dictionary<string, string>();
        foreach (var (name, png) in new[] { ("form", read.SignatureCrops.Form), ("document", read.SignatureCrops.Document) })
        {
            if (png is null) continue;
            var key = BlobKeys.ForContent(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(png)));
            using var ms = new MemoryStream(png);
            await blobs.PutIfAbsentAsync(key, ms, ct);
            keys[name] = key;
        }
        return keys;
    }

    /// <summary>The form's QR first (verified, naming a known request with the same codice fiscale); else the codice
    /// fiscale read from the document or the form, when exactly one request has it.</summary>
    private async Task<(string? RequestId, string Why)> MatchAsync(Case c, SubmissionRead read, CancellationToken ct)
    {
        var why = "no form QR code found";
        if (read.Form.Qr is { } qr)
        {
            if (!qr.Verified) why = $"the QR code on page {qr.Source.Page} failed verification";
            else if (await store.GetRequestAsync(qr.RequestId!, ct) is { } request && CodiceFiscale.EqualModuloOmocodia(request.Data.CodiceFiscale, qr.CodiceFiscale))
            {
                await store.AssignRequestAsync(c.Id, request.Id, Machine, $"matched by the form's QR code on page {qr.Source.Page} (HMAC verified)", ct);
                return (request.Id, "");
            }
            else why = $"the QR code on page {qr.Source.Page} names no known request";
        }
        var codes = read.Documents.Select(d => d.Fields.CodiceFiscale).Append(read.Form.Fields.CodiceFiscale)
            .Where(r => r is not null && r.Confidence >= 0.8).Select(r => r!).ToList();
        foreach (var code in codes)
        {
            var candidates = await store.FindRequestsByCodiceFiscaleAsync(code.Value, ct);
            if (candidates.Count == 1)
            {
                await store.AssignRequestAsync(c.Id, candidates[0].Id, Machine,
                    $"matched by the codice fiscale read on page {code.Source.Page} ({code.Source.Region}); no usable QR code", ct);
                return (candidates[0].Id, "");
            }
            why += candidates.Count == 0 ? "; no request has the codice fiscale read" : $"; {candidates.Count} requests have the codice fiscale read";
        }
        return (null, why);
    }

    private async Task RunStage(string caseId, PerformContext? job, string stage, Func<Case, bool> needed, Func<Case, string, Task> body)
    {
        using var _ = Scope(caseId);
        var c = await store.GetCaseAsync(caseId);
        if (c is null && await store.FindJoinedCaseAsync(caseId) is { } joined)
        {
            // Merged into an older open case of the same PIN (issue 15): that case runs its own stages.
            log.LogInformation("Stage {Stage} skipped: the case joined case {Joined}", stage, joined);
            return;
        }
        if (c is null) throw new InvalidOperationException($"Case {caseId} vanished.");
        if (c.State != CaseState.Processing || !needed(c))
        {
            log.LogInformation("Stage {Stage} skipped: already done or case is {State}", stage, c.State);
            System.Diagnostics.Activity.Current?.SetTag("vp.outcome", "skipped");
            // A stage that saved its result and was killed before it enqueued the next one runs again (at-least-once):
            // it enqueues what the case needs now, or the case would wait for the sweep (Pipeline:StuckAfter, 10 min).
            // Found by tools/Soak with a worker killed every 30 s; a spare enqueue costs one skipped run.
            if (c.State == CaseState.Processing) EnqueueNeeded(c);
            return;
        }
        var work = Path.Combine(options.Value.WorkFolder ?? Path.GetTempPath(), $"vp-{caseId}-{stage}-{Guid.NewGuid():N}");
        var started = System.Diagnostics.Stopwatch.StartNew();
        try
        {
            // Inside the try: on a full disk even this fails, and the failure must reach the case like any other.
            PrivateFiles.CreateFolder(work);
            await body(c, work);
            log.LogInformation("Stage {Stage} done in {Ms} ms", stage, started.ElapsedMilliseconds);
            Done("done");
        }
        catch (BadInputException e)
        {
            log.LogInformation("Stage {Stage}: bad input {Reason}", stage, e.ReasonCode);
            await RejectBadInputAsync(c, e);
            Done("bad_input");
        }
        catch (Exception e) when (IsLastAttempt(job))
        {
            Done("failed");
            log.LogError(e, "Stage {Stage} failed on its last attempt; the case needs attention", stage);
            var error = $"Stage {stage} failed after all retries: {Describe(e)}";
            try { await store.MarkNeedsAttentionAsync(caseId, error, Machine); }
            catch (Exception markFailed)
            {
                // The fault that failed the stage (a full disk, a database out of reach) can fail this write too: the
                // case would show Processing with no error until the sweep. A job of its own parks it once the store
                // takes writes again, with Hangfire's retries (and the sweep after StuckAfter as the last resort).
                log.LogWarning("Could not mark the case NeedsAttention ({Type}: {Message}); parking it later", markFailed.GetType().Name, markFailed.Message);
                try { jobs.Schedule<CasePipeline>(p => p.Park(caseId, error, CancellationToken.None), ParkDelay); }
                catch (Exception scheduleFailed) { log.LogWarning("Could not schedule the parking either ({Message}); the sweep resumes the case", scheduleFailed.Message); }
            }
            throw;
        }
        catch (Exception e) when (job is not null && e is not OperationCanceledException)
        {
            Done("retried");
            // Not the last attempt: the error is shown on the case while it is retried (issue 11: a stage failing on
            // ENOSPC left the case "Processing" with no error). Best effort: a failure to record it must not hide e.
            var attempt = (job.GetJobParameter<int?>("RetryCount") ?? 0) + 1;
            try { await store.RecordErrorAsync(caseId, $"Stage {stage} failed (attempt {attempt} of {jobOptions.Value.RetryAttempts + 1}, will be retried): {Describe(e)}"); }
            catch (Exception recordFailed) { log.LogWarning("Could not record the stage error on the case: {Type}: {Message}", recordFailed.GetType().Name, recordFailed.Message); }
            throw;
        }
        finally
        {
            try { Directory.Delete(work, recursive: true); } catch (IOException) { }
        }

        void Done(string outcome)
        {
            metrics.StageDone(stage, outcome, started.Elapsed);
            System.Diagnostics.Activity.Current?.SetTag("vp.outcome", outcome);
        }
    }

    private static readonly TimeSpan ParkDelay = TimeSpan.FromSeconds(30);

    /// <summary>Parks a case whose last stage attempt failed but could not be marked then (the store refused the write);
    /// throws while the store still refuses, so Hangfire retries it. Only a case still Processing is moved.</summary>
    public async Task Park(string caseId, string error, CancellationToken ct)
    {
        using var _ = Scope(caseId);
        if (await store.MarkNeedsAttentionAsync(caseId, error, Machine, ct, from: [CaseState.Processing]))
            log.LogInformation("Case parked as NeedsAttention after its storage came back");
    }

    /// <summary>The error shown on the case; a full disk is named as the service's, so nobody blames the file.</summary>
    private static string Describe(Exception e) =>
        (StorageFaults.IsDiskFull(e) ? "storage full (no space left on the service's disk or database): " : "") + $"{e.GetType().Name}: {e.Message}";

    /// <summary>Bad input is a fact (<see cref="SubmissionRunner.Unreadable"/>): the rules and the policy decide on it like on
    /// any other — with the default policy a case with a request is rejected and the citizen told what to do. An unmatched
    /// fax (nobody to tell) goes to a reviewer with the reason.</summary>
    private async Task RejectBadInputAsync(Case c, BadInputException e)
    {
        var request = c.RequestId is null ? null : await store.GetRequestAsync(c.RequestId);
        var pin = request is null ? null : await pins.FindAsync(request.Data.PinReference);
        var asOf = DateOnly.FromDateTime(c.CreatedAt.UtcDateTime);
        var facts = SubmissionRunner.Unreadable(Assessment.FactsFor(request?.Id, request?.Data, Assessment.StatusOf(pin), pin?.CodiceFiscale, asOf), e);
        var decision = runner.Decide(facts);
        var report = Assessment.ReportJson(decision, [], facts: facts);
        if (request is null)
        {
            await store.DecideAsync(c.Id, [CaseState.Processing], new DecisionOutcome(CaseState.InReview, "review", decision.Reasons,
                $"{e.ReasonCode}: {e.Message} (unmatched fax: nobody to notify, a reviewer decides)", null, null) { Report = report, FileNo = c.FileNo }, Machine);
            return;
        }
        await store.DecideAsync(c.Id, [CaseState.Processing], OutcomeOf(decision, request, pin, $"{e.ReasonCode}: {e.Message}", unreadable: true) with { Report = report, FileNo = c.FileNo }, Machine);
    }

    /// <summary>Hangfire's AutomaticRetry counts attempts in the job parameter RetryCount (absent on the first run).</summary>
    private bool IsLastAttempt(PerformContext? job) =>
        job is not null && (job.GetJobParameter<int?>("RetryCount") ?? 0) >= jobOptions.Value.RetryAttempts;

    private async Task<string> DownloadAsync(string key, string work, CancellationToken ct)
    {
        var path = Path.Combine(work, Guid.NewGuid().ToString("N"));
        await using var src = await blobs.OpenReadAsync(key, ct);
        await using var dst = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, FileOptions.Asynchronous);
        await src.CopyToAsync(dst, ct);
        return path;
    }

    private IDisposable? Scope(string caseId) => log.BeginScope("case {CaseId}", caseId);
}
