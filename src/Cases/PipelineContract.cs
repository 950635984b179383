namespace VerifyPipeline.Cases;

/// <summary>The entry point of the pipeline as Hangfire sees it. Ingest and the sweep enqueue it by this interface,
/// so an ingest-only host needs no Worker code; any worker process resolves it to the real pipeline.</summary>
public interface IPipelineEntry
{
    /// <summary>Runs whatever stage the case needs next, judged from the results already saved on it.</summary>
    Task Resume(string caseId, CancellationToken ct);
}
