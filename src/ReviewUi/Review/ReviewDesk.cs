using Hangfire;
using Microsoft.Extensions.Options;
using VerifyPipeline.Cases;
using VerifyPipeline.Rules;
using VerifyPipeline.Decisions;

namespace VerifyPipeline.ReviewUi.Review;

/// <summary>What an action did, in words for the reviewer. <see cref="Ok"/> false means nothing was written.</summary>
public sealed record DeskResult(bool Ok, string Message)
{
    public static DeskResult Done(string m) => new(true, m);
    public static DeskResult Refused(string m) => new(false, m);
}

/// <summary>The reviewers' actions. Each one checks the case's state and the claim, writes its audit event, and ends a
/// case the way the machine does: <see cref="CaseStore.DecideAsync"/> writes the state, the PIN update and the
/// citizen's message in one transaction. Logs carry case ids, user names of staff and reason codes only.</summary>
public sealed class ReviewDesk(CaseStore store, VerifyPipeline.Cases.Pins.IPinDirectory pins, ReviewQueue queue, IBackgroundJobClient jobs, IOptionsMonitor<ReviewOptions> options,
    IOptions<DecisionOptions> decisions, TimeProvider clock, ILogger<ReviewDesk> log)
{
    private ReviewOptions O => options.CurrentValue;

    public bool NeedsFourEyes(IEnumerable<string> reasons) => reasons.Any(r => O.FourEyesReasons.Contains(r, StringComparer.Ordinal));

    public async Task<DeskResult> ClaimAsync(string caseId, string user, CancellationToken ct)
    {
        var c = await store.GetCaseAsync(caseId, ct);
        if (c is null || c.IsTerminal) return DeskResult.Refused("La pratica non è aperta: non si può prendere in carico.");
        var outcome = await store.TryClaimAsync(caseId, user, O.ClaimDuration, ct);
        return outcome == ClaimOutcome.HeldByOther
            ? DeskResult.Refused(await HeldMessageAsync(caseId, ct))
            : DeskResult.Done($"Pratica in carico a lei per {(int)O.ClaimDuration.TotalMinutes} minuti.");
    }

    public async Task<DeskResult> ReleaseAsync(string caseId, string user, CancellationToken ct) =>
        await store.ReleaseClaimAsync(caseId, user, ct) ? DeskResult.Done("Pratica rilasciata.") : DeskResult.Refused("La pratica non era in carico a lei.");

    /// <summary>Marks an approval that rests on a value a reviewer corrected (<see cref="CorrectAsync"/>).</summary>
    public const string ReviewerCorrection = "REVIEWER_CORRECTION";

    /// <summary>The reasons of the failed rules in the case's stored report (<c>rules[].verdict</c> "fail",
    /// <c>rules[].reasons</c>) that Review:FourEyesApprovalReasons names: an approval over any of them needs a second reviewer.
    /// So does an approval of a report a reviewer corrected (<c>corrections</c>, <see cref="ReviewerCorrection"/>): the
    /// correction re-runs the rules, so a failed identity or expiry check could pass on one person's word alone.</summary>
    public IReadOnlyList<string> FourEyesApprovalReasons(Case c)
    {
        if (CaseReport.Parse(c.Report) is not { } report) return [];
        var corrected = report.Corrections is { Count: > 0 };
        return report.Rules.Where(r => r.Verdict == Verdict.Fail).SelectMany(r => r.Reasons)
            .Where(r => O.FourEyesApprovalReasons.Contains(r, StringComparer.Ordinal)).Append(corrected ? ReviewerCorrection : null).OfType<string>().Distinct().ToList();
    }

    /// <param name="fileNo">The case's file the reviewer's page showed (<see cref="Case.FileNo"/>): refused, nothing written,
    /// when a newer file joined the case since (issue 15). Null: the case's current file.</param>
    public async Task<DeskResult> ApproveAsync(string caseId, string user, string? note, CancellationToken ct, bool supervisor = false, int? fileNo = null)
    {
        var (c, refusal) = await ReadyToDecideAsync(caseId, user, supervisor, ct, fileNo);
        if (c is null) return refusal!;
        if (c.RequestId is null) return DeskResult.Refused("Fax non abbinato: lo abbini prima a una richiesta, poi decida.");
        if (await store.GetPendingDecisionAsync(caseId, ct) is { } pending)
            return DeskResult.Refused($"C'è {ReviewText.Proposal(pending.Decision)} in attesa di conferma: la confermi o la respinga prima di decidere.");
        var (request, pin, notApprovable) = await ApprovablePinAsync(c, user, ct);
        if (notApprovable is not null) return notApprovable;
        note = Clean(note);
        // Four-eyes for approvals too (issue 11): one reviewer must not approve alone over a failed identity, signature,
        // document-data or expiry check; the approval waits as a proposal for a different reviewer, like a rejection.
        if (FourEyesApprovalReasons(c) is { Count: > 0 } failed)
        {
            var proposed = await store.ProposeDecisionAsync(new PendingDecision(caseId, "approve", failed, note, user, clock.GetUtcNow()), ct);
            if (!proposed) return await NoLongerInReviewAsync(caseId, ct);
            log.LogInformation("Case {CaseId}: approval over failed {Reasons} proposed by {User}, awaiting a second reviewer", caseId, string.Join(",", failed), user);
            return DeskResult.Done($"Approvazione proposta per la pratica {ReviewText.Short(caseId)} nonostante le verifiche non superate ({string.Join(", ", failed)}): serve la conferma di un secondo revisore.");
        }
        return await ApproveNowAsync(c, request!, pin!, $"approve: approvata da {user}; PIN reso dispositivo" + NoteSuffix(note), user, ct);
    }

    /// <summary>Only the PIN's holder may convert it (issue 11): a request naming a PIN that is unknown, or registered to
    /// another codice fiscale, cannot be approved by anyone; the citizen would be told a PIN became dispositivo that did not.</summary>
    private async Task<(ConversionRequest?, Pin?, DeskResult?)> ApprovablePinAsync(Case c, string user, CancellationToken ct)
    {
        var request = await store.GetRequestAsync(c.RequestId!, ct) ?? throw new InvalidOperationException($"Case {c.Id} names a request that does not exist.");
        var pin = await pins.FindAsync(request.Data.PinReference, ct);
        if (pin is null) return (null, null, DeskResult.Refused($"Il PIN indicato non è presente nel registro: non si può approvare. Respinga con {ReasonCodes.PinNotEligible}."));
        if (pin.Revoked) return (null, null, DeskResult.Refused($"Il PIN è revocato: non si può approvare. Respinga con {ReasonCodes.PinNotEligible}."));
        if (pin.Type == PinType.Dispositivo) return (null, null, DeskResult.Refused($"Il PIN è già dispositivo. Respinga con {ReasonCodes.PinAlreadyDispositivo}."));
        if (await store.AnyApprovedCaseForPinAsync(pin.PinReference, c.Id, ct))
            return (null, null, DeskResult.Refused($"Un'altra pratica per questo PIN è già stata approvata: una conversione per PIN. Respinga con {ReasonCodes.PinAlreadyDispositivo}."));
        if (!VerifyPipeline.Rules.Identity.CodiceFiscale.EqualModuloOmocodia(pin.CodiceFiscale, request.Data.CodiceFiscale))
        {
            await store.AppendAuditEventAsync(c.Id, "approval_refused", Actor.Person(user), "PIN intestato a un altro codice fiscale", ct);
            return (null, null, DeskResult.Refused($"Il PIN indicato è intestato a un altro codice fiscale: non si può approvare. Respinga con {ReasonCodes.PinNotEligible}."));
        }
        return (request, pin, null);
    }

    private async Task<DeskResult> ApproveNowAsync(Case c, ConversionRequest request, Pin pin, string detail, string user, CancellationToken ct)
    {
        bool decided;
        try
        {
            decided = await store.DecideAsync(c.Id, [CaseState.InReview],
                PinNotices.Approval(detail, pin, pins.ConversionFor(pin).Via, request.Data.Email, decisions.Value, clock.GetUtcNow()) with { FileNo = c.FileNo },
                Actor.Person(user), ct);
        }
        catch (PinChangedException)
        {
            return DeskResult.Refused("Il PIN è cambiato nel registro mentre decideva (revocato, già dispositivo o reintestato): ricarichi la pagina. Nulla è stato registrato.");
        }
        if (!decided) return await NoLongerInReviewAsync(c.Id, ct);
        await store.ClearReviewStateAsync(c.Id, ct);
        await RecordSignatureVerdictAsync(c, accepted: true, user, ct);
        log.LogInformation("Case {CaseId} approved by {User}", c.Id, user);
        // Say what happened to the citizen's message: queued for sending, or impossible without an address (issue 15).
        return DeskResult.Done($"Pratica {ReviewText.Short(c.Id)} approvata: PIN reso dispositivo; "
            + (string.IsNullOrWhiteSpace(request.Data.Email) ? "il cittadino non ha indicato un indirizzo email, il messaggio non può essere inviato."
                : "messaggio al cittadino messo in coda per l'invio."));
    }

    public async Task<DeskResult> RejectAsync(string caseId, string user, IReadOnlyList<string> reasons, string? note, CancellationToken ct, bool supervisor = false, int? fileNo = null)
    {
        reasons = reasons.Where(r => !string.IsNullOrWhiteSpace(r)).Distinct().ToList();
        if (reasons.Count == 0) return DeskResult.Refused("Scelga almeno un motivo di rifiuto.");
        if (reasons.FirstOrDefault(r => !ReviewText.RejectionReasons.Contains(r)) is { } unknown) return DeskResult.Refused($"Motivo sconosciuto: {unknown}.");
        var (c, refusal) = await ReadyToDecideAsync(caseId, user, supervisor, ct, fileNo);
        if (c is null) return refusal!;
        if (await store.GetPendingDecisionAsync(caseId, ct) is { } pending)
            return DeskResult.Refused($"C'è già {ReviewText.Proposal(pending.Decision)} in attesa di conferma.");
        note = Clean(note);
        if (NeedsFourEyes(reasons))
        {
            var proposed = await store.ProposeDecisionAsync(new PendingDecision(caseId, "reject", reasons, note, user, clock.GetUtcNow()), ct);
            if (!proposed) return await NoLongerInReviewAsync(caseId, ct);
            log.LogInformation("Case {CaseId}: rejection {Reasons} proposed by {User}, awaiting a second reviewer", caseId, string.Join(",", reasons), user);
            return DeskResult.Done($"Rifiuto proposto per la pratica {ReviewText.Short(caseId)}: serve la conferma di un secondo revisore.");
        }
        return await RejectNowAsync(c, reasons, $"reject: respinta da {user}: {string.Join(", ", reasons)}{NoteSuffix(note)}", user, ct);
    }

    /// <summary>"Chiedi un nuovo file": the case waits for a new file on the same request; the citizen's message says
    /// exactly what to send again; the waiting time does not count towards the deadline; the new file joins this case
    /// (<see cref="CaseStore.JoinFileAsync"/>, from the upload API or a matched fax) and is read and decided here.</summary>
    public async Task<DeskResult> AskForNewFileAsync(string caseId, string user, IReadOnlyList<string> items, string? note, CancellationToken ct, bool supervisor = false)
    {
        items = items.Where(i => !string.IsNullOrWhiteSpace(i)).Distinct().ToList();
        if (items.Count == 0) return DeskResult.Refused("Scelga che cosa il cittadino deve inviare di nuovo.");
        if (items.FirstOrDefault(i => !NewFileRequest.Known(i)) is { } unknown) return DeskResult.Refused($"Voce sconosciuta: {unknown}.");
        var (c, refusal) = await ReadyToDecideAsync(caseId, user, supervisor, ct);
        if (c is null) return refusal!;
        if (c.RequestId is null) return DeskResult.Refused("Fax non abbinato: lo abbini prima a una richiesta, poi chieda un nuovo file.");
        if (await store.GetPendingDecisionAsync(caseId, ct) is { } pending) return DeskResult.Refused($"C'è {ReviewText.Proposal(pending.Decision)} in attesa di conferma.");
        var request = await store.GetRequestAsync(c.RequestId, ct) ?? throw new InvalidOperationException($"Case {c.Id} names a request that does not exist.");
        note = Clean(note);
        var message = NewFileRequest.Message(request.Data.Email, items, request.Id);
        if (!await store.AskForNewFileAsync(caseId, items, Actor.Person(user), $"chiesto da {user}: {string.Join(", ", items.Select(NewFileRequest.Label))}{NoteSuffix(note)}", message, ct))
            return DeskResult.Refused("La pratica non è più in revisione, o aspetta già un nuovo file: nessuna modifica.");
        log.LogInformation("Case {CaseId}: new file asked by {User} ({Items})", caseId, user, string.Join(",", items));
        return DeskResult.Done($"Nuovo file chiesto per la pratica {ReviewText.Short(caseId)}: "
            + (string.IsNullOrWhiteSpace(request.Data.Email) ? "il cittadino non ha indicato un indirizzo email, il messaggio non può essere inviato."
                : "messaggio al cittadino messo in coda per l'invio.") + " La pratica attende il file; il tempo di attesa non conta per il termine.");
    }

    /// <summary>The second pair of eyes: a different reviewer confirms the proposed rejection or approval, which then takes
    /// effect (an approval only if the PIN can still be converted).</summary>
    public async Task<DeskResult> ConfirmAsync(string caseId, string user, CancellationToken ct, bool supervisor = false)
    {
        var pending = await store.GetPendingDecisionAsync(caseId, ct);
        if (pending is null) return DeskResult.Refused("Non c'è nessuna proposta da confermare.");
        if (pending.ProposedBy == user)
        {
            await store.AppendAuditEventAsync(caseId, "confirmation_refused", Actor.Person(user), "chi propone non può confermare", ct);
            return DeskResult.Refused(pending.Decision == "approve" ? "Ha proposto lei questa approvazione: deve confermarla un altro revisore."
                : "Ha proposto lei questo rifiuto: deve confermarlo un altro revisore.");
        }
        var (c, refusal) = await ReadyToDecideAsync(caseId, user, supervisor, ct);
        if (c is null) return refusal!;
        if (pending.Decision == "approve")
        {
            if (c.RequestId is null) return DeskResult.Refused("Fax non abbinato: non si può approvare.");
            var (request, pin, notApprovable) = await ApprovablePinAsync(c, user, ct);
            if (notApprovable is not null) return notApprovable;
            return await ApproveNowAsync(c, request!, pin!,
                $"approve: verifiche non superate {string.Join(", ", pending.Reasons)}; proposta da {pending.ProposedBy}, confermata da {user}; PIN reso dispositivo{NoteSuffix(pending.Note)}", user, ct);
        }
        var detail = $"{pending.Decision}: {string.Join(", ", pending.Reasons)}; proposto da {pending.ProposedBy}, confermato da {user}{NoteSuffix(pending.Note)}";
        return await RejectNowAsync(c, pending.Reasons, detail, user, ct);
    }

    /// <summary>The proposal is dropped: withdrawn by its author, or not confirmed by the second reviewer (with a reason).</summary>
    public async Task<DeskResult> DeclineAsync(string caseId, string user, string? note, CancellationToken ct)
    {
        var pending = await store.GetPendingDecisionAsync(caseId, ct);
        if (pending is null) return DeskResult.Refused("Non c'è nessuna proposta da respingere.");
        var own = pending.ProposedBy == user;
        note = Clean(note);
        var what = pending.Decision == "approve" ? "l'approvazione" : "il rifiuto";
        if (!own && note is null) return DeskResult.Refused($"Scriva nella nota perché non conferma {what}.");
        if (!own && await store.TryClaimAsync(caseId, user, O.ClaimDuration, ct) == ClaimOutcome.HeldByOther)
            return DeskResult.Refused(await HeldMessageAsync(caseId, ct));
        var dropped = await store.DropPendingDecisionAsync(caseId, Actor.Person(user), own ? "proposal_withdrawn" : "proposal_declined",
            $"proposta di {pending.ProposedBy} ({string.Join(", ", pending.Reasons)})" + NoteSuffix(note), ct);
        return dropped
            ? DeskResult.Done(own ? "Proposta ritirata: la pratica torna in revisione." : $"{(pending.Decision == "approve" ? "Approvazione non confermata" : "Rifiuto non confermato")}: la pratica resta in revisione.")
            : DeskResult.Refused("La proposta era già stata chiusa.");
    }

    /// <summary>An unmatched fax gets its request (by the request id printed on the form); the pipeline then evaluates it again.</summary>
    public async Task<DeskResult> MatchAsync(string caseId, string user, string? requestId, CancellationToken ct)
    {
        requestId = requestId?.Trim();
        if (string.IsNullOrEmpty(requestId) || requestId.Length > 64) return DeskResult.Refused("Indichi l'identificativo della richiesta.");
        var c = await store.GetCaseAsync(caseId, ct);
        if (c is null || c.IsTerminal) return DeskResult.Refused("La pratica non è aperta.");
        if (c.RequestId is not null) return DeskResult.Refused("La pratica è già abbinata a una richiesta.");
        if (await store.GetRequestAsync(requestId, ct) is null) return DeskResult.Refused("Nessuna richiesta con questo identificativo.");
        if (await store.TryClaimAsync(caseId, user, O.ClaimDuration, ct) == ClaimOutcome.HeldByOther) return DeskResult.Refused(await HeldMessageAsync(caseId, ct));
        if (!await store.AssignRequestAsync(caseId, requestId, Actor.Person(user), $"abbinata a mano da {user}", ct))
            return DeskResult.Refused("La pratica è già stata abbinata da qualcun altro.");
        log.LogInformation("Case {CaseId} matched to a request by {User}", caseId, user);
        if (c.State == CaseState.InReview && await SendBackToMachineAsync(caseId, CaseState.InReview, "rerun", user, "abbinata: nuova valutazione automatica", ct))
            return DeskResult.Done("Fax abbinato alla richiesta: la pratica viene valutata di nuovo e tornerà in coda se serve una persona.");
        return DeskResult.Done("Fax abbinato alla richiesta.");
    }

    /// <summary>A NeedsAttention case goes back to Processing and the pipeline resumes where it stopped.</summary>
    public async Task<DeskResult> RetryAsync(string caseId, string user, CancellationToken ct)
    {
        var c = await store.GetCaseAsync(caseId, ct);
        if (c?.State != CaseState.NeedsAttention) return DeskResult.Refused("Solo una pratica che richiede intervento può essere rimessa in lavorazione.");
        if (await store.TryClaimAsync(caseId, user, O.ClaimDuration, ct) == ClaimOutcome.HeldByOther) return DeskResult.Refused(await HeldMessageAsync(caseId, ct));
        return await SendBackToMachineAsync(caseId, CaseState.NeedsAttention, "retried", user, $"rimessa in lavorazione da {user}", ct)
            ? DeskResult.Done("Pratica rimessa in lavorazione: la pipeline riparte dal passo interrotto.")
            : DeskResult.Refused("La pratica ha già cambiato stato.");
    }

    /// <summary>A misread value corrected by the reviewer: the rules run again on the stored facts with that value
    /// (<see cref="Assessment.Correct"/>), the verdicts shown are the new ones, the case stays
    /// with the reviewer to decide. An audit event records the field and the new machine outcome (not the value: events
    /// are shown to other reviewers, values stay in the report).</summary>
    public async Task<DeskResult> CorrectAsync(string caseId, string user, string? field, string? value, CancellationToken ct, bool supervisor = false)
    {
        // The correction is checked (and computed: a pure function of the stored report) before the claim is written.
        if (string.IsNullOrWhiteSpace(field) || string.IsNullOrWhiteSpace(value)) return DeskResult.Refused("Indichi il campo e il valore corretto.");
        var stored = await store.GetCaseAsync(caseId, ct);
        if (stored?.State == CaseState.InReview && stored.Report is null) return DeskResult.Refused("Questa pratica non ha una lettura automatica da correggere.");
        if (stored?.Report is { } before && Assessment.Correct(before, field, value, decisions.Value.Policy) is { Report: null } invalid)
            return DeskResult.Refused("Correzione non applicata: " + invalid.Error + ".");
        var (c, refusal) = await ReadyToDecideAsync(caseId, user, supervisor, ct);
        if (c is null) return refusal!;
        if (c.Report is null) return DeskResult.Refused("Questa pratica non ha una lettura automatica da correggere.");
        var (report, decision, error) = Assessment.Correct(c.Report, field, value, decisions.Value.Policy);
        if (report is null) return DeskResult.Refused("Correzione non applicata: " + error + ".");
        var outcome = decision!.Outcome switch { VerifyPipeline.Rules.Decisions.Outcome.Approve => "tutte le verifiche superate", VerifyPipeline.Rules.Decisions.Outcome.Reject => "rifiuto certo", _ => "resta da valutare" };
        var reasons = System.Text.Json.JsonSerializer.Serialize(decision.Reasons);
        if (!await store.ReplaceReportAsync(caseId, CaseState.InReview, report, reasons, "corrected", Actor.Person(user),
                $"{user} ha corretto «{field}»; verifiche ripetute: {outcome}{(decision.Reasons.Count > 0 ? " (" + string.Join(", ", decision.Reasons) + ")" : "")}", ct))
            return await NoLongerInReviewAsync(caseId, ct);
        log.LogInformation("Case {CaseId}: field {Field} corrected by {User}, rules re-run: {Outcome}", caseId, field, user, decision.Outcome);
        return DeskResult.Done($"Campo corretto e verifiche ripetute: {outcome}. La decisione resta sua.");
    }

    /// <summary>Re-runs the automatic evaluation of an InReview case (e.g. after the reading or rules were improved).</summary>
    public async Task<DeskResult> RerunAsync(string caseId, string user, CancellationToken ct, bool supervisor = false)
    {
        var (c, refusal) = await ReadyToDecideAsync(caseId, user, supervisor, ct);
        if (c is null) return refusal!;
        if (await store.GetPendingDecisionAsync(caseId, ct) is { } pending) return DeskResult.Refused($"C'è {ReviewText.Proposal(pending.Decision)} in attesa di conferma.");
        return await SendBackToMachineAsync(caseId, CaseState.InReview, "rerun", user, $"nuova valutazione chiesta da {user}", ct)
            ? DeskResult.Done("La pratica viene valutata di nuovo dalla pipeline.")
            : DeskResult.Refused("La pratica ha già cambiato stato.");
    }

    /// <summary>The next case for this reviewer: the oldest open one nobody else holds (their own first), skipping
    /// proposals they made themselves. Null when the queue (with this filter) is empty. It is shown, not claimed (issue 15:
    /// a case was found locked by someone who never opened it): the claim is taken by the first action on it, and a
    /// colleague who acted first is named when this reviewer then acts.</summary>
    public async Task<string?> NextAsync(string user, QueueFilter filter, string? after, CancellationToken ct) =>
        (await queue.LoadAllAsync(ct)).Where(filter.Matches)
            .Where(i => i.Case.Id != after && !i.ClaimedByOther(user) && i.Pending?.ProposedBy != user && !i.AwaitingFile && i.Case.State is CaseState.InReview or CaseState.NeedsAttention)
            .OrderByDescending(i => i.ClaimedBy(user)).ThenBy(i => i.Case.CreatedAt)
            .Select(i => i.Case.Id).FirstOrDefault();

    private async Task<DeskResult> RejectNowAsync(Case c, IReadOnlyList<string> reasons, string detail, string user, CancellationToken ct)
    {
        // An unmatched fax has nobody to write to: the rejection is recorded without a letter.
        var request = c.RequestId is null ? null : await store.GetRequestAsync(c.RequestId, ct);
        var letter = request is null ? null : CitizenLetters.Rejection(request.Data.Email, reasons);
        var decided = await store.DecideAsync(c.Id, [CaseState.InReview],
            new DecisionOutcome(CaseState.Rejected, "reject", reasons, detail, null, letter) { FileNo = c.FileNo }, Actor.Person(user), ct);
        if (!decided) return await NoLongerInReviewAsync(c.Id, ct);
        await store.ClearReviewStateAsync(c.Id, ct);
        if (reasons.Contains(ReasonCodes.SignatureMismatch)) await RecordSignatureVerdictAsync(c, accepted: false, user, ct);
        log.LogInformation("Case {CaseId} rejected ({Reasons}) by {User}", c.Id, string.Join(",", reasons), user);
        // Only a letter with an address is sent (the outbox keeps one without, for the record): say which it was.
        return DeskResult.Done($"Pratica {ReviewText.Short(c.Id)} respinta" + (letter is null ? " (fax non abbinato: nessun messaggio da inviare)."
            : string.IsNullOrWhiteSpace(letter.Recipient) ? ": il cittadino non ha indicato un indirizzo email, il messaggio non può essere inviato."
            : ": messaggio al cittadino messo in coda per l'invio."));
    }

    /// <summary>The reviewer's verdict on the case's signature pair, with the pair's score, mode and crops (from the stored
    /// report), for the supervisor's edge review (<see cref="SignatureEdgeReview"/>). A case without a score records nothing.</summary>
    private async Task RecordSignatureVerdictAsync(Case c, bool accepted, string user, CancellationToken ct)
    {
        if (CaseReport.Parse(c.Report) is not { } report
            || report.Rule(VerifyPipeline.Rules.Checks.RuleNames.Signature)?.Evidence is not VerifyPipeline.Rules.SignatureEvidence { Score: { } score } evidence) return;
        await store.RecordSignatureVerdictAsync(new SignatureVerdict(c.Id, user, accepted, score, evidence.Mode,
            report.SignatureCrops?.GetValueOrDefault("form"), report.SignatureCrops?.GetValueOrDefault("document"), clock.GetUtcNow()), ct);
    }

    private async Task<bool> SendBackToMachineAsync(string caseId, CaseState from, string kind, string user, string detail, CancellationToken ct)
    {
        if (!await store.TransitionAsync(caseId, [from], CaseState.Processing, kind, Actor.Person(user), detail, ct)) return false;
        await store.ClearReviewStateAsync(caseId, ct);
        jobs.Enqueue<IPipelineEntry>(p => p.Resume(caseId, CancellationToken.None));
        log.LogInformation("Case {CaseId} sent back to the pipeline ({Kind}) by {User}", caseId, kind, user);
        return true;
    }

    /// <summary>The case must be InReview and free or claimed by this user (the claim is taken or renewed here). A case
    /// whose PIN's holder said "it was not me" (a disputed notice, docs/signatures.md) is decided, corrected or re-run by a
    /// supervisor only (issue 13): the dispute says the signature the first decision rested on may be a tracing.</summary>
    private async Task<(Case?, DeskResult?)> ReadyToDecideAsync(string caseId, string user, bool supervisor, CancellationToken ct, int? fileNo = null)
    {
        var c = await store.GetCaseAsync(caseId, ct);
        if (c is null) return (null, DeskResult.Refused("Pratica inesistente."));
        if (fileNo is not null && fileNo != c.FileNo) return (null, NewFileArrived(c));
        if (c.State != CaseState.InReview) return (null, DeskResult.Refused($"La pratica è «{ReviewText.State(c.State)}»: non si può decidere ora."));
        if (!supervisor && (await store.GetNoticesAsync(caseId, ct)).Any(n => n.State == CaseStore.NoticeDisputed))
        {
            await store.AppendAuditEventAsync(caseId, "decision_refused", Actor.Person(user), "pratica contestata dal titolare del PIN: decide un supervisore", ct);
            return (null, DeskResult.Refused("Il titolare del PIN ha contestato la conversione («Non sono stato io»): questa pratica la decide solo un supervisore."));
        }
        if (await store.TryClaimAsync(caseId, user, O.ClaimDuration, ct) == ClaimOutcome.HeldByOther) return (null, DeskResult.Refused(await HeldMessageAsync(caseId, ct)));
        return (c, null);
    }

    /// <summary>The stale-page guard's answer when a newer file joined the case after the reviewer's page was shown (issue 15).</summary>
    public static DeskResult NewFileArrived(Case c) => DeskResult.Refused(
        "Nuovo file arrivato dopo che ha aperto la pratica: la decisione non è stata registrata. "
        + (c.State == CaseState.InReview ? "Guardi il nuovo file e decida di nuovo." : "La pratica viene riletta sul nuovo file e tornerà in coda se serve una persona."));

    private async Task<DeskResult> NoLongerInReviewAsync(string caseId, CancellationToken ct)
    {
        var c = await store.GetCaseAsync(caseId, ct);
        return DeskResult.Refused($"La pratica è già «{ReviewText.State(c?.State ?? CaseState.InReview)}»: nessuna modifica.");
    }

    private async Task<string> HeldMessageAsync(string caseId, CancellationToken ct)
    {
        var claim = await store.GetActiveClaimAsync(caseId, ct);
        return claim is null ? "La pratica è in carico a un altro revisore." : $"La pratica è in carico a {claim.Reviewer} fino alle {ReviewText.Local(claim.ExpiresAt)[11..]}.";
    }

    private static string? Clean(string? note) => string.IsNullOrWhiteSpace(note) ? null : note.Trim().Length > 2000 ? note.Trim()[..2000] : note.Trim();
    private static string NoteSuffix(string? note) => Clean(note) is { } n ? $"; nota: {n}" : "";
}
