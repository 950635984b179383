using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using VerifyPipeline.Cases;
using VerifyPipeline.Decisions;
using VerifyPipeline.ReviewUi.Review;

namespace VerifyPipeline.ReviewUi.Pages;

/// <summary>One case: its pages, what the machine found, the request and PIN, the timeline, and the actions the
/// reviewer may take in its current state. After a decision the next case opens directly.</summary>
[Authorize(Policy = ReviewPolicies.CaseWork)]
public sealed class CasePageModel(CaseStore store, VerifyPipeline.Cases.Pins.IPinDirectory pins, ReviewQueue queue, ReviewDesk desk, ReviewSearch search, TimeProvider clock) : PageModel
{
    public Case? Case { get; private set; }
    public IReadOnlyList<CaseEvent> Events { get; private set; } = [];
    public ConversionRequest? Conversion { get; private set; }
    public Pin? Pin { get; private set; }
    public CaseClaim? Claim { get; private set; }
    public PendingDecision? Pending { get; private set; }
    /// <summary>The last request for a new file on this case (open while the file has not come).</summary>
    public ResubmissionRequest? Resubmission { get; private set; }
    /// <summary>Every file the case received, oldest first (more than one when a file joined the open case, issue 15).</summary>
    public IReadOnlyList<CaseFile> Files { get; private set; } = [];
    public CaseEvidence Evidence { get; private set; } = CaseEvidence.From(null, null);
    /// <summary>The report in Italian words and tables (verdicts, values compared, the decision card).</summary>
    public EvidenceView View { get; private set; } = EvidenceView.None;
    /// <summary>The stored report as JSON, indented, for the "Dati tecnici" toggle; null for reviewers, who never see JSON.
    /// Admins are named as the brief asks, but the CaseWork policy keeps them off this page (least privilege: they do not
    /// see citizens' documents), so in practice supervisors are the ones who see it.</summary>
    public string? TechnicalJson { get; private set; }
    public bool CanSeeTechnical => User.IsInRole(Roles.Admin) || User.IsInRole(Roles.Supervisor);
    public Ageing Ageing { get; private set; }
    public QueueFilter Filter { get; private set; } = QueueFilter.None;
    public string Me => User.Identity!.Name!;

    /// <summary>A disputed case is decided by a supervisor only (<see cref="ReviewDesk"/>).</summary>
    public bool IsSupervisor => User.IsInRole(Roles.Supervisor);
    public bool HeldByOther => Claim is not null && Claim.Reviewer != Me;
    public bool FourEyes(string reason) => desk.NeedsFourEyes([reason]);
    /// <summary>The failed checks that make an approval of this case a four-eyes proposal (empty: one reviewer decides).</summary>
    public IReadOnlyList<string> ApprovalFourEyes { get; private set; } = [];
    /// <summary>For a case without a request: the requests what was read on its pages points to, each matched in one click.</summary>
    public IReadOnlyList<MatchCandidate> Candidates { get; private set; } = [];
    /// <summary>The reviewer's own search for the request of an unmatched case (<c>?cerca=</c>), typo-tolerant.</summary>
    public string? MatchQuery { get; private set; }
    public IReadOnlyList<ConversionRequest> MatchResults { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(string id, string? state, string? reason, string? channel, string? age, string? cerca, CancellationToken ct)
    {
        Filter = new QueueFilter(state, reason, channel, age);
        // A GET naming an action is a form post that met an expired session: signing in again brings the reviewer back
        // here (returnUrl) as a GET, and nothing was recorded. Say so (issue 15: the page looked normal, the rejection
        // was lost); the note typed is restored from the browser by review.js.
        if (RouteData.Values["handler"] is string action && ActionNames.GetValueOrDefault(action) is { } what)
        {
            TempData["Flash"] = $"Azione non eseguita: «{what}» non è stata registrata perché la sessione era scaduta. Controlli la pratica e la ripeta; la nota che aveva scritto è stata ripristinata.";
            TempData["FlashKind"] = "error";
        }
        Case = await store.GetCaseAsync(id, ct);
        if (Case is null && await store.FindJoinedCaseAsync(id, ct) is { } joined)
        {
            // Merged into the older open case of its PIN (one conversion per PIN at a time): its file is there now.
            TempData["Flash"] = $"La pratica {ReviewText.Short(id)} si è unita alla pratica {ReviewText.Short(joined)} dello stesso PIN: il suo file è qui.";
            TempData["FlashKind"] = "info";
            return Redirect($"/cases/{joined}");
        }
        if (Case is null)
        {
            Response.StatusCode = StatusCodes.Status404NotFound;
            return Page();
        }
        Events = await store.GetEventsAsync(id, ct);
        Conversion = Case.RequestId is null ? null : await store.GetRequestAsync(Case.RequestId, ct);
        Pin = Conversion is null or { ErasedAt: not null } ? null : await pins.FindAsync(Conversion.Data.PinReference, ct);
        Claim = await store.GetActiveClaimAsync(id, ct);
        Pending = await store.GetPendingDecisionAsync(id, ct);
        Resubmission = await store.GetResubmissionAsync(id, ct);
        Files = await store.GetFilesAsync(Case, ct);
        // The Decide stage stores its report (rules, evidence, policy) with the decision; reading facts join it when built.
        var report = CaseReport.Parse(Case.Report);
        Evidence = CaseEvidence.From(Conversion is { ErasedAt: null } ? Conversion.Data : null, report, id);
        View = EvidenceView.From(Case.Report, Case.RequestId, id);
        if (CanSeeTechnical && report is not null)
            TechnicalJson = System.Text.Json.JsonSerializer.Serialize(report, WireJson.Indented);
        Ageing = queue.AgeingOf(Case.CreatedAt, clock.GetUtcNow());
        ApprovalFourEyes = desk.FourEyesApprovalReasons(Case);
        if (Case.RequestId is null && !Case.IsTerminal)
        {
            Candidates = await search.FaxCandidatesAsync(FaxClues.From(Case.Report), ct);
            MatchQuery = string.IsNullOrWhiteSpace(cerca) ? null : cerca.Trim();
            if (MatchQuery is not null)
                MatchResults = (await search.SearchAsync(MatchQuery, ct)).Select(r => r.Request).OfType<ConversionRequest>().DistinctBy(r => r.Id).Take(10).ToList();
            // Without its request the rules had nothing declared to compare: the question is which request this is.
            View = View with { Card = new DecisionCard(Candidates.Count switch
            {
                0 => "Fax non abbinato: sulle pagine il sistema non ha letto un QR, un codice fiscale o un nome che indichi una richiesta. La cerchi qui sotto e la abbini; poi il sistema valuta la pratica.",
                1 => "Fax non abbinato: quel che il sistema ha letto sulle pagine indica una richiesta. Se è quella giusta la abbini con un clic; poi il sistema valuta la pratica.",
                var n => $"Fax non abbinato: quel che il sistema ha letto sulle pagine indica {n} richieste possibili. Abbini quella giusta con un clic; poi il sistema valuta la pratica.",
            }, [], [], null) };
        }
        return Page();
    }

    private static readonly Dictionary<string, string> ActionNames = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Claim"] = "Prendi in carico", ["Release"] = "Rilascia", ["Approve"] = "Approva", ["Reject"] = "Respingi", ["Confirm"] = "Conferma",
        ["Decline"] = "Non confermare", ["Match"] = "Abbina", ["Retry"] = "Rimetti in lavorazione", ["Rerun"] = "Ripeti la valutazione",
        ["Correct"] = "Correggi", ["AskFile"] = "Chiedi un nuovo file",
    };

    public Task<IActionResult> OnPostClaimAsync(string id, CancellationToken ct) => Act(id, () => desk.ClaimAsync(id, Me, ct), next: false, ct);
    public Task<IActionResult> OnPostReleaseAsync(string id, CancellationToken ct) => Act(id, () => desk.ReleaseAsync(id, Me, ct), next: false, ct);
    public Task<IActionResult> OnPostApproveAsync(string id, string? note, int? file, CancellationToken ct) => Act(id, () => desk.ApproveAsync(id, Me, note, ct, IsSupervisor, file), next: true, ct);
    public Task<IActionResult> OnPostRejectAsync(string id, string[]? reasons, string? note, int? file, CancellationToken ct) =>
        Act(id, () => desk.RejectAsync(id, Me, reasons ?? [], note, ct, IsSupervisor, file), next: true, ct);
    public Task<IActionResult> OnPostConfirmAsync(string id, CancellationToken ct) => Act(id, () => desk.ConfirmAsync(id, Me, ct, IsSupervisor), next: true, ct);
    public Task<IActionResult> OnPostDeclineAsync(string id, string? note, CancellationToken ct) => Act(id, () => desk.DeclineAsync(id, Me, note, ct), next: false, ct);
    public Task<IActionResult> OnPostMatchAsync(string id, string? requestId, CancellationToken ct) => Act(id, () => desk.MatchAsync(id, Me, requestId, ct), next: false, ct);
    public Task<IActionResult> OnPostAskFileAsync(string id, string[]? items, string? note, CancellationToken ct) =>
        Act(id, () => desk.AskForNewFileAsync(id, Me, items ?? [], note, ct, IsSupervisor), next: true, ct);
    public Task<IActionResult> OnPostRetryAsync(string id, CancellationToken ct) => Act(id, () => desk.RetryAsync(id, Me, ct), next: true, ct);
    public Task<IActionResult> OnPostRerunAsync(string id, CancellationToken ct) => Act(id, () => desk.RerunAsync(id, Me, ct, IsSupervisor), next: true, ct);
    public Task<IActionResult> OnPostCorrectAsync(string id, string? field, string? value, CancellationToken ct) => Act(id, () => desk.CorrectAsync(id, Me, field, value, ct, IsSupervisor), next: false, ct);

    /// <summary>Validates, then acts (issue 11): the action is a delegate, started only once the request proved to be a
    /// form post of this page for an existing case. Before, the action ran when the handler was called and the form was
    /// read after it: a post without a form body answered 500 with the claim already written. The desk checks each
    /// action's own fields before it writes anything.</summary>
    private async Task<IActionResult> Act(string id, Func<Task<DeskResult>> action, bool next, CancellationToken ct)
    {
        if (!Request.HasFormContentType)
        {
            TempData["Flash"] = "Richiesta non valida: usi i pulsanti della pagina. Nulla è stato registrato.";
            TempData["FlashKind"] = "error";
            return Redirect($"/cases/{Uri.EscapeDataString(id)}");
        }
        // The reviewer's queue filter travels in hidden fields, so the next case comes from the same view.
        var f = await Request.ReadFormAsync(ct);
        var filter = new QueueFilter(f["state"], f["reason"], f["channel"], f["age"]);
        if (await store.GetCaseAsync(id, ct) is not { } current)
        {
            if (await store.FindJoinedCaseAsync(id, ct) is not { } joined) return NotFound();
            TempData["Flash"] = $"Nuovo file arrivato: la pratica {ReviewText.Short(id)} si è unita alla pratica {ReviewText.Short(joined)} dello stesso PIN. Nulla è stato registrato: decida qui.";
            TempData["FlashKind"] = "error";
            return Redirect($"/cases/{joined}");
        }
        // Stale-page guard for a new file (issue 15): the page was read on file N; when another file joined the case since,
        // a decision taken on it is not recorded — the reviewer looks at the new file first.
        if (int.TryParse(f["file"], out var seen) && seen != current.FileNo && RouteData.Values["handler"] is not "Release")
        {
            TempData["Flash"] = ReviewDesk.NewFileArrived(current).Message;
            TempData["FlashKind"] = "error";
            return Redirect($"/cases/{id}{filter.Query()}");
        }
        var result = await action();
        TempData["Flash"] = result.Message;
        TempData["FlashKind"] = result.Ok ? "ok" : "error";
        if (result.Ok && next)
        {
            var nextId = await desk.NextAsync(Me, filter, after: id, ct);
            return Redirect(nextId is null ? "/queue" + filter.Query() : $"/cases/{nextId}{filter.Query()}");
        }
        return Redirect($"/cases/{id}{filter.Query()}");
    }
}
