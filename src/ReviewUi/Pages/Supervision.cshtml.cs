using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using VerifyPipeline.Cases;
using VerifyPipeline.ReviewUi.Review;

namespace VerifyPipeline.ReviewUi.Pages;

[Authorize(Policy = ReviewPolicies.Supervision)]
public sealed class SupervisionModel(SupervisorFigures figures, CaseStore store) : PageModel
{
    public Figures? Figures { get; private set; }
    /// <summary>Messages to citizens the outbox gave up on (case id, attempts, last error: no address, no name).</summary>
    public IReadOnlyList<OutboxMessage> UndeliveredMessages { get; private set; } = [];
    /// <summary>What each fax inbox watcher last reported: files left in the inbox past its alert limit.</summary>
    public IReadOnlyList<FaxInboxStatus> FaxInboxes { get; private set; } = [];
    /// <summary>Approvals the PIN's holder disputed through the notice's link: back in review, for a supervisor.</summary>
    public IReadOnlyList<PinNoticeRecord> Disputes { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct)
    {
        Figures = await figures.LoadAsync(User.Identity!.Name!, ct);
        UndeliveredMessages = await store.ListDeadOutboxAsync(50, ct);
        FaxInboxes = await store.ListFaxInboxStatusAsync(ct);
        Disputes = await store.ListOpenDisputesAsync(ct);
    }
}
