using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using VerifyPipeline.Cases;
using VerifyPipeline.Rules;
using VerifyPipeline.Rules.Checks;
using VerifyPipeline.Rules.Decisions;
using VerifyPipeline.Rules.Facts;

namespace VerifyPipeline.Decisions;

/// <summary>
/// The report of a submission (DESIGN.md's `check` report; <see cref="Version"/> 2): what `verify check` prints, what the
/// pipeline stores with a case, what the API, the review UI and the CLI read back — one set of types, written and read
/// with <see cref="WireJson"/>. Built by <see cref="Assessment.Report"/> only. Version 2 (December 2026) adds
/// <c>version</c>, each document's <c>values</c> (value, origin, page, region, confidence) and the CLI's timings inside
/// <c>timings_ms</c>; the signature mode is no longer repeated under <c>policy</c> (it is the signature rule's
/// <c>evidence.mode</c>); <c>facts</c> are written with the wire options (snake_case).
/// </summary>
/// <param name="Rules">Every rule's verdict, in the rule set's order.</param>
/// <param name="Documents">Each identity document, then the form.</param>
public sealed record CaseReport(
    Outcome Decision,
    IReadOnlyList<string> Reasons,
    IReadOnlyList<RuleReport> Rules,
    IReadOnlyList<DocumentReport> Documents,
    IReadOnlyList<PageReport> Pages)
{
    public const int CurrentVersion = 3;

    public int Version { get; init; } = CurrentVersion;
    /// <summary>The policy and date the rules ran with (null in a report of version 1 without it).</summary>
    public PolicyReport? Policy { get; init; }
    public TimingsReport? TimingsMs { get; init; }
    /// <summary>The form's QR as the reader decoded it; null when nothing was read (a file that did not open).</summary>
    public QrReport? Qr { get; init; }
    /// <summary>Blob keys of the two signature crops (<c>form</c>, <c>document</c>) shown side by side to the reviewer.</summary>
    public IReadOnlyDictionary<string, string>? SignatureCrops { get; init; }
    /// <summary>The facts the rules were given: a reviewer's correction or a policy change re-decides on them without reading again.</summary>
    public SubmissionFacts? Facts { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public IReadOnlyList<Correction>? Corrections { get; init; }
    /// <summary>`verify check` only: the leaf files unpacked, the unpacker's notes and why the file could not be read.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public IReadOnlyList<PartReport>? Parts { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public IReadOnlyList<string>? Notes { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? Error { get; init; }

    public string ToJson() => JsonSerializer.Serialize(this, WireJson.Options);

    /// <summary>The version the report was stored with when it was read through <see cref="LegacyReports"/> (null: stored
    /// as <see cref="CurrentVersion"/>).</summary>
    [JsonIgnore] public int? UpgradedFrom { get; init; }

    /// <summary>A stored report read back; null for no report or one that is not a report (never an exception for the UI).
    /// A report of an earlier version is first rewritten to this version's shape (<see cref="LegacyReports.Upgrade"/>), so
    /// its facts, timings and evidence read typed like a new one's.</summary>
    public static CaseReport? Parse(string? json)
    {
        if (string.IsNullOrWhiteSpace(json)) return null;
        try
        {
            if (JsonNode.Parse(json) is not JsonObject node) return null;
            var version = node["version"] is JsonValue v && v.TryGetValue<int>(out var n) ? n : 1;
            if (version >= CurrentVersion) return node.Deserialize<CaseReport>(WireJson.Options);
            LegacyReports.Upgrade(node, version);
            return node.Deserialize<CaseReport>(WireJson.Options) is { } report ? report with { UpgradedFrom = version } : null;
        }
        catch (JsonException) { return null; }
        catch (NotSupportedException) { return null; }
        catch (InvalidOperationException) { return null; }
    }

    public RuleReport? Rule(string name) => Rules.FirstOrDefault(r => r.Rule == name);
}

/// <summary>One rule's verdict as reported. <see cref="Evidence"/> is the rule's own typed evidence (src/Rules/RuleEvidence.cs:
/// the values compared with where each was read, the disagreements as pairs, scores and the thresholds they were held
/// against), written as the rule's <c>evidence</c> object and read back as the record of the rule named by <c>rule</c>
/// (null for a rule this build does not know).</summary>
[JsonConverter(typeof(RuleReportJson))]
public sealed record RuleReport(string Rule, Verdict Verdict, double Confidence, IReadOnlyList<string> Reasons, RuleEvidence? Evidence)
{
    public static RuleReport Of(RuleResult r) => new(r.Rule, r.Verdict, r.Confidence, r.Reasons, r.Evidence);

    /// <summary>The evidence record each rule writes.</summary>
    public static Type? EvidenceType(string rule) => rule switch
    {
        RuleNames.PinStatus => typeof(PinStatusEvidence),
        RuleNames.Completeness => typeof(CompletenessEvidence),
        RuleNames.Legibility => typeof(LegibilityEvidence),
        RuleNames.Expiry => typeof(ExpiryEvidence),
        RuleNames.Identity => typeof(IdentityEvidence),
        RuleNames.DocumentData => typeof(DocumentDataEvidence),
        RuleNames.Signature => typeof(SignatureEvidence),
        _ => null,
    };
}

/// <summary>A rule's evidence is written as its record's own properties (no type tag: the rule's name says which record it
/// is) and read back as the record <see cref="RuleReport.EvidenceType"/> names.</summary>
internal sealed class RuleReportJson : JsonConverter<RuleReport>
{
    private sealed record Wire(string? Rule, Verdict Verdict, double Confidence, IReadOnlyList<string>? Reasons, JsonElement? Evidence);

    public override RuleReport Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var w = JsonSerializer.Deserialize<Wire>(ref reader, options) ?? throw new JsonException("a rule's report is null");
        var rule = w.Rule ?? throw new JsonException("a rule's report has no name");
        var evidence = w.Evidence is { ValueKind: JsonValueKind.Object } e && RuleReport.EvidenceType(rule) is { } type
            ? (RuleEvidence?)e.Deserialize(type, options) : null;
        return new RuleReport(rule, w.Verdict, w.Confidence, w.Reasons ?? [], evidence);
    }

    public override void Write(Utf8JsonWriter writer, RuleReport value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        writer.WriteString("rule", value.Rule);
        writer.WritePropertyName("verdict");
        JsonSerializer.Serialize(writer, value.Verdict, options);
        writer.WritePropertyName("confidence");
        JsonSerializer.Serialize(writer, value.Confidence, options);
        writer.WritePropertyName("reasons");
        JsonSerializer.Serialize(writer, value.Reasons, options);
        writer.WritePropertyName("evidence");
        JsonSerializer.Serialize(writer, value.Evidence, value.Evidence?.GetType() ?? typeof(object), options);
        writer.WriteEndObject();
    }
}

/// <summary>The policy a decision was made under (the signature mode is the signature rule's evidence, not repeated here).</summary>
public sealed record PolicyReport(IReadOnlyList<string> AutoRejectReasons, DateOnly AsOf, Thresholds Thresholds);

/// <summary>Milliseconds spent in each step: unpack, pages, read (<see cref="ReadSteps"/>: the reader's own steps), and
/// <see cref="Total"/> — for `verify check` the whole run, for the pipeline the sum of its stages' durations as saved with
/// each stage (queue waits between the jobs are not counted).</summary>
public sealed record TimingsReport(long Total, long Unpack, long Pages, long Read, IReadOnlyDictionary<string, long>? ReadSteps);

public sealed record QrReport(bool Found, bool? Valid, string? RequestId, int? Page);

public sealed record Correction(string Field, string Value);

public sealed record PartReport(string Source, string Kind, long SizeBytes, string Sha256);

/// <summary>One document of the report: <see cref="Fields"/> is DESIGN.md's map of the values the rules take (printed, or
/// the MRZ's where the printed reading gave way); <see cref="Values"/> says where each came from.</summary>
public sealed record DocumentReport(string Kind, IReadOnlyList<int> Pages, IReadOnlyDictionary<string, string> Fields, MrzReport? Mrz)
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public IReadOnlyList<FieldReport>? Values { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public MarkReport? SignatureVisible { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public IReadOnlyList<SideReport>? Sides { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public FormQrReport? Qr { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public InkReport? Signature { get; init; }

    public const string FormKind = "form";

    /// <summary>An identity document's <see cref="Fields"/> and <see cref="Values"/>: the printed value where read, else the
    /// MRZ's (only from a zone whose check digits all hold).</summary>
    public static DocumentReport Of(IdDocumentFacts d)
    {
        var values = new List<FieldReport>();
        void Add<T>(string name, Read<T>? read, Func<T, string> text, string? mrzKey = null)
        {
            if (read is not null) values.Add(new FieldReport(name, text(read.Value), "document", read.Source.Page, read.Source.Region, read.Confidence));
            else if (mrzKey is not null && d.Mrz is { Result.Valid: true } m && m.Result.Fields.TryGetValue(mrzKey, out var v) && v.Length > 0)
                values.Add(new FieldReport(name, v, "mrz", m.Source.Page, m.Source.Region, m.Confidence));
        }
        var f = d.Fields;
        Add("surname", f.Surname, v => v, "surname");
        Add("given_names", f.GivenNames, v => v, "given_names");
        Add("codice_fiscale", f.CodiceFiscale, v => v);
        Add("birth_date", f.BirthDate, Iso, "birth_date");
        Add("sex", f.Sex, v => v.ToString(), "sex");
        var fields = values.ToDictionary(v => v.Name, v => v.Value);
        fields["document_type"] = Codes.Of(d.Kind);
        Add("document_number", f.Number, v => v, "document_number");
        Add("issue_date", f.IssueDate, Iso);
        Add("expiry_date", f.ExpiryDate, Iso, "expiry_date");
        foreach (var v in values.Where(v => !fields.ContainsKey(v.Name))) fields[v.Name] = v.Value;
        return new DocumentReport(Codes.Of(d.Kind), d.Sides.Select(s => s.Page).Distinct().ToList(), fields, null) { Values = values };
    }

    /// <summary>The form's <see cref="Fields"/> and <see cref="Values"/> (the QR's request id and the boxes read).</summary>
    public static DocumentReport Of(FormFacts form)
    {
        var values = new List<FieldReport>();
        if (form.Qr?.RequestId is { } id) values.Add(new FieldReport("request_id", id, "form_qr", form.Qr.Source.Page, form.Qr.Source.Region, form.Qr.Verified ? 1 : 0));
        void Add(string name, Read<string>? read)
        {
            if (read is not null) values.Add(new FieldReport(name, read.Value, "form", read.Source.Page, read.Source.Region, read.Confidence));
        }
        Add("codice_fiscale", form.Fields.CodiceFiscale);
        Add("surname", form.Fields.Surname);
        Add("given_names", form.Fields.GivenNames);
        return new DocumentReport(FormKind, [form.Page ?? 0], values.ToDictionary(v => v.Name, v => v.Value), null) { Values = values };
    }

    private static string Iso(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}

/// <summary>One value of a document: what it is, where it was read (<c>document</c> printed, <c>mrz</c>, <c>form</c> box,
/// <c>form_qr</c>), on which page and region, with what confidence.</summary>
public sealed record FieldReport(string Name, string Value, string Origin, int Page, string? Region, double Confidence);

public sealed record MrzReport(string Format, bool Valid, IReadOnlyList<string> Lines, IReadOnlyList<MrzCheckReport> Checks, IReadOnlyDictionary<string, string> Fields);

public sealed record MrzCheckReport(string Field, bool Ok);

public sealed record MarkReport(bool Value, double Confidence, int Page);

/// <summary>A side as the reader located and read it: which layout, how well it matched, how it was found, each zone's text.</summary>
public sealed record SideReport(int Page, string Side, double Match, string How, IReadOnlyList<SideFieldReport> Read, SideMrzReport? Mrz, InkReport? Signature);

public sealed record SideFieldReport(string Name, string Text, string? Value, double Confidence);

public sealed record SideMrzReport(bool Found, bool Valid, string? Failure);

public sealed record InkReport(bool Present, double Confidence, double InkRatio);

public sealed record FormQrReport(bool Found, bool Valid, string? RequestId, string? Error);
