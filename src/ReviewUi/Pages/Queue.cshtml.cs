using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using VerifyPipeline.ReviewUi.Review;

namespace VerifyPipeline.ReviewUi.Pages;

[Authorize(Policy = ReviewPolicies.CaseWork)]
public sealed class QueueModel(ReviewQueue queue, ReviewDesk desk, ReviewSearch search) : PageModel
{
    public QueueView? View { get; private set; }
    public QueueFilter Filter { get; private set; } = QueueFilter.None;
    /// <summary>The search box's text ("find anything", issue 15), null when nothing was searched.</summary>
    public string? Query { get; private set; }
    public IReadOnlyList<SearchRow> Results { get; private set; } = [];

    public async Task OnGetAsync(string? state, string? reason, string? channel, string? age, string? q, CancellationToken ct)
    {
        Filter = new QueueFilter(state, reason, channel, age);
        View = await queue.LoadAsync(User.Identity!.Name!, Filter, ct);
        Query = string.IsNullOrWhiteSpace(q) ? null : q.Trim();
        if (Query is not null) Results = await search.SearchAsync(Query, ct);
    }

    /// <summary>Opens the next case (within the current filter), without claiming it: no trip back to the queue.</summary>
    public async Task<IActionResult> OnPostNextAsync(string? state, string? reason, string? channel, string? age, string? after, CancellationToken ct)
    {
        var filter = new QueueFilter(state, reason, channel, age);
        var next = await desk.NextAsync(User.Identity!.Name!, filter, after, ct);
        if (next is null)
        {
            TempData["Flash"] = "Nessun'altra pratica libera in coda con questi filtri.";
            TempData["FlashKind"] = "info";
            return Redirect("/queue" + filter.Query());
        }
        return Redirect($"/cases/{next}{filter.Query()}");
    }
}
