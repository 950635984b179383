using VerifyPipeline.Rules.Facts;

namespace VerifyPipeline.Rules.Checks;

/// <summary>
/// Owns DOCUMENT_DATA_MISMATCH: the document type, number and expiry written on the form equal the document's. "Written on
/// the form" is the box as read when read reliably, else the declared value (the form is generated from the request, so that
/// is what was printed). The document's number is every statement of it (MRZ with its check digit, printed), so an MRZ and
/// a printed number that disagree are a mismatch too; its expiry is the one the expiry rule judges (MRZ preferred), since a
/// disagreement between the MRZ and printed expiry is the expiry rule's finding.
/// </summary>
public sealed class DocumentDataRule : IRule
{
    public string Name => RuleNames.DocumentData;

    public RuleResult Evaluate(SubmissionFacts facts, RuleContext context)
    {
        var evidence = new DocumentDataEvidence();
        var doc = Submission.PrimaryDocument(facts, context);
        if (doc is null) return Result.NotEvaluable(Name, evidence, "no identity document (completeness)");

        var declared = facts.Declared.Document;
        var f = facts.Form.Found ? facts.Form.Fields : FormFields.None;
        var missing = new List<string>();
        var comparisons = new List<Comparison>();

        if (doc.Kind is not (DocumentKind.Unknown or DocumentKind.Other))
        {
            var formType = Submission.FormOrDeclared(Claim.From(Submission.Form, f.DocumentType, Codes.Of),
                declared is null ? null : new Claim(Submission.Declared, Codes.Of(declared.Type), 1.0, null), context);
            if (formType is null) missing.Add("the document type on the form");
            comparisons.Add(Comparison.Of("document_type",
                [formType, new Claim("document_found", Codes.Of(doc.Kind), 1.0, doc.Sides.FirstOrDefault() is { } s ? new Source(s.Page, "document") : null)],
                string.Equals, context));
        }

        var formNumber = Submission.FormOrDeclared(Claim.From(Submission.Form, f.DocumentNumber, v => v), Submission.DeclaredClaim(declared?.Number), context);
        var docNumbers = Submission.Number(doc).OfType<Claim>().ToList();
        if (formNumber is null) missing.Add("the document number on the form");
        if (Submission.Effective(docNumbers, context) is null) missing.Add("the document's number (legibility)");
        comparisons.Add(Comparison.Of("document_number", [formNumber, .. docNumbers], Submission.SameText, context));

        var formExpiry = Submission.FormOrDeclared(Claim.From(Submission.Form, f.DocumentExpiry, Codes.Iso),
            declared?.ExpiryDate is { } de ? new Claim(Submission.Declared, Codes.Iso(de), 1.0, null) : null, context);
        var docExpiry = Submission.Effective(Submission.Expiry(doc), context);
        if (formExpiry is null) missing.Add("the document expiry on the form");
        if (docExpiry is null) missing.Add("the document's expiry (legibility)");
        comparisons.Add(Comparison.Of("expiry_date", [formExpiry, docExpiry], string.Equals, context));

        evidence = evidence with
        {
            DocumentType = comparisons.FirstOrDefault(c => c.Attribute == "document_type")?.ToEvidence(),
            DocumentNumber = comparisons.FirstOrDefault(c => c.Attribute == "document_number")?.ToEvidence(),
            ExpiryDate = comparisons.FirstOrDefault(c => c.Attribute == "expiry_date")?.ToEvidence(),
        };
        var worst = comparisons.Max(c => c.Agreement);
        if (worst == Agreement.Disagree)
            return new RuleResult(Name, Verdict.Fail, comparisons.Max(c => c.Strength), [ReasonCodes.DocumentDataMismatch], evidence);
        if (worst == Agreement.DisagreeUnreliable)
            return new RuleResult(Name, Verdict.Uncertain, 0.5, [ReasonCodes.DocumentDataMismatch], evidence);
        if (missing.Count > 0)
            return Result.NotEvaluable(Name, evidence with { Missing = missing }, "values needed to compare are missing or unreliable");
        var confidence = comparisons.SelectMany(c => c.Claims).Where(c => c.Reliable(context)).Select(c => c.Confidence).DefaultIfEmpty(1).Min();
        return Result.Pass(Name, confidence, evidence);
    }
}
