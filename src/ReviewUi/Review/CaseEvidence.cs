using VerifyPipeline.Cases;
using VerifyPipeline.Decisions;

namespace VerifyPipeline.ReviewUi.Review;

public sealed record FieldRow(string Field, string Label, string? Declared, string? Read, int? Page, string? Where);
public sealed record RuleRow(string Rule, string Label, string Verdict, double? Confidence, IReadOnlyList<string> Reasons);
/// <summary>The two signature crops' URLs, the score and the band it was held against (the rule's typed evidence).</summary>
public sealed record SignaturePair(double? Score, string? Verdict, double? PassAtOrAbove, double? FailBelow, string? FormCrop, string? DocumentCrop);
public sealed record MrzEvidence(string? Format, bool? Valid, IReadOnlyList<(string Field, bool Ok)> Checks, IReadOnlyList<string> Lines);
public sealed record QrEvidence(bool Found, bool? Valid, IReadOnlyList<(string Key, string Value)> Values);

/// <summary>What the machine found, laid out for the case page: fields beside what the citizen declared, rule verdicts
/// with evidence, the two signatures, MRZ check digits, the form's QR. Built from the typed report the Decide stage stores
/// (<see cref="CaseReport"/>); without one, <paramref name="Report"/> is false and the page says so instead of showing guesses.</summary>
public sealed record CaseEvidence(bool Report, IReadOnlyList<FieldRow> Fields, IReadOnlyList<RuleRow> Rules,
    SignaturePair? Signatures, IReadOnlyList<MrzEvidence> Mrz, QrEvidence? Qr)
{
    private static string? Crop(CaseReport report, string? caseId, string which) =>
        caseId is not null && report.SignatureCrops?.ContainsKey(which) == true ? $"/cases/{caseId}/signatures/{which}" : null;

    public static readonly (string Field, string Label)[] FieldOrder =
    [
        ("surname", "Cognome"), ("given_names", "Nome"), ("codice_fiscale", "Codice fiscale"), ("birth_date", "Data di nascita"),
        ("document_type", "Tipo di documento"), ("document_number", "Numero del documento"), ("expiry_date", "Scadenza del documento"),
    ];

    public static readonly IReadOnlyDictionary<string, string> RuleLabels = new Dictionary<string, string>
    {
        ["pin_status"] = "Stato del PIN", ["completeness"] = "Completezza", ["legibility"] = "Leggibilità", ["expiry"] = "Validità del documento",
        ["identity"] = "Identità", ["document_data"] = "Dati del documento", ["signature"] = "Firma",
    };

    /// <param name="caseId">Gives the signature crops' URLs when the report kept them.</param>
    public static CaseEvidence From(RequestData? declared, CaseReport? report, string? caseId = null)
    {
        var read = new Dictionary<string, (string Value, int? Page, string? Where)>();
        var rules = new List<RuleRow>();
        var mrz = new List<MrzEvidence>();
        SignaturePair? sig = null;
        QrEvidence? qr = null;
        if (report is not null)
        {
            foreach (var doc in report.Documents)
            {
                int? page = doc.Pages is { Count: > 0 } pages ? pages[0] : null;
                foreach (var (name, value) in doc.Fields ?? new Dictionary<string, string>())
                    if (value is { Length: > 0 } && !read.ContainsKey(name)) read[name] = (value, page, doc.Kind);
                if (doc.Mrz is { } m)
                    mrz.Add(new MrzEvidence(m.Format, m.Valid, (m.Checks ?? []).Select(c => (c.Field, c.Ok)).ToList(), m.Lines ?? []));
            }
            foreach (var rule in report.Rules)
            {
                var verdict = VerifyPipeline.Rules.Codes.Of(rule.Verdict);
                rules.Add(new RuleRow(rule.Rule, RuleLabels.GetValueOrDefault(rule.Rule, rule.Rule), verdict, rule.Confidence, rule.Reasons));
                if (rule.Rule == VerifyPipeline.Rules.Checks.RuleNames.Signature)
                {
                    var e = rule.Evidence as VerifyPipeline.Rules.SignatureEvidence;
                    sig = new SignaturePair(e?.Score, verdict, e?.Thresholds?.PassAtOrAbove, e?.Thresholds?.FailBelow,
                        Crop(report, caseId, "form"), Crop(report, caseId, "document"));
                }
            }
            if (report.Qr is { } q)
                qr = new QrEvidence(q.Found, q.Valid, [("found", q.Found ? "true" : "false"), ("valid", q.Valid switch { true => "true", false => "false", null => "null" }),
                    ("request_id", q.RequestId ?? "null"), ("page", q.Page?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "null")]);
        }
        var rows = FieldOrder.Select(f => new FieldRow(f.Field, f.Label, DeclaredValue(declared, f.Field),
            read.TryGetValue(f.Field, out var v) ? v.Value : null, read.TryGetValue(f.Field, out var w) ? w.Page : null,
            read.TryGetValue(f.Field, out var x) ? x.Where : null)).ToList();
        return new CaseEvidence(report is not null, rows, rules, sig, mrz, qr);
    }

    private static string? DeclaredValue(RequestData? d, string field) => d is null ? null : field switch
    {
        "surname" => d.Surname,
        "given_names" => d.GivenNames,
        "codice_fiscale" => d.CodiceFiscale,
        "birth_date" => d.BirthDate.ToString("yyyy-MM-dd"),
        "document_type" => d.Document.Type,
        "document_number" => d.Document.Number,
        "expiry_date" => d.Document.ExpiryDate.ToString("yyyy-MM-dd"),
        _ => null,
    };
}
