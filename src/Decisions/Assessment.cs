using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using VerifyPipeline.Cases;
using VerifyPipeline.Rules;
using VerifyPipeline.Rules.Checks;
using VerifyPipeline.Rules.Decisions;
using VerifyPipeline.Rules.Facts;

namespace VerifyPipeline.Decisions;

/// <summary>From what was declared, the PIN registry and what the reader found (the Worker's <c>SubmissionReader</c>) to
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

    /// <param name="pinHolderCf">The PIN registry's codice fiscale for the request's PIN (null when not known: the PIN rule cannot pass).</param>
    public static SubmissionFacts FactsFor(string? requestId, RequestData? declared, PinStatus pin, string? pinHolderCf, DateOnly requestDate, SubmissionRead? read = null) => new(
        new DeclaredRequest(requestId, declared?.PinReference, declared?.CodiceFiscale, declared?.Surname, declared?.GivenNames, declared?.BirthDate,
            declared is null ? null : new VerifyPipeline.Rules.Facts.DeclaredDocument(KindOf(declared.Document.Type), declared.Document.Number, declared.Document.ExpiryDate)),
        pin, requestDate, read?.Form ?? FormFacts.NotFound, read?.Documents ?? [], read?.Pages ?? [], read?.Signature ?? SignatureComparison.NotComputed,
        UnplacedPrint: read?.UnplacedPrint, PinHolderCodiceFiscale: pinHolderCf);

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
    /// <param name="signatureCrops">Blob keys of the two signature crops ("form", "document"), shown side by side to the reviewer.</param>
    public static string ReportJson(Decision d, IReadOnlyList<PageInfo> pages, SubmissionRead? read = null, SubmissionFacts? facts = null,
        IReadOnlyDictionary<string, string>? signatureCrops = null) => JsonSerializer.Serialize(new
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
        qr = read is null ? null : read.Form.Qr is { } q
            ? new { found = true, valid = (bool?)q.Verified, request_id = q.RequestId, page = (int?)q.Source.Page }
            : new { found = false, valid = (bool?)null, request_id = (string?)null, page = (int?)null },
        signature_crops = signatureCrops is { Count: > 0 } ? signatureCrops : null,
        facts = facts is null ? (JsonElement?)null : JsonSerializer.SerializeToElement(facts, FactsJson),
    }, Json);

    /// <summary>The sentence a rule wrote for the citizen about one of its reasons (its evidence's <c>message</c>), by reason
    /// code: the letter then says what is true of this case (e.g. a PIN registered to someone else is not "revoked").</summary>
    public static IReadOnlyDictionary<string, string> Sentences(Decision d) => d.Rules
        .Where(r => r.Verdict == Verdict.Fail && r.Reasons.Count == 1 && r.Evidence.TryGetValue("message", out var m) && m is string)
        .GroupBy(r => r.Reasons[0]).ToDictionary(g => g.Key, g => (string)g.First().Evidence["message"]!);

    /// <summary>Fields a reviewer may correct on the judged identity document (the names of the report's <c>fields</c>).</summary>
    public static readonly IReadOnlyList<string> CorrectableFields = ["surname", "given_names", "birth_date", "codice_fiscale", "document_number", "expiry_date"];

    /// <summary>A reviewer's correction of a misread value: the stored facts with that value of the judged document replaced
    /// (confidence 1, region "corrected by a reviewer"), the rules and the policy run again on the same as-of date, and the
    /// report rewritten with the new verdicts and the list of corrections. The reviewer still decides; this only shows what
    /// the rules conclude with the right value. Null with a message a person can act on when it cannot be done.</summary>
    public static (string? Report, Decision? Decision, string? Error) Correct(string reportJson, string field, string value, DecisionPolicy policy)
    {
        using var doc = JsonDocument.Parse(reportJson);
        var root = doc.RootElement;
        if (!root.TryGetProperty("facts", out var factsElement) || factsElement.ValueKind != JsonValueKind.Object)
            return (null, null, "questa pratica non ha i dati letti salvati: usare «Ripeti la valutazione automatica»");
        if (!CorrectableFields.Contains(field)) return (null, null, $"campo «{field}» non correggibile");
        var facts = factsElement.Deserialize<SubmissionFacts>(FactsJson)!;
        var asOf = root.TryGetProperty("policy", out var pol) && pol.TryGetProperty("as_of", out var a) && DateOnly.TryParse(a.GetString(), CultureInfo.InvariantCulture, out var d) ? d : facts.RequestDate;
        var context = RuleContext.For(asOf);
        var target = RuleSet.JudgedDocument(facts, context);
        if (target is null) return (null, null, "nessun documento di identità letto da correggere");
        var text = value.Trim();
        DateOnly? date = null;
        if (field is "birth_date" or "expiry_date")
        {
            if (!DateOnly.TryParseExact(text, ["yyyy-MM-dd", "dd/MM/yyyy", "dd.MM.yyyy"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed))
                return (null, null, "data non valida: scrivere GG/MM/AAAA");
            date = parsed;
        }
        if (text.Length == 0) return (null, null, "valore vuoto");
        var source = new Source(target.Sides.FirstOrDefault()?.Page ?? 0, "corrected by a reviewer");
        var f = target.Fields;
        f = field switch
        {
            "surname" => f with { Surname = new(text.ToUpperInvariant(), 1, source) },
            "given_names" => f with { GivenNames = new(text.ToUpperInvariant(), 1, source) },
            "codice_fiscale" => f with { CodiceFiscale = new(text.ToUpperInvariant().Replace(" ", ""), 1, source) },
            "document_number" => f with { Number = new(text.ToUpperInvariant().Replace(" ", ""), 1, source) },
            "birth_date" => f with { BirthDate = new(date!.Value, 1, source) },
            _ => f with { ExpiryDate = new(date!.Value, 1, source) },
        };
        // The reviewer's value replaces the MRZ's too for that field: it is what they read on the document.
        var corrected = target with { Fields = f, Mrz = target.Mrz is { } m ? m with { Result = m.Result with { Fields = WithoutMrzField(m.Result.Fields, field) } } : null };
        facts = facts with { Documents = facts.Documents.Select(x => ReferenceEquals(x, target) ? corrected : x).ToList() };
        var decision = Decide(facts, policy, context);
        var node = System.Text.Json.Nodes.JsonNode.Parse(reportJson)!.AsObject();
        node["decision"] = decision.Outcome;
        node["reasons"] = System.Text.Json.Nodes.JsonNode.Parse(JsonSerializer.Serialize(decision.Reasons, Json));
        node["rules"] = System.Text.Json.Nodes.JsonNode.Parse(JsonSerializer.Serialize(Rules(decision), Json));
        node["facts"] = System.Text.Json.Nodes.JsonNode.Parse(JsonSerializer.Serialize(facts, FactsJson));
        var corrections = node["corrections"] as System.Text.Json.Nodes.JsonArray ?? [];
        corrections.Add(new System.Text.Json.Nodes.JsonObject { ["field"] = field, ["value"] = text });
        node["corrections"] = corrections;
        if (node["documents"] is System.Text.Json.Nodes.JsonArray docs)
            foreach (var item in docs)
                if (item?["kind"]?.GetValue<string>() == Codes.Of(target.Kind) && item["fields"] is System.Text.Json.Nodes.JsonObject fields)
                    fields[field] = date is { } dd ? dd.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : text.ToUpperInvariant();
        return (node.ToJsonString(), decision, null);
    }

    private static IReadOnlyDictionary<string, string> WithoutMrzField(IReadOnlyDictionary<string, string> fields, string field)
    {
        var copy = fields.ToDictionary();
        copy.Remove(field);
        return copy;
    }

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
