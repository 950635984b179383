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
        var evidence = new Dictionary<string, object?> { ["as_of"] = Codes.Iso(asOf), ["request_date"] = Codes.Iso(facts.RequestDate) };
        var doc = Submission.PrimaryDocument(facts, context);
        if (doc is null) return Result.NotEvaluable(Name, evidence, "no identity document (completeness)");
        evidence["document"] = Codes.Of(doc.Kind);

        var mrz = Submission.MrzDate(doc, "expiry_date");
        var printed = Claim.From(Submission.Printed, doc.Fields.ExpiryDate, Codes.Iso);
        evidence["mrz_expiry"] = mrz?.ToEvidence();
        evidence["printed_expiry"] = printed?.ToEvidence();

        if (context.CutoffFor(doc.Kind) is { } cutoff)
        {
            evidence["legal_cutoff"] = new Dictionary<string, object?>
            {
                ["not_valid_after"] = Codes.Iso(cutoff.NotValidAfter), ["reference"] = cutoff.Reference,
            };
            if (asOf > cutoff.NotValidAfter)
                return Expired(1.0, "legal_cutoff", certain: true,
                    $"{Codes.Of(doc.Kind)} not valid after {Codes.Iso(cutoff.NotValidAfter)} ({cutoff.Reference})");
        }

        var mrzReliable = mrz is not null && mrz.Reliable(context);
        var printedReliable = printed is not null && printed.Reliable(context);
        if (mrzReliable && printedReliable && mrz!.Value != printed!.Value)
        {
            evidence["basis"] = "mrz_and_printed_disagree";
            return new RuleResult(Name, Verdict.Uncertain, 0.5, [ReasonCodes.IdExpired], evidence);
        }

        var effective = mrzReliable ? mrz : printedReliable ? printed : null;
        if (effective is null)
        {
            // Only unreliable dates: a code only if one of them says expired, otherwise legibility explains the gap.
            var hint = new[] { mrz, printed }.OfType<Claim>().Any(c => Date(c) < asOf);
            evidence["basis"] = "no_reliable_expiry";
            return hint
                ? new RuleResult(Name, Verdict.Uncertain, 0.5, [ReasonCodes.IdExpired], evidence)
                : Result.NotEvaluable(Name, evidence, "no expiry date read reliably (legibility)");
        }

        var expiry = Date(effective);
        var basis = effective.Origin == Submission.Mrz ? "mrz" : "printed";
        evidence["effective_expiry"] = effective.Value;
        if (expiry < asOf)
            return Expired(effective.Confidence, basis, certain: basis == "mrz" && doc.Mrz!.Result.Valid,
                $"expired on {effective.Value}, before {Codes.Iso(asOf)}");
        evidence["basis"] = basis;
        return Result.Pass(Name, effective.Confidence, evidence);

        RuleResult Expired(double confidence, string basis, bool certain, string why)
        {
            evidence["basis"] = basis;
            evidence["why"] = why;
            return new RuleResult(Name, Verdict.Fail, confidence, [ReasonCodes.IdExpired], evidence)
            {
                CertainReasons = certain ? [ReasonCodes.IdExpired] : [],
            };
        }
    }

    private static DateOnly Date(Claim c) => DateOnly.ParseExact(c.Value, "yyyy-MM-dd", CultureInfo.InvariantCulture);
}
