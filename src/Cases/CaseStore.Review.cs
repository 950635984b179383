using System.Data.Common;
using System.Text.Json;

namespace VerifyPipeline.Cases;

/// <summary>A reviewer holds a case until <see cref="ExpiresAt"/>; nobody else may act on it meanwhile.</summary>
public sealed record CaseClaim(string CaseId, string Reviewer, DateTimeOffset ClaimedAt, DateTimeOffset ExpiresAt);

/// <summary>A decision one reviewer proposed that needs a second, different reviewer (four-eyes).</summary>
public sealed record PendingDecision(string CaseId, string Decision, IReadOnlyList<string> Reasons, string? Note, string ProposedBy, DateTimeOffset ProposedAt);

/// <summary>One decision that ended a case (state Approved or Rejected), with the case's age at that moment.</summary>
public sealed record DecisionRecord(string CaseId, DateTimeOffset CreatedAt, DateTimeOffset DecidedAt, CaseState State, Actor By);

public enum ClaimOutcome { Claimed, Renewed, HeldByOther }

/// <summary>The review desk's part of the store: claims, four-eyes proposals, audit events of people, and the figures
/// the supervisor view needs. Decisions themselves go through <see cref="DecideAsync"/> like the machine's.</summary>
public sealed partial class CaseStore
{
    /// <summary>States a person works on. Unmatched faxes still being processed are listed too, so nothing is hidden.</summary>
    public static readonly CaseState[] ReviewStates = [CaseState.InReview, CaseState.NeedsAttention];

    /// <summary>The open work: cases InReview or NeedsAttention, and faxes not yet matched to a request in any
    /// non-terminal state; oldest first.</summary>
    public async Task<IReadOnlyList<Case>> ListReviewQueueAsync(int limit, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        return await c.QueryAsync(null, """
            select * from cases
            where state in ('InReview', 'NeedsAttention')
               or (channel = 'Fax' and request_id is null and state in ('Received', 'Processing'))
            order by created_at, id limit @limit
            """, MapCase, ct, ("limit", limit));
    }

    /// <summary>Claims that have not expired, by case id.</summary>
    public async Task<IReadOnlyDictionary<string, CaseClaim>> GetActiveClaimsAsync(CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        var list = await c.QueryAsync(null, "select * from case_claims where expires_at > @now", MapClaim, ct, ("now", Now));
        return list.ToDictionary(x => x.CaseId);
    }

    public async Task<CaseClaim?> GetActiveClaimAsync(string caseId, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        var list = await c.QueryAsync(null, "select * from case_claims where case_id = @id and expires_at > @now", MapClaim, ct, ("id", caseId), ("now", Now));
        return list.SingleOrDefault();
    }

    /// <summary>Takes the case for <paramref name="reviewer"/> if nobody holds it (or their claim expired), or renews the
    /// reviewer's own claim. One conditional upsert decides, so two people racing for a case get one winner.</summary>
    public async Task<ClaimOutcome> TryClaimAsync(string caseId, string reviewer, TimeSpan duration, CancellationToken ct = default)
    {
        // Whole microseconds: what PostgreSQL stores, so the value read back compares equal.
        var ticks = Now.UtcTicks;
        var now = new DateTimeOffset(ticks - ticks % 10, TimeSpan.Zero);
        await using var c = await db.OpenAsync(ct);
        await using var tx = await c.BeginTransactionAsync(ct);
        // A renewal keeps the original claimed_at, so the returned value tells a new claim from a renewal even when the
        // same reviewer races with themselves (two tabs): exactly one of them sees claimed_at = now.
        var claimedAt = (await c.QueryAsync(tx, """
            insert into case_claims (case_id, reviewer, claimed_at, expires_at) values (@id, @who, @now, @until)
            on conflict (case_id) do update set
              reviewer = excluded.reviewer,
              claimed_at = case when case_claims.reviewer = excluded.reviewer and case_claims.expires_at > excluded.claimed_at
                                then case_claims.claimed_at else excluded.claimed_at end,
              expires_at = excluded.expires_at
            where case_claims.reviewer = excluded.reviewer or case_claims.expires_at <= excluded.claimed_at
            returning claimed_at
            """, r => r.GetFieldValue<DateTimeOffset>(0), ct, ("id", caseId), ("who", reviewer), ("now", now), ("until", now + duration))).ToList();
        if (claimedAt.Count == 0) { await tx.RollbackAsync(ct); return ClaimOutcome.HeldByOther; }
        var renewed = claimedAt[0] != now;
        if (!renewed)
            await AppendEventInCurrentStateAsync(c, tx, caseId, "claimed", Actor.Person(reviewer), $"presa in carico fino alle {(now + duration):HH:mm} UTC", ct);
        await tx.CommitAsync(ct);
        return renewed ? ClaimOutcome.Renewed : ClaimOutcome.Claimed;
    }

    /// <summary>Gives the case back. Returns false when <paramref name="reviewer"/> did not hold it.</summary>
    public async Task<bool> ReleaseClaimAsync(string caseId, string reviewer, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        await using var tx = await c.BeginTransactionAsync(ct);
        var n = await c.ExecAsync(tx, "delete from case_claims where case_id = @id and reviewer = @who and expires_at > @now", ct,
            ("id", caseId), ("who", reviewer), ("now", Now));
        if (n == 1) await AppendEventInCurrentStateAsync(c, tx, caseId, "released", Actor.Person(reviewer), null, ct);
        await tx.CommitAsync(ct);
        return n == 1;
    }

    public async Task<PendingDecision?> GetPendingDecisionAsync(string caseId, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        var list = await c.QueryAsync(null, "select * from pending_decisions where case_id = @id", MapPending, ct, ("id", caseId));
        return list.SingleOrDefault();
    }

    public async Task<IReadOnlyDictionary<string, PendingDecision>> GetPendingDecisionsAsync(CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        var list = await c.QueryAsync(null, "select * from pending_decisions", MapPending, ct);
        return list.ToDictionary(x => x.CaseId);
    }

    /// <summary>Records a proposal that waits for a second reviewer, and frees the proposer's claim so another person can
    /// take the case. False when the case is not InReview or already carries a proposal.</summary>
    public async Task<bool> ProposeDecisionAsync(PendingDecision p, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        await using var tx = await c.BeginTransactionAsync(ct);
        var state = await c.ScalarAsync(tx, "select state from cases where id = @id", ct, ("id", p.CaseId)) as string;
        if (state != nameof(CaseState.InReview)) { await tx.RollbackAsync(ct); return false; }
        var n = await c.ExecAsync(tx, """
            insert into pending_decisions (case_id, decision, reasons, note, proposed_by, proposed_at)
            values (@id, @decision, @reasons, @note, @who, @at) on conflict do nothing
            """, ct, ("id", p.CaseId), ("decision", p.Decision), ("reasons", JsonSerializer.Serialize(p.Reasons, Json)), ("note", p.Note),
            ("who", p.ProposedBy), ("at", p.ProposedAt));
        if (n == 0) { await tx.RollbackAsync(ct); return false; }
        await c.ExecAsync(tx, "delete from case_claims where case_id = @id", ct, ("id", p.CaseId));
        await AppendEventInCurrentStateAsync(c, tx, p.CaseId, p.Decision == "approve" ? "approval_proposed" : "proposed", Actor.Person(p.ProposedBy),
            $"{p.Decision}: {string.Join(", ", p.Reasons)} — attende la conferma di un secondo revisore" + (p.Note is { Length: > 0 } ? $"; nota: {p.Note}" : ""), ct);
        await tx.CommitAsync(ct);
        return true;
    }

    /// <summary>Drops a proposal (withdrawn by its author or declined by the second reviewer), with the reason in the audit trail.</summary>
    public async Task<bool> DropPendingDecisionAsync(string caseId, Actor by, string kind, string? detail, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        await using var tx = await c.BeginTransactionAsync(ct);
        var n = await c.ExecAsync(tx, "delete from pending_decisions where case_id = @id", ct, ("id", caseId));
        if (n == 1) await AppendEventInCurrentStateAsync(c, tx, caseId, kind, by, detail, ct);
        await tx.CommitAsync(ct);
        return n == 1;
    }

    /// <summary>After a case is decided or sent back to the machine: no claim and no proposal outlive it.</summary>
    public async Task ClearReviewStateAsync(string caseId, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        await using var tx = await c.BeginTransactionAsync(ct);
        await c.ExecAsync(tx, "delete from case_claims where case_id = @id", ct, ("id", caseId));
        await c.ExecAsync(tx, "delete from pending_decisions where case_id = @id", ct, ("id", caseId));
        await tx.CommitAsync(ct);
    }

    /// <summary>An audit event that does not change the state (a note, a refused attempt worth recording).</summary>
    public async Task AppendAuditEventAsync(string caseId, string kind, Actor by, string? detail, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        await using var tx = await c.BeginTransactionAsync(ct);
        await AppendEventInCurrentStateAsync(c, tx, caseId, kind, by, detail, ct);
        await tx.CommitAsync(ct);
    }

    /// <summary>Replaces the stored report of a case that is still <paramref name="inState"/> (a reviewer corrected a misread
    /// value and the rules ran again) and records why, in one transaction; false when the case has moved on.</summary>
    public async Task<bool> ReplaceReportAsync(string caseId, CaseState inState, string report, string? reasonsJson, string kind, Actor by, string? detail, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        await using var tx = await c.BeginTransactionAsync(ct);
        var n = await c.ExecAsync(tx, "update cases set report = @report, reasons = coalesce(@reasons, reasons), updated_at = @now where id = @id and state = @state", ct,
            ("report", report), ("reasons", reasonsJson), ("now", Now), ("id", caseId), ("state", inState.ToString()));
        if (n != 1) { await tx.RollbackAsync(ct); return false; }
        await AppendEventInCurrentStateAsync(c, tx, caseId, kind, by, detail, ct);
        await tx.CommitAsync(ct);
        return true;
    }

    /// <summary>Every final decision (Approved or Rejected) taken since <paramref name="since"/>, machine's and people's.</summary>
    public async Task<IReadOnlyList<DecisionRecord>> ListFinalDecisionsAsync(DateTimeOffset since, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        return await c.QueryAsync(null, """
            select e.case_id, c.created_at, e.at, e.state, e.actor_kind, e.actor
            from case_events e join cases c on c.id = e.case_id
            where e.kind = 'decided' and e.state in ('Approved', 'Rejected') and e.at >= @since
            order by e.at
            """, r => new DecisionRecord(r.GetString(0), r.GetFieldValue<DateTimeOffset>(1), r.GetFieldValue<DateTimeOffset>(2),
                Enum.Parse<CaseState>(r.GetString(3)), new Actor(Enum.Parse<ActorKind>(r.GetString(4)), r.GetString(5))),
            ct, ("since", since.ToUniversalTime()));
    }

    /// <summary>People's review events (proposals, matches, retries, …) since a moment: the throughput table.</summary>
    public async Task<IReadOnlyList<(string Actor, string Kind, int Count)>> CountPersonEventsAsync(DateTimeOffset since, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        return await c.QueryAsync(null, """
            select actor, kind, count(*) from case_events
            where actor_kind = 'Person' and at >= @since group by actor, kind order by actor, kind
            """, r => (r.GetString(0), r.GetString(1), Convert.ToInt32(r.GetValue(2))), ct, ("since", since.ToUniversalTime()));
    }

    /// <summary>The oldest case not yet Approved or Rejected, if any.</summary>
    public async Task<Case?> GetOldestOpenCaseAsync(CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        var list = await c.QueryAsync(null, "select * from cases where state not in ('Approved', 'Rejected') order by created_at, id limit 1", MapCase, ct);
        return list.SingleOrDefault();
    }

    private async Task AppendEventInCurrentStateAsync(DbConnection c, DbTransaction tx, string caseId, string kind, Actor by, string? detail, CancellationToken ct)
    {
        var state = await c.ScalarAsync(tx, "select state from cases where id = @id", ct, ("id", caseId)) as string
            ?? throw new KeyNotFoundException($"Case {caseId} does not exist.");
        await AppendEventAsync(c, tx, caseId, Now, Enum.Parse<CaseState>(state), kind, by, detail, ct);
    }

    private static CaseClaim MapClaim(DbDataReader r) => new(
        r.GetString(r.GetOrdinal("case_id")), r.GetString(r.GetOrdinal("reviewer")), r.Timestamp("claimed_at"), r.Timestamp("expires_at"));

    private static PendingDecision MapPending(DbDataReader r) => new(
        r.GetString(r.GetOrdinal("case_id")), r.GetString(r.GetOrdinal("decision")),
        JsonSerializer.Deserialize<List<string>>(r.GetString(r.GetOrdinal("reasons")), Json)!, r.NullableString("note"),
        r.GetString(r.GetOrdinal("proposed_by")), r.Timestamp("proposed_at"));
}
