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
        events?.Select(e => new TimelineEntry(e.At, e.State.ToString(), e.By.ToString(), e.Kind, e.Detail)).ToList(),
        c.CreatedAt, c.UpdatedAt);
}

public sealed record OriginalView(string Name, long Bytes, string Kind, string Sha256);
public sealed record PageView(int Index, string Source, int Width, int Height, double DpiX, double DpiY, string Origin, string ImageUrl);
public sealed record TimelineEntry(DateTimeOffset At, string State, string By, string Event, string? Detail);
