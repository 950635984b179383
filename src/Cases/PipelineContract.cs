using Hangfire;

namespace VerifyPipeline.Cases;

/// <summary>The entry point of the pipeline as Hangfire sees it. Ingest and the sweep enqueue it by this interface,
/// so an ingest-only host needs no Worker code; any worker process resolves it to the real pipeline.</summary>
public interface IPipelineEntry
{
    /// <summary>Runs whatever stage the case needs next, judged from the results already saved on it.</summary>
    [Queue(StageQueues.Resume)]
    Task Resume(string caseId, CancellationToken ct);
}

/// <summary>One Hangfire queue per pipeline stage, later stages first: with a backlog, a case already read is decided
/// before the next file is unpacked, so each case leaves the pipeline in about its own work time instead of waiting for
/// the whole backlog to pass one stage after another (measured with one FIFO queue: p50 ≈ p95 upload→decision, the
/// backlog moving stage by stage — docs/performance.md). Hangfire.PostgreSql serves the queues in alphabetical order and
/// Hangfire.InMemory in the order the server lists them: the names sort as <see cref="InPriority"/> lists them, so
/// both agree. Jobs enqueued before the queues existed wait in <c>default</c>, which is still served.</summary>
public static class StageQueues
{
    public const string Resume = "a_resume";
    public const string Decide = "b_decide";
    public const string Read = "c_read";
    public const string Pages = "d_pages";
    public const string Unpack = "e_unpack";

    /// <summary>The queues a worker serves, highest priority first (also their alphabetical order).</summary>
    public static readonly string[] InPriority = [Resume, Decide, Read, Pages, "default", Unpack];
}
