using VerifyPipeline.Rules.Facts;

namespace VerifyPipeline.Rules.Checks;

/// <summary>
/// The rules, in report order, assembled here and nowhere else (STYLE.md 10). Each reason code has exactly one owner:
/// pin_status: PIN_ALREADY_DISPOSITIVO, PIN_NOT_ELIGIBLE · completeness: UNREADABLE_FILE, FORM_MISSING, ID_MISSING,
/// ID_SIDE_MISSING, ID_TYPE_NOT_ACCEPTED, FORM_NOT_SIGNED, ID_SIGNATURE_NOT_VISIBLE · legibility: ILLEGIBLE ·
/// expiry: ID_EXPIRED · identity: IDENTITY_MISMATCH · document_data: DOCUMENT_DATA_MISMATCH · signature: SIGNATURE_MISMATCH.
/// </summary>
public sealed class RuleSet(IReadOnlyList<IRule> rules)
{
    public static RuleSet Default { get; } = new(
    [
        new PinStatusRule(),
        new CompletenessRule(),
        new LegibilityRule(),
        new ExpiryRule(),
        new IdentityRule(),
        new DocumentDataRule(),
        new SignatureRule(),
    ]);

    /// <summary>Which rule may report each code (the table above, as data; a test holds every rule to it).</summary>
    /// <summary>The identity document the rules judge (the declared kind first, else an accepted kind, else the first found).</summary>
    public static IdDocumentFacts? JudgedDocument(SubmissionFacts facts, RuleContext context) => Submission.PrimaryDocument(facts, context);

    public static IReadOnlyDictionary<string, string> Owners { get; } = new Dictionary<string, string>
    {
        [ReasonCodes.PinAlreadyDispositivo] = RuleNames.PinStatus,
        [ReasonCodes.PinNotEligible] = RuleNames.PinStatus,
        [ReasonCodes.UnreadableFile] = RuleNames.Completeness,
        [ReasonCodes.FormMissing] = RuleNames.Completeness,
        [ReasonCodes.IdMissing] = RuleNames.Completeness,
        [ReasonCodes.IdSideMissing] = RuleNames.Completeness,
        [ReasonCodes.IdTypeNotAccepted] = RuleNames.Completeness,
        [ReasonCodes.FormNotSigned] = RuleNames.Completeness,
        [ReasonCodes.IdSignatureNotVisible] = RuleNames.Completeness,
        [ReasonCodes.Illegible] = RuleNames.Legibility,
        [ReasonCodes.IdExpired] = RuleNames.Expiry,
        [ReasonCodes.IdentityMismatch] = RuleNames.Identity,
        [ReasonCodes.DocumentDataMismatch] = RuleNames.DocumentData,
        [ReasonCodes.SignatureMismatch] = RuleNames.Signature,
    };

    public IReadOnlyList<IRule> Rules { get; } = rules;

    /// <summary>A file that could not be opened is judged by pin_status and completeness only: the others have nothing to read.</summary>
    public IReadOnlyList<RuleResult> Evaluate(SubmissionFacts facts, RuleContext context) =>
        Rules.Where(r => facts.UnreadableFile is null || r.Name is RuleNames.PinStatus or RuleNames.Completeness)
            .Select(r => r.Evaluate(facts, context)).ToList();
}
