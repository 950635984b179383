using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using VerifyPipeline.ReviewUi.Review;
using VerifyPipeline.Rules;

namespace VerifyPipeline.ReviewUi.Pages;

/// <summary>The signature lane (issue 15): one page load, then the cases one after another — each decision is a POST
/// answered in JSON (antiforgery-checked like every form of the desk) and the next case is shown in place.</summary>
[Authorize(Policy = ReviewPolicies.CaseWork)]
public sealed class LaneModel(SignatureLane lane, ReviewDesk desk) : PageModel
{
    public IReadOnlyList<LaneCase> Cases { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct) => Cases = await lane.LoadAsync(User.Identity!.Name!, ct);

    /// <summary><paramref name="choice"/> "accept" approves (or proposes the approval, as the case page would);
    /// "different" proposes a SIGNATURE_MISMATCH rejection (four-eyes). The desk checks state, claim and PIN as always.</summary>
    public async Task<IActionResult> OnPostDecideAsync(string? id, string? choice, string? note, int? file, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(id) || choice is not ("accept" or "different"))
            return new JsonResult(new { ok = false, message = "Richiesta non valida: nessuna azione eseguita." }) { StatusCode = StatusCodes.Status400BadRequest };
        var user = User.Identity!.Name!;
        var result = choice == "accept"
            ? await desk.ApproveAsync(id, user, note, ct, User.IsInRole(Roles.Supervisor), file)
            : await desk.RejectAsync(id, user, [ReasonCodes.SignatureMismatch], note, ct, User.IsInRole(Roles.Supervisor), file);
        return new JsonResult(new { ok = result.Ok, message = result.Message });
    }
}
