using Microsoft.Extensions.Options;
using VerifyPipeline.Cases;

namespace VerifyPipeline.ReviewUi.Review;

public enum Ageing { OnTime, NearDeadline, Overdue }

public sealed record QueueItem(Case Case, TimeSpan Age, Ageing Ageing, CaseClaim? Claim, PendingDecision? Pending, ResubmissionRequest? Resubmission = null)
{
    /// <summary>A new file was asked of the citizen and has not come yet: nobody acts on the case meanwhile.</summary>
    public bool AwaitingFile => Resubmission is { Open: true };
    public bool Unmatched => Case.RequestId is null;
    public bool ClaimedBy(string user) => Claim?.Reviewer == user;
    public bool ClaimedByOther(string user) => Claim is not null && Claim.Reviewer != user;
}

/// <summary>Filters of the queue; every value is a code (state, reason, channel, age band), never personal data.</summary>
public sealed record QueueFilter(string? State, string? Reason, string? Channel, string? Age)
{
    public static readonly QueueFilter None = new(null, null, null, null);

    public bool Matches(QueueItem i) =>
        (State switch
        {
            null or "" => true,
            "InReview" => i.Case.State == CaseState.InReview && i.Pending is null,
            "NeedsAttention" => i.Case.State == CaseState.NeedsAttention,
            "unmatched" => i.Unmatched && i.Case.Channel == Cases.Channel.Fax,
            "four-eyes" => i.Pending is not null,
            _ => true,
        })
        && (string.IsNullOrEmpty(Reason) || (Reason == "none" ? i.Case.Reasons.Count == 0 && i.Pending is null : i.Case.Reasons.Contains(Reason) || (i.Pending?.Reasons.Contains(Reason) ?? false)))
        && (string.IsNullOrEmpty(Channel) || string.Equals(i.Case.Channel.ToString(), Channel, StringComparison.OrdinalIgnoreCase))
        && (Age switch
        {
            "near" => i.Ageing == Ageing.NearDeadline,
            "overdue" => i.Ageing == Ageing.Overdue,
            "late" => i.Ageing != Ageing.OnTime,
            _ => true,
        });

    /// <summary>The filter as a query string, so "next case" and the case page can keep the reviewer's view.</summary>
    public string Query()
    {
        var parts = new List<string>();
        void Add(string k, string? v) { if (!string.IsNullOrEmpty(v)) parts.Add($"{k}={Uri.EscapeDataString(v)}"); }
        Add("state", State); Add("reason", Reason); Add("channel", Channel); Add("age", Age);
        return parts.Count == 0 ? "" : "?" + string.Join("&", parts);
    }
}

public sealed record QueueCounts(int Total, int InReview, int NeedsAttention, int UnmatchedFax, int AwaitingConfirmation, int NearDeadline, int Overdue, int Free, int Mine);

public sealed record QueueView(IReadOnlyList<QueueItem> Items, QueueCounts Counts, IReadOnlyList<string> ReasonsPresent, TimeSpan Deadline);

/// <summary>The reviewers' queue: the open work with its claims and four-eyes proposals, aged against the deadline.
/// Oldest first: the procedure promises an outcome in 1–2 days, so the case nearest its deadline comes first.</summary>
public sealed class ReviewQueue(CaseStore store, IOptionsMonitor<ReviewOptions> options, TimeProvider clock)
{
    public const int Limit = 2000;

    public async Task<QueueView> LoadAsync(string user, QueueFilter filter, CancellationToken ct)
    {
        var all = await LoadAllAsync(ct);
        var counts = new QueueCounts(
            all.Count,
            all.Count(i => i.Case.State == CaseState.InReview),
            all.Count(i => i.Case.State == CaseState.NeedsAttention),
            all.Count(i => i.Unmatched && i.Case.Channel == Channel.Fax),
            all.Count(i => i.Pending is not null),
            all.Count(i => i.Ageing == Ageing.NearDeadline),
            all.Count(i => i.Ageing == Ageing.Overdue),
            all.Count(i => i.Claim is null),
            all.Count(i => i.ClaimedBy(user)));
        var reasons = all.SelectMany(i => i.Case.Reasons.Concat(i.Pending?.Reasons ?? [])).Distinct().Order().ToList();
        return new QueueView(all.Where(filter.Matches).ToList(), counts, reasons, options.CurrentValue.Deadline);
    }

    public async Task<List<QueueItem>> LoadAllAsync(CancellationToken ct)
    {
        var cases = await store.ListReviewQueueAsync(Limit, ct);
        var claims = await store.GetActiveClaimsAsync(ct);
        var pending = await store.GetPendingDecisionsAsync(ct);
        var resubmissions = await store.GetResubmissionsAsync(ct);
        var now = clock.GetUtcNow();
        // The time spent waiting for a file asked of the citizen does not count towards the deadline (issue 15).
        return cases.Select(c =>
        {
            var r = resubmissions.GetValueOrDefault(c.Id);
            var age = now - c.CreatedAt - (r?.PausedAsOf(now) ?? TimeSpan.Zero);
            return new QueueItem(c, age, AgeingOf(now - age, now), claims.GetValueOrDefault(c.Id), pending.GetValueOrDefault(c.Id), r);
        }).ToList();
    }

    public Ageing AgeingOf(DateTimeOffset createdAt, DateTimeOffset now)
    {
        var o = options.CurrentValue;
        var age = now - createdAt;
        return age >= o.Deadline ? Ageing.Overdue : age >= o.DeadlineWarning ? Ageing.NearDeadline : Ageing.OnTime;
    }

    public TimeSpan Deadline => options.CurrentValue.Deadline;
}
