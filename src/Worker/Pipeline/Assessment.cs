using System.Text.Json;
using System.Text.Json.Serialization;
using VerifyPipeline.Cases;
using VerifyPipeline.Rules;
using VerifyPipeline.Rules.Checks;
using VerifyPipeline.Rules.Decisions;
using VerifyPipeline.Rules.Facts;

namespace VerifyPipeline.Worker.Pipeline;

/// <summary>What the Decide stage can judge today. The reading stage (forms, documents, signatures) is not built, so
/// only the facts that need no reading are evaluated — the PIN's status in the registry — and every other rule is
/// recorded as not evaluated (uncertain). Through the policy that means: a certain PIN failure rejects, everything
/// else goes to a reviewer; nothing can be approved by the machine until the reading facts exist.</summary>
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

    public static SubmissionFacts FactsFor(string? requestId, RequestData? declared, PinStatus pin, DateOnly requestDate) => new(
        new DeclaredRequest(requestId, declared?.PinReference, declared?.CodiceFiscale, declared?.Surname, declared?.GivenNames, declared?.BirthDate,
            declared is null ? null : new VerifyPipeline.Rules.Facts.DeclaredDocument(KindOf(declared.Document.Type), declared.Document.Number, declared.Document.ExpiryDate)),
        pin, requestDate, FormFacts.NotFound, [], [], SignatureComparison.NotComputed);

    /// <param name="pinKnown">False when nobody told the PIN's status (`verify check` without --pin-status): that rule is not evaluated either.</param>
    public static Decision Decide(SubmissionFacts facts, DecisionPolicy policy, RuleContext context, bool pinKnown = true)
    {
        var results = RuleSet.Default.Rules.Select(rule => rule.Name == RuleNames.PinStatus && pinKnown
            ? rule.Evaluate(facts, context)
            : new RuleResult(rule.Name, Verdict.Uncertain, 0, [], new Dictionary<string, object?>
            {
                ["not_evaluated"] = rule.Name == RuleNames.PinStatus ? "no PIN status given" : "the reading stage (OCR, MRZ, signatures) is not built yet",
            })).ToList();
        return policy.Decide(results, context);
    }

    /// <summary>The decision as the `verify check` report shows it (DESIGN.md): stored with the case for the reviewer.</summary>
    public static string ReportJson(Decision d, IReadOnlyList<PageInfo> pages) => JsonSerializer.Serialize(new
    {
        decision = d.Outcome,
        reasons = d.Reasons,
        rules = d.Rules.Select(r => new { rule = r.Rule, verdict = r.Verdict.ToString().ToLowerInvariant(), confidence = r.Confidence, reasons = r.Reasons, evidence = r.Evidence }),
        documents = Array.Empty<object>(),
        pages = pages.Select(p => new { index = p.Index, source = p.Source, width = p.WidthPx, height = p.HeightPx, dpi_x = p.DpiX, dpi_y = p.DpiY, legibility = new { } }),
        policy = new { auto_reject_reasons = d.Policy.AutoRejectReasons, as_of = d.Context.AsOf, thresholds = d.Context.Thresholds },
    }, Json);

    private static DocumentKind KindOf(string type) => type switch
    {
        "cie" => DocumentKind.Cie,
        "passport" => DocumentKind.Passport,
        "driving_licence" => DocumentKind.DrivingLicence,
        "paper_id" => DocumentKind.PaperId,
        _ => DocumentKind.Unknown,
    };
}
