namespace VerifyPipeline.Cases;

/// <summary>The review UI's sign-in state, kept in the case database so that it survives a restart and is the same on
/// every review host: failed sign-ins per user name (the backoff) and the server side of each session cookie.</summary>
public sealed partial class CaseStore
{
    /// <summary>Until when sign-ins for <paramref name="user"/> are refused without checking the password; null when they are not.</summary>
    public async Task<DateTimeOffset?> GetSignInBlockedUntilAsync(string user, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        var list = await c.QueryAsync(null, "select blocked_until from sign_in_failures where user_name = @u and blocked_until > @now",
            r => r.Timestamp("blocked_until"), ct, ("u", user), ("now", Now));
        return list.Count == 0 ? null : list[0];
    }

    /// <summary>Counts one more failed sign-in for <paramref name="user"/> (failures older than <paramref name="forgetAfter"/>
    /// are forgotten first) and blocks the name for <paramref name="backoff"/>(count), when that gives a wait. One
    /// transaction, so hosts failing the same name at once count every failure. Returns the end of the block, if any.</summary>
    public async Task<DateTimeOffset?> RecordSignInFailureAsync(string user, TimeSpan forgetAfter, Func<int, TimeSpan?> backoff, CancellationToken ct = default)
    {
        var now = Now;
        await using var c = await db.OpenAsync(ct);
        await using var tx = await c.BeginTransactionAsync(ct);
        // Housekeeping for every name, so that names typed once (or invented by an attacker) do not pile up.
        await c.ExecAsync(tx, "delete from sign_in_failures where last_failure_at < @forget", ct, ("forget", now - forgetAfter));
        var failures = Convert.ToInt32(await c.ScalarAsync(tx, """
            insert into sign_in_failures (user_name, failures, last_failure_at, blocked_until) values (@u, 1, @now, null)
            on conflict (user_name) do update set failures = sign_in_failures.failures + 1, last_failure_at = excluded.last_failure_at
            returning failures
            """, ct, ("u", user), ("now", now)));
        DateTimeOffset? until = backoff(failures) is { } wait ? now + wait : null;
        await c.ExecAsync(tx, "update sign_in_failures set blocked_until = @until where user_name = @u", ct, ("until", until), ("u", user));
        await tx.CommitAsync(ct);
        return until;
    }

    /// <summary>A successful sign-in forgets the name's failures.</summary>
    public async Task ClearSignInFailuresAsync(string user, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        await c.ExecAsync(null, "delete from sign_in_failures where user_name = @u", ct, ("u", user));
    }

    /// <summary>Records a new session (its id travels in the sign-in cookie) and removes the sessions that have expired.</summary>
    public async Task CreateReviewSessionAsync(string id, string user, TimeSpan idleTimeout, CancellationToken ct = default)
    {
        var now = Now;
        await using var c = await db.OpenAsync(ct);
        await using var tx = await c.BeginTransactionAsync(ct);
        await c.ExecAsync(tx, "delete from review_sessions where expires_at <= @now", ct, ("now", now));
        await c.ExecAsync(tx, "insert into review_sessions (id, user_name, created_at, expires_at) values (@id, @u, @now, @until)", ct,
            ("id", id), ("u", user), ("now", now), ("until", now + idleTimeout));
        await tx.CommitAsync(ct);
    }

    /// <summary>True while the session exists and has not expired; it is then extended to now + <paramref name="idleTimeout"/>
    /// (written at most once a minute). An expired session is deleted and false returned.</summary>
    public async Task<bool> TouchReviewSessionAsync(string id, string user, TimeSpan idleTimeout, CancellationToken ct = default)
    {
        var now = Now;
        await using var c = await db.OpenAsync(ct);
        var expires = await c.QueryAsync(null, "select expires_at from review_sessions where id = @id and user_name = @u", r => r.Timestamp("expires_at"), ct, ("id", id), ("u", user));
        if (expires.Count == 0) return false;
        if (expires[0] <= now)
        {
            await c.ExecAsync(null, "delete from review_sessions where id = @id", ct, ("id", id));
            return false;
        }
        if (expires[0] < now + idleTimeout - TimeSpan.FromMinutes(1))
            await c.ExecAsync(null, "update review_sessions set expires_at = @until where id = @id and expires_at > @now", ct,
                ("until", now + idleTimeout), ("id", id), ("now", now));
        return true;
    }

    public async Task DeleteReviewSessionAsync(string id, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        await c.ExecAsync(null, "delete from review_sessions where id = @id", ct, ("id", id));
    }
}
