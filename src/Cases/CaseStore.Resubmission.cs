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

/// <summary>The review desk's resubmissions: the request for a new file (with the citizen's message, in one transaction).
/// The new file joins the waiting case like any file for a case still open (<see cref="JoinFileAsync"/>).</summary>
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
