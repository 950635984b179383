using System.Text.Json;
using System.Text.Json.Serialization;
using VerifyPipeline.Cases;
using VerifyPipeline.Rules;
using VerifyPipeline.Rules.Checks;
using VerifyPipeline.Rules.Decisions;
using VerifyPipeline.Rules.Facts;

namespace VerifyPipeline.Worker.Pipeline;

/// <summary>From what was declared, the PIN registry and what the reader found (<see cref="Reading.SubmissionReader"/>) to
/// the rules' facts, the decision, and the report stored with the case — the same code for the pipeline and
/// <c>verify check</c>.</summary>
public static class Assessment
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    public static PinStatus StatusOf(Pin? pin) => pin switch
    {
        null => PinStatus.Unknown,
        { Revoked: true } => PinStatus.Revoked,
        { Type: PinType.Dispositivo } => PinStatus.Dispositivo,
        _ => PinStatus.Online,
    };

    public static SubmissionFacts FactsFor(string? requestId, RequestData? declared, PinStatus pin, DateOnly requestDate, Reading.SubmissionRead? read = null) => new(
        new DeclaredRequest(requestId, declared?.PinReference, declared?.CodiceFiscale, declared?.Surname, declared?.GivenNames, declared?.BirthDate,
            declared is null ? null : new VerifyPipeline.Rules.Facts.DeclaredDocument(KindOf(declared.Document.Type), declared.Document.Number, declared.Document.ExpiryDate)),
        pin, requestDate, read?.Form ?? FormFacts.NotFound, read?.Documents ?? [], read?.Pages ?? [], read?.Signature ?? SignatureComparison.NotComputed);

    /// <param name="pinKnown">False when nobody told the PIN's status (`verify check` without --pin-status): that rule is not evaluated.</param>
    public static Decision Decide(SubmissionFacts facts, DecisionPolicy policy, RuleContext context, bool pinKnown = true)
    {
        var results = RuleSet.Default.Rules.Select(rule => rule.Name == RuleNames.PinStatus && !pinKnown
            ? new RuleResult(rule.Name, Verdict.Uncertain, 0, [], new Dictionary<string, object?> { ["not_evaluated"] = "no PIN status given" })
            : rule.Evaluate(facts, context)).ToList();
        return policy.Decide(results, context);
    }

    /// <summary>The decision as the `verify check` report shows it (DESIGN.md): stored with the case for the reviewer.</summary>
    /// <param name="facts">Stored with the report so that a reviewer's correction of a misread value can re-run the rules
    /// on the same facts (<see cref="Rerun"/>).</param>
    public static string ReportJson(Decision d, IReadOnlyList<PageInfo> pages, Reading.SubmissionRead? read = null, SubmissionFacts? facts = null) => JsonSerializer.Serialize(new
    {
        decision = d.Outcome,
        reasons = d.Reasons,
        rules = Rules(d),
        documents = read?.DocumentReports ?? [],
        pages = pages.Select(p => new
        {
            index = p.Index, source = p.Source, width = p.WidthPx, height = p.HeightPx, dpi_x = p.DpiX, dpi_y = p.DpiY,
            classification = read?.PageReads.FirstOrDefault(r => r.Page == p.Index) is { } r ? new { kind = r.Classification, confidence = r.Confidence, found = r.Found } : null,
            legibility = read?.Pages.FirstOrDefault(l => l.Page == p.Index),
        }),
        policy = new { auto_reject_reasons = d.Policy.AutoRejectReasons, as_of = d.Context.AsOf, thresholds = d.Context.Thresholds },
        timings_ms = read?.TimingsMs,
        facts = facts is null ? (JsonElement?)null : JsonSerializer.SerializeToElement(facts, FactsJson),
    }, Json);

    /// <summary>Facts as stored in the report (their own shape: records, enums by their codes).</summary>
    public static readonly JsonSerializerOptions FactsJson = new(JsonSerializerDefaults.Web);

    public static IEnumerable<object> Rules(Decision d) => d.Rules.Select(r => (object)new
    {
        rule = r.Rule, verdict = r.Verdict.ToString().ToLowerInvariant(), confidence = r.Confidence, reasons = r.Reasons, evidence = r.Evidence,
    });

    private static DocumentKind KindOf(string type) => type switch
    {
        "cie" => DocumentKind.Cie,
        "passport" => DocumentKind.Passport,
        "driving_licence" => DocumentKind.DrivingLicence,
        "paper_id" => DocumentKind.PaperId,
        _ => DocumentKind.Unknown,
    };
}
