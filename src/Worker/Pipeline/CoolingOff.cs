using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using VerifyPipeline.Cases;
using VerifyPipeline.Decisions;

namespace VerifyPipeline.Worker.Pipeline;

/// <summary>Ends the cooling-off of every notice that is due and undisputed (<see cref="CaseStore.ConvertDueAsync"/>):
/// the PIN becomes dispositivo and the holder is told. Runs every <see cref="PipelineOptions.SweepInterval"/>.</summary>
public sealed class CoolingOff(CaseStore store, IOptions<DecisionOptions> decisions, IOptions<PipelineOptions> options,
    IOptions<VerifyPipeline.Cases.Pins.PinDirectoryOptions> pins, ILogger<CoolingOff> log) : BackgroundService
{
    public async Task<int> RunOnceAsync(CancellationToken ct = default)
    {
        // With the PIN service, the conversion is its call, written to the outbox with the notice's end.
        var via = pins.Value.Mode == VerifyPipeline.Cases.Pins.PinDirectoryMode.Http ? PinMarking.Outbox : PinMarking.LocalTable;
        var (converted, refused) = await store.ConvertDueAsync(n => PinNotices.Confirmation(n, decisions.Value.Notice), via, ct: ct);
        foreach (var n in refused)
            log.LogWarning("Case {CaseId}: cooling-off ended but the PIN changed in the registry meanwhile; not converted, the notice stays pending", n.CaseId);
        if (converted.Count > 0) log.LogInformation("Cooling-off ended for {Count} PIN(s): now dispositivo", converted.Count);
        return converted.Count;
    }

    protected override async Task ExecuteAsync(CancellationToken stop)
    {
        using var timer = new PeriodicTimer(options.Value.SweepInterval);
        do
        {
            try { await RunOnceAsync(stop); }
            catch (OperationCanceledException) when (stop.IsCancellationRequested) { break; }
            catch (Exception e) { log.LogError(e, "Cooling-off pass failed; trying again at the next interval"); }
        } while (await timer.WaitForNextTickAsync(stop).ConfigureAwait(false));
    }
}
