using VerifyPipeline.Cases;

namespace VerifyPipeline.Ingest;

/// <summary>The JSON shape of a case on the API (DESIGN.md contract: id, request_id, channel, state, decision, reasons, pages, timeline).</summary>
public sealed record CaseView(
    string Id, string? RequestId, string Channel, string State, string? Decision, IReadOnlyList<string> Reasons, string? Error,
    OriginalView Original, IReadOnlyList<PageView> Pages, IReadOnlyList<TimelineEntry>? Timeline,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    public static CaseView From(Case c, IReadOnlyList<CaseEvent>? events) => new(
        c.Id, c.RequestId, c.Channel.ToString().ToLowerInvariant(), c.State.ToString(), c.Decision, c.Reasons, c.Error,
        new OriginalView(c.Original.FileName, c.Original.SizeBytes, c.Original.Kind.ToString().ToLowerInvariant(), c.Original.Sha256),
        (c.Pages ?? []).Select(p => new PageView(p.Index, p.Source, p.WidthPx, p.HeightPx, p.DpiX, p.DpiY, p.Origin, $"/api/cases/{c.Id}/pages/{p.Index}")).ToList(),
        events is null ? null : CitizenTimeline(events),
        c.CreatedAt, c.UpdatedAt);

    /// <summary>The history as the citizen's side may see it (issue 11): a whitelist of events, whoever acted named only
    /// as "machine" or "reviewer", and no detail text — the full history (reviewers' names, notes, claims, four-eyes
    /// proposals, corrections) is for staff and stays in the review UI. A stage that keeps failing shows as "processing":
    /// the case is still being worked on, the error is for the staff who fix it.</summary>
    public static IReadOnlyList<TimelineEntry> CitizenTimeline(IEnumerable<CaseEvent> events) =>
        events.Select(e => (e, Event: e.Kind switch
            {
                "received" or "resubmitted" => "received",
                "resubmission_requested" => "awaiting_file",
                "processing" or "unpacked" or "paged" or "retried" or "rerun" or "failed" => "processing",
                "decided" => e.State switch
                {
                    CaseState.Approved => "approved",
                    CaseState.Rejected => "rejected",
                    CaseState.InReview => "in_review",
                    _ => null,
                },
                _ => null,
            }))
            .Where(x => x.Event is not null)
            .Select(x => new TimelineEntry(x.e.At, (x.e.State == CaseState.NeedsAttention ? CaseState.Processing : x.e.State).ToString(),
                x.e.By.Kind == ActorKind.Person ? "reviewer" : "machine", x.Event!, null))
            .ToList();
}

public sealed record OriginalView(string Name, long Bytes, string Kind, string Sha256);
public sealed record PageView(int Index, string Source, int Width, int Height, double DpiX, double DpiY, string Origin, string ImageUrl);
public sealed record TimelineEntry(DateTimeOffset At, string State, string By, string Event, string? Detail);
