using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using VerifyPipeline.Cases;
using VerifyPipeline.Rules.Identity;

namespace VerifyPipeline.Cases.Retention;

/// <summary>What one purge pass deleted.</summary>
public sealed record PurgeResult(int Images, int Originals, int Reports, int Requests, int Messages, int QuarantineFiles, int BlobsDeleted)
{
    public int Total => Images + Originals + Reports + Requests + Messages + QuarantineFiles;
}

/// <summary>The outcome of an erasure, in words for the person who asked for it. <see cref="Ok"/> false: nothing was erased.</summary>
public sealed record ErasureResult(bool Ok, string Message, int Requests, int Cases, int BlobsDeleted);

/// <summary>Personal data kept no longer than needed (issue 11, docs/data-retention.md): the purge deletes each kind of
/// data once its period has passed, and the erasure deletes one citizen's data on request. Both leave the decision's
/// record (case id, dates, state, decision, reason codes, the history of who did what) and delete, in this order, blobs
/// and files first and then the database's copy with its mark, so a crash between the two leaves the step to be done
/// again by the next pass, never a mark over data still stored. Blobs are content-addressed and shared between cases
/// (the same file sent twice), so one goes only when no other case still needs it.</summary>
public sealed class PersonalData(CaseStore store, IBlobStore blobs, IOptions<RetentionOptions> options, IConfiguration config, IHostEnvironment env,
    TimeProvider clock, ILogger<PersonalData> log)
{
    private static readonly Actor Retention = Actor.Machine("retention");
    private RetentionOptions O => options.Value;

    /// <summary>One pass over every kind of data, oldest first, in batches; returns what it deleted.</summary>
    public async Task<PurgeResult> PurgeAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        int images = 0, originals = 0, reports = 0, requests = 0, messages = 0, blobsDeleted = 0;
        await ForEachDueAsync(PurgeStage.Images, now - O.PageImages, async c =>
        {
            blobsDeleted += await PurgeImagesAsync(c, ct);
            images++;
        }, ct);
        await ForEachDueAsync(PurgeStage.Original, now - O.Originals, async c =>
        {
            if (c.Retention.ImagesPurgedAt is null) blobsDeleted += await PurgeImagesAsync(c, ct);
            blobsDeleted += await DeleteUnusedAsync(c, [c.Original.Sha256, .. (await PreviousFilesAsync(c, ct)).Select(f => f.File.Sha256)], ct);
            if (await store.MarkOriginalPurgedAsync(c.Id, Retention, $"file originale cancellato: conservazione {Days(O.Originals)} dalla decisione", ct)) originals++;
        }, ct);
        await ForEachDueAsync(PurgeStage.Report, now - O.Reports, async c =>
        {
            if (c.Retention.ImagesPurgedAt is null) blobsDeleted += await PurgeImagesAsync(c, ct);
            if (await store.MarkReportPurgedAsync(c.Id, Retention, $"rapporto di lettura e note cancellati: conservazione {Days(O.Reports)} dalla decisione", ct)) reports++;
        }, ct);
        for (var batch = await store.ListRequestsDueForPurgeAsync(now - O.Requests, O.BatchSize, ct); batch.Count > 0;
             batch = batch.Count < O.BatchSize ? [] : await store.ListRequestsDueForPurgeAsync(now - O.Requests, O.BatchSize, ct))
            foreach (var id in batch)
                if (await store.EraseRequestAsync(id, Retention, $"dati personali della richiesta cancellati: conservazione {Days(O.Requests)}", ct)) requests++;
        for (var batch = await store.ListOutboxDueForPurgeAsync(now - O.OutboxMessages, O.BatchSize, ct); batch.Count > 0;
             batch = batch.Count < O.BatchSize ? [] : await store.ListOutboxDueForPurgeAsync(now - O.OutboxMessages, O.BatchSize, ct))
            foreach (var m in batch)
            {
                DeleteMessageFiles(m);
                if (await store.MarkOutboxPurgedAsync(m.Id, ct)) messages++;
            }
        var quarantined = PurgeQuarantine(now - O.Quarantine);
        var result = new PurgeResult(images, originals, reports, requests, messages, quarantined, blobsDeleted);
        if (result.Total > 0)
            log.LogInformation("Retention purge: images of {Images} case(s), {Originals} original(s), {Reports} report(s), {Requests} request(s), " +
                "{Messages} message(s), {Quarantine} quarantined file(s); {Blobs} blob(s) deleted", images, originals, reports, requests, messages, quarantined, blobsDeleted);
        return result;
    }

    /// <summary>Erases everything personal about the citizen with this codice fiscale (its omocodia variants included):
    /// their requests' fields, and for each of their cases (by request, or by a report that read this code) the blobs,
    /// report, names, notes and messages. Refused while any of those cases is not decided: an open case is still being
    /// worked on, so it is decided (or rejected) first. Each case's history records who asked and when, never the code.</summary>
    public async Task<ErasureResult> EraseAsync(string? codiceFiscale, string user, CancellationToken ct)
    {
        var code = CodiceFiscale.Normalize(codiceFiscale);
        IReadOnlyList<string> variants;
        try { variants = CodiceFiscale.OmocodiaVariants(code); }
        catch (ArgumentException) { return Refused("Codice fiscale non valido: servono 16 caratteri nella forma RSSMRA80A01H501U."); }
        if (!variants.Contains(code)) return Refused("Codice fiscale non valido: il carattere di controllo non corrisponde. Lo ricontrolli.");
        var requestIds = await store.FindRequestsForErasureAsync(variants, ct);
        var cases = await store.FindCasesForErasureAsync(requestIds, code == variants[0] ? [code] : [code, variants[0]], ct);
        if (cases.Where(c => !c.IsTerminal).Select(c => c.Id).ToList() is { Count: > 0 } open)
            return Refused($"{open.Count} pratica/e di questa persona non sono ancora decise ({string.Join(", ", open)}): le decida (o le respinga) e ripeta la cancellazione. Nulla è stato cancellato.");
        var by = Actor.Person(user);
        int erasedCases = 0, erasedRequests = 0, blobsDeleted = 0;
        foreach (var c in cases)
        {
            var previous = await PreviousFilesAsync(c, ct);
            blobsDeleted += await DeleteUnusedAsync(c, [c.Original.Sha256, .. ContentOf(c), .. previous.Select(f => f.File.Sha256), .. previous.SelectMany(PagesOf)], ct);
            foreach (var m in await store.GetOutboxAsync(c.Id, unsentOnly: false, ct)) DeleteMessageFiles(m);
            if (await store.MarkCaseErasedAsync(c.Id, by, $"dati personali cancellati su richiesta dell'interessato, da {user}", ct)) erasedCases++;
        }
        foreach (var id in requestIds)
            if (await store.EraseRequestAsync(id, by, $"dati della richiesta cancellati su richiesta dell'interessato, da {user}", ct)) erasedRequests++;
        log.LogInformation("Erasure asked by {User}: {Requests} request(s) and {Cases} case(s) erased, {Blobs} blob(s) deleted", user, erasedRequests, erasedCases, blobsDeleted);
        return erasedRequests + erasedCases == 0
            ? new ErasureResult(true, "Nessun dato trovato per questo codice fiscale (o già cancellato).", 0, 0, 0)
            : new ErasureResult(true, $"Dati personali cancellati: {erasedRequests} richiesta/e e {erasedCases} pratica/e. Restano gli identificativi, le date e le decisioni.",
                erasedRequests, erasedCases, blobsDeleted);

        static ErasureResult Refused(string m) => new(false, m, 0, 0, 0);
    }

    private async Task ForEachDueAsync(PurgeStage stage, DateTimeOffset decidedBefore, Func<Case, Task> purge, CancellationToken ct)
    {
        while (true)
        {
            var batch = await store.ListDueForPurgeAsync(stage, decidedBefore, O.BatchSize, ct);
            foreach (var c in batch)
            {
                using var _ = log.BeginScope("case {CaseId}", c.Id);
                await purge(c);
            }
            if (batch.Count < O.BatchSize) return;
        }
    }

    /// <summary>Pages, unpacked parts and signature crops; the case's own original stays until its own period.</summary>
    private async Task<int> PurgeImagesAsync(Case c, CancellationToken ct)
    {
        var previous = await PreviousFilesAsync(c, ct);
        var keep = c.Retention.OriginalPurgedAt is null ? previous.Select(f => f.File.Sha256).Append(c.Original.Sha256).ToHashSet() : [];
        var deleted = await DeleteUnusedAsync(c, ContentOf(c).Concat(previous.SelectMany(PagesOf)).Where(sha => !keep.Contains(sha)), ct);
        await store.MarkImagesPurgedAsync(c.Id, WithoutCrops(c.Report), Retention,
            $"immagini delle pagine e ritagli delle firme cancellati: conservazione {Days(O.PageImages)} dalla decisione", ct);
        return deleted;
    }

    /// <summary>The files a case received before its current one (issue 15: a newer file joined it), with the pages read from them.</summary>
    private async Task<IReadOnlyList<CaseFile>> PreviousFilesAsync(Case c, CancellationToken ct) =>
        (await store.GetFilesAsync(c, ct)).Where(f => f.FileNo != c.FileNo).ToList();

    private static IEnumerable<string> PagesOf(CaseFile f) => (f.Pages ?? []).Select(p => p.Sha256).Concat((f.Parts ?? []).Select(p => p.Sha256));

    /// <summary>The content hashes of a case's parts, pages and signature crops.</summary>
    private static IEnumerable<string> ContentOf(Case c) =>
        (c.Parts ?? []).Select(p => p.Sha256).Concat((c.Pages ?? []).Select(p => p.Sha256)).Concat(CropHashes(c.Report));

    private static IEnumerable<string> CropHashes(string? report)
    {
        if (report is null) return [];
        using var doc = JsonDocument.Parse(report);
        if (!doc.RootElement.TryGetProperty("signature_crops", out var crops) || crops.ValueKind != JsonValueKind.Object) return [];
        return crops.EnumerateObject().Select(p => p.Value.GetString()).OfType<string>().Select(key => key[(key.LastIndexOf('/') + 1)..]).ToList();
    }

    private static string? WithoutCrops(string? report)
    {
        if (report is null || JsonNode.Parse(report) is not JsonObject node || !node.ContainsKey("signature_crops")) return report;
        node.Remove("signature_crops");
        return node.ToJsonString();
    }

    private async Task<int> DeleteUnusedAsync(Case c, IEnumerable<string> hashes, CancellationToken ct)
    {
        var deleted = 0;
        foreach (var sha in hashes.Where(h => h.Length == 64).Distinct())
        {
            if (await store.IsBlobInUseAsync(sha, c.Id, ct)) continue;
            await blobs.DeleteAsync(BlobKeys.ForContent(sha), ct);
            deleted++;
        }
        return deleted;
    }

    /// <summary>The message's <c>.eml</c> file in folder mode (named <c>{created}-{id}-{case}.eml</c> by the outbox delivery).</summary>
    private void DeleteMessageFiles(OutboxMessage m)
    {
        var folder = Path.Combine(env.ContentRootPath, config["Outbox:Folder"] is { Length: > 0 } f ? f : "data/outbox");
        if (!Directory.Exists(folder)) return;
        foreach (var file in Directory.EnumerateFiles(folder, $"*-{m.Id}-{m.CaseId}.eml")) File.Delete(file);
    }

    /// <summary>Entries of the fax quarantine folder (files, their <c>.reason.txt</c>, and whatever non-regular entry was
    /// moved there unopened) last changed before <paramref name="before"/>: unlinked, never followed.</summary>
    private int PurgeQuarantine(DateTimeOffset before)
    {
        var folder = Path.Combine(env.ContentRootPath, config["Ingest:FaxInbox:QuarantineFolder"] is { Length: > 0 } q ? q : "data/fax-quarantine");
        if (!Directory.Exists(folder)) return 0;
        var deleted = 0;
        foreach (var entry in new DirectoryInfo(folder).EnumerateFileSystemInfos())
        {
            if (entry is DirectoryInfo { LinkTarget: null } || entry.LastWriteTimeUtc > before.UtcDateTime) continue;
            try { entry.Delete(); deleted++; }
            catch (IOException e) { log.LogWarning("Quarantined entry {Name} could not be deleted: {Error}", entry.Name, e.Message); }
        }
        return deleted;
    }

    private static string Days(TimeSpan t) => t.TotalDays >= 1 && t.TotalDays % 1 == 0 ? $"{t.TotalDays:0} giorni" : t.ToString();
}

/// <summary>Runs <see cref="PersonalData.PurgeAsync"/> at start and every <see cref="RetentionOptions.PurgeInterval"/> on the
/// injected clock. Every step is conditional, so workers running it at once do each deletion once.</summary>
public sealed class RetentionPurge(PersonalData data, IOptions<RetentionOptions> options, TimeProvider clock, ILogger<RetentionPurge> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stop)
    {
        using var timer = new PeriodicTimer(options.Value.PurgeInterval, clock);
        do
        {
            try { await data.PurgeAsync(stop); }
            catch (OperationCanceledException) when (stop.IsCancellationRequested) { break; }
            catch (Exception e) { log.LogError(e, "Retention purge failed; trying again at the next interval"); }
        } while (await timer.WaitForNextTickAsync(stop).ConfigureAwait(false));
    }
}
