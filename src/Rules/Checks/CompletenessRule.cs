using VerifyPipeline.Rules.Facts;

namespace VerifyPipeline.Rules.Checks;

/// <summary>
/// Owns UNREADABLE_FILE, FORM_MISSING, ID_MISSING, ID_SIDE_MISSING, ID_TYPE_NOT_ACCEPTED, FORM_NOT_SIGNED and
/// ID_SIGNATURE_NOT_VISIBLE: is everything the procedure asks for in the file (INPS: the signed form and an identity document,
/// front and back, on which the signature is visible).
/// An absence is certain only when every page of the file is legible and every page is accounted for (the form or a side of
/// a document): then nothing the reader missed can hide it. An unsigned form is certain on the same condition and when the
/// ink detector is sure of the empty box (confidence ≥ 0.95: far below its band); so is a document the reader recognised as
/// one that is not an identity document (<see cref="DocumentKind.Other"/>) when nothing else in the file could be one. The presence of the two signatures is this rule's own finding
/// (the reader's ink detector), so when it is not established the rule is uncertain with that code.
/// </summary>
public sealed class CompletenessRule : IRule
{
    public string Name => RuleNames.Completeness;

    /// <summary>Kinds whose two faces the procedure asks for; a passport's data page is one side.</summary>
    public static bool IsTwoSided(DocumentKind kind) => kind is DocumentKind.Cie or DocumentKind.DrivingLicence or DocumentKind.PaperId;

    public RuleResult Evaluate(SubmissionFacts facts, RuleContext context)
    {
        if (facts.UnreadableFile is { } why)
            return new RuleResult(Name, Verdict.Fail, 1.0, [ReasonCodes.UnreadableFile], new CompletenessEvidence { UnreadableFile = why })
                { CertainReasons = [ReasonCodes.UnreadableFile] };

        var (absenceCertain, absenceNotes) = AbsenceIsCertain(facts, context);
        var evidence = new CompletenessEvidence
        {
            AbsenceCertain = absenceCertain,
            AbsenceDoubts = absenceNotes.Count > 0 ? absenceNotes : null,
            Form = new FormPresence(facts.Form.Found, facts.Form.Page),
            Documents = facts.Documents.Select(d => new DocumentSides(Codes.Of(d.Kind), d.Sides.Select(s => new SideAt(Codes.Of(s.Side), s.Page)).ToList())).ToList(),
        };

        var fails = new List<string>();
        var uncertain = new List<string>();
        var confidence = 1.0;

        if (!facts.Form.Found) fails.Add(ReasonCodes.FormMissing);
        else evidence = evidence with { FormSigned = Presence(facts.Form.Signed, ReasonCodes.FormNotSigned) };

        var doc = Submission.PrimaryDocument(facts, context);
        if (doc is null) fails.Add(ReasonCodes.IdMissing);
        else
        {
            evidence = evidence with { DocumentJudged = Codes.Of(doc.Kind) };
            if (doc.Kind == DocumentKind.Unknown) uncertain.Add(ReasonCodes.IdTypeNotAccepted);
            else if (!context.AcceptedKinds.Contains(doc.Kind)) fails.Add(ReasonCodes.IdTypeNotAccepted);

            var has = doc.Sides.Select(s => s.Side).ToHashSet();
            var wanted = IsTwoSided(doc.Kind) ? new[] { DocumentSide.Front, DocumentSide.Back } : [DocumentSide.Front];
            var missing = doc.Kind == DocumentKind.Unknown
                ? (has.Count == 0 ? [DocumentSide.Front] : [])
                : wanted.Where(w => !has.Contains(w)).ToList();
            if (missing.Count > 0)
            {
                fails.Add(ReasonCodes.IdSideMissing);
                evidence = evidence with { SidesMissing = missing.Select(Codes.Of).ToList() };
            }
            evidence = evidence with { IdSignatureVisible = Presence(doc.SignatureVisible, ReasonCodes.IdSignatureNotVisible) };
        }

        if (fails.Count > 0)
        {
            var certain = absenceCertain
                ? fails.Where(c => c is ReasonCodes.FormMissing or ReasonCodes.IdMissing or ReasonCodes.IdSideMissing
                    || (c is ReasonCodes.FormNotSigned && facts.Form.Signed is { Confidence: >= 0.95 })
                    || (c is ReasonCodes.IdTypeNotAccepted && doc?.Kind == DocumentKind.Other)).ToList()
                : [];
            return new RuleResult(Name, Verdict.Fail, certain.Count > 0 ? 1.0 : confidence, [.. fails, .. uncertain], evidence) { CertainReasons = certain };
        }
        if (uncertain.Count > 0)
            return new RuleResult(Name, Verdict.Uncertain, confidence, uncertain, evidence);
        return Result.Pass(Name, confidence, evidence);

        MarkEvidence? Presence(Read<bool>? read, string code)
        {
            if (read is null) { uncertain.Add(code); confidence = Math.Min(confidence, 0); return null; }
            confidence = Math.Min(confidence, read.Confidence);
            if (read.Confidence < context.Thresholds.MinFieldConfidence) uncertain.Add(code);
            else if (!read.Value) fails.Add(code);
            return new MarkEvidence(read.Value, read.Confidence, read.Source.Page, read.Source.Region);
        }
    }

    private static (bool Certain, List<string> Notes) AbsenceIsCertain(SubmissionFacts facts, RuleContext context)
    {
        var notes = new List<string>();
        if (facts.Pages.Count == 0) notes.Add("no page was measured");
        var accounted = new HashSet<int>(facts.Documents.SelectMany(d => d.Sides.Select(s => s.Page)));
        if (facts.Form.Page is { } fp) accounted.Add(fp);
        foreach (var page in facts.UnplacedPrint ?? [])
            notes.Add($"page {page} has print outside the form and the documents found (an unrecognised side may be there)");
        foreach (var page in facts.Pages)
        {
            if (!accounted.Contains(page.Page)) notes.Add($"page {page.Page} is neither the form nor a side of a document");
            var problems = LegibilityRule.Problems(page, context.Thresholds);
            if (problems.Count > 0) notes.Add($"page {page.Page} is not legible: {string.Join("; ", problems)}");
        }
        return (notes.Count == 0, notes);
    }
}
