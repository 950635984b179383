using System.Text.Json;

namespace VerifyPipeline.Cases;

/// <summary>A reviewer asked the citizen for a new file on the case's request ("Chiedi un nuovo file", issue 15): what to
/// send again (<see cref="Items"/>, codes), since when; <see cref="Paused"/> is the time the case spent waiting in earlier
/// rounds (its ageing does not count it). Open while <see cref="ResumedAt"/> is null.</summary>
public sealed record ResubmissionRequest(string CaseId, string AskedBy, DateTimeOffset AskedAt, IReadOnlyList<string> Items, int Rounds, TimeSpan Paused, DateTimeOffset? ResumedAt)
{
    public bool Open => ResumedAt is null;
    /// <summary>Waiting time that does not count towards the deadline, as of <paramref name="now"/>.</summary>
    public TimeSpan PausedAsOf(DateTimeOffset now) => Paused + (Open ? now - AskedAt : TimeSpan.Zero);
}

/// <summary>The review desk's resubmissions: the request for a new file (with the citizen's message, in one transaction)
/// and the new file joining the waiting case — the case's history keeps both files; it is read and decided again.</summary>
public sealed partial class CaseStore
{
    /// <summary>Records the request for a new file on an InReview case, its audit event and the message to the citizen
    /// (one per round); false, writing nothing, when the case is no longer InReview.</summary>
    public async Task<bool> AskForNewFileAsync(string caseId, IReadOnlyList<string> items, Actor by, string detail, OutboxDraft message, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        await using var tx = await c.BeginTransactionAsync(ct);
        if (await c.ScalarAsync(tx, "select state from cases where id = @id", ct, ("id", caseId)) as string != nameof(CaseState.InReview))
        {
            await tx.RollbackAsync(ct);
            return false;
        }
        var previous = (await c.QueryAsync(tx, "select * from resubmission_requests where case_id = @id", MapResubmission, ct, ("id", caseId))).SingleOrDefault();
        if (previous is { Open: true })
        {
            await tx.RollbackAsync(ct);
            return false;
        }
        var rounds = (previous?.Rounds ?? 0) + 1;
        var json = JsonSerializer.Serialize(items, Json);
        if (previous is null)
            await c.ExecAsync(tx, "insert into resubmission_requests (case_id, asked_by, asked_at, items, rounds, paused_ms, resumed_at) values (@id, @by, @now, @items, 1, 0, null)", ct,
                ("id", caseId), ("by", by.Name), ("now", Now), ("items", json));
        else
            await c.ExecAsync(tx, "update resubmission_requests set asked_by = @by, asked_at = @now, items = @items, rounds = @rounds, resumed_at = null where case_id = @id", ct,
                ("id", caseId), ("by", by.Name), ("now", Now), ("items", json), ("rounds", rounds));
        await c.ExecAsync(tx, "delete from case_claims where case_id = @id", ct, ("id", caseId));
        await AppendEventAsync(c, tx, caseId, Now, CaseState.InReview, "resubmission_requested", by, detail, ct);
        await EnqueueAsync(c, tx, caseId, new OutboxItem(OutboxKinds.Letter, $"resubmission-{rounds}", message.Recipient, message.Subject, message.Body), ct);
        await tx.CommitAsync(ct);
        return true;
    }

    /// <summary>The case of this request waiting for a new file, if any.</summary>
    public async Task<string?> FindCaseAwaitingFileAsync(string requestId, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        return (await c.QueryAsync(null, """
            select c.id from cases c join resubmission_requests r on r.case_id = c.id
            where c.request_id = @req and c.state = 'InReview' and r.resumed_at is null order by c.created_at
            """, x => x.GetString(0), ct, ("req", requestId))).FirstOrDefault();
    }

    /// <summary>The new file joins the waiting case: it becomes the case's file (the previous one stays in the blob store
    /// and in the event's detail), what was read from the old one is cleared, the case goes back to Processing and the
    /// request for a file is closed (its waiting time added to the pause). False when the case is no longer waiting.</summary>
    public async Task<bool> AttachResubmissionAsync(string caseId, OriginalFile file, Actor by, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        await using var tx = await c.BeginTransactionAsync(ct);
        var waiting = (await c.QueryAsync(tx, "select * from resubmission_requests where case_id = @id and resumed_at is null", MapResubmission, ct, ("id", caseId))).SingleOrDefault();
        var old = (await c.QueryAsync(tx, "select * from cases where id = @id", MapCase, ct, ("id", caseId))).SingleOrDefault();
        if (waiting is null || old is null || old.State != CaseState.InReview)
        {
            await tx.RollbackAsync(ct);
            return false;
        }
        var n = await c.ExecAsync(tx, """
            update cases set original_sha256 = @sha, original_name = @name, original_bytes = @bytes, original_kind = @kind,
              parts = null, pages = null, report = null, read = null, decision = null, reasons = '[]', error = null,
              state = 'Processing', version = version + 1, updated_at = @now
            where id = @id and state = 'InReview'
            """, ct, ("sha", file.Sha256), ("name", file.FileName), ("bytes", file.SizeBytes), ("kind", file.Kind.ToString()), ("now", Now), ("id", caseId));
        if (n != 1) { await tx.RollbackAsync(ct); return false; }
        var paused = (long)(waiting.Paused + (Now - waiting.AskedAt)).TotalMilliseconds;
        await c.ExecAsync(tx, "update resubmission_requests set resumed_at = @now, paused_ms = @paused where case_id = @id", ct, ("now", Now), ("paused", paused), ("id", caseId));
        await c.ExecAsync(tx, "delete from case_claims where case_id = @id", ct, ("id", caseId));
        await c.ExecAsync(tx, "delete from pending_decisions where case_id = @id", ct, ("id", caseId));
        await AppendEventAsync(c, tx, caseId, Now, CaseState.Processing, "resubmitted", by,
            $"{file.Kind}, {file.SizeBytes} bytes, sha256 {file.Sha256} ({file.FileName}); previous file {old.Original.Kind}, {old.Original.SizeBytes} bytes, sha256 {old.Original.Sha256} ({old.Original.FileName})", ct);
        await tx.CommitAsync(ct);
        return true;
    }

    public async Task<IReadOnlyDictionary<string, ResubmissionRequest>> GetResubmissionsAsync(CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        return (await c.QueryAsync(null, "select * from resubmission_requests", MapResubmission, ct)).ToDictionary(r => r.CaseId);
    }

    public async Task<ResubmissionRequest?> GetResubmissionAsync(string caseId, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        return (await c.QueryAsync(null, "select * from resubmission_requests where case_id = @id", MapResubmission, ct, ("id", caseId))).SingleOrDefault();
    }

    private static ResubmissionRequest MapResubmission(System.Data.Common.DbDataReader r) => new(
        r.GetString(r.GetOrdinal("case_id")), r.GetString(r.GetOrdinal("asked_by")), r.Timestamp("asked_at"),
        JsonSerializer.Deserialize<List<string>>(r.GetString(r.GetOrdinal("items")), Json)!, Convert.ToInt32(r.GetValue(r.GetOrdinal("rounds"))),
        TimeSpan.FromMilliseconds(Convert.ToInt64(r.GetValue(r.GetOrdinal("paused_ms")))), r.NullableTimestamp("resumed_at"));
}
