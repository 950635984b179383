using VerifyPipeline.Rules.Facts;

namespace VerifyPipeline.Rules.Checks;

/// <summary>One party's statement of a value (declared, form, printed on the document, MRZ…), normalised to text.</summary>
internal sealed record Claim(string Origin, string Value, double Confidence, Source? Source)
{
    public static Claim? From<T>(string origin, Read<T>? read, Func<T, string> text) =>
        read is null ? null : new Claim(origin, text(read.Value), read.Confidence, read.Source);

    public bool Reliable(RuleContext ctx) => Confidence >= ctx.Thresholds.MinFieldConfidence;

    public ClaimEvidence ToEvidence() => new(Origin, Value, Confidence, Source?.Page, Source?.Region);
}

internal enum Agreement { Agree, DisagreeUnreliable, Disagree }

/// <summary>Pairwise comparison of every claim about one attribute.</summary>
/// <summary><see cref="Strength"/>: of the reliable disagreements, the highest lower confidence of the two sides (0 when none).</summary>
internal sealed record Comparison(string Attribute, IReadOnlyList<Claim> Claims, Agreement Agreement, IReadOnlyList<Disagreement> Disagreements, double Strength)
{
    public static Comparison Of(string attribute, IEnumerable<Claim?> claims, Func<string, string, bool> equal, RuleContext ctx)
    {
        var list = claims.OfType<Claim>().ToList();
        var agreement = Agreement.Agree;
        var notes = new List<Disagreement>();
        var strength = 0.0;
        for (var i = 0; i < list.Count; i++)
            for (var j = i + 1; j < list.Count; j++)
            {
                if (equal(list[i].Value, list[j].Value)) continue;
                var reliable = list[i].Reliable(ctx) && list[j].Reliable(ctx);
                var kind = reliable ? Agreement.Disagree : Agreement.DisagreeUnreliable;
                if (kind > agreement) agreement = kind;
                if (reliable) strength = Math.Max(strength, Math.Min(list[i].Confidence, list[j].Confidence));
                notes.Add(new Disagreement(list[i].Origin, list[i].Value, list[j].Origin, list[j].Value, reliable));
            }
        return new Comparison(attribute, list, agreement, notes, strength);
    }

    public bool HasReliable(RuleContext ctx, Func<Claim, bool> which) => Claims.Any(c => which(c) && c.Reliable(ctx));

    public ComparisonEvidence ToEvidence() => new(Claims.Select(c => c.ToEvidence()).ToList(), Agreement == Agreement.Agree, Disagreements);
}

/// <summary>Where the rules look for things in the facts, so every rule and the legibility rule agree on it.</summary>
internal static class Submission
{
    public const string Declared = "declared", PinHolder = "pin_registry", Form = "form", FormQr = "form_qr", Printed = "document", Mrz = "mrz", FromCf = "codice_fiscale";

    /// <summary>The document the rules judge: the one of the declared type, else the first of an accepted kind, else the first.</summary>
    public static IdDocumentFacts? PrimaryDocument(SubmissionFacts f, RuleContext ctx) =>
        f.Documents.FirstOrDefault(d => f.Declared.Document is { } dd && d.Kind == dd.Type)
        ?? f.Documents.FirstOrDefault(d => ctx.AcceptedKinds.Contains(d.Kind))
        ?? f.Documents.FirstOrDefault();

    /// <summary>An MRZ field: relied upon (confidence 1) when its check digit holds, never (confidence 0) when it fails;
    /// fields without a check digit carry the zone's OCR confidence.</summary>
    public static Claim? MrzField(IdDocumentFacts doc, string field, string? check)
    {
        if (doc.Mrz is not { } mrz || !mrz.Result.Fields.TryGetValue(field, out var value) || value.Length == 0) return null;
        var confidence = check is null ? mrz.Confidence
            : mrz.Result.Checks.FirstOrDefault(c => c.Field == check) is { } c ? (c.Ok ? 1.0 : 0.0) : mrz.Confidence;
        return new Claim(Mrz, value, confidence, mrz.Source);
    }

    public static Claim? MrzDate(IdDocumentFacts doc, string field) => MrzField(doc, field, field);

    public static IEnumerable<Claim?> Number(IdDocumentFacts doc) =>
        [MrzField(doc, "document_number", "document_number"), Claim.From(Printed, doc.Fields.Number, v => v)];

    public static IEnumerable<Claim?> Expiry(IdDocumentFacts doc) =>
        [MrzDate(doc, "expiry_date"), Claim.From(Printed, doc.Fields.ExpiryDate, Codes.Iso)];

    public static IEnumerable<Claim?> BirthDate(IdDocumentFacts doc) =>
        [MrzDate(doc, "birth_date"), Claim.From(Printed, doc.Fields.BirthDate, Codes.Iso)];

    public static IEnumerable<Claim?> Surname(IdDocumentFacts doc) =>
        [MrzField(doc, "surname", null), Claim.From(Printed, doc.Fields.Surname, v => v)];

    public static IEnumerable<Claim?> GivenNames(IdDocumentFacts doc) =>
        [MrzField(doc, "given_names", null), Claim.From(Printed, doc.Fields.GivenNames, v => v)];

    /// <summary>The value the document gives for a field: the MRZ's when relied upon, else the printed one when relied upon.</summary>
    public static Claim? Effective(IEnumerable<Claim?> claims, RuleContext ctx) =>
        claims.OfType<Claim>().FirstOrDefault(c => c.Reliable(ctx));

    /// <summary>What the form says for a value: the box as read when relied upon, else the declared value (the form is
    /// generated from the request, so the declared value is what was printed on it), else an unreliable read.</summary>
    public static Claim? FormOrDeclared(Claim? formRead, Claim? declared, RuleContext ctx) =>
        formRead is { } r && r.Reliable(ctx) ? r : declared ?? formRead;

    public static Claim? DeclaredClaim(string? value) =>
        string.IsNullOrWhiteSpace(value) ? null : new Claim(Declared, value, 1.0, null);

    public static bool SameText(string a, string b) => NormaliseCode(a) == NormaliseCode(b);

    /// <summary>Document numbers and codes: upper case, spaces, dashes, dots and slashes removed ("AA 1234567" = "AA1234567").</summary>
    public static string NormaliseCode(string s) =>
        new(s.Where(char.IsLetterOrDigit).Select(char.ToUpperInvariant).ToArray());

    public static bool SameCodiceFiscale(string a, string b) => Identity.CodiceFiscale.EqualModuloOmocodia(a, b);
}
