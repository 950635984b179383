namespace VerifyPipeline.Cases;

/// <summary>What a fax inbox watcher last saw: how many files stayed in the inbox longer than its alert limit, since
/// when the oldest of them, and when it looked. Kept in the database so that a review host that does not watch the
/// folder (scaled mode) can show it to the supervisor.</summary>
public sealed record FaxInboxStatus(string Inbox, int StuckFiles, DateTimeOffset? OldestSince, DateTimeOffset CheckedAt);

public sealed partial class CaseStore
{
    public async Task SaveFaxInboxStatusAsync(FaxInboxStatus s, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        await c.ExecAsync(null, """
            insert into fax_inbox_status (inbox, stuck_files, oldest_since, checked_at) values (@inbox, @stuck, @oldest, @at)
            on conflict (inbox) do update set stuck_files = excluded.stuck_files, oldest_since = excluded.oldest_since, checked_at = excluded.checked_at
            """, ct, ("inbox", s.Inbox), ("stuck", s.StuckFiles), ("oldest", s.OldestSince), ("at", s.CheckedAt));
    }

    public async Task<IReadOnlyList<FaxInboxStatus>> ListFaxInboxStatusAsync(CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        return await c.QueryAsync(null, "select * from fax_inbox_status order by inbox", r => new FaxInboxStatus(
            r.GetString(r.GetOrdinal("inbox")), r.GetInt32(r.GetOrdinal("stuck_files")), r.NullableTimestamp("oldest_since"), r.Timestamp("checked_at")), ct);
    }
}
