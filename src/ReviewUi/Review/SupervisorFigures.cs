using VerifyPipeline.Cases;

namespace VerifyPipeline.ReviewUi.Review;

public sealed record ReviewerThroughput(string Reviewer, int Approved, int Rejected, int Proposed, int Today, int OtherActions);

public sealed record Figures(
    IReadOnlyDictionary<CaseState, int> PerState, int Window, int Decided, int DecidedByMachine, double? AutomationRate,
    TimeSpan? MedianTimeToDecision, TimeSpan? MedianTimeToDecisionByPeople, Case? OldestOpen, TimeSpan? OldestOpenAge,
    IReadOnlyList<ReviewerThroughput> Reviewers, QueueCounts Queue);

/// <summary>The supervisor's figures over the last <see cref="WindowDays"/> days: automation rate (share of final
/// decisions the machine took), median time from receipt to decision, the oldest open case and each reviewer's output.</summary>
public sealed class SupervisorFigures(CaseStore store, ReviewQueue queue, TimeProvider clock)
{
    public const int WindowDays = 30;

    public async Task<Figures> LoadAsync(string user, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var since = now.AddDays(-WindowDays);
        var perState = await store.CountByStateAsync(ct);
        foreach (var s in Enum.GetValues<CaseState>()) perState.TryAdd(s, 0);
        var decisions = await store.ListFinalDecisionsAsync(since, ct);
        var byMachine = decisions.Count(d => d.By.Kind == ActorKind.Machine);
        var oldest = await store.GetOldestOpenCaseAsync(ct);
        var people = await store.CountPersonEventsAsync(since, ct);
        var today = new DateTimeOffset(now.UtcDateTime.Date, TimeSpan.Zero);

        var reviewers = decisions.Where(d => d.By.Kind == ActorKind.Person).Select(d => d.By.Name)
            .Concat(people.Select(p => p.Actor)).Distinct().Order()
            .Select(name => new ReviewerThroughput(name,
                decisions.Count(d => d.By.Name == name && d.By.Kind == ActorKind.Person && d.State == CaseState.Approved),
                decisions.Count(d => d.By.Name == name && d.By.Kind == ActorKind.Person && d.State == CaseState.Rejected),
                people.Where(p => p.Actor == name && p.Kind is "proposed" or "approval_proposed").Sum(p => p.Count),
                decisions.Count(d => d.By.Name == name && d.By.Kind == ActorKind.Person && d.DecidedAt >= today),
                people.Where(p => p.Actor == name && p.Kind is "matched" or "retried" or "rerun" or "proposal_declined" or "proposal_withdrawn").Sum(p => p.Count)))
            .ToList();

        var q = (await queue.LoadAsync(user, QueueFilter.None, ct)).Counts;
        return new Figures(perState, WindowDays, decisions.Count, byMachine,
            decisions.Count == 0 ? null : (double)byMachine / decisions.Count,
            Median(decisions.Select(d => d.DecidedAt - d.CreatedAt)),
            Median(decisions.Where(d => d.By.Kind == ActorKind.Person).Select(d => d.DecidedAt - d.CreatedAt)),
            oldest, oldest is null ? null : now - oldest.CreatedAt, reviewers, q);
    }

    public static TimeSpan? Median(IEnumerable<TimeSpan> values)
    {
        var v = values.Order().ToList();
        if (v.Count == 0) return null;
        return v.Count % 2 == 1 ? v[v.Count / 2] : (v[v.Count / 2 - 1] + v[v.Count / 2]) / 2;
    }
}
