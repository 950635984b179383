using System.ComponentModel.DataAnnotations;
using Hangfire;
using Hangfire.InMemory;
using Hangfire.PostgreSql;
using Hangfire.PostgreSql.Factories;
using Npgsql;

namespace VerifyPipeline.Cases;

public enum JobProvider { InMemory, Postgres }

public sealed class JobOptions
{
    public const string Section = "Storage:Jobs";
    public JobProvider Provider { get; set; } = JobProvider.InMemory;
    /// <summary>PostgreSQL connection string (may be the case database's).</summary>
    public string? Connection { get; set; }
    /// <summary>A killed worker's job becomes visible to others after this long (reference facts: 15–30 s recovers in 11–16 s).</summary>
    public TimeSpan InvisibilityTimeout { get; set; } = TimeSpan.FromSeconds(30);
    [Range(1, 64)] public int WorkerCount { get; set; } = Math.Max(2, Environment.ProcessorCount);
    [Range(0, 20)] public int RetryAttempts { get; set; } = 4;
    /// <summary>How often a server looks for retries whose delay has passed (Hangfire's default is 15 s).</summary>
    public TimeSpan SchedulePollingInterval { get; set; } = TimeSpan.FromSeconds(5);
    /// <summary>Seconds between retries of a failing stage; the last attempt's failure parks the case as NeedsAttention.</summary>
    public int[] RetryDelaysSeconds { get; set; } = [2, 10, 30, 120];
}

public static class JobStorageSetup
{
    /// <summary>The configured job storage, created per host (not through Hangfire's static JobStorage.Current, so two
    /// hosts in one process — tests — never share it). Long polling and sliding invisibility are on for PostgreSQL
    /// (reference facts: 28 ms pickup instead of 15 s; a SIGKILLed worker's jobs resume in seconds, not 30 min).</summary>
    public static JobStorage Create(JobOptions o) => o.Provider switch
    {
        JobProvider.InMemory => new InMemoryStorage(new InMemoryStorageOptions()),
        JobProvider.Postgres => CreatePostgres(o),
        _ => throw new ArgumentOutOfRangeException(nameof(o)),
    };

    /// <summary>Hangfire's tables in the job database.</summary>
    private const string Schema = "hangfire";

    /// <summary>Hands the jobs of workers that died (fetched, then not kept alive for <see cref="JobOptions.InvisibilityTimeout"/>:
    /// a live worker renews its fetch every fifth of it) back to the queue at their own place, as if never fetched.
    /// Hangfire.PostgreSql takes such a job again by itself, but only when no job that was never fetched is waiting
    /// (its dequeue orders by <c>fetchedat NULLS FIRST</c>): under a steady backlog the cases of a killed worker waited
    /// behind every later upload — the soak of issue 11 (a worker SIGKILLed every 30 s) left them to the very end, and
    /// killed them again there. Once handed back, the oldest job is taken first again. A worker that was only slow has
    /// its job run twice at worst, which every stage allows (at-least-once). Returns how many were handed back; 0 for
    /// the in-memory store (a process that dies forgets its jobs: the sweep's first pass resumes its cases).</summary>
    public static async Task<int> RequeueAbandonedAsync(JobOptions o, CancellationToken ct)
    {
        if (o.Provider != JobProvider.Postgres) return 0;
        await using var c = new NpgsqlConnection(o.Connection);
        await c.OpenAsync(ct);
        await using var cmd = new NpgsqlCommand($"update \"{Schema}\".\"jobqueue\" set \"fetchedat\" = null where \"fetchedat\" < now() - @timeout", c);
        cmd.Parameters.AddWithValue("timeout", o.InvisibilityTimeout);
        try { return await cmd.ExecuteNonQueryAsync(ct); }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UndefinedTable) { return 0; } // no job server has made the schema yet
    }

    private static PostgreSqlStorage CreatePostgres(JobOptions o)
    {
        var options = new PostgreSqlStorageOptions
        {
            SchemaName = Schema,
            UseSlidingInvisibilityTimeout = true,
            InvisibilityTimeout = o.InvisibilityTimeout,
            EnableLongPolling = true,
            PrepareSchemaIfNecessary = true,
            QueuePollInterval = TimeSpan.FromSeconds(5),
        };
        return new PostgreSqlStorage(new NpgsqlConnectionFactory(o.Connection!, options), options);
    }
}
