using System.Text.Json;
using VerifyPipeline.Cases;

namespace VerifyPipeline.ReviewUi.Review;

public sealed record FieldRow(string Field, string Label, string? Declared, string? Read, int? Page, string? Where);
public sealed record RuleRow(string Rule, string Label, string Verdict, double? Confidence, IReadOnlyList<string> Reasons, IReadOnlyList<(string Key, string Value)> Evidence);
public sealed record SignatureEvidence(double? Score, string? Verdict, IReadOnlyList<(string Key, string Value)> Thresholds, string? FormCrop, string? DocumentCrop);
public sealed record MrzEvidence(string? Format, bool? Valid, IReadOnlyList<(string Field, bool Ok)> Checks, IReadOnlyList<string> Lines);
public sealed record QrEvidence(bool Found, bool? Valid, IReadOnlyList<(string Key, string Value)> Values);

/// <summary>What the machine found, laid out for the case page: fields beside what the citizen declared, rule verdicts
/// with evidence, the two signatures, MRZ check digits, the form's QR. Built from a report in the shape of
/// `verify check` (DESIGN.md: documents[].fields, documents[].mrz, rules[].evidence) — the Decide stage is to store
/// one per case; until it does, <paramref name="Report"/> is null and the page says so instead of showing guesses.</summary>
public sealed record CaseEvidence(bool Report, IReadOnlyList<FieldRow> Fields, IReadOnlyList<RuleRow> Rules,
    SignatureEvidence? Signatures, IReadOnlyList<MrzEvidence> Mrz, QrEvidence? Qr)
{
    private static string? Crop(JsonElement report, string? caseId, string which) =>
        caseId is not null && report.TryGetProperty("signature_crops", out var c) && c.ValueKind == JsonValueKind.Object && c.TryGetProperty(which, out _)
            ? $"/cases/{caseId}/signatures/{which}" : null;

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
    public static CaseEvidence From(RequestData? declared, JsonElement? report, string? caseId = null)
    {
        var read = new Dictionary<string, (string Value, int? Page, string? Where)>();
        var rules = new List<RuleRow>();
        var mrz = new List<MrzEvidence>();
        SignatureEvidence? sig = null;
        QrEvidence? qr = null;
        if (report is { ValueKind: JsonValueKind.Object } r)
        {
            foreach (var doc in Array(r, "documents"))
            {
                var page = Array(doc, "pages").Select(p => p.ValueKind == JsonValueKind.Number ? p.GetInt32() : (int?)null).FirstOrDefault();
                if (doc.TryGetProperty("fields", out var fields) && fields.ValueKind == JsonValueKind.Object)
                    foreach (var f in fields.EnumerateObject())
                        if (f.Value.ValueKind == JsonValueKind.String && f.Value.GetString() is { Length: > 0 } v && !read.ContainsKey(f.Name))
                            read[f.Name] = (v, page, Text(doc, "kind"));
                if (doc.TryGetProperty("mrz", out var m) && m.ValueKind == JsonValueKind.Object)
                    mrz.Add(new MrzEvidence(Text(m, "format"), Bool(m, "valid"),
                        Array(m, "checks").Select(c => (Text(c, "field") ?? "?", Bool(c, "ok") ?? false)).ToList(),
                        Array(m, "lines").Select(l => l.ToString()).ToList()));
            }
            foreach (var rule in Array(r, "rules"))
            {
                var name = Text(rule, "rule") ?? "?";
                var evidence = rule.TryGetProperty("evidence", out var e) ? Pairs(e) : [];
                rules.Add(new RuleRow(name, RuleLabels.GetValueOrDefault(name, name), Text(rule, "verdict") ?? "uncertain",
                    rule.TryGetProperty("confidence", out var conf) && conf.ValueKind == JsonValueKind.Number ? conf.GetDouble() : null,
                    Array(rule, "reasons").Select(x => x.ToString()).ToList(), evidence));
                if (name == "signature" && e.ValueKind == JsonValueKind.Object)
                    sig = new SignatureEvidence(e.TryGetProperty("score", out var s) && s.ValueKind == JsonValueKind.Number ? s.GetDouble() : null,
                        Text(rule, "verdict"), e.TryGetProperty("thresholds", out var t) ? Pairs(t) : [], Crop(r, caseId, "form"), Crop(r, caseId, "document"));
            }
            if (r.TryGetProperty("qr", out var q) && q.ValueKind == JsonValueKind.Object)
                qr = new QrEvidence(Bool(q, "found") ?? true, Bool(q, "valid"), Pairs(q));
        }
        var rows = FieldOrder.Select(f => new FieldRow(f.Field, f.Label, DeclaredValue(declared, f.Field),
            read.TryGetValue(f.Field, out var v) ? v.Value : null, read.TryGetValue(f.Field, out var w) ? w.Page : null,
            read.TryGetValue(f.Field, out var x) ? x.Where : null)).ToList();
        return new CaseEvidence(report is { ValueKind: JsonValueKind.Object }, rows, rules, sig, mrz, qr);
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

    private static IEnumerable<JsonElement> Array(JsonElement e, string name) =>
        e.TryGetProperty(name, out var a) && a.ValueKind == JsonValueKind.Array ? a.EnumerateArray() : [];

    private static string? Text(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static bool? Bool(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind is JsonValueKind.True or JsonValueKind.False ? v.GetBoolean() : null;

    private static List<(string, string)> Pairs(JsonElement e) => e.ValueKind == JsonValueKind.Object
        ? e.EnumerateObject().Select(p => (p.Name, p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString()! : p.Value.GetRawText())).ToList()
        : [];
}
