using System.Data.Common;
using System.Text.Json;

namespace VerifyPipeline.Cases;

/// <summary>Which personal data of a decided case a purge pass deletes, in the order they go (docs/data-retention.md).</summary>
public enum PurgeStage { Images, Original, Report }

/// <summary>Retention and erasure (issue 11): the store's part. Each step writes its own mark (<c>*_purged_at</c>,
/// <c>erased_at</c>) under a condition that it was not written before, so a pass that runs twice, or on two workers at
/// once, changes nothing the second time. Blobs are deleted by the caller *before* the mark, so a crash in between leaves
/// the step to be done again, never a mark over data still stored.</summary>
public sealed partial class CaseStore
{
    private static string MarkColumn(PurgeStage stage) => stage switch
    {
        PurgeStage.Images => "images_purged_at",
        PurgeStage.Original => "original_purged_at",
        PurgeStage.Report => "report_purged_at",
        _ => throw new ArgumentOutOfRangeException(nameof(stage)),
    };

    /// <summary>Decided cases (Approved or Rejected) decided at or before <paramref name="decidedBefore"/> whose
    /// <paramref name="stage"/> has not been purged yet, oldest decision first.</summary>
    public async Task<IReadOnlyList<Case>> ListDueForPurgeAsync(PurgeStage stage, DateTimeOffset decidedBefore, int limit, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        return await c.QueryAsync(null, $"""
            select * from cases where state in ('Approved', 'Rejected') and decided_at <= @before and {MarkColumn(stage)} is null
            order by decided_at, id limit @limit
            """, MapCase, ct, ("before", decidedBefore.ToUniversalTime()), ("limit", limit));
    }

    /// <summary>True when a case other than <paramref name="exceptCaseId"/> still needs the content-addressed blob: as its
    /// original (not yet purged), one of its parts or pages, or a signature crop its report names. Blobs are shared by
    /// content (the same file sent twice, the same page in two files), so a blob goes only when no case needs it.</summary>
    public async Task<bool> IsBlobInUseAsync(string sha256, string exceptCaseId, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        var n = Convert.ToInt64(await c.ScalarAsync(null, """
            select count(*) from cases where id <> @except
              and ((original_sha256 = @sha and original_purged_at is null) or parts like @any or pages like @any or report like @key
                   or exists (select 1 from case_files f where f.case_id = cases.id and ((f.sha256 = @sha and cases.original_purged_at is null) or f.pages like @any or f.parts like @any)))
            """, ct, ("except", exceptCaseId), ("sha", sha256), ("any", $"%{sha256}%"), ("key", $"%{BlobKeys.ForContent(sha256)}%")));
        return n > 0;
    }

    /// <summary>Records that the case's page images, unpacked parts and signature crops are deleted: its parts and pages
    /// become empty lists and its report loses the crops' keys (<paramref name="reportWithoutCrops"/>).</summary>
    public Task<bool> MarkImagesPurgedAsync(string caseId, string? reportWithoutCrops, Actor by, string detail, CancellationToken ct = default) =>
        MarkPurgedAsync(caseId, PurgeStage.Images, "parts = '[]', pages = '[]', report = @report", by, detail, ct, ("report", reportWithoutCrops));

    /// <summary>Records that the original file is deleted: its name and the channel's metadata (a fax's caller number) go too;
    /// its size, kind and SHA-256 stay with the decision as the record of what was decided on.</summary>
    public Task<bool> MarkOriginalPurgedAsync(string caseId, Actor by, string detail, CancellationToken ct = default) =>
        MarkPurgedAsync(caseId, PurgeStage.Original, "original_name = '', source_meta = null", by, detail, ct);

    /// <summary>Deletes the report (the values read from the documents, the facts the rules saw) and the reviewers'
    /// free-text notes in the history; decision and reason codes stay on the case.</summary>
    public async Task<bool> MarkReportPurgedAsync(string caseId, Actor by, string detail, CancellationToken ct = default) =>
        await MarkPurgedAsync(caseId, PurgeStage.Report, "report = null, read = null", by, detail, ct);

    private async Task<bool> MarkPurgedAsync(string caseId, PurgeStage stage, string set, Actor by, string detail, CancellationToken ct, params (string, object?)[] extra)
    {
        await using var c = await db.OpenAsync(ct);
        await using var tx = await c.BeginTransactionAsync(ct);
        var column = MarkColumn(stage);
        var n = await c.ExecAsync(tx, $"update cases set {set}, {column} = @now where id = @id and {column} is null", ct,
            [("now", Now), ("id", caseId), .. extra]);
        if (n == 1)
        {
            // The files that came before the case's current one (issue 15) go with it: their pages, then their names.
            if (stage == PurgeStage.Images) await c.ExecAsync(tx, "update case_files set pages = '[]', parts = '[]' where case_id = @id", ct, ("id", caseId));
            if (stage == PurgeStage.Original) await c.ExecAsync(tx, "update case_files set file_name = '', source_meta = null where case_id = @id", ct, ("id", caseId));
            if (stage == PurgeStage.Report) await ScrubNotesAsync(c, tx, caseId, ct);
            await AppendEventInCurrentStateAsync(c, tx, caseId, "purged", by, detail, ct);
        }
        await tx.CommitAsync(ct);
        return n == 1;
    }

    /// <summary>Reviewers' notes are free text (they may name the citizen): the history keeps who did what and when,
    /// and the words "nota cancellata" where a note was.</summary>
    private static async Task ScrubNotesAsync(DbConnection c, DbTransaction tx, string caseId, CancellationToken ct)
    {
        const string marker = "; nota: ";
        var withNotes = await c.QueryAsync(tx, "select id, detail from case_events where case_id = @id and detail like @note",
            r => (Id: r.GetInt64(0), Detail: r.GetString(1)), ct, ("id", caseId), ("note", $"%{marker}%"));
        foreach (var (id, detail) in withNotes)
            await c.ExecAsync(tx, "update case_events set detail = @detail where id = @id", ct,
                ("detail", detail[..detail.IndexOf(marker, StringComparison.Ordinal)] + "; nota cancellata"), ("id", id));
    }

    /// <summary>Requests created at or before <paramref name="before"/> whose cases (if any) are all decided at or before it:
    /// their personal fields are due for deletion. A request with a case still open is kept.</summary>
    public async Task<IReadOnlyList<string>> ListRequestsDueForPurgeAsync(DateTimeOffset before, int limit, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        return await c.QueryAsync(null, """
            select r.id from requests r
            where r.erased_at is null and r.created_at <= @before
              and not exists (select 1 from cases k where k.request_id = r.id
                              and (k.state not in ('Approved', 'Rejected') or k.decided_at is null or k.decided_at > @before))
            order by r.created_at limit @limit
            """, r => r.GetString(0), ct, ("before", before.ToUniversalTime()), ("limit", limit));
    }

    /// <summary>Replaces the request's personal fields (PIN, codice fiscale, names, birth, contacts, document) with
    /// <see cref="RequestData.Erased"/>; its id, client and creation time stay, and each of its cases records the step.</summary>
    public async Task<bool> EraseRequestAsync(string requestId, Actor by, string detail, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        await using var tx = await c.BeginTransactionAsync(ct);
        var n = await c.ExecAsync(tx, "update requests set pin_reference = '', codice_fiscale = '', data = @data, erased_at = @now where id = @id and erased_at is null", ct,
            ("data", JsonSerializer.Serialize(RequestData.Erased, Json)), ("now", Now), ("id", requestId));
        if (n == 1)
            foreach (var caseId in await c.QueryAsync(tx, "select id from cases where request_id = @id", r => r.GetString(0), ct, ("id", requestId)))
                await AppendEventInCurrentStateAsync(c, tx, caseId, "purged", by, detail, ct);
        await tx.CommitAsync(ct);
        return n == 1;
    }

    /// <summary>Outbox messages delivered (or given up) at or before <paramref name="before"/> whose address and body are still kept.</summary>
    public async Task<IReadOnlyList<OutboxMessage>> ListOutboxDueForPurgeAsync(DateTimeOffset before, int limit, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        return await c.QueryAsync(null, """
            select * from outbox where purged_at is null
              and ((sent_at is not null and sent_at <= @before) or (sent_at is null and dead_at is not null and dead_at <= @before))
            order by id limit @limit
            """, MapOutbox, ct, ("before", before.ToUniversalTime()), ("limit", limit));
    }

    /// <summary>The message's address and body are deleted; its case, subject, dates and attempts stay.</summary>
    public async Task<bool> MarkOutboxPurgedAsync(long outboxId, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        return await c.ExecAsync(null, "update outbox set recipient = null, body = '', purged_at = @now where id = @id and purged_at is null", ct,
            ("now", Now), ("id", outboxId)) == 1;
    }

    /// <summary>Requests naming any of <paramref name="codes"/> (one person's codice fiscale and its omocodia variants),
    /// not yet erased.</summary>
    public async Task<IReadOnlyList<string>> FindRequestsForErasureAsync(IReadOnlyList<string> codes, CancellationToken ct = default)
    {
        if (codes.Count == 0) return [];
        var names = codes.Select((_, i) => $"@cf{i}").ToList();
        await using var c = await db.OpenAsync(ct);
        return await c.QueryAsync(null, $"select id from requests where erased_at is null and codice_fiscale in ({string.Join(", ", names)})",
            r => r.GetString(0), ct, [.. codes.Select((code, i) => ($"cf{i}", (object?)code))]);
    }

    /// <summary>Cases not yet erased that belong to one of <paramref name="requestIds"/>, or whose report names one of
    /// <paramref name="codes"/> (an unmatched fax, or another person's request carrying this person's document).</summary>
    public async Task<IReadOnlyList<Case>> FindCasesForErasureAsync(IReadOnlyList<string> requestIds, IReadOnlyList<string> codes, CancellationToken ct = default)
    {
        var ps = new List<(string, object?)>();
        var or = new List<string>();
        if (requestIds.Count > 0)
        {
            or.Add($"request_id in ({string.Join(", ", requestIds.Select((_, i) => $"@r{i}"))})");
            ps.AddRange(requestIds.Select((id, i) => ($"r{i}", (object?)id)));
        }
        for (var i = 0; i < codes.Count; i++)
        {
            or.Add($"report like @c{i}");
            ps.Add(($"c{i}", $"%{codes[i]}%"));
        }
        if (or.Count == 0) return [];
        await using var c = await db.OpenAsync(ct);
        return await c.QueryAsync(null, $"select * from cases where erased_at is null and ({string.Join(" or ", or)}) order by created_at", MapCase, ct, ps.ToArray());
    }

    /// <summary>Everything personal of one decided case at once, on the citizen's request: parts, pages, report, original
    /// name, channel metadata, reviewers' notes, and the outbox's address and body; the decision's record stays. The
    /// history gets an <c>erased</c> event naming who asked for it (<paramref name="by"/>) — never the codice fiscale.</summary>
    public async Task<bool> MarkCaseErasedAsync(string caseId, Actor by, string detail, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        await using var tx = await c.BeginTransactionAsync(ct);
        var n = await c.ExecAsync(tx, """
            update cases set parts = '[]', pages = '[]', report = null, read = null, original_name = '', source_meta = null,
              images_purged_at = coalesce(images_purged_at, @now), original_purged_at = coalesce(original_purged_at, @now),
              report_purged_at = coalesce(report_purged_at, @now), erased_at = @now
            where id = @id and erased_at is null and state in ('Approved', 'Rejected')
            """, ct, ("now", Now), ("id", caseId));
        if (n == 1)
        {
            await c.ExecAsync(tx, "update case_files set pages = '[]', parts = '[]', file_name = '', source_meta = null where case_id = @id", ct, ("id", caseId));
            await ScrubNotesAsync(c, tx, caseId, ct);
            // A message not delivered yet is given up: there is no longer an address or a text to send.
            await c.ExecAsync(tx, """
                update outbox set recipient = null, body = '', purged_at = coalesce(purged_at, @now), claimed_until = null,
                  dead_at = case when sent_at is null then coalesce(dead_at, @now) else dead_at end,
                  last_error = case when sent_at is null then 'Not delivered: the personal data were erased on request.' else last_error end
                where case_id = @id
                """, ct, ("now", Now), ("id", caseId));
            await AppendEventInCurrentStateAsync(c, tx, caseId, "erased", by, detail, ct);
        }
        await tx.CommitAsync(ct);
        return n == 1;
    }
}
