using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using VerifyPipeline.Cases;
using VerifyPipeline.ReviewUi.Review;

namespace VerifyPipeline.ReviewUi.Pages;

[Authorize(Policy = ReviewPolicies.Supervision)]
public sealed class SupervisionModel(SupervisorFigures figures, CaseStore store, VerifyPipeline.Cases.Retention.PersonalData personalData,
    Microsoft.Extensions.Options.IOptions<VerifyPipeline.Decisions.DecisionOptions> decisions) : PageModel
{
    /// <summary>The outcome of an erasure just asked for (shown once, above the form).</summary>
    public VerifyPipeline.Cases.Retention.ErasureResult? Erasure { get; private set; }

    public Figures? Figures { get; private set; }
    /// <summary>Messages to citizens the outbox gave up on (case id, attempts, last error: no address, no name).</summary>
    public IReadOnlyList<OutboxMessage> UndeliveredMessages { get; private set; } = [];
    /// <summary>What each fax inbox watcher last reported: files left in the inbox past its alert limit.</summary>
    public IReadOnlyList<FaxInboxStatus> FaxInboxes { get; private set; } = [];
    /// <summary>Approvals the PIN's holder disputed through the notice's link: back in review, for a supervisor.</summary>
    public IReadOnlyList<PinNoticeRecord> Disputes { get; private set; } = [];
    /// <summary>Reviewers' verdicts on signature pairs: the distributions, what the edge asked for would have done, a proposal.</summary>
    public IReadOnlyList<ScoreBin> SignatureBins { get; private set; } = [];
    public EdgeOutcome? SignatureEdge { get; private set; }
    public double? ProposedEdge { get; private set; }
    /// <summary>The compatible edge in force (<c>Pipeline:Policy:Signature:CompatiblePass</c>; this page never changes it).</summary>
    public double EdgeInForce => decisions.Value.Policy.Signature.CompatiblePass;

    public async Task OnGetAsync(double? edge, CancellationToken ct)
    {
        var verdicts = await store.ListSignatureVerdictsAsync(ct: ct);
        SignatureBins = SignatureEdgeReview.Histogram(verdicts);
        SignatureEdge = SignatureEdgeReview.At(verdicts, edge is >= 0 and <= 1 ? edge.Value : EdgeInForce);
        ProposedEdge = SignatureEdgeReview.Propose(verdicts);
        Figures = await figures.LoadAsync(User.Identity!.Name!, ct);
        UndeliveredMessages = await store.ListDeadOutboxAsync(50, ct);
        FaxInboxes = await store.ListFaxInboxStatusAsync(ct);
        Disputes = await store.ListOpenDisputesAsync(ct);
    }

    /// <summary>Erasure of one citizen's personal data by codice fiscale (docs/data-retention.md). Supervisors and admins
    /// only (this page's policy); the confirmation box must be ticked; each case's history records who asked.</summary>
    public async Task<IActionResult> OnPostEraseAsync(string? codiceFiscale, bool confirm, CancellationToken ct)
    {
        Erasure = confirm
            ? await personalData.EraseAsync(codiceFiscale, User.Identity!.Name!, ct)
            : new VerifyPipeline.Cases.Retention.ErasureResult(false, "Spunti la conferma: la cancellazione non si può annullare.", 0, 0, 0);
        if (!Erasure.Ok) Response.StatusCode = StatusCodes.Status400BadRequest;
        await OnGetAsync(null, ct);
        return Page();
    }
}
