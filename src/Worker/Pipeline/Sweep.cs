using Hangfire;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using VerifyPipeline.Cases;

namespace VerifyPipeline.Worker.Pipeline;

/// <summary>Re-enqueues cases the machine should be working on but no job may carry: at start-up with the in-memory
/// job store every unfinished case (it forgot its jobs), and then periodically any case left untouched too long
/// (a lost enqueue, a job deleted by hand). Stages are idempotent, so a spare enqueue costs only a skipped run.</summary>
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
                var before = firstPass && jobOptions.Value.Provider == JobProvider.InMemory
                    ? clock.GetUtcNow()
                    : clock.GetUtcNow() - options.Value.StuckAfter;
                var ids = await store.ListUnfinishedAsync(before, stop);
                foreach (var id in ids) jobs.Enqueue<IPipelineEntry>(p => p.Resume(id, CancellationToken.None));
                if (ids.Count > 0) log.LogInformation("Sweep re-enqueued {Count} unfinished case(s)", ids.Count);
                firstPass = false;
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested) { break; }
            catch (Exception e) { log.LogError(e, "Sweep failed; trying again at the next interval"); }
        } while (await timer.WaitForNextTickAsync(stop).ConfigureAwait(false));
    }
}
