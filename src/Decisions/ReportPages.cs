using VerifyPipeline.Cases;
using VerifyPipeline.Rules.Facts;

namespace VerifyPipeline.Decisions;

/// <summary>One page of a report (the stored one and `verify check`'s): where it came from, its size and resolution, what
/// the reader took it for and its legibility.</summary>
public sealed record PageReport(
    int Index, string Source, int Width, int Height, double DpiX, double DpiY, string Origin, string MediaType,
    PageClass? Classification, PageLegibility? Legibility)
{
    /// <summary>The report's pages: each stored page with what the reader found on it (nothing when it was not read).</summary>
    public static IReadOnlyList<PageReport> Of(IEnumerable<PageInfo> pages, SubmissionRead? read) => pages.Select(p => new PageReport(
        p.Index, p.Source, p.WidthPx, p.HeightPx, p.DpiX, p.DpiY, p.Origin, p.MediaType,
        read?.PageReads.FirstOrDefault(r => r.Page == p.Index) is { } r ? new PageClass(r.Classification, r.Confidence, r.Found) : null,
        read?.Pages.FirstOrDefault(l => l.Page == p.Index))).ToList();
}

public sealed record PageClass(string Kind, double Confidence, IReadOnlyList<string> Found);
