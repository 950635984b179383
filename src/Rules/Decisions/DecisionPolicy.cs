using VerifyPipeline.Rules.Checks;
using VerifyPipeline.Rules.Facts;

namespace VerifyPipeline.Rules.Decisions;

/// <summary>
/// How rule results become a decision (configuration; the host calls <see cref="Validate"/> at start and refuses to run on
/// errors). Approve only when every rule passes; reject without a person only for a failure that its rule marked certain
/// (<see cref="RuleResult.CertainReasons"/>) and that is listed in <see cref="AutoRejectReasons"/>; everything else goes to a
/// person. A certain failure rejects even when other rules are uncertain: the missing or expired document will not become
/// present or valid on review.
/// </summary>
public sealed record DecisionPolicy
{
    /// <summary>The defaults: failures a person could not overturn. ID_EXPIRED is certain only from a fully valid
    /// MRZ or a legal cut-off (the expiry rule decides that), so an OCR-read printed date still goes to a person;
    /// FORM_NOT_SIGNED and ID_TYPE_NOT_ACCEPTED only when completeness marks them certain (every page legible and
    /// accounted for, the box surely empty / the card surely not an identity document).</summary>
    public static IReadOnlyList<string> DefaultAutoRejectReasons { get; } =
    [
        ReasonCodes.PinAlreadyDispositivo, ReasonCodes.PinNotEligible, ReasonCodes.FormMissing, ReasonCodes.IdMissing,
        ReasonCodes.IdSideMissing, ReasonCodes.FormNotSigned, ReasonCodes.IdTypeNotAccepted, ReasonCodes.IdExpired, ReasonCodes.UnreadableFile,
    ];

    public IReadOnlyList<string> AutoRejectReasons { get; init; } = DefaultAutoRejectReasons;

    /// <summary>SIGNATURE_MISMATCH rejects without a person only if listed and this is set: one reference signature, often
    /// faxed, is triage evidence, not proof (issue 6).</summary>
    public bool AllowSignatureMismatchAutoReject { get; init; }

    /// <summary><c>Pipeline:Policy:CoolingOff</c> (default 24 h): after an approval the PIN becomes dispositivo only when
    /// this has passed without its holder disputing it through the notice sent to the contacts registered with the PIN.
    /// Zero converts at once without a notice (the behaviour before the notice existed).</summary>
    public TimeSpan CoolingOff { get; init; } = TimeSpan.FromHours(24);

    /// <summary><c>Pipeline:Policy:Signature</c>: how the form's signature is judged (docs/signatures.md).</summary>
    public SignaturePolicy Signature { get; init; } = new();

    /// <summary>The rules' context for a date under this policy: the default thresholds and cut-offs, this signature mode.
    /// Call after <see cref="Validate"/> (an unknown mode is refused there).</summary>
    public RuleContext ContextFor(DateOnly asOf) => RuleContext.For(asOf) with { Signature = Signature.ModeValue };

    /// <summary>Empty when usable; otherwise one message per problem.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        var known = RuleSet.Owners.Keys.ToHashSet(StringComparer.Ordinal);
        foreach (var code in AutoRejectReasons.Where(c => !known.Contains(c)))
            errors.Add($"{nameof(AutoRejectReasons)}: '{code}' is not a reason code (known: {string.Join(", ", known.Order(StringComparer.Ordinal))})");
        foreach (var dup in AutoRejectReasons.GroupBy(c => c, StringComparer.Ordinal).Where(g => g.Count() > 1))
            errors.Add($"{nameof(AutoRejectReasons)}: '{dup.Key}' is listed {dup.Count()} times");
        if (AutoRejectReasons.Contains(ReasonCodes.SignatureMismatch) && !AllowSignatureMismatchAutoReject)
            errors.Add($"{nameof(AutoRejectReasons)}: {ReasonCodes.SignatureMismatch} would reject without a person; " +
                       $"set {nameof(AllowSignatureMismatchAutoReject)} to confirm that this is intended");
        if (CoolingOff < TimeSpan.Zero || CoolingOff > TimeSpan.FromDays(30))
            errors.Add($"{nameof(CoolingOff)}: {CoolingOff} must be between zero (convert at once) and 30 days");
        if (Codes.SignatureModeOf(Signature.Mode) is null)
            errors.Add($"Signature:Mode: '{Signature.Mode}' is not a signature policy (compatible | strict | manual; docs/signatures.md)");
        return errors;
    }

    public Decision Decide(IReadOnlyList<RuleResult> results, RuleContext context)
    {
        var autoReject = AutoRejectReasons.ToHashSet(StringComparer.Ordinal);
        if (!AllowSignatureMismatchAutoReject) autoReject.Remove(ReasonCodes.SignatureMismatch);

        var certain = results.Where(r => r.Verdict == Verdict.Fail)
            .SelectMany(r => r.CertainReasons.Where(c => r.Reasons.Contains(c) && autoReject.Contains(c)))
            .Distinct().ToList();
        if (certain.Count > 0) return Make(Outcome.Reject, certain);
        if (results.Count > 0 && results.All(r => r.Verdict == Verdict.Pass)) return Make(Outcome.Approve, []);
        return Make(Outcome.Review, results.Where(r => r.Verdict != Verdict.Pass).SelectMany(r => r.Reasons).Distinct().ToList());

        Decision Make(Outcome outcome, IReadOnlyList<string> reasons) => new(outcome, reasons, results, this, context);
    }

    /// <summary>The one entry point for the pipeline and <c>verify check</c>: the default rule set, then this policy.</summary>
    public Decision Decide(SubmissionFacts facts, RuleContext context) => Decide(RuleSet.Default.Evaluate(facts, context), context);
}

/// <summary><c>Pipeline:Policy:Signature</c>. <see cref="Mode"/>: <c>compatible</c> (default: pass when the signature is
/// surely not another person's own), <c>strict</c> (pass only above every skilled forgery of the calibration) or
/// <c>manual</c> (every signature to a person). A string so that a wrong value is refused at start with a sentence, not
/// a binder exception.</summary>
public sealed record SignaturePolicy
{
    public string Mode { get; init; } = "compatible";

    /// <summary>The mode (compatible when the value is unknown: <see cref="DecisionPolicy.Validate"/> refuses it first).</summary>
    public SignatureMode ModeValue => Codes.SignatureModeOf(Mode) ?? SignatureMode.Compatible;
}

/// <summary>What the machine concludes of a submission (DESIGN.md's <c>decision</c>).</summary>
[System.Text.Json.Serialization.JsonConverter(typeof(System.Text.Json.Serialization.JsonStringEnumConverter<Outcome>))]
public enum Outcome
{
    [System.Text.Json.Serialization.JsonStringEnumMemberName("approve")] Approve,
    [System.Text.Json.Serialization.JsonStringEnumMemberName("reject")] Reject,
    [System.Text.Json.Serialization.JsonStringEnumMemberName("review")] Review,
}

/// <summary>
/// A decision with everything that produced it, stored with the case and printed by <c>verify check</c>: the outcome
/// (approve | reject | review), its reasons (for a rejection the certain ones the citizen is told; for a review every code
/// a rule raised), every rule's result, and the policy and context (date, thresholds, legal cut-offs) used.
/// </summary>
public sealed record Decision(Outcome Outcome, IReadOnlyList<string> Reasons, IReadOnlyList<RuleResult> Rules, DecisionPolicy Policy, RuleContext Context);
