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
            ? new RuleResult(rule.Name, Verdict.Uncertain, 0, [], new PinStatusEvidence { NotEvaluated = "no PIN status given" })
            : rule.Evaluate(facts, context)).ToList();
        return policy.Decide(results, context);
    }

    /// <summary>The report of a decision (<see cref="CaseReport"/>, DESIGN.md): the one place it is built, for the pipeline
    /// (stored with the case for the reviewer) and for `verify check` (which adds its timings, parts and notes).</summary>
    /// <param name="facts">Stored with the report so that a reviewer's correction of a misread value or a policy change can
    /// re-run the rules on the same facts without reading again (<see cref="Correct"/>, <see cref="Redecide"/>).</param>
    /// <param name="signatureCrops">Blob keys of the two signature crops ("form", "document"), shown side by side to the reviewer.</param>
    /// <param name="timings">The steps' durations (the pipeline's as saved with each stage); without them only the reader's.</param>
    public static CaseReport Report(Decision d, IReadOnlyList<PageInfo> pages, SubmissionRead? read = null, SubmissionFacts? facts = null,
        IReadOnlyDictionary<string, string>? signatureCrops = null, TimingsReport? timings = null) =>
        new(d.Outcome, d.Reasons, RulesOf(d), read?.DocumentReports ?? [], PageReport.Of(pages, read))
        {
            Policy = new PolicyReport(d.Policy.AutoRejectReasons, d.Context.AsOf, d.Context.Thresholds),
            TimingsMs = timings ?? (read is null ? null : new TimingsReport(read.TimingsMs.Values.Sum(), 0, 0, read.TimingsMs.Values.Sum(), read.TimingsMs)),
            Qr = read is null ? null : read.Form.Qr is { } q ? new QrReport(true, q.Verified, q.RequestId, q.Source.Page) : new QrReport(false, null, null, null),
            SignatureCrops = signatureCrops is { Count: > 0 } ? signatureCrops : null,
            Facts = facts,
        };

    /// <summary><see cref="Report"/> as stored with a case.</summary>
    public static string ReportJson(Decision d, IReadOnlyList<PageInfo> pages, SubmissionRead? read = null, SubmissionFacts? facts = null,
        IReadOnlyDictionary<string, string>? signatureCrops = null, TimingsReport? timings = null) => Report(d, pages, read, facts, signatureCrops, timings).ToJson();

    /// <summary>The sentence a rule wrote for the citizen about one of its reasons (its evidence's <c>message</c>), by reason
    /// code: the letter then says what is true of this case (e.g. a PIN registered to someone else is not "revoked").</summary>
    public static IReadOnlyDictionary<string, string> Sentences(Decision d) => d.Rules
        .Where(r => r.Verdict == Verdict.Fail && r.Reasons.Count == 1 && r.Evidence is PinStatusEvidence { Message: not null })
        .GroupBy(r => r.Reasons[0]).ToDictionary(g => g.Key, g => ((PinStatusEvidence)g.First().Evidence).Message!);

    /// <summary>Fields a reviewer may correct on the judged identity document (the names of the report's <c>fields</c>).</summary>
    public static readonly IReadOnlyList<string> CorrectableFields = ["surname", "given_names", "birth_date", "codice_fiscale", "document_number", "expiry_date"];

    /// <summary>A reviewer's correction of a misread value: the stored facts with that value of the judged document replaced
    /// (confidence 1, region "corrected by a reviewer"), the rules and the policy run again on the same as-of date, and the
    /// report rewritten with the new verdicts and the list of corrections. The reviewer still decides; this only shows what
    /// the rules conclude with the right value. Null with a message a person can act on when it cannot be done.</summary>
    public static (string? Report, Decision? Decision, string? Error) Correct(string reportJson, string field, string value, DecisionPolicy policy)
    {
        if (CaseReport.Parse(reportJson) is not { Facts: { } facts } report)
            return (null, null, "questa pratica non ha i dati letti salvati: usare «Ripeti la valutazione automatica»");
        if (!CorrectableFields.Contains(field)) return (null, null, $"campo «{field}» non correggibile");
        var asOf = report.Policy?.AsOf ?? facts.RequestDate;
        var context = policy.ContextFor(asOf);
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
        var (redecided, decision) = Redecide(report with { Facts = facts }, policy)!.Value;
        var kind = Codes.Of(target.Kind);
        var stored = date is { } dd ? dd.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : text.ToUpperInvariant();
        var documents = report.Documents.Select(doc => doc.Kind != kind ? doc : doc with
        {
            Fields = new Dictionary<string, string>(doc.Fields) { [field] = stored },
            Values = doc.Values?.Where(v => v.Name != field).Append(new FieldReport(field, stored, "reviewer", source.Page, source.Region, 1)).ToList(),
        }).ToList();
        var rewritten = redecided with { Documents = documents, Corrections = [.. report.Corrections ?? [], new Correction(field, text)] };
        return (rewritten.ToJson(), decision, null);
    }

    /// <summary>A stored report decided again on its stored facts with the current policy: the rules and the policy only — no
    /// page is read again (a reviewer's <see cref="Correct"/>ion re-decides through it). Null when the report kept no facts.</summary>
    public static (CaseReport Report, Decision Decision)? Redecide(CaseReport report, DecisionPolicy policy, bool pinKnown = true)
    {
        if (report.Facts is not { } facts) return null;
        var decision = Decide(facts, policy, policy.ContextFor(report.Policy?.AsOf ?? facts.RequestDate), pinKnown);
        return (report with
        {
            Decision = decision.Outcome, Reasons = decision.Reasons, Rules = RulesOf(decision),
            Policy = new PolicyReport(decision.Policy.AutoRejectReasons, decision.Context.AsOf, decision.Context.Thresholds),
        }, decision);
    }

    private static IReadOnlyDictionary<string, string> WithoutMrzField(IReadOnlyDictionary<string, string> fields, string field)
    {
        var copy = fields.ToDictionary();
        copy.Remove(field);
        return copy;
    }

    public static IReadOnlyList<RuleReport> RulesOf(Decision d) => d.Rules.Select(RuleReport.Of).ToList();

    private static DocumentKind KindOf(string type) => type switch
    {
        "cie" => DocumentKind.Cie,
        "passport" => DocumentKind.Passport,
        "driving_licence" => DocumentKind.DrivingLicence,
        "paper_id" => DocumentKind.PaperId,
        _ => DocumentKind.Unknown,
    };
}
