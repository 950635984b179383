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
    public RuleContext ContextFor(DateOnly asOf)
    {
        var context = RuleContext.For(asOf);
        return context with { Signature = Signature.ModeValue, Thresholds = Signature.Apply(context.Thresholds) };
    }

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
        errors.AddRange(Signature.Validate());
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
/// a binder exception. The three edges default to the calibrated figures of <see cref="Thresholds"/> (docs/signatures.md);
/// whatever is configured goes into the rules' context, so every decision's report stores the edges it was judged at.</summary>
public sealed record SignaturePolicy
{
    private static readonly Thresholds Calibrated = new();

    public string Mode { get; init; } = "compatible";

    /// <summary><c>CompatiblePass</c>: the pass edge of <c>compatible</c> (default <see cref="Thresholds.SignatureCompatiblePass"/>,
    /// 0.89). Lowering it passes more genuine pairs and, below the calibration's highest cross-writer pair plus its margin
    /// (0.733 in December 2026), risks passing another person's own signature: a wrong approval.</summary>
    public double CompatiblePass { get; init; } = Calibrated.SignatureCompatiblePass;

    /// <summary><c>StrictPass</c>: the pass edge of <c>strict</c> (default <see cref="Thresholds.SignaturePass"/>, 0.90).</summary>
    public double StrictPass { get; init; } = Calibrated.SignaturePass;

    /// <summary><c>Fail</c>: below it the signature is judged different in every mode (default <see cref="Thresholds.SignatureFail"/>, 0.20).</summary>
    public double Fail { get; init; } = Calibrated.SignatureFail;

    /// <summary>The thresholds with this policy's edges.</summary>
    public Thresholds Apply(Thresholds thresholds) =>
        thresholds with { SignatureCompatiblePass = CompatiblePass, SignaturePass = StrictPass, SignatureFail = Fail };

    /// <summary>Empty when usable; otherwise one sentence per problem, naming the key under <c>Pipeline:Policy</c>.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (Codes.SignatureModeOf(Mode) is null)
            errors.Add($"Signature:Mode: '{Mode}' is not a signature policy (compatible | strict | manual; docs/signatures.md)");
        Unit(CompatiblePass, nameof(CompatiblePass));
        Unit(StrictPass, nameof(StrictPass));
        Unit(Fail, nameof(Fail));
        if (errors.Count > 0) return errors;
        if (Fail > CompatiblePass)
            errors.Add($"Signature:Fail ({Num(Fail)}) must not be above Signature:CompatiblePass ({Num(CompatiblePass)}): a score cannot both pass and fail");
        if (Fail > StrictPass)
            errors.Add($"Signature:Fail ({Num(Fail)}) must not be above Signature:StrictPass ({Num(StrictPass)}): a score cannot both pass and fail");
        if (CompatiblePass > StrictPass)
            errors.Add($"Signature:CompatiblePass ({Num(CompatiblePass)}) must not be above Signature:StrictPass ({Num(StrictPass)}): strict is the stricter edge");
        return errors;

        void Unit(double v, string name)
        {
            if (!(v is >= 0 and <= 1)) errors.Add($"Signature:{name} must be a score from 0 to 1 (docs/signatures.md), was {Num(v)}");
        }
        static string Num(double v) => v.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

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
