using System.Data.Common;
using System.Text.Json;

namespace VerifyPipeline.Cases;

/// <summary>One file a case received: the first one, or one that joined it later (<see cref="CaseStore.JoinFileAsync"/>).
/// <see cref="JoinedFrom"/> names the case it came with when a whole case was merged into this one (a fax matched to a
/// request that already had an open case). <see cref="Pages"/> are the page images read from it while it was the case's
/// file (kept so the reviewer can still see a previous file, and so retention can delete them).</summary>
public sealed record CaseFile(int FileNo, OriginalFile File, Channel Channel, string Client, DateTimeOffset ReceivedAt, string? JoinedFrom,
    IReadOnlyList<PageInfo>? Pages = null)
{
    /// <summary>The files unpacked from it (an archive's entries), kept with its pages for retention.</summary>
    public IReadOnlyList<Part>? Parts { get; init; }
}

/// <summary>A file arriving for a case that is already open: who sent it, through which channel, for which request.</summary>
public sealed record JoiningFile(OriginalFile File, Channel Channel, string Client, string? RequestId, string? IdempotencyKey, string? SourceMeta);

public enum JoinOutcome
{
    /// <summary>The file is now the case's: what was read from the previous one is cleared and the case is read again.</summary>
    Joined,
    /// <summary>The case's current file is this very file (same SHA-256): nothing changed.</summary>
    SameFile,
    /// <summary>The case was decided (or changed) meanwhile: nothing written; the caller opens a case of its own.</summary>
    NotOpen,
}

/// <summary>One conversion per PIN at a time (issue 15): a second file for a request, or for another request of the same PIN,
/// while a case is open (received, processing, in review — waiting for a file after "Chiedi un nuovo file" or not —, or
/// needing attention) joins that case instead of making a second one that could be decided differently. The newest file
/// becomes the case's file and is read and decided; the case's files (<c>case_files</c>) and its history keep every one.</summary>
public sealed partial class CaseStore
{
    private static readonly string[] OpenStates = [nameof(CaseState.Received), nameof(CaseState.Processing), nameof(CaseState.InReview), nameof(CaseState.NeedsAttention)];

    /// <summary>The oldest open case of this request, or of another request for the same PIN; with <paramref name="olderThan"/>,
    /// only one created before that case (so of two open cases the newer joins the older, never both ways).</summary>
    public Task<string?> FindOpenCaseForRequestAsync(string requestId, Case? olderThan = null, CancellationToken ct = default) =>
        FindCaseForRequestAsync(requestId, OpenStates, olderThan, newer: false, ct);

    /// <summary>A case of this request or PIN created after <paramref name="than"/> that the machine has finished with (InReview,
    /// NeedsAttention): found when <paramref name="than"/> got its request late (a fax matched by a reviewer), so that the
    /// newer case joins it. A newer case still being read joins by itself when it reaches its decision.</summary>
    public Task<string?> FindNewerSettledCaseAsync(string requestId, Case than, CancellationToken ct = default) =>
        FindCaseForRequestAsync(requestId, [nameof(CaseState.InReview), nameof(CaseState.NeedsAttention)], than, newer: true, ct);

    private async Task<string?> FindCaseForRequestAsync(string requestId, string[] states, Case? other, bool newer, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        var sql = $"""
            select k.id from cases k join requests r on r.id = k.request_id
            where k.state in ({string.Join(", ", states.Select(s => $"'{s}'"))})
              and (k.request_id = @req or r.pin_reference = (select pin_reference from requests where id = @req and pin_reference <> ''))
            """ + (other is null ? "" : newer
                ? " and k.id <> @except and (k.created_at > @created or (k.created_at = @created and k.id > @except))"
                : " and k.id <> @except and (k.created_at < @created or (k.created_at = @created and k.id < @except))")
            + " order by k.created_at, k.id limit 1";
        return (await c.QueryAsync(null, sql, r => r.GetString(0), ct, ("req", requestId), ("except", other?.Id), ("created", other?.CreatedAt))).FirstOrDefault();
    }

    /// <summary>The files the case received, oldest first (one entry, from the case itself, while no second file came).</summary>
    public async Task<IReadOnlyList<CaseFile>> GetFilesAsync(Case k, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        var files = await c.QueryAsync(null, "select * from case_files where case_id = @id order by file_no", MapFile, ct, ("id", k.Id));
        return files.Count > 0 ? files : [new CaseFile(k.FileNo, k.Original, k.Channel, k.Client, k.CreatedAt, null, k.Pages)];
    }

    /// <summary>The case a merged case's file joined (its id then answers for that case), if any.</summary>
    public async Task<string?> FindJoinedCaseAsync(string mergedCaseId, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        return (await c.QueryAsync(null, "select case_id from case_files where joined_from = @id", r => r.GetString(0), ct, ("id", mergedCaseId))).FirstOrDefault();
    }

    /// <summary>The case by its id, or by the id of a case merged into it, as the API client may see it: the client sent the
    /// case's first file or one of the files that joined it. Null otherwise (the API answers 404, not 403).</summary>
    public async Task<Case?> GetCaseForClientAsync(string id, string client, CancellationToken ct = default)
    {
        var k = await GetCaseAsync(id, ct) ?? (await FindJoinedCaseAsync(id, ct) is { } target ? await GetCaseAsync(target, ct) : null);
        if (k is null) return null;
        if (k.Client == client) return k;
        await using var c = await db.OpenAsync(ct);
        var n = Convert.ToInt64(await c.ScalarAsync(null, "select count(*) from case_files where case_id = @id and client = @client", ct, ("id", k.Id), ("client", client)));
        return n > 0 ? k : null;
    }

    /// <summary>The new file joins the open case <paramref name="caseId"/>: it becomes the case's file, what was read from the
    /// previous one is cleared (its pages kept with the previous file), and the case goes (back) to Processing to be read
    /// and decided on it — from InReview (a request for a new file is then closed, its waiting time added to the pause;
    /// claims and proposals about the previous file dropped) or NeedsAttention; a case still Received or Processing keeps
    /// its state, and a stage running on the previous file can no longer save its result (<c>file_no</c>).</summary>
    public async Task<JoinOutcome> JoinFileAsync(string caseId, JoiningFile file, Actor by, CancellationToken ct = default)
    {
        // A conditional update on the case's version decides races between joins (and with stages): the loser reads again.
        for (var attempt = 0; attempt < 5; attempt++)
        {
            await using var c = await db.OpenAsync(ct);
            await using var tx = await c.BeginTransactionAsync(ct);
            var outcome = await JoinCoreAsync(c, tx, caseId, file, null, null, null, by, ct);
            if (outcome is null) { await tx.RollbackAsync(ct); continue; }
            if (outcome == JoinOutcome.Joined) await tx.CommitAsync(ct); else await tx.RollbackAsync(ct);
            return outcome.Value;
        }
        return JoinOutcome.NotOpen;
    }

    /// <summary>A case whose request turned out (when its fax was matched) to have an older open case — of the same request or
    /// PIN — is merged into it, in one transaction: its file joins the older case with the pages already made from it, its
    /// history and messages move there, and its row goes (its id keeps answering for the older case through
    /// <see cref="FindJoinedCaseAsync"/>). False, writing nothing, when either case changed meanwhile.</summary>
    public async Task<bool> MergeCaseAsync(string fromCaseId, string intoCaseId, Actor by, CancellationToken ct = default)
    {
        for (var attempt = 0; attempt < 5; attempt++)
        {
            await using var c = await db.OpenAsync(ct);
            await using var tx = await c.BeginTransactionAsync(ct);
            var from = (await c.QueryAsync(tx, "select * from cases where id = @id", MapCase, ct, ("id", fromCaseId))).SingleOrDefault();
            // A case being read (its pages made) or one the machine finished with; never one still Received (nothing read yet).
            if (from is not { State: CaseState.Processing or CaseState.InReview or CaseState.NeedsAttention, RequestId: not null, Pages: not null })
            {
                await tx.RollbackAsync(ct);
                return false;
            }
            var joining = new JoiningFile(from.Original, from.Channel, from.Client, from.RequestId, from.IdempotencyKey, from.SourceMeta);
            var outcome = await JoinCoreAsync(c, tx, intoCaseId, joining, from.Parts, from.Pages, from, by, ct);
            if (outcome is null) { await tx.RollbackAsync(ct); continue; }
            if (outcome != JoinOutcome.Joined) { await tx.RollbackAsync(ct); return false; }
            foreach (var table in new[] { "case_events", "outbox", "signature_verdicts" })
                await c.ExecAsync(tx, $"update {table} set case_id = @into where case_id = @from", ct, ("into", intoCaseId), ("from", fromCaseId));
            foreach (var table in new[] { "case_claims", "pending_decisions", "resubmission_requests" })
                await c.ExecAsync(tx, $"delete from {table} where case_id = @from", ct, ("from", fromCaseId));
            if (await c.ExecAsync(tx, "delete from cases where id = @from and version = @v", ct, ("from", fromCaseId), ("v", from.Version)) != 1)
            {
                await tx.RollbackAsync(ct);
                continue;
            }
            await tx.CommitAsync(ct);
            return true;
        }
        return false;
    }

    /// <returns>Null when the case's version moved under us (try again).</returns>
    private async Task<JoinOutcome?> JoinCoreAsync(DbConnection c, DbTransaction tx, string caseId, JoiningFile file,
        IReadOnlyList<Part>? parts, IReadOnlyList<PageInfo>? pages, Case? merged, Actor by, CancellationToken ct)
    {
        var k = (await c.QueryAsync(tx, "select * from cases where id = @id", MapCase, ct, ("id", caseId))).SingleOrDefault();
        if (k is null || k.IsTerminal) return JoinOutcome.NotOpen;
        if (merged is null && k.Original.Sha256 == file.File.Sha256) return JoinOutcome.SameFile;
        var now = Now;
        var fileNo = k.FileNo + 1;
        var to = k.State is CaseState.InReview or CaseState.NeedsAttention ? CaseState.Processing : k.State;
        var n = await c.ExecAsync(tx, """
            update cases set original_sha256 = @sha, original_name = @name, original_bytes = @bytes, original_kind = @kind,
              parts = @parts, pages = @pages, parts_ms = null, pages_ms = null, read_ms = null, report = null, read = null, decision = null, reasons = '[]', error = null, request_id = @req,
              state = @to, file_no = @fileNo, version = version + 1, updated_at = @now
            where id = @id and version = @v
            """, ct, ("sha", file.File.Sha256), ("name", file.File.FileName), ("bytes", file.File.SizeBytes), ("kind", file.File.Kind.ToString()),
            ("parts", parts is null ? null : JsonSerializer.Serialize(parts, Json)), ("pages", pages is null ? null : JsonSerializer.Serialize(pages, Json)),
            ("req", file.RequestId ?? k.RequestId), ("to", to.ToString()), ("fileNo", fileNo), ("now", now), ("id", caseId), ("v", k.Version));
        if (n != 1) return null;

        // The case's first file enters case_files when the second comes; the previous file keeps the pages read from it.
        var listed = Convert.ToInt64(await c.ScalarAsync(tx, "select count(*) from case_files where case_id = @id", ct, ("id", caseId))) > 0;
        if (!listed)
            await InsertFileAsync(c, tx, caseId, k.FileNo, k.Original, k.Channel, k.Client, k.IdempotencyKey is null ? null : (ScopeOf(k.Channel, k.RequestId), k.IdempotencyKey),
                k.SourceMeta, k.CreatedAt, null, ct);
        await c.ExecAsync(tx, "update case_files set pages = @pages, parts = @parts where case_id = @id and file_no = @no", ct,
            ("pages", k.Pages is null ? null : JsonSerializer.Serialize(k.Pages, Json)), ("parts", k.Parts is null ? null : JsonSerializer.Serialize(k.Parts, Json)),
            ("id", caseId), ("no", k.FileNo));
        await InsertFileAsync(c, tx, caseId, fileNo, file.File, file.Channel, file.Client,
            file.IdempotencyKey is null ? null : (ScopeOf(file.Channel, merged?.RequestId is null && merged is not null ? null : file.RequestId), file.IdempotencyKey), file.SourceMeta,
            merged?.CreatedAt ?? now, merged?.Id, ct);

        var waiting = (await c.QueryAsync(tx, "select * from resubmission_requests where case_id = @id and resumed_at is null", MapResubmission, ct, ("id", caseId))).SingleOrDefault();
        if (waiting is not null)
            await c.ExecAsync(tx, "update resubmission_requests set resumed_at = @now, paused_ms = @paused where case_id = @id", ct,
                ("now", now), ("paused", (long)(waiting.Paused + (now - waiting.AskedAt)).TotalMilliseconds), ("id", caseId));
        await c.ExecAsync(tx, "delete from case_claims where case_id = @id", ct, ("id", caseId));
        await c.ExecAsync(tx, "delete from pending_decisions where case_id = @id", ct, ("id", caseId));
        var requestChanged = file.RequestId is not null && k.RequestId is not null && file.RequestId != k.RequestId
            ? $"; request {k.RequestId} → {file.RequestId} (same PIN)" : "";
        await AppendEventAsync(c, tx, caseId, now, to, "resubmitted", by,
            $"file {fileNo} from {file.Channel.ToString().ToLowerInvariant()}: {Describe(file.File)}{(merged is null ? "" : $" (case {merged.Id})")}; previous file {k.FileNo}: {Describe(k.Original)}; "
            + $"case was {k.State}{(waiting is null ? "" : ", waiting for a new file")}{requestChanged}", ct);
        if (_callbacks.Any && CallbackEvents.Visible(k.State) != CallbackEvents.Visible(to)) await _callbacks.EnqueueAsync(this, c, tx, caseId, now, ct);
        return JoinOutcome.Joined;

        static string Describe(OriginalFile f) => $"{f.Kind}, {f.SizeBytes} bytes, sha256 {f.Sha256} ({f.FileName})";
    }

    /// <summary>An idempotency key's scope: the request a portal upload was sent for; '' for a fax (CreateCaseAsync).</summary>
    private static string ScopeOf(Channel channel, string? requestId) => channel == Channel.Portal ? requestId ?? "" : "";

    private static Task<int> InsertFileAsync(DbConnection c, DbTransaction tx, string caseId, int fileNo, OriginalFile f, Channel channel, string client,
        (string Scope, string Key)? idempotency, string? sourceMeta, DateTimeOffset receivedAt, string? joinedFrom, CancellationToken ct) =>
        c.ExecAsync(tx, """
            insert into case_files (case_id, file_no, sha256, file_name, bytes, kind, channel, client, idempotency_scope, idempotency_key, source_meta, received_at, joined_from)
            values (@case, @no, @sha, @name, @bytes, @kind, @channel, @client, @scope, @key, @meta, @at, @from)
            """, ct, ("case", caseId), ("no", fileNo), ("sha", f.Sha256), ("name", f.FileName), ("bytes", f.SizeBytes), ("kind", f.Kind.ToString()),
            ("channel", channel.ToString()), ("client", client), ("scope", idempotency?.Scope ?? ""), ("key", idempotency?.Key), ("meta", sourceMeta),
            ("at", receivedAt), ("from", joinedFrom));

    private static CaseFile MapFile(DbDataReader r) => new(
        Convert.ToInt32(r.GetValue(r.GetOrdinal("file_no"))),
        new OriginalFile(r.GetString(r.GetOrdinal("sha256")), r.GetString(r.GetOrdinal("file_name")), Convert.ToInt64(r.GetValue(r.GetOrdinal("bytes"))),
            Enum.Parse<FileKind>(r.GetString(r.GetOrdinal("kind")))),
        Enum.Parse<Channel>(r.GetString(r.GetOrdinal("channel"))), r.GetString(r.GetOrdinal("client")), r.Timestamp("received_at"),
        r.NullableString("joined_from"),
        r.NullableString("pages") is { } p ? JsonSerializer.Deserialize<List<PageInfo>>(p, Json) : null)
    {
        Parts = r.NullableString("parts") is { } q ? JsonSerializer.Deserialize<List<Part>>(q, Json) : null,
    };
}
