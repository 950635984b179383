using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using VerifyPipeline.Cases;
using VerifyPipeline.ReviewUi.Review;

namespace VerifyPipeline.ReviewUi.Pages;

[Authorize(Policy = ReviewPolicies.Supervision)]
public sealed class SupervisionModel(SupervisorFigures figures, CaseStore store, VerifyPipeline.Cases.Retention.PersonalData personalData) : PageModel
{
    /// <summary>The outcome of an erasure just asked for (shown once, above the form).</summary>
    public VerifyPipeline.Cases.Retention.ErasureResult? Erasure { get; private set; }

    public Figures? Figures { get; private set; }
    /// <summary>Messages to citizens the outbox gave up on (case id, attempts, last error: no address, no name).</summary>
    public IReadOnlyList<OutboxMessage> UndeliveredMessages { get; private set; } = [];
    /// <summary>What each fax inbox watcher last reported: files left in the inbox past its alert limit.</summary>
    public IReadOnlyList<FaxInboxStatus> FaxInboxes { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct)
    {
        Figures = await figures.LoadAsync(User.Identity!.Name!, ct);
        UndeliveredMessages = await store.ListDeadOutboxAsync(50, ct);
        FaxInboxes = await store.ListFaxInboxStatusAsync(ct);
    }

    /// <summary>Erasure of one citizen's personal data by codice fiscale (docs/data-retention.md). Supervisors and admins
    /// only (this page's policy); the confirmation box must be ticked; each case's history records who asked.</summary>
    public async Task<IActionResult> OnPostEraseAsync(string? codiceFiscale, bool confirm, CancellationToken ct)
    {
        Erasure = confirm
            ? await personalData.EraseAsync(codiceFiscale, User.Identity!.Name!, ct)
            : new VerifyPipeline.Cases.Retention.ErasureResult(false, "Spunti la conferma: la cancellazione non si può annullare.", 0, 0, 0);
        if (!Erasure.Ok) Response.StatusCode = StatusCodes.Status400BadRequest;
        await OnGetAsync(ct);
        return Page();
    }
}
