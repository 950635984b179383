using System.Text.Json.Serialization;

namespace VerifyPipeline.Rules;

/// <summary>
/// What a rule looked at, as data: the values it compared (each with where it was read and how sure the reading was), the
/// disagreements as pairs of those values, the scores and the thresholds they were held against. Each rule has its own
/// record; the report carries it as the rule's <c>evidence</c> object (DESIGN.md) and a reviewer's page renders it. Text a
/// rule adds for a person (a note, a doubt) is English; the review desk words what it shows in Italian from the data.
/// Written by its runtime type (a <see cref="Decisions.Decision"/> serialised whole shows each rule's evidence); read back by
/// the report, which knows from the rule's name which record to read (there is no type tag in the JSON).
/// </summary>
[JsonDerivedType(typeof(PinStatusEvidence))]
[JsonDerivedType(typeof(CompletenessEvidence))]
[JsonDerivedType(typeof(LegibilityEvidence))]
[JsonDerivedType(typeof(ExpiryEvidence))]
[JsonDerivedType(typeof(IdentityEvidence))]
[JsonDerivedType(typeof(DocumentDataEvidence))]
[JsonDerivedType(typeof(SignatureEvidence))]
public abstract record RuleEvidence
{
    /// <summary>Why the rule could not judge: its input is missing (the reason code belongs to another rule).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? NotEvaluated { get; init; }
}

/// <summary>One party's statement of a value: <c>declared</c>, <c>pin_registry</c>, <c>form</c>, <c>form_qr</c>,
/// <c>document</c> (printed), <c>mrz</c>, <c>codice_fiscale</c> (decoded from it), <c>document_found</c>; the page and region
/// it was read from (none for what was declared or is in a registry) and the confidence of that reading.</summary>
public sealed record ClaimEvidence(string Origin, string Value, double Confidence, int? Page, string? Region);

/// <summary>Two statements of one attribute that differ; <see cref="Reliable"/> when both were read at or above the field
/// confidence threshold (a reliable disagreement fails the rule, an unreliable one makes it uncertain).</summary>
public sealed record Disagreement(string Origin, string Value, string OtherOrigin, string OtherValue, bool Reliable);

/// <summary>Every statement of one attribute, whether they all agree, and each pair that does not.</summary>
public sealed record ComparisonEvidence(IReadOnlyList<ClaimEvidence> Claims, bool Agree, IReadOnlyList<Disagreement> Disagreements);

/// <summary>A mark the reader looked for (a signature in its box): present or not, how sure, where.</summary>
public sealed record MarkEvidence(bool Value, double Confidence, int Page, string? Region);

/// <summary>pin_status: the registry's answer about the PIN and its holder. <see cref="Message"/> is the sentence the
/// citizen's letter gives for the failure.</summary>
public sealed record PinStatusEvidence : RuleEvidence
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? PinStatus { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? PinReference { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? PinHolderCodiceFiscale { get; init; }
    /// <summary>Null when nothing was declared to compare the holder with.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public bool? HolderMatchesDeclared { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? Message { get; init; }
}

public sealed record FormPresence(bool Found, int? Page);

public sealed record SideAt(string Side, int Page);

public sealed record DocumentSides(string Kind, IReadOnlyList<SideAt> Sides);

/// <summary>completeness: what was found (the form, each document and its sides, the two signatures), whether an absence
/// is certain, and if not, why not.</summary>
public sealed record CompletenessEvidence : RuleEvidence
{
    /// <summary>Why the file could not be opened (then nothing else is filled).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? UnreadableFile { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public bool? AbsenceCertain { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public IReadOnlyList<string>? AbsenceDoubts { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public FormPresence? Form { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public IReadOnlyList<DocumentSides>? Documents { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? DocumentJudged { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public IReadOnlyList<string>? SidesMissing { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public MarkEvidence? FormSigned { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public MarkEvidence? IdSignatureVisible { get; init; }
}

/// <summary>One page the decision needs, what it holds (<c>form</c>, <c>cie front</c>, <c>unrecognised …</c>), its
/// measures and, one sentence each, the measures below their thresholds.</summary>
public sealed record PageCheck(int Page, string Holds, double? EffectiveDpi, double? XHeightPx, double? BlurVariance, double? Contrast,
    double? OcrMeanConfidence, IReadOnlyList<string> Problems);

/// <summary>A value another rule needs that was not read reliably: on what (<c>form</c> or a document kind), which region,
/// which page, and the best reading's confidence (null: not read at all).</summary>
public sealed record RegionDoubt(string On, string Region, int? Page, double? Confidence);

public sealed record LegibilityThresholds(double MinEffectiveDpi, double MinXHeightPx, double MinBlurVariance, double MinContrast,
    double MinOcrMeanConfidence, double MinFieldConfidence);

/// <summary>legibility: the pages and values the decision needs, measured against <see cref="Thresholds"/>.</summary>
public sealed record LegibilityEvidence(IReadOnlyList<PageCheck> Pages, IReadOnlyList<RegionDoubt> Regions, LegibilityThresholds? Thresholds) : RuleEvidence;

public sealed record CutoffEvidence(DateOnly NotValidAfter, string Reference);

/// <summary>What an expiry verdict rests on.</summary>
public enum ExpiryBasis { LegalCutoff, Mrz, Printed, MrzAndPrintedDisagree, NoReliableExpiry }

/// <summary>expiry: the dates read (MRZ, printed), the legal cut-off for the kind, the date judged and what it rests on.</summary>
public sealed record ExpiryEvidence(DateOnly AsOf, DateOnly RequestDate) : RuleEvidence
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? Document { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public ClaimEvidence? MrzExpiry { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public ClaimEvidence? PrintedExpiry { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public CutoffEvidence? LegalCutoff { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public ExpiryBasis? Basis { get; init; }
    /// <summary>The expiry date judged (the MRZ's when relied upon, else the printed one).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public DateOnly? EffectiveExpiry { get; init; }
}

/// <summary>What a codice fiscale encodes (DM 23/12/1976), decoded from the statement the rule relied on (<see cref="From"/>).</summary>
public sealed record DecodedCodiceFiscale(string From, string? Canonical, bool Omocodia, DateOnly? BirthDate, string? Sex);

/// <summary>identity: each attribute of the person compared across every statement of it.</summary>
public sealed record IdentityEvidence : RuleEvidence
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public DecodedCodiceFiscale? CodiceFiscaleDecoded { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public ComparisonEvidence? CodiceFiscale { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public ComparisonEvidence? RequestId { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public ComparisonEvidence? BirthDate { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public ComparisonEvidence? Sex { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public ComparisonEvidence? Surname { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public ComparisonEvidence? GivenNames { get; init; }
    /// <summary>What looked suspicious (a QR that does not verify).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public IReadOnlyList<string>? Doubts { get; init; }
    /// <summary>The values needed to compare that are missing or unreliable.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public IReadOnlyList<string>? Missing { get; init; }

    /// <summary>The comparisons made, by attribute name (<c>codice_fiscale</c>, <c>request_id</c>, …), in report order.</summary>
    [JsonIgnore]
    public IReadOnlyList<(string Attribute, ComparisonEvidence Comparison)> Comparisons =>
        new (string, ComparisonEvidence?)[]
        {
            ("codice_fiscale", CodiceFiscale), ("request_id", RequestId), ("birth_date", BirthDate), ("sex", Sex), ("surname", Surname),
            ("given_names", GivenNames),
        }.Where(x => x.Item2 is not null).Select(x => (x.Item1, x.Item2!)).ToList();
}

/// <summary>document_data: the document's type, number and expiry as written on the form against the document's.</summary>
public sealed record DocumentDataEvidence : RuleEvidence
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public ComparisonEvidence? DocumentType { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public ComparisonEvidence? DocumentNumber { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public ComparisonEvidence? ExpiryDate { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public IReadOnlyList<string>? Missing { get; init; }

    /// <summary>The comparisons made, by attribute name, in report order.</summary>
    [JsonIgnore]
    public IReadOnlyList<(string Attribute, ComparisonEvidence Comparison)> Comparisons =>
        new (string, ComparisonEvidence?)[] { ("document_type", DocumentType), ("document_number", DocumentNumber), ("expiry_date", ExpiryDate) }
            .Where(x => x.Item2 is not null).Select(x => (x.Item1, x.Item2!)).ToList();
}

/// <summary>The signature band of the mode in force: pass at or above (null: the mode never passes), fail below.</summary>
public sealed record SignatureThresholds(double? PassAtOrAbove, double FailBelow, double CompatiblePass, double StrictPass);

public sealed record CropAt(int Page, string? Region);

/// <summary>signature: the similarity score of the two crops against the band of the signature policy.</summary>
public sealed record SignatureEvidence(double? Score, string Mode, SignatureThresholds Thresholds, CropAt? FormCrop, CropAt? DocumentCrop) : RuleEvidence
{
    /// <summary>Why there is no score to judge, or why a score is not enough (the manual policy).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? Why { get; init; }
}
