using Hangfire;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using VerifyPipeline.Cases;

namespace VerifyPipeline.Worker.Pipeline;

/// <summary>Puts back to work what no live worker carries, every <see cref="PipelineOptions.SweepInterval"/> and at start:
/// (1) with PostgreSQL job storage, the jobs of workers that died, handed back to their place in the queue once past
/// <see cref="JobOptions.InvisibilityTimeout"/> (<see cref="JobStorageSetup.RequeueAbandonedAsync"/>); (2) the cases no job
/// may carry — at start-up with the in-memory job store every unfinished case (the process forgot its jobs), and then any
/// case untouched for <see cref="PipelineOptions.StuckAfter"/> (a lost enqueue, a job deleted by hand), each resumed once
/// per StuckAfter however many workers sweep (<see cref="CaseStore.ClaimResumeAsync"/>). Stages are idempotent, so a
/// spare enqueue costs only a skipped run. The bounds this gives: README, "Recovery".</summary>
public sealed class Sweep(CaseStore store, IBackgroundJobClient jobs, IOptions<PipelineOptions> options, IOptions<JobOptions> jobOptions,
    TimeProvider clock, ILogger<Sweep> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stop)
    {
        var firstPass = true;
        using var timer = new PeriodicTimer(options.Value.SweepInterval);
        do
        {
            try
            {
                await PassAsync(firstPass, stop);
                firstPass = false;
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested) { break; }
            catch (Exception e) { log.LogError(e, "Sweep failed; trying again at the next interval"); }
        } while (await timer.WaitForNextTickAsync(stop).ConfigureAwait(false));
    }

    /// <summary>One pass; returns the cases resumed. <paramref name="atStart"/>: this process's first pass.</summary>
    public async Task<IReadOnlyList<string>> PassAsync(bool atStart, CancellationToken ct)
    {
        var handedBack = await JobStorageSetup.RequeueAbandonedAsync(jobOptions.Value, ct);
        if (handedBack > 0) log.LogWarning("Sweep handed {Count} job(s) of a worker that stopped back to the queue", handedBack);
        var before = atStart && jobOptions.Value.Provider == JobProvider.InMemory
            ? clock.GetUtcNow()
            : clock.GetUtcNow() - options.Value.StuckAfter;
        var resumed = new List<string>();
        foreach (var id in await store.ListUnfinishedAsync(before, ct))
        {
            if (!await store.ClaimResumeAsync(id, before, ct)) continue; // another worker's sweep has just resumed it
            jobs.Enqueue<IPipelineEntry>(p => p.Resume(id, CancellationToken.None));
            resumed.Add(id);
        }
        if (resumed.Count > 0) log.LogInformation("Sweep re-enqueued {Count} unfinished case(s)", resumed.Count);
        return resumed;
    }
}
