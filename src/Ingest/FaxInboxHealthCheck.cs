using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace VerifyPipeline.Ingest;

/// <summary><c>/health/ready</c> for the fax inbox: unhealthy when the watcher has finished neither an entry nor a pass
/// for <see cref="FaxInboxOptions.StalledAfter"/> (a pass that never returns takes no fax, however healthy the rest is);
/// degraded while files stay in the inbox longer than <see cref="FaxInboxOptions.AlertAfter"/>.</summary>
internal sealed class FaxInboxHealthCheck(FaxInbox inbox, Microsoft.Extensions.Options.IOptions<FaxInboxOptions> options, TimeProvider clock) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
    {
        if (!inbox.Enabled) return Task.FromResult(HealthCheckResult.Healthy("not watched by this host"));
        var now = clock.GetUtcNow();
        var since = inbox.LastProgressAt ?? inbox.StartedAt;
        if (since is null) return Task.FromResult(HealthCheckResult.Healthy("starting"));
        if (now - since.Value > options.Value.StalledAfter)
            return Task.FromResult(HealthCheckResult.Unhealthy($"the watcher has not moved on since {since.Value:O} (last full pass {inbox.LastPassAt:O})"));
        if (inbox.Status is { StuckFiles: > 0 } s)
            return Task.FromResult(HealthCheckResult.Degraded(
                $"{s.StuckFiles} file(s) in the fax inbox for longer than {options.Value.AlertAfter:c} (oldest since {s.OldestSince:O}); see the log and the quarantine folder"));
        return Task.FromResult(HealthCheckResult.Healthy("watching"));
    }
}
