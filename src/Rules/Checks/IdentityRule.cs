using VerifyPipeline.Rules.Facts;
using VerifyPipeline.Rules.Identity;

namespace VerifyPipeline.Rules.Checks;

/// <summary>
/// Owns IDENTITY_MISMATCH: the PIN holder (the registry's codice fiscale for the PIN), the declared request, the form and
/// the document describe one person. Every statement of an attribute is compared with every other: codice fiscale modulo
/// omocodia (PIN registry, declared, verified QR, form box, document); birth date (declared, form, the one encoded in the codice fiscale, MRZ, printed); sex (codice fiscale,
/// MRZ, printed); surname and given names after <see cref="PersonNames"/> folding (accents, apostrophes, spaces, case, order of
/// given names); the QR's request id against the request's. A codice fiscale failing its check character, or an MRZ field
/// failing its check digit, is a misread, never relied upon.
/// </summary>
public sealed class IdentityRule : IRule
{
    public string Name => RuleNames.Identity;

    public RuleResult Evaluate(SubmissionFacts facts, RuleContext context)
    {
        var d = facts.Declared;
        var form = facts.Form;
        var f = form.Fields;
        var doc = Submission.PrimaryDocument(facts, context);
        var qr = form.Found && form.Qr is { Verified: true } q ? q : null;
        var evidence = new IdentityEvidence();
        var missing = new List<string>();
        var suspicious = new List<string>();

        if (form.Found && form.Qr is { Verified: false } badQr)
            suspicious.Add($"the form's QR (page {badQr.Source.Page}) does not verify: a changed field or another issuer");

        var cfClaims = new[]
        {
            Cf(Submission.DeclaredClaim(d.CodiceFiscale)),
            Cf(string.IsNullOrWhiteSpace(facts.PinHolderCodiceFiscale) ? null : new Claim(Submission.PinHolder, facts.PinHolderCodiceFiscale, 1.0, null)),
            Cf(qr?.CodiceFiscale is { } qcf ? new Claim(Submission.FormQr, qcf, 1.0, qr.Source) : null),
            Cf(form.Found ? Claim.From(Submission.Form, f.CodiceFiscale, v => v) : null),
            Cf(doc is null ? null : Claim.From(Submission.Printed, doc.Fields.CodiceFiscale, v => v)),
        }.OfType<Claim>().ToList();
        var reference = cfClaims.FirstOrDefault(c => c.Reliable(context)) ?? cfClaims.FirstOrDefault(c => c.Confidence > 0);
        var parsed = reference is null ? null : CodiceFiscale.Parse(reference.Value, context.AsOf);
        if (parsed is not null)
            evidence = evidence with
            {
                CodiceFiscaleDecoded = new DecodedCodiceFiscale(reference!.Origin, parsed.Canonical, parsed.Omocodia, parsed.BirthDate, parsed.Sex?.ToString()),
            };
        else missing.Add("a valid codice fiscale");

        if (form.Found && qr is null && !cfClaims.Any(c => c.Origin == Submission.Form && c.Reliable(context)))
            missing.Add("the form's codice fiscale (no verified QR ties the form to the request)");

        var comparisons = new List<Comparison>
        {
            Comparison.Of("codice_fiscale", cfClaims, Submission.SameCodiceFiscale, context),
        };
        if (qr is not null && d.RequestId is not null && qr.RequestId is not null)
            comparisons.Add(Comparison.Of("request_id",
                [Submission.DeclaredClaim(d.RequestId), new Claim(Submission.FormQr, qr.RequestId, 1.0, qr.Source)],
                (a, b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase), context));

        // The birth date and sex decoded from the codice fiscale are as reliable as the code they come from.
        comparisons.Add(Comparison.Of("birth_date",
        [
            d.BirthDate is { } db ? new Claim(Submission.Declared, Codes.Iso(db), 1.0, null) : null,
            form.Found ? Claim.From(Submission.Form, f.BirthDate, Codes.Iso) : null,
            parsed?.BirthDate is { } cb ? new Claim(Submission.FromCf, Codes.Iso(cb), reference!.Confidence, reference.Source) : null,
            .. doc is null ? [] : Submission.BirthDate(doc),
        ], string.Equals, context));
        comparisons.Add(Comparison.Of("sex",
        [
            parsed?.Sex is { } cs ? new Claim(Submission.FromCf, cs.ToString(), reference!.Confidence, reference.Source) : null,
            doc is null ? null : Sex(Submission.MrzField(doc, "sex", null)),
            doc is null ? null : Claim.From(Submission.Printed, doc.Fields.Sex, c => char.ToUpperInvariant(c).ToString()),
        ], string.Equals, context));
        comparisons.Add(Comparison.Of("surname",
        [
            Submission.DeclaredClaim(d.Surname),
            form.Found ? Claim.From(Submission.Form, f.Surname, v => v) : null,
            .. doc is null ? [] : Submission.Surname(doc),
        ], PersonNames.SameSurname, context));
        comparisons.Add(Comparison.Of("given_names",
        [
            Submission.DeclaredClaim(d.GivenNames),
            form.Found ? Claim.From(Submission.Form, f.GivenNames, v => v) : null,
            .. doc is null ? [] : Submission.GivenNames(doc),
        ], PersonNames.SameGivenNames, context));

        if (doc is null) missing.Add("an identity document (completeness)");
        else
            foreach (var attr in (string[])["birth_date", "surname", "given_names"])
                if (!comparisons.Single(c => c.Attribute == attr).HasReliable(context, c => c.Origin is Submission.Mrz or Submission.Printed))
                    missing.Add($"the document's {attr} (legibility)");
        foreach (var attr in (string[])["surname", "given_names"])
            if (!comparisons.Single(c => c.Attribute == attr).HasReliable(context, c => c.Origin is Submission.Declared or Submission.Form))
                missing.Add($"the holder's {attr}: not declared, not read on the form (legibility)");

        evidence = evidence with
        {
            CodiceFiscale = Of("codice_fiscale"), RequestId = Of("request_id"), BirthDate = Of("birth_date"), Sex = Of("sex"),
            Surname = Of("surname"), GivenNames = Of("given_names"), Doubts = suspicious.Count > 0 ? suspicious : null,
        };

        var worst = comparisons.Max(c => c.Agreement);
        if (worst == Agreement.Disagree)
            return new RuleResult(Name, Verdict.Fail, comparisons.Max(c => c.Strength), [ReasonCodes.IdentityMismatch], evidence);
        if (worst == Agreement.DisagreeUnreliable || suspicious.Count > 0)
            return new RuleResult(Name, Verdict.Uncertain, 0.5, [ReasonCodes.IdentityMismatch], evidence);
        if (missing.Count > 0)
            return Result.NotEvaluable(Name, evidence with { Missing = missing }, "values needed to compare are missing or unreliable");
        var confidence = comparisons.SelectMany(c => c.Claims).Where(c => c.Reliable(context)).Select(c => c.Confidence).DefaultIfEmpty(1).Min();
        return Result.Pass(Name, confidence, evidence);

        ComparisonEvidence? Of(string attribute) => comparisons.FirstOrDefault(c => c.Attribute == attribute)?.ToEvidence();

        Claim? Cf(Claim? c) =>
            c is null ? null : CodiceFiscale.Parse(c.Value, context.AsOf).Valid ? c : c with { Confidence = 0 };

        static Claim? Sex(Claim? c) => c is null || c.Value is not ("M" or "F") ? null : c;
    }
}
