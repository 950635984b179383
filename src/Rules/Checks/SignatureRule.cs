using VerifyPipeline.Rules.Facts;

namespace VerifyPipeline.Rules.Checks;

/// <summary>
/// Owns SIGNATURE_MISMATCH: the similarity score computed in src/Worker against the calibrated band of the signature policy
/// (<see cref="RuleContext.Signature"/>): score ≥ the mode's pass edge passes (<see cref="Thresholds.SignaturePassFor"/>:
/// compatible or strict; manual never passes), score &lt; t_lo fails, between is uncertain (one often-faxed reference
/// signature: the score is triage).
/// An empty signature box or a document without a visible signature is completeness's finding (FORM_NOT_SIGNED,
/// ID_SIGNATURE_NOT_VISIBLE), not a mismatch: then this rule does not compare and reports no code. With both signatures
/// present and no score, a mismatch is not ruled out: uncertain with the code.
/// </summary>
public sealed class SignatureRule : IRule
{
    public string Name => RuleNames.Signature;

    public RuleResult Evaluate(SubmissionFacts facts, RuleContext context)
    {
        var t = context.Thresholds;
        var sig = facts.Signature;
        var mode = context.Signature;
        var pass = t.SignaturePassFor(mode);
        var evidence = new SignatureEvidence(sig.Score, Codes.Of(mode),
            new SignatureThresholds(double.IsFinite(pass) ? pass : null, t.SignatureFail, t.SignatureCompatiblePass, t.SignaturePass),
            Crop(sig.FormCrop), Crop(sig.DocumentCrop));
        var doc = Submission.PrimaryDocument(facts, context);
        if (!facts.Form.Found || doc is null) return Result.NotEvaluable(Name, evidence, "form or identity document missing (completeness)");
        if (Absent(facts.Form.Signed)) return Result.NotEvaluable(Name, evidence, "the form is not signed (completeness: FORM_NOT_SIGNED)");
        if (Absent(doc.SignatureVisible))
            return Result.NotEvaluable(Name, evidence, "no signature visible on the document (completeness: ID_SIGNATURE_NOT_VISIBLE)");

        if (sig.Score is not { } score || !(score is >= 0 and <= 1))
            return new RuleResult(Name, Verdict.Uncertain, 0, [ReasonCodes.SignatureMismatch],
                evidence with { Why = sig.Score is null ? "no similarity score was computed" : "the score is outside [0, 1]" });
        if (score < t.SignatureFail) return new RuleResult(Name, Verdict.Fail, 1 - score, [ReasonCodes.SignatureMismatch], evidence);
        if (mode == SignatureMode.Manual)
            return new RuleResult(Name, Verdict.Uncertain, 0.5, [ReasonCodes.SignatureMismatch],
                evidence with { Why = "signature policy 'manual': every signature is compared by a person" });
        if (score >= pass) return Result.Pass(Name, score, evidence);
        return new RuleResult(Name, Verdict.Uncertain, 0.5, [ReasonCodes.SignatureMismatch], evidence);

        bool Absent(Read<bool>? r) => r is { Value: false } && r.Confidence >= t.MinFieldConfidence;
    }

    private static CropAt? Crop(Source? s) => s is null ? null : new(s.Page, s.Region);
}
