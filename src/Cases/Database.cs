using System.ComponentModel.DataAnnotations;
using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace VerifyPipeline.Cases;

public enum CaseDbProvider { Sqlite, Postgres }

public sealed class CaseDbOptions
{
    public const string Section = "Storage:Cases";
    public CaseDbProvider Provider { get; set; } = CaseDbProvider.Sqlite;
    /// <summary>SQLite: a file path (relative to the content root) or a full connection string. PostgreSQL: a Npgsql connection string.</summary>
    [Required] public string Connection { get; set; } = "data/cases.db";
    /// <summary>SQLite: how long a write waits for another writer's lock in background work (the pipeline, the sweep).</summary>
    public TimeSpan BusyTimeout { get; set; } = TimeSpan.FromSeconds(30);
    /// <summary>SQLite: the same wait on the request path (API calls, readiness): past it the caller gets 503 with
    /// Retry-After in seconds rather than a 500 after half a minute (issue 11).</summary>
    public TimeSpan RequestBusyTimeout { get; set; } = TimeSpan.FromSeconds(3);
}

/// <summary>Opens connections to the case database and knows the few places where SQLite and PostgreSQL differ.
/// Everything above this class is one code path for both backends.</summary>
public sealed class Database
{
    private readonly string _connectionString;
    private readonly TimeSpan _busyTimeout, _requestBusyTimeout;
    private static readonly AsyncLocal<bool> OnRequestPath = new();
    public CaseDbProvider Provider { get; }
    /// <summary>The SQLite file's full path; null for PostgreSQL.</summary>
    public string? SqlitePath { get; }

    public Database(CaseDbProvider provider, string connection, string contentRoot, TimeSpan? busyTimeout = null, TimeSpan? requestBusyTimeout = null)
    {
        Provider = provider;
        _busyTimeout = busyTimeout ?? TimeSpan.FromSeconds(30);
        _requestBusyTimeout = requestBusyTimeout ?? TimeSpan.FromSeconds(3);
        if (provider == CaseDbProvider.Sqlite)
        {
            var builder = connection.Contains('=')
                ? new SqliteConnectionStringBuilder(connection)
                : new SqliteConnectionStringBuilder { DataSource = Path.GetFullPath(Path.Combine(contentRoot, connection)) };
            builder.Pooling = true;
            builder.DefaultTimeout = (int)Math.Ceiling(_busyTimeout.TotalSeconds);
            SqlitePath = builder.DataSource;
            var dir = Path.GetDirectoryName(builder.DataSource);
            if (!string.IsNullOrEmpty(dir)) PrivateFiles.EnsureFolder(dir);
            _connectionString = builder.ToString();
        }
        else
        {
            _connectionString = connection;
        }
    }

    /// <summary>Until disposed, connections opened on this async flow wait <see cref="CaseDbOptions.RequestBusyTimeout"/>
    /// for SQLite's write lock instead of <see cref="CaseDbOptions.BusyTimeout"/>: entered by the API and by readiness.</summary>
    public static IDisposable RequestPath()
    {
        var before = OnRequestPath.Value;
        OnRequestPath.Value = true;
        return new Restore(before);
    }

    private sealed class Restore(bool before) : IDisposable
    {
        public void Dispose() => OnRequestPath.Value = before;
    }

    public async Task<DbConnection> OpenAsync(CancellationToken ct = default)
    {
        DbConnection c = Provider == CaseDbProvider.Sqlite ? new SqliteConnection(_connectionString) : new NpgsqlConnection(_connectionString);
        await c.OpenAsync(ct);
        if (c is SqliteConnection sqlite)
        {
            // WAL lets readers proceed while one writer commits; busy_timeout makes concurrent writers wait instead of
            // failing, and Microsoft.Data.Sqlite retries BUSY itself for DefaultTimeout: both get the same bound.
            var wait = OnRequestPath.Value ? _requestBusyTimeout : _busyTimeout;
            sqlite.DefaultTimeout = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
            await using var cmd = c.CreateCommand();
            cmd.CommandText = $"pragma journal_mode=wal; pragma busy_timeout={(long)wait.TotalMilliseconds}; pragma synchronous=normal; pragma foreign_keys=on;";
            await cmd.ExecuteNonQueryAsync(ct);
        }
        return c;
    }

    private string Ts => Provider == CaseDbProvider.Sqlite ? "text" : "timestamptz";
    private string AutoId => Provider == CaseDbProvider.Sqlite ? "integer primary key autoincrement" : "bigint generated always as identity primary key";

    /// <summary>Creates the schema if missing (every statement is <c>if not exists</c>, so an existing database gains the
    /// tables added since it was made). Safe to run from many processes at once (PostgreSQL takes an advisory lock).</summary>
    public async Task MigrateAsync(CancellationToken ct = default)
    {
        await using var c = await OpenAsync(ct);
        await using var tx = await c.BeginTransactionAsync(ct);
        if (Provider == CaseDbProvider.Postgres)
            await c.ExecAsync(tx, "select pg_advisory_xact_lock(7461726)", ct);
        var ddl = $"""
            create table if not exists requests (
              id text primary key,
              client text not null,
              created_at {Ts} not null,
              pin_reference text not null,
              codice_fiscale text not null,
              data text not null);
            create table if not exists cases (
              id text primary key,
              client text not null,
              channel text not null,
              request_id text null references requests(id),
              state text not null,
              version integer not null,
              original_sha256 text not null,
              original_name text not null,
              original_bytes bigint not null,
              original_kind text not null,
              idempotency_key text null,
              idempotency_scope text not null default '',
              source_meta text null,
              created_at {Ts} not null,
              updated_at {Ts} not null,
              decision text null,
              reasons text not null,
              error text null,
              parts text null,
              pages text null,
              report text null,
              read text null);
            create index if not exists ix_cases_client_created on cases(client, created_at);
            create index if not exists ix_cases_state on cases(state, updated_at);
            create table if not exists case_events (
              id {AutoId},
              case_id text not null references cases(id),
              at {Ts} not null,
              state text not null,
              kind text not null,
              actor_kind text not null,
              actor text not null,
              detail text null);
            create index if not exists ix_case_events_case on case_events(case_id, id);
            create table if not exists pins (
              pin_reference text primary key,
              codice_fiscale text not null,
              type text not null,
              revoked boolean not null,
              updated_at {Ts} not null);
            create table if not exists outbox (
              id {AutoId},
              case_id text not null references cases(id),
              kind text not null default 'letter',
              dedupe_key text not null default '',
              recipient text null,
              subject text not null,
              body text not null,
              created_at {Ts} not null,
              sent_at {Ts} null,
              attempts integer not null default 0,
              claimed_until {Ts} null,
              next_attempt_at {Ts} null,
              last_error text null,
              dead_at {Ts} null);
            create table if not exists case_claims (
              case_id text primary key references cases(id),
              reviewer text not null,
              claimed_at {Ts} not null,
              expires_at {Ts} not null);
            create table if not exists health_probe (
              id integer primary key,
              checked_at text not null);
            create table if not exists pending_decisions (
              case_id text primary key references cases(id),
              decision text not null,
              reasons text not null,
              note text null,
              proposed_by text not null,
              proposed_at {Ts} not null);
            create table if not exists sign_in_failures (
              user_name text primary key,
              failures integer not null,
              last_failure_at {Ts} not null,
              blocked_until {Ts} null);
            create table if not exists review_sessions (
              id text primary key,
              user_name text not null,
              created_at {Ts} not null,
              expires_at {Ts} not null);
            create index if not exists ix_review_sessions_expires on review_sessions(expires_at);
            create table if not exists resubmission_requests (
              case_id text primary key references cases(id),
              asked_by text not null,
              asked_at {Ts} not null,
              items text not null,
              rounds integer not null,
              paused_ms bigint not null,
              resumed_at {Ts} null);
            create table if not exists fax_inbox_status (
              inbox text primary key,
              stuck_files integer not null,
              oldest_since {Ts} null,
              checked_at {Ts} not null);
            create table if not exists pin_notices (
              id {AutoId},
              case_id text not null references cases(id),
              pin_reference text not null,
              holder_cf text not null,
              token_hash text not null,
              created_at {Ts} not null,
              due_at {Ts} not null,
              expires_at {Ts} not null,
              state text not null,
              used_at {Ts} null,
              converted_at {Ts} null);
            create unique index if not exists ux_pin_notices_token on pin_notices(token_hash);
            create index if not exists ix_pin_notices_due on pin_notices(state, due_at);
            create index if not exists ix_pin_notices_case on pin_notices(case_id);
            create table if not exists signature_verdicts (
              id {AutoId},
              case_id text not null references cases(id),
              reviewer text not null,
              accepted boolean not null,
              score double precision not null,
              mode text null,
              form_crop text null,
              document_crop text null,
              at {Ts} not null);
            """;
        await c.ExecAsync(tx, ddl, ct);

        // Issue 11: an Idempotency-Key is scoped to the client *and* the request it was sent for (the request id given at
        // upload; '' for a fax, whose request is found later — so the scope never changes after the case is created).
        // Databases made before have the column added and the per-client index replaced; their portal cases (always
        // uploaded for a request) get that request as scope, so a retry sent after the upgrade still finds its case; fax
        // cases keep ''.
        var hasScope = (await ColumnsAsync(c, tx, "cases", ct)).Contains("idempotency_scope");
        if (!hasScope)
            await c.ExecAsync(tx, """
                alter table cases add column idempotency_scope text not null default '';
                update cases set idempotency_scope = request_id where channel = 'Portal' and request_id is not null;
                """, ct);
        await c.ExecAsync(tx, """
            drop index if exists ux_cases_idempotency;
            create unique index if not exists ux_cases_idempotency_scope on cases(client, idempotency_scope, idempotency_key);
            """, ct);
        // Databases created before the outbox counted its attempts (create … if not exists leaves their table as it was).
        await AddColumnsIfMissingAsync(c, tx, "outbox", [
            ("attempts", "integer not null default 0"), ("claimed_until", $"{Ts} null"), ("next_attempt_at", $"{Ts} null"),
            ("last_error", "text null"), ("dead_at", $"{Ts} null"), ("kind", "text not null default 'letter'"),
            ("dedupe_key", "text not null default ''"), ("trace_parent", "text null")], ct);
        // Issue 14: the PIN directory keeps the contacts registered with each PIN (the holder is told there of a conversion).
        await AddColumnsIfMissingAsync(c, tx, "pins", [("registered_email", "text null"), ("registered_phone", "text null")], ct);
        // One message per case became one per (case, kind, key): a case may send a letter, notices and calls to other systems.
        await c.ExecAsync(tx, """
            drop index if exists ux_outbox_case;
            create unique index if not exists ux_outbox_case_kind on outbox(case_id, kind, dedupe_key);
            """, ct);
        await c.ExecAsync(tx, "create index if not exists ix_outbox_pending on outbox(sent_at, dead_at, next_attempt_at)", ct);
        // The contacts registered with the PIN (the registry's, never the form's): the notice of a conversion goes there.
        await AddColumnsIfMissingAsync(c, tx, "pins", [("registered_email", "text null"), ("registered_phone", "text null")], ct);
        // A database file made before it was private, or by a process without the umask (docs/data-retention.md).
        if (SqlitePath is { } file)
            foreach (var suffix in new[] { "", "-wal", "-shm" }) PrivateFiles.Restrict(file + suffix);
        // Retention and erasure (issue 11, docs/data-retention.md): when a case was decided, and when each kind of its personal
        // data was deleted; the decision's record (id, dates, decision, reasons) stays.
        await AddColumnsIfMissingAsync(c, tx, "cases", [
            ("decided_at", $"{Ts} null"), ("images_purged_at", $"{Ts} null"), ("original_purged_at", $"{Ts} null"),
            ("report_purged_at", $"{Ts} null"), ("erased_at", $"{Ts} null")], ct);
        await c.ExecAsync(tx, "update cases set decided_at = updated_at where decided_at is null and state in ('Approved', 'Rejected')", ct);
        await c.ExecAsync(tx, "create index if not exists ix_cases_decided on cases(decided_at)", ct);
        await AddColumnsIfMissingAsync(c, tx, "requests", [("erased_at", $"{Ts} null")], ct);
        await AddColumnsIfMissingAsync(c, tx, "outbox", [("purged_at", $"{Ts} null")], ct);
        // One conversion per PIN at a time (issue 15): a second file for an open case joins it. file_no counts the case's
        // files (a stage saves its result only for the file it read); case_files keeps each file with who sent it, and
        // joined_from names a case that was merged into this one (its id still answers on the API).
        await AddColumnsIfMissingAsync(c, tx, "cases", [("file_no", "integer not null default 1")], ct);
        await c.ExecAsync(tx, $"""
            create table if not exists case_files (
              id {AutoId},
              case_id text not null references cases(id),
              file_no integer not null,
              sha256 text not null,
              file_name text not null,
              bytes bigint not null,
              kind text not null,
              channel text not null,
              client text not null,
              idempotency_scope text not null default '',
              idempotency_key text null,
              source_meta text null,
              received_at {Ts} not null,
              joined_from text null,
              pages text null,
              parts text null);
            create index if not exists ix_case_files_case on case_files(case_id, file_no);
            create unique index if not exists ux_case_files_idempotency on case_files(client, idempotency_scope, idempotency_key);
            create index if not exists ix_case_files_joined_from on case_files(joined_from);
            """, ct);
        // Issue 12: the Read stage's result (what was read, the crops' keys) is kept for the Decide stage, which re-runs
        // on it without reading again (a reviewer's re-run, a policy change).
        await AddColumnsIfMissingAsync(c, tx, "cases", [("read", "text null")], ct);
        // When the sweep last resumed an unfinished case (CaseStore.ClaimResumeAsync): once per Pipeline:StuckAfter.
        await AddColumnsIfMissingAsync(c, tx, "cases", [("resumed_at", $"{Ts} null")], ct);
        // Issue 12: each stage's duration, saved with its result, for the report's timings_ms.
        await AddColumnsIfMissingAsync(c, tx, "cases", [("parts_ms", "bigint null"), ("pages_ms", "bigint null"), ("read_ms", "bigint null")], ct);
        await tx.CommitAsync(ct);
    }

    /// <summary>The columns a table has now (lower case), read from the catalogue of either backend: the one place a
    /// migration asks whether a column exists.</summary>
    private async Task<HashSet<string>> ColumnsAsync(DbConnection c, DbTransaction tx, string table, CancellationToken ct)
    {
        var sql = Provider == CaseDbProvider.Sqlite
            ? "select name from pragma_table_info(@table)"
            : "select column_name from information_schema.columns where table_schema = current_schema() and table_name = @table";
        var names = await c.QueryAsync(tx, sql, r => r.GetString(0).ToLowerInvariant(), ct, ("table", table));
        return names.ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>Adds the columns a table made by an older version lacks (<c>create … if not exists</c> leaves it as it was).
    /// SQLite serialises writers, and PostgreSQL's migration holds the advisory lock, so reading first is safe.</summary>
    private async Task AddColumnsIfMissingAsync(DbConnection c, DbTransaction tx, string table, (string Name, string Type)[] columns, CancellationToken ct)
    {
        var existing = await ColumnsAsync(c, tx, table, ct);
        foreach (var (name, type) in columns.Where(col => !existing.Contains(col.Name.ToLowerInvariant())))
            await c.ExecAsync(tx, $"alter table {table} add column {name} {type}", ct);
    }

    public async Task<bool> PingAsync(CancellationToken ct)
    {
        await using var c = await OpenAsync(ct);
        return Convert.ToInt32(await c.ScalarAsync(null, "select 1", ct)) == 1;
    }

    /// <summary>Readiness proves a write, not only a connection (issue 11: a database whose write lock is held, or that
    /// is full, answers reads while every upload fails): one row upserted in a transaction and committed.</summary>
    public async Task ProbeWriteAsync(CancellationToken ct)
    {
        await using var c = await OpenAsync(ct);
        await using var tx = await c.BeginTransactionAsync(ct);
        await c.ExecAsync(tx, "insert into health_probe (id, checked_at) values (1, @at) on conflict (id) do update set checked_at = excluded.checked_at", ct,
            ("at", DateTimeOffset.UtcNow.ToString("O")));
        await tx.CommitAsync(ct);
    }
}

/// <summary>Small ADO helpers: parameters by name (<c>@x</c> works for both providers).</summary>
public static class DbExtensions
{
    public static DbCommand Command(this DbConnection c, DbTransaction? tx, string sql, params (string Name, object? Value)[] ps)
    {
        var cmd = c.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = sql;
        foreach (var (name, value) in ps)
        {
            var p = cmd.CreateParameter();
            p.ParameterName = name;
            p.Value = value ?? DBNull.Value;
            cmd.Parameters.Add(p);
        }
        return cmd;
    }

    public static async Task<int> ExecAsync(this DbConnection c, DbTransaction? tx, string sql, CancellationToken ct, params (string, object?)[] ps)
    {
        await using var cmd = c.Command(tx, sql, ps);
        return await cmd.ExecuteNonQueryAsync(ct);
    }

    public static async Task<object?> ScalarAsync(this DbConnection c, DbTransaction? tx, string sql, CancellationToken ct, params (string, object?)[] ps)
    {
        await using var cmd = c.Command(tx, sql, ps);
        var v = await cmd.ExecuteScalarAsync(ct);
        return v is DBNull ? null : v;
    }

    public static async Task<List<T>> QueryAsync<T>(this DbConnection c, DbTransaction? tx, string sql, Func<DbDataReader, T> map, CancellationToken ct, params (string, object?)[] ps)
    {
        await using var cmd = c.Command(tx, sql, ps);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        var list = new List<T>();
        while (await r.ReadAsync(ct)) list.Add(map(r));
        return list;
    }

    public static string? NullableString(this DbDataReader r, string name)
    {
        var i = r.GetOrdinal(name);
        return r.IsDBNull(i) ? null : r.GetString(i);
    }

    public static DateTimeOffset Timestamp(this DbDataReader r, string name) => r.GetFieldValue<DateTimeOffset>(r.GetOrdinal(name));

    public static DateTimeOffset? NullableTimestamp(this DbDataReader r, string name)
    {
        var i = r.GetOrdinal(name);
        return r.IsDBNull(i) ? null : r.GetFieldValue<DateTimeOffset>(i);
    }
}
