using System.Data.Common;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace VerifyPipeline.Cases;

public sealed record NewCase(
    string Client, Channel Channel, string? RequestId, OriginalFile Original, string? IdempotencyKey, string? SourceMeta);

/// <summary>An outcome written atomically with the decision: the state, the PIN update and the citizen's message.</summary>
public sealed record DecisionOutcome(
    CaseState State, string Decision, IReadOnlyList<string> Reasons, string? Detail,
    PinConversion? MarkPinDispositivo, OutboxDraft? Message)
{
    /// <summary>The rules' verdicts with their evidence, the policy and thresholds used (JSON, the `check` report shape).</summary>
    public string? Report { get; init; }
    /// <summary>The case's file the decision was taken on (<see cref="Case.FileNo"/>): not recorded if another file joined since.</summary>
    public int? FileNo { get; init; }
}

/// <summary>The PIN to mark dispositivo and the holder's codice fiscale the decision was taken against: the update happens
/// only while the directory still holds that PIN, online and not revoked, for that holder. <see cref="Via"/> says how:
/// the local table is updated in the decision's transaction; the PIN service gets an outbox message written in it.</summary>
public sealed record PinConversion(string PinReference, string HolderCodiceFiscale, PinMarking Via = PinMarking.LocalTable)
{
    /// <summary>With a notice, the PIN becomes dispositivo when its cooling-off ends (<see cref="PinNotice.DueAt"/>) unless
    /// the holder disputes it; without one, at once (as before the notice existed).</summary>
    public PinNotice? Notice { get; init; }
}

/// <summary>How a decision marks a PIN dispositivo (chosen by <c>PinDirectory:Mode</c>, see <see cref="Pins.IPinDirectory"/>).</summary>
public enum PinMarking { LocalTable, Outbox }

/// <summary>The PIN changed in the registry between the decision and its recording (revoked, converted, re-assigned):
/// nothing was written; the decision must be taken again on the registry's current state.</summary>
public sealed class PinChangedException(string message) : Exception(message);

public sealed record OutboxDraft(string? Recipient, string Subject, string Body);

/// <summary>Raised when a state change is not allowed from the case's current state (a bug or a race lost, never bad input).</summary>
public sealed class CaseStateConflictException(string message) : Exception(message);

/// <summary>Cases, their append-only event history, requests, PINs and the outbox. One class over both databases.
/// Every change of a case is a conditional update on its version plus an event row, in one transaction.</summary>
public sealed partial class CaseStore(Database db, TimeProvider clock, CallbackEvents? callbacks = null, PipelineMetrics? metrics = null)
{
    private readonly CallbackEvents _callbacks = callbacks ?? CallbackEvents.None;

    internal static JsonSerializerOptions Json => WireJson.Options;

    public Database Database => db;
    private DateTimeOffset Now => clock.GetUtcNow();

    // ---------- requests ----------

    public async Task CreateRequestAsync(ConversionRequest r, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        await c.ExecAsync(null, "insert into requests (id, client, created_at, pin_reference, codice_fiscale, data) values (@id, @client, @at, @pin, @cf, @data)", ct,
            ("id", r.Id), ("client", r.Client), ("at", r.CreatedAt.ToUniversalTime()), ("pin", r.Data.PinReference), ("cf", r.Data.CodiceFiscale),
            ("data", JsonSerializer.Serialize(r.Data, Json)));
    }

    public async Task<ConversionRequest?> GetRequestAsync(string id, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        var list = await c.QueryAsync(null, "select * from requests where id = @id", MapRequest, ct, ("id", id));
        return list.SingleOrDefault();
    }

    public async Task<IReadOnlyList<ConversionRequest>> FindRequestsByCodiceFiscaleAsync(string codiceFiscale, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        return await c.QueryAsync(null, "select * from requests where codice_fiscale = @cf order by created_at desc", MapRequest, ct, ("cf", codiceFiscale));
    }

    private static ConversionRequest MapRequest(DbDataReader r) => new(
        r.GetString(r.GetOrdinal("id")), r.GetString(r.GetOrdinal("client")), r.Timestamp("created_at"),
        JsonSerializer.Deserialize<RequestData>(r.GetString(r.GetOrdinal("data")), Json)!)
    {
        ErasedAt = r.NullableTimestamp("erased_at"),
    };

    // ---------- cases ----------

    /// <summary>Creates the case in state Received with its first event, or returns the existing case when the
    /// client already used this idempotency key for the same request (the unique index on client, scope and key
    /// decides, so concurrent retries get one case). The scope is the request id given with the file, '' without one.</summary>
    public async Task<(Case Case, bool Created)> CreateCaseAsync(NewCase n, CancellationToken ct = default)
    {
        if (n.IdempotencyKey is not null && await GetByIdempotencyKeyAsync(n.Client, n.RequestId, n.IdempotencyKey, ct) is { } existing)
            return (existing, false);
        var id = NewId();
        var now = Now;
        await using var c = await db.OpenAsync(ct);
        await using var tx = await c.BeginTransactionAsync(ct);
        var inserted = await c.ExecAsync(tx, """
            insert into cases (id, client, channel, request_id, state, version, original_sha256, original_name, original_bytes, original_kind,
                               idempotency_key, idempotency_scope, source_meta, created_at, updated_at, reasons)
            values (@id, @client, @channel, @req, @state, 1, @sha, @name, @bytes, @kind, @idem, @scope, @meta, @now, @now, '[]')
            on conflict do nothing
            """, ct,
            ("id", id), ("client", n.Client), ("channel", n.Channel.ToString()), ("req", n.RequestId), ("state", nameof(CaseState.Received)),
            ("sha", n.Original.Sha256), ("name", n.Original.FileName), ("bytes", n.Original.SizeBytes), ("kind", n.Original.Kind.ToString()),
            ("idem", n.IdempotencyKey), ("scope", n.RequestId ?? ""), ("meta", n.SourceMeta), ("now", now));
        // Each step stays on this one connection: opening a second while holding the first deadlocks a full pool
        // (50 uploads at once, 50 connections, each waiting for one more).
        if (inserted == 0)
        {
            await tx.RollbackAsync(ct);
            var winner = (await c.QueryAsync(null, "select * from cases where client = @client and idempotency_scope = @scope and idempotency_key = @key", MapCase, ct,
                ("client", n.Client), ("scope", n.RequestId ?? ""), ("key", n.IdempotencyKey))).SingleOrDefault()
                ?? throw new InvalidOperationException("Idempotency conflict without a winning case.");
            return (winner, false);
        }
        await AppendEventAsync(c, tx, id, now, CaseState.Received, "received", Actor.Machine(n.Channel == Channel.Fax ? "fax-inbox" : "ingest"),
            $"{n.Original.Kind}, {n.Original.SizeBytes} bytes, sha256 {n.Original.Sha256}", ct);
        if (_callbacks.IsSubscribed(n.Client)) await _callbacks.EnqueueAsync(this, c, tx, id, now, ct);
        await tx.CommitAsync(ct);
        return ((await c.QueryAsync(null, "select * from cases where id = @id", MapCase, ct, ("id", id))).Single(), true);
    }

    /// <summary>The case this client created with this key for this request (<paramref name="requestId"/> null: without one).</summary>
    public async Task<Case?> GetByIdempotencyKeyAsync(string client, string? requestId, string key, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        // A file that joined an open case (issue 15) keeps its key in case_files: a retry finds the case it joined.
        var list = await c.QueryAsync(null, """
            select * from cases where (client = @client and idempotency_scope = @scope and idempotency_key = @key)
              or id in (select case_id from case_files where client = @client and idempotency_scope = @scope and idempotency_key = @key)
            """, MapCase, ct, ("client", client), ("scope", requestId ?? ""), ("key", key));
        return list.FirstOrDefault();
    }

    public async Task<Case?> GetCaseAsync(string id, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        var list = await c.QueryAsync(null, "select * from cases where id = @id", MapCase, ct, ("id", id));
        return list.SingleOrDefault();
    }

    public async Task<IReadOnlyList<Case>> ListCasesAsync(string? client, Channel? channel, DateTimeOffset? since, int limit, CancellationToken ct = default)
    {
        var sql = "select * from cases where 1 = 1";
        var ps = new List<(string, object?)>();
        // A client sees the cases it sent the first file of, and those a file of its joined (issue 15); a channel likewise.
        if (client is not null) { sql += " and (client = @client or id in (select case_id from case_files where client = @client))"; ps.Add(("client", client)); }
        if (channel is not null)
        {
            sql += " and (channel = @channel or id in (select case_id from case_files where channel = @channel"
                + (client is null ? "" : " and client = @client") + "))";
            ps.Add(("channel", channel.ToString()));
        }
        if (since is not null) { sql += " and created_at >= @since"; ps.Add(("since", since.Value.ToUniversalTime())); }
        sql += " order by created_at desc, id desc limit @limit";
        ps.Add(("limit", limit));
        await using var c = await db.OpenAsync(ct);
        return await c.QueryAsync(null, sql, MapCase, ct, ps.ToArray());
    }

    /// <summary>The sweep's condition: non-terminal cases the machine should still be working on (not InReview: people own
    /// those), untouched since @before and not resumed by a sweep since then.</summary>
    private const string Unfinished = "state in ('Received', 'Processing') and updated_at <= @before and (resumed_at is null or resumed_at <= @before)";

    /// <summary>The sweep's candidates: unfinished cases (Received, Processing) untouched since <paramref name="before"/> and
    /// not resumed by a sweep since then (<see cref="ClaimResumeAsync"/>).</summary>
    public async Task<IReadOnlyList<string>> ListUnfinishedAsync(DateTimeOffset before, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        return await c.QueryAsync(null, $"select id from cases where {Unfinished} order by created_at", r => r.GetString(0), ct,
            ("before", before.ToUniversalTime()));
    }

    /// <summary>Claims one candidate for a resume (resumed_at = now) by a conditional update only one caller wins, so a case
    /// waiting in a long queue is resumed once per <c>Pipeline:StuckAfter</c>, not at every pass of every worker: the soak
    /// (issue 11) found each pass re-enqueueing every waiting case, the queue growing with the backlog. The sweep claims
    /// and enqueues one case at a time: a worker killed in between delays that one case by a StuckAfter, no more.</summary>
    public async Task<bool> ClaimResumeAsync(string caseId, DateTimeOffset before, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        return await c.ExecAsync(null, $"update cases set resumed_at = @now where id = @id and {Unfinished}", ct,
            ("now", Now), ("id", caseId), ("before", before.ToUniversalTime())) == 1;
    }

    public async Task<IReadOnlyList<CaseEvent>> GetEventsAsync(string caseId, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        return await c.QueryAsync(null, "select * from case_events where case_id = @id order by id", r => new CaseEvent(
            r.GetInt64(r.GetOrdinal("id")), r.GetString(r.GetOrdinal("case_id")), r.Timestamp("at"),
            Enum.Parse<CaseState>(r.GetString(r.GetOrdinal("state"))), r.GetString(r.GetOrdinal("kind")),
            new Actor(Enum.Parse<ActorKind>(r.GetString(r.GetOrdinal("actor_kind"))), r.GetString(r.GetOrdinal("actor"))),
            r.NullableString("detail")), ct, ("id", caseId));
    }

    public async Task<Dictionary<CaseState, int>> CountByStateAsync(CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        var rows = await c.QueryAsync(null, "select state, count(*) from cases group by state",
            r => (Enum.Parse<CaseState>(r.GetString(0)), Convert.ToInt32(r.GetValue(1))), ct);
        return rows.ToDictionary(x => x.Item1, x => x.Item2);
    }

    /// <summary>Moves a case to <paramref name="to"/> if its current state is one of <paramref name="from"/>.
    /// Returns false (and writes nothing) when the case is already elsewhere — the at-least-once guard.</summary>
    public async Task<bool> TransitionAsync(string caseId, CaseState[] from, CaseState to, string kind, Actor by, string? detail, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        await using var tx = await c.BeginTransactionAsync(ct);
        var ok = await MoveAsync(c, tx, caseId, from, to, kind, by, detail, extraSet: "", ct);
        await tx.CommitAsync(ct);
        return ok;
    }

    /// <summary>Records the unpack result once: a second run (at-least-once delivery) finds it set and writes nothing.</summary>
    /// <param name="fileNo">The case's file the result was made from: when another file joined the case meanwhile
    /// (<see cref="JoinFileAsync"/>) nothing is saved.</param>
    /// <param name="elapsedMs">How long the stage took to make the result, saved with it (<see cref="Case.StageMs"/>): the
    /// report's <c>timings_ms</c>.</param>
    public Task<bool> SaveStageResultAsync(string caseId, string column, object value, string kind, Actor by, string? detail, CancellationToken ct = default,
        int? fileNo = null, long? elapsedMs = null)
    {
        if (column is not ("parts" or "pages" or "read")) throw new ArgumentOutOfRangeException(nameof(column));
        return SaveOnceAsync(caseId, column, JsonSerializer.Serialize(value, Json), kind, by, detail, fileNo, elapsedMs, ct);
    }

    private async Task<bool> SaveOnceAsync(string caseId, string column, string json, string kind, Actor by, string? detail, int? fileNo, long? elapsedMs, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        await using var tx = await c.BeginTransactionAsync(ct);
        var n = await c.ExecAsync(tx, $"update cases set {column} = @v, {column}_ms = @ms, error = null, version = version + 1, updated_at = @now where id = @id and {column} is null"
            + (fileNo is null ? "" : " and file_no = @fileNo"), ct, ("v", json), ("ms", elapsedMs), ("now", Now), ("id", caseId), ("fileNo", fileNo));
        if (n == 1)
        {
            var state = (string)(await c.ScalarAsync(tx, "select state from cases where id = @id", ct, ("id", caseId)))!;
            await AppendEventAsync(c, tx, caseId, Now, Enum.Parse<CaseState>(state), kind, by, detail, ct);
        }
        await tx.CommitAsync(ct);
        return n == 1;
    }

    /// <summary>The decision, the PIN update and the citizen's message in one transaction: all or nothing.
    /// Returns false when the case had already left <paramref name="from"/> (decided by an earlier run).</summary>
    public async Task<bool> DecideAsync(string caseId, CaseState[] from, DecisionOutcome o, Actor by, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        await using var tx = await c.BeginTransactionAsync(ct);
        var moved = await MoveAsync(c, tx, caseId, from, o.State, "decided", by,
            o.Detail ?? $"{o.Decision}{(o.Reasons.Count > 0 ? ": " + string.Join(", ", o.Reasons) : "")}",
            extraSet: ", decision = @decision, reasons = @reasons, error = null" + (o.Report is null ? "" : ", report = @report")
                + (CaseStates.IsTerminal(o.State) ? ", decided_at = @now" : ""), ct, o.FileNo,
            ("decision", o.Decision), ("reasons", JsonSerializer.Serialize(o.Reasons, Json)), ("report", o.Report));
        if (!moved) { await tx.RollbackAsync(ct); return false; }
        if (o.MarkPinDispositivo is { Notice: { } notice } withNotice) await WriteNoticeAsync(c, tx, caseId, withNotice, notice, ct);
        else if (o.MarkPinDispositivo is { } pin) await ConvertPinAsync(c, tx, caseId, pin, ct);
        if (o.Message is { } m)
            await EnqueueAsync(c, tx, caseId, new OutboxItem(OutboxKinds.Letter, "", m.Recipient, m.Subject, m.Body), ct);
        var createdAt = metrics is null ? default
            : (await c.QueryAsync(tx, "select created_at from cases where id = @id", r => r.Timestamp("created_at"), ct, ("id", caseId))).Single();
        await tx.CommitAsync(ct);
        System.Diagnostics.Activity.Current?.SetTag("vp.decision", o.Decision).SetTag("vp.state", o.State.ToString()).SetTag("vp.reasons", string.Join(",", o.Reasons));
        metrics?.Decided(o.Decision, o.Reasons, by.Kind, Now - createdAt);
        return true;
    }

    public async Task<bool> MarkNeedsAttentionAsync(string caseId, string error, Actor by, CancellationToken ct = default, CaseState[]? from = null)
    {
        await using var c = await db.OpenAsync(ct);
        await using var tx = await c.BeginTransactionAsync(ct);
        var ok = await MoveAsync(c, tx, caseId, from ?? [CaseState.Received, CaseState.Processing, CaseState.InReview], CaseState.NeedsAttention,
            "failed", by, error, ", error = @error", ct, ("error", error));
        await tx.CommitAsync(ct);
        return ok;
    }

    /// <summary>Shows a retried stage's error on a case still Processing. Neither an event (the case did not change state)
    /// nor a change of updated_at (the sweep still sees when the case last moved).</summary>
    public async Task RecordErrorAsync(string caseId, string error, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        await c.ExecAsync(null, "update cases set error = @error where id = @id and state = @state", ct,
            ("error", error), ("id", caseId), ("state", CaseState.Processing.ToString()));
    }

    public async Task<bool> AssignRequestAsync(string caseId, string requestId, Actor by, string how, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        await using var tx = await c.BeginTransactionAsync(ct);
        var n = await c.ExecAsync(tx, "update cases set request_id = @req, version = version + 1, updated_at = @now where id = @id and request_id is null", ct,
            ("req", requestId), ("now", Now), ("id", caseId));
        if (n == 1)
        {
            var state = (string)(await c.ScalarAsync(tx, "select state from cases where id = @id", ct, ("id", caseId)))!;
            await AppendEventAsync(c, tx, caseId, Now, Enum.Parse<CaseState>(state), "matched", by, how, ct);
        }
        await tx.CommitAsync(ct);
        return n == 1;
    }

    private Task<bool> MoveAsync(DbConnection c, DbTransaction tx, string caseId, CaseState[] from, CaseState to, string kind, Actor by,
        string? detail, string extraSet, CancellationToken ct, params (string, object?)[] extra) =>
        MoveAsync(c, tx, caseId, from, to, kind, by, detail, extraSet, ct, null, extra);

    /// <param name="fileNo">When set, the move happens only while the case's file is still that one (issue 15: a decision
    /// taken on a file that another file replaced meanwhile is not recorded).</param>
    private async Task<bool> MoveAsync(DbConnection c, DbTransaction tx, string caseId, CaseState[] from, CaseState to, string kind, Actor by,
        string? detail, string extraSet, CancellationToken ct, int? fileNo, params (string, object?)[] extra)
    {
        var current = await c.ScalarAsync(tx, "select state from cases where id = @id", ct, ("id", caseId)) as string
            ?? throw new KeyNotFoundException($"Case {caseId} does not exist.");
        var state = Enum.Parse<CaseState>(current);
        if (!from.Contains(state)) return false;
        if (!CaseStates.CanMove(state, to)) throw new CaseStateConflictException($"Case {caseId}: {state} → {to} is not a valid transition.");
        var ps = new List<(string, object?)> { ("to", to.ToString()), ("now", Now), ("id", caseId), ("from", current), ("fileNo", fileNo) };
        ps.AddRange(extra);
        var n = await c.ExecAsync(tx, $"update cases set state = @to, version = version + 1, updated_at = @now{extraSet} where id = @id and state = @from"
            + (fileNo is null ? "" : " and file_no = @fileNo"), ct, ps.ToArray());
        if (n != 1) return false;
        await AppendEventAsync(c, tx, caseId, Now, to, kind, by, detail, ct);
        // The client's callback, written with the change or not at all (docs/callbacks.md): only when the state it sees changes.
        if (_callbacks.Any && CallbackEvents.Visible(state) != CallbackEvents.Visible(to)) await _callbacks.EnqueueAsync(this, c, tx, caseId, Now, ct);
        return true;
    }

    private static Task<int> AppendEventAsync(DbConnection c, DbTransaction tx, string caseId, DateTimeOffset at, CaseState state, string kind, Actor by, string? detail, CancellationToken ct) =>
        c.ExecAsync(tx, "insert into case_events (case_id, at, state, kind, actor_kind, actor, detail) values (@case, @at, @state, @kind, @ak, @actor, @detail)", ct,
            ("case", caseId), ("at", at), ("state", state.ToString()), ("kind", kind), ("ak", by.Kind.ToString()), ("actor", by.Name), ("detail", detail));

    private static Case MapCase(DbDataReader r)
    {
        string? Json1(string n) => r.NullableString(n);
        return new Case(
            r.GetString(r.GetOrdinal("id")),
            r.GetString(r.GetOrdinal("client")),
            Enum.Parse<Channel>(r.GetString(r.GetOrdinal("channel"))),
            r.NullableString("request_id"),
            Enum.Parse<CaseState>(r.GetString(r.GetOrdinal("state"))),
            Convert.ToInt32(r.GetValue(r.GetOrdinal("version"))),
            new OriginalFile(r.GetString(r.GetOrdinal("original_sha256")), r.GetString(r.GetOrdinal("original_name")),
                Convert.ToInt64(r.GetValue(r.GetOrdinal("original_bytes"))), Enum.Parse<FileKind>(r.GetString(r.GetOrdinal("original_kind")))),
            r.NullableString("idempotency_key"),
            r.NullableString("source_meta"),
            r.Timestamp("created_at"),
            r.Timestamp("updated_at"),
            r.NullableString("decision"),
            JsonSerializer.Deserialize<List<string>>(r.GetString(r.GetOrdinal("reasons")), Json)!,
            r.NullableString("error"),
            Json1("parts") is { } p ? JsonSerializer.Deserialize<List<Part>>(p, Json) : null,
            Json1("pages") is { } g ? JsonSerializer.Deserialize<List<PageInfo>>(g, Json) : null,
            r.NullableString("report"), r.NullableString("read"))
        {
            Retention = new CaseRetention(r.NullableTimestamp("decided_at"), r.NullableTimestamp("images_purged_at"),
                r.NullableTimestamp("original_purged_at"), r.NullableTimestamp("report_purged_at"), r.NullableTimestamp("erased_at")),
            FileNo = Convert.ToInt32(r.GetValue(r.GetOrdinal("file_no"))),
            StageMs = new StageTimes(Ms("parts_ms"), Ms("pages_ms"), Ms("read_ms")),
        };

        long? Ms(string n) => r.IsDBNull(r.GetOrdinal(n)) ? null : Convert.ToInt64(r.GetValue(r.GetOrdinal(n)));
    }

    // ---------- outbox ----------

    /// <summary>Puts a message in the outbox on its own; false when the same (case, kind, key) is already there
    /// (enqueuing is idempotent, so a retried job never sends twice).</summary>
    public async Task<bool> EnqueueOutboxAsync(string caseId, OutboxItem item, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        return await EnqueueAsync(c, null, caseId, item, ct);
    }

    /// <summary>Inside a caller's transaction: the message is written with what caused it, or not at all.</summary>
    internal async Task<bool> EnqueueAsync(DbConnection c, DbTransaction? tx, string caseId, OutboxItem item, CancellationToken ct) =>
        await c.ExecAsync(tx, """
            insert into outbox (case_id, kind, dedupe_key, recipient, subject, body, created_at, trace_parent)
            values (@case, @kind, @key, @to, @subject, @body, @now, @trace)
            on conflict (case_id, kind, dedupe_key) do nothing
            """, ct, ("case", caseId), ("kind", item.Kind), ("key", item.DedupeKey), ("to", item.Recipient), ("subject", item.Subject),
            ("body", item.Body), ("now", Now), ("trace", System.Diagnostics.Activity.Current?.Id)) == 1;

    public async Task<IReadOnlyList<OutboxMessage>> GetOutboxAsync(string? caseId, bool unsentOnly, CancellationToken ct = default)
    {
        var sql = "select * from outbox where 1 = 1" + (caseId is null ? "" : " and case_id = @case") + (unsentOnly ? " and sent_at is null" : "") + " order by id";
        await using var c = await db.OpenAsync(ct);
        return await c.QueryAsync(null, sql, MapOutbox, ct, ("case", caseId));
    }

    /// <summary>Messages a worker may claim now: not sent, not given up, their back-off over and no live claim on them.</summary>
    public async Task<IReadOnlyList<OutboxMessage>> ListDueOutboxAsync(int limit, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        return await c.QueryAsync(null, """
            select * from outbox where sent_at is null and dead_at is null
              and (next_attempt_at is null or next_attempt_at <= @now) and (claimed_until is null or claimed_until < @now)
            order by id limit @limit
            """, MapOutbox, ct, ("now", Now), ("limit", limit));
    }

    /// <summary>Messages given up on, newest first, for the supervisor.</summary>
    public async Task<IReadOnlyList<OutboxMessage>> ListDeadOutboxAsync(int limit, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        return await c.QueryAsync(null, "select * from outbox where dead_at is not null and sent_at is null order by dead_at desc, id desc limit @limit",
            MapOutbox, ct, ("limit", limit));
    }

    /// <summary>Claims a message for one delivery attempt until <paramref name="lease"/> has passed, and counts the attempt.
    /// True for exactly one caller while the lease lasts (a conditional update), so two workers never send at once; a
    /// worker that dies holding the claim leaves it to expire, and the message is tried again. Nothing is marked sent
    /// here: a crash between the claim and the delivery loses nothing.</summary>
    public async Task<bool> ClaimOutboxAsync(long outboxId, TimeSpan lease, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        return await c.ExecAsync(null, """
            update outbox set claimed_until = @until, attempts = attempts + 1
            where id = @id and sent_at is null and dead_at is null
              and (next_attempt_at is null or next_attempt_at <= @now) and (claimed_until is null or claimed_until < @now)
            """, ct, ("until", Now + lease), ("now", Now), ("id", outboxId)) == 1;
    }

    /// <summary>Records a delivery that succeeded; called only after the message was handed over.</summary>
    public async Task MarkOutboxSentAsync(long outboxId, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        await c.ExecAsync(null, "update outbox set sent_at = @now, claimed_until = null, last_error = null where id = @id and sent_at is null", ct,
            ("now", Now), ("id", outboxId));
    }

    /// <summary>Records a failed attempt and gives the claim back: tried again after <paramref name="retryAfter"/>, or
    /// given up (dead-lettered, kept with its error for a person) when <paramref name="giveUp"/>.</summary>
    public async Task RecordOutboxFailureAsync(long outboxId, string error, TimeSpan retryAfter, bool giveUp, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        await c.ExecAsync(null, """
            update outbox set claimed_until = null, last_error = @error, next_attempt_at = @next, dead_at = @dead
            where id = @id and sent_at is null
            """, ct, ("error", error.Length > 1000 ? error[..1000] : error), ("next", Now + retryAfter), ("dead", giveUp ? Now : (DateTimeOffset?)null), ("id", outboxId));
    }

    private static OutboxMessage MapOutbox(DbDataReader r) => new(
        r.GetInt64(r.GetOrdinal("id")), r.GetString(r.GetOrdinal("case_id")), r.NullableString("recipient"),
        r.GetString(r.GetOrdinal("subject")), r.GetString(r.GetOrdinal("body")), r.Timestamp("created_at"), r.NullableTimestamp("sent_at"))
    {
        Kind = r.GetString(r.GetOrdinal("kind")),
        DedupeKey = r.GetString(r.GetOrdinal("dedupe_key")),
        Attempts = r.GetInt32(r.GetOrdinal("attempts")),
        LastError = r.NullableString("last_error"),
        DeadAt = r.NullableTimestamp("dead_at"),
        ClaimedUntil = r.NullableTimestamp("claimed_until"),
        NextAttemptAt = r.NullableTimestamp("next_attempt_at"),
        TraceParent = r.NullableString("trace_parent"),
    };

    /// <summary>Case ids are random and carry no personal data, so they can appear in URLs and logs.</summary>
    public static string NewId() => Guid.CreateVersion7().ToString("N");
}
