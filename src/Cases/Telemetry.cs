using System.Diagnostics;
using System.Diagnostics.Metrics;
using Hangfire.Client;
using Hangfire.Common;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace VerifyPipeline.Cases;

/// <summary>The traces and metrics of the pipeline (docs/telemetry.md), named "VerifyPipeline" for both. Attributes carry
/// ids, states, stages, reason codes and counts only — never a name, a codice fiscale, an address or a file name.</summary>
public static class Telemetry
{
    public const string Name = "VerifyPipeline";
    public static readonly ActivitySource Source = new(Name);

    /// <summary>The Hangfire job parameter carrying the W3C trace context of whoever enqueued the job, so that the stages
    /// of a case, run by different jobs (and processes), are one trace.</summary>
    public const string TraceParentParameter = "traceparent";

    public const string CaseIdTag = "vp.case_id";
    public const string JobIdTag = "hangfire.job_id";
    public const string StageTag = "vp.stage";

    /// <summary>A span of one case's work; its parent is <paramref name="traceParent"/> (a job parameter or an outbox
    /// row) when given, else the current activity.</summary>
    public static Activity? StartCase(string name, string caseId, string? traceParent = null, ActivityKind kind = ActivityKind.Internal)
    {
        var parent = traceParent is not null && ActivityContext.TryParse(traceParent, null, out var ctx) ? ctx : default;
        var a = parent == default ? Source.StartActivity(name, kind) : Source.StartActivity(name, kind, parent);
        a?.SetTag(CaseIdTag, caseId);
        return a;
    }

    /// <summary>Records an exception on the span without its message (messages may quote what was read).</summary>
    public static void Fail(this Activity? a, Exception e)
    {
        a?.SetStatus(ActivityStatusCode.Error, e.GetType().Name);
        a?.SetTag("error.type", e.GetType().FullName);
    }
}

/// <summary>Puts the enqueuer's trace context on every Hangfire job it creates (<see cref="Telemetry.TraceParentParameter"/>),
/// and runs each job in a span that continues it: <c>pipeline.&lt;method&gt;</c> with the job id and the case id (the
/// jobs' first argument), so a case's jobs — whichever process runs them — are one trace. Hangfire calls these filters
/// synchronously around the job on its worker thread, so the span is the current activity while the job runs.</summary>
public sealed class TraceContextJobFilter : JobFilterAttribute, IClientFilter, Hangfire.Server.IServerFilter
{
    private const string ItemKey = "vp.activity";

    public void OnCreating(CreatingContext context)
    {
        if (Activity.Current?.Id is { } id) context.SetJobParameter(Telemetry.TraceParentParameter, id);
    }

    public void OnCreated(CreatedContext context) { }

    public void OnPerforming(Hangfire.Server.PerformingContext context)
    {
        var job = context.BackgroundJob;
        var caseId = job.Job.Args.Count > 0 && job.Job.Args[0] is string id ? id : "";
        var a = Telemetry.StartCase($"pipeline.{job.Job.Method.Name.ToLowerInvariant()}", caseId,
            context.GetJobParameter<string>(Telemetry.TraceParentParameter), ActivityKind.Consumer);
        if (a is null) return;
        a.SetTag(Telemetry.JobIdTag, job.Id);
        a.SetTag(Telemetry.StageTag, job.Job.Method.Name.ToLowerInvariant());
        a.SetTag("hangfire.retry_count", context.GetJobParameter<int?>("RetryCount") ?? 0);
        context.Items[ItemKey] = a;
    }

    public void OnPerformed(Hangfire.Server.PerformedContext context)
    {
        if (!context.Items.TryGetValue(ItemKey, out var o) || o is not Activity a) return;
        if (context.Exception is { } e && !context.ExceptionHandled) a.Fail(e);
        a.Stop();
    }
}

/// <summary>The pipeline's metrics. Counters and histograms are recorded where things happen; the gauges read the
/// last <see cref="Backlog"/> the <see cref="BacklogMonitor"/> took from the database (so a scrape never queries it).</summary>
public sealed class PipelineMetrics
{
    private readonly Histogram<double> _stageDuration;
    private readonly Histogram<double> _decisionLatency;
    private readonly Counter<long> _decisions;
    private readonly Counter<long> _reasons;
    private readonly Counter<long> _outbox;
    private long _machineDecided, _machineFinal;

    /// <summary>What the last look at the database found; null before the first one.</summary>
    public Backlog? Backlog { get; set; }
    /// <summary>Files waiting in the fax inbox this process watches (set by the watcher; null when it watches none).</summary>
    public Func<int?> FaxInboxWaiting { get; set; } = () => null;

    public PipelineMetrics(IMeterFactory meters)
    {
        var m = meters.Create(Telemetry.Name);
        _stageDuration = m.CreateHistogram<double>("vp.stage.duration", "s", "Time one pipeline stage (a Hangfire job) took, by stage and outcome.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 4, 8, 15, 30, 60, 120] });
        _decisionLatency = m.CreateHistogram<double>("vp.case.decision_latency", "s", "From the upload (case created) to its decision, by who decided and the outcome.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.5, 1, 2, 4, 8, 15, 30, 60, 120, 300, 900, 3600, 14400, 86400] });
        _decisions = m.CreateCounter<long>("vp.decisions", "{decision}", "Decisions recorded, by outcome (approve, reject, review) and who decided (machine, person).");
        _reasons = m.CreateCounter<long>("vp.decision.reasons", "{reason}", "Reason codes on the decisions recorded, by code and outcome.");
        _outbox = m.CreateCounter<long>("vp.outbox.deliveries", "{attempt}", "Outbox delivery attempts by kind and result (sent, failed, dead).");
        m.CreateObservableGauge("vp.cases", () => Backlog is { } b ? b.ByState.Select(s => new Measurement<long>(s.Value, new KeyValuePair<string, object?>("state", s.Key.ToString()))) : [],
            "{case}", "Cases by state.");
        m.CreateObservableGauge("vp.queue.depth", () => Backlog is { } b ? [new Measurement<long>(b.ReviewQueue)] : Array.Empty<Measurement<long>>(),
            "{case}", "Cases waiting for a person (InReview, NeedsAttention).");
        m.CreateObservableGauge("vp.queue.oldest_age", () => Backlog is { OldestInReview: { } t } b ? [new Measurement<double>((b.TakenAt - t).TotalSeconds)] : Array.Empty<Measurement<double>>(),
            "s", "Age of the oldest case waiting for a person.");
        m.CreateObservableGauge("vp.unprocessed.oldest_age", () => Backlog is { OldestUnprocessed: { } t } b ? [new Measurement<double>((b.TakenAt - t).TotalSeconds)] : Array.Empty<Measurement<double>>(),
            "s", "Age of the oldest case the machine has not finished (Received, Processing).");
        m.CreateObservableGauge("vp.outbox.backlog", () => Backlog is { } b ? b.OutboxPending.Select(k => new Measurement<long>(k.Value, new KeyValuePair<string, object?>("kind", k.Key))) : [],
            "{message}", "Outbox messages not yet delivered nor given up, by kind.");
        m.CreateObservableGauge("vp.outbox.oldest_age", () => Backlog is { OldestOutboxPending: { } t } b ? [new Measurement<double>((b.TakenAt - t).TotalSeconds)] : Array.Empty<Measurement<double>>(),
            "s", "Age of the oldest outbox message not yet delivered.");
        m.CreateObservableGauge("vp.outbox.dead", () => Backlog is { } b ? [new Measurement<long>(b.OutboxDead)] : Array.Empty<Measurement<long>>(),
            "{message}", "Outbox messages given up (dead-lettered), waiting for a person.");
        m.CreateObservableGauge("vp.fax_inbox.waiting", () => FaxInboxWaiting() is { } n ? [new Measurement<long>(n)] : Array.Empty<Measurement<long>>(),
            "{file}", "Files in the watched fax inbox not yet taken.");
        m.CreateObservableGauge("vp.fax_inbox.stuck", () => Backlog is { } b ? [new Measurement<long>(b.FaxInboxStuck)] : Array.Empty<Measurement<long>>(),
            "{file}", "Files in any fax inbox past its alert limit (Ingest:FaxInbox:AlertAfter).");
        m.CreateObservableGauge("vp.automation.rate", () => Interlocked.Read(ref _machineDecided) is > 0 and var all
                ? [new Measurement<double>((double)Interlocked.Read(ref _machineFinal) / all)] : Array.Empty<Measurement<double>>(),
            "1", "Share of the machine's decisions, in this process since it started, that were final (approve or reject, not review).");
    }

    public void StageDone(string stage, string outcome, TimeSpan took) =>
        _stageDuration.Record(took.TotalSeconds, new("stage", stage), new("outcome", outcome));

    public void Decided(string decision, IReadOnlyList<string> reasons, ActorKind by, TimeSpan sinceUpload)
    {
        var who = by == ActorKind.Machine ? "machine" : "person";
        _decisions.Add(1, new("decision", decision), new("decided_by", who));
        foreach (var r in reasons) _reasons.Add(1, new("reason", r), new("decision", decision));
        _decisionLatency.Record(sinceUpload.TotalSeconds, new("decided_by", who), new("decision", decision));
        if (by != ActorKind.Machine) return;
        Interlocked.Increment(ref _machineDecided);
        if (decision is "approve" or "reject") Interlocked.Increment(ref _machineFinal);
    }

    public void OutboxAttempt(string kind, string result) => _outbox.Add(1, new("kind", kind), new("result", result));
}

/// <summary>What is waiting, read from the database: cases by state, the people's queue, the oldest case the machine has
/// not finished, the outbox and the fax inboxes. Shared by the metrics and <c>/health/ready</c>.</summary>
public sealed record Backlog(
    DateTimeOffset TakenAt, IReadOnlyDictionary<CaseState, long> ByState, long ReviewQueue, DateTimeOffset? OldestInReview,
    DateTimeOffset? OldestUnprocessed, IReadOnlyDictionary<string, long> OutboxPending, DateTimeOffset? OldestOutboxPending, long OutboxDead,
    long FaxInboxStuck, DateTimeOffset? FaxInboxOldestStuck);

/// <summary>Refreshes <see cref="PipelineMetrics.Backlog"/> every <c>Telemetry:BacklogInterval</c> (15 s).</summary>
internal sealed class BacklogMonitor(CaseStore store, PipelineMetrics metrics, IConfiguration config,
    ILogger<BacklogMonitor> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stop)
    {
        var every = config.GetValue("Telemetry:BacklogInterval", TimeSpan.FromSeconds(15));
        try { await Task.Delay(TimeSpan.FromSeconds(1), stop); } catch (OperationCanceledException) { return; } // the schema first
        using var timer = new PeriodicTimer(every);
        do
        {
            try { metrics.Backlog = await store.GetBacklogAsync(stop); }
            catch (OperationCanceledException) when (stop.IsCancellationRequested) { break; }
            catch (Exception e) { log.LogWarning("Backlog figures not read: {Type}: {Message}", e.GetType().Name, e.Message); }
        } while (await timer.WaitForNextTickAsync(stop).ConfigureAwait(false));
    }
}

public sealed partial class CaseStore
{
    public async Task<Backlog> GetBacklogAsync(CancellationToken ct = default)
    {
        var now = Now;
        await using var c = await db.OpenAsync(ct);
        var byState = (await c.QueryAsync(null, "select state, count(*) from cases group by state",
            r => (State: Enum.Parse<CaseState>(r.GetString(0)), N: Convert.ToInt64(r.GetValue(1))), ct)).ToDictionary(x => x.State, x => x.N);
        async Task<DateTimeOffset?> Oldest(string sql) =>
            (await c.QueryAsync(null, sql, r => r.IsDBNull(0) ? (DateTimeOffset?)null : r.GetFieldValue<DateTimeOffset>(0), ct)).SingleOrDefault();
        var oldestReview = await Oldest("select min(created_at) from cases where state in ('InReview', 'NeedsAttention')");
        var oldestUnprocessed = await Oldest("select min(created_at) from cases where state in ('Received', 'Processing')");
        var pending = (await c.QueryAsync(null, "select kind, count(*) from outbox where sent_at is null and dead_at is null group by kind",
            r => (Kind: r.GetString(0), N: Convert.ToInt64(r.GetValue(1))), ct)).ToDictionary(x => x.Kind, x => x.N);
        var oldestPending = await Oldest("select min(created_at) from outbox where sent_at is null and dead_at is null");
        var dead = Convert.ToInt64(await c.ScalarAsync(null, "select count(*) from outbox where sent_at is null and dead_at is not null", ct));
        var inboxes = await c.QueryAsync(null, "select stuck_files, oldest_since from fax_inbox_status", r => (N: (long)r.GetInt32(0), Since: r.NullableTimestamp("oldest_since")), ct);
        return new Backlog(now, byState,
            byState.GetValueOrDefault(CaseState.InReview) + byState.GetValueOrDefault(CaseState.NeedsAttention), oldestReview, oldestUnprocessed,
            pending, oldestPending, dead, inboxes.Sum(i => i.N), inboxes.Select(i => i.Since).Where(s => s is not null).Min());
    }
}

/// <summary><c>/health/ready</c> names what is waiting: the oldest case the machine has not finished, the outbox's
/// backlog and dead letters, the fax inboxes' stuck files. Degraded (still ready: HTTP 200) when a case has waited
/// past <c>Pipeline:StuckAfter</c> or an outbox message past <c>Outbox:RetryBackoffMax</c> — work is late, not refused.</summary>
internal sealed class BacklogHealthCheck(CaseStore store, Microsoft.Extensions.Configuration.IConfiguration config) : Microsoft.Extensions.Diagnostics.HealthChecks.IHealthCheck
{
    public async Task<Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckResult> CheckHealthAsync(
        Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckContext context, CancellationToken ct = default)
    {
        using var _ = Database.RequestPath();
        Backlog b;
        try { b = await store.GetBacklogAsync(ct); }
        catch (Exception e) { return Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckResult.Unhealthy($"backlog not readable: {e.GetType().Name}: {e.Message}"); }
        var stuckAfter = config.GetValue("Pipeline:StuckAfter", TimeSpan.FromMinutes(10));
        var outboxLate = config.GetValue("Outbox:RetryBackoffMax", TimeSpan.FromHours(1));
        TimeSpan? Age(DateTimeOffset? t) => t is { } v ? b.TakenAt - v : null;
        string Show(TimeSpan? a) => a is { } v ? $"{v.TotalSeconds:0} s" : "none";
        var unprocessed = b.ByState.GetValueOrDefault(CaseState.Received) + b.ByState.GetValueOrDefault(CaseState.Processing);
        var outbox = b.OutboxPending.Values.Sum();
        var data = new Dictionary<string, object>
        {
            ["unprocessed_cases"] = unprocessed,
            ["oldest_unprocessed_age_s"] = Age(b.OldestUnprocessed)?.TotalSeconds ?? 0,
            ["review_queue"] = b.ReviewQueue,
            ["outbox_backlog"] = outbox,
            ["outbox_oldest_age_s"] = Age(b.OldestOutboxPending)?.TotalSeconds ?? 0,
            ["outbox_dead"] = b.OutboxDead,
            ["fax_inbox_stuck"] = b.FaxInboxStuck,
        };
        var text = $"{unprocessed} case(s) unprocessed, oldest {Show(Age(b.OldestUnprocessed))}; outbox {outbox} waiting (oldest {Show(Age(b.OldestOutboxPending))}), "
            + $"{b.OutboxDead} given up; fax inbox {b.FaxInboxStuck} file(s) past the alert limit; {b.ReviewQueue} case(s) for reviewers";
        var late = new List<string>();
        if (Age(b.OldestUnprocessed) > stuckAfter) late.Add($"a case has waited for the machine longer than Pipeline:StuckAfter ({stuckAfter:c})");
        if (Age(b.OldestOutboxPending) > outboxLate) late.Add($"an outbox message has waited longer than Outbox:RetryBackoffMax ({outboxLate:c})");
        return late.Count > 0
            ? Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckResult.Degraded($"{string.Join("; ", late)}: {text}", data: data)
            : Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckResult.Healthy(text, data);
    }
}
