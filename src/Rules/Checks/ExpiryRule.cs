using System.Globalization;
using VerifyPipeline.Rules.Facts;

namespace VerifyPipeline.Rules.Checks;

/// <summary>
/// Owns ID_EXPIRED: the judged document is expired on <see cref="RuleContext.AsOf"/> (the request date) or no longer legally
/// valid. Conventions: a document is valid through its expiry date (expiry = AsOf passes, expiry &lt; AsOf fails); a legal
/// cut-off's "not valid after" date is likewise the last valid day. The MRZ expiry is preferred when its check digit holds
/// (ICAO 9303-3 §4.9); a printed expiry read reliably that disagrees with it makes the rule uncertain, never pass.
/// The failure is certain only when it rests on a legal cut-off or on an MRZ that is valid as a whole (every check digit,
/// the composite included, holds); a printed date read by OCR is not, however confident the read.
/// </summary>
public sealed class ExpiryRule : IRule
{
    public string Name => RuleNames.Expiry;

    public RuleResult Evaluate(SubmissionFacts facts, RuleContext context)
    {
        var asOf = context.AsOf;
        var evidence = new ExpiryEvidence(asOf, facts.RequestDate);
        var doc = Submission.PrimaryDocument(facts, context);
        if (doc is null) return Result.NotEvaluable(Name, evidence, "no identity document (completeness)");

        var mrz = Submission.MrzDate(doc, "expiry_date");
        var printed = Claim.From(Submission.Printed, doc.Fields.ExpiryDate, Codes.Iso);
        evidence = evidence with { Document = Codes.Of(doc.Kind), MrzExpiry = mrz?.ToEvidence(), PrintedExpiry = printed?.ToEvidence() };

        if (context.CutoffFor(doc.Kind) is { } cutoff)
        {
            evidence = evidence with { LegalCutoff = new CutoffEvidence(cutoff.NotValidAfter, cutoff.Reference) };
            if (asOf > cutoff.NotValidAfter) return Expired(1.0, ExpiryBasis.LegalCutoff, certain: true);
        }

        var mrzReliable = mrz is not null && mrz.Reliable(context);
        var printedReliable = printed is not null && printed.Reliable(context);
        if (mrzReliable && printedReliable && mrz!.Value != printed!.Value)
            return new RuleResult(Name, Verdict.Uncertain, 0.5, [ReasonCodes.IdExpired], evidence with { Basis = ExpiryBasis.MrzAndPrintedDisagree });

        var effective = mrzReliable ? mrz : printedReliable ? printed : null;
        if (effective is null)
        {
            // Only unreliable dates: a code only if one of them says expired, otherwise legibility explains the gap.
            var hint = new[] { mrz, printed }.OfType<Claim>().Any(c => Date(c) < asOf);
            evidence = evidence with { Basis = ExpiryBasis.NoReliableExpiry };
            return hint
                ? new RuleResult(Name, Verdict.Uncertain, 0.5, [ReasonCodes.IdExpired], evidence)
                : Result.NotEvaluable(Name, evidence, "no expiry date read reliably (legibility)");
        }

        var expiry = Date(effective);
        var basis = effective.Origin == Submission.Mrz ? ExpiryBasis.Mrz : ExpiryBasis.Printed;
        evidence = evidence with { EffectiveExpiry = expiry };
        if (expiry < asOf)
            return Expired(effective.Confidence, basis, certain: basis == ExpiryBasis.Mrz && doc.Mrz!.Result.Valid);
        return Result.Pass(Name, effective.Confidence, evidence with { Basis = basis });

        RuleResult Expired(double confidence, ExpiryBasis basis, bool certain) =>
            new(Name, Verdict.Fail, confidence, [ReasonCodes.IdExpired], evidence with { Basis = basis })
            {
                CertainReasons = certain ? [ReasonCodes.IdExpired] : [],
            };
    }

    private static DateOnly Date(Claim c) => DateOnly.ParseExact(c.Value, "yyyy-MM-dd", CultureInfo.InvariantCulture);
}
