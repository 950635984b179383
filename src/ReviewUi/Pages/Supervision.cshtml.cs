using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using VerifyPipeline.ReviewUi.Review;

namespace VerifyPipeline.ReviewUi.Pages;

[Authorize(Policy = ReviewPolicies.Supervision)]
public sealed class SupervisionModel(SupervisorFigures figures) : PageModel
{
    public Figures? Figures { get; private set; }
    public async Task OnGetAsync(CancellationToken ct) => Figures = await figures.LoadAsync(User.Identity!.Name!, ct);
}
