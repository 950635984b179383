using System.Globalization;
using VerifyPipeline.Decisions;
using VerifyPipeline.Rules;
using VerifyPipeline.Rules.Checks;
using VerifyPipeline.Rules.Decisions;
using VerifyPipeline.Rules.Identity;

namespace VerifyPipeline.ReviewUi.Review;

/// <summary>One statement of a value: its source in Italian (dichiarato, modulo, documento, MRZ…), the value as a reviewer
/// reads it (dates GG/MM/AAAA, kinds in words), the page it was read on, and whether it differs from the others.</summary>
public sealed record ValueView(string Source, string Value, int? Page, bool Uncertain, bool Differs);

/// <summary>One attribute compared across its sources (a row group of the rule's table).</summary>
public sealed record ComparisonView(string Attribute, string Label, bool Agree, IReadOnlyList<ValueView> Values);

/// <summary>One rule, for a person: its verdict in words, one Italian sentence saying why, the values it compared and
/// short notes (what was missing, what looked suspicious).</summary>
public sealed record RuleView(string Rule, string Label, string Verdict, string VerdictText, string Sentence,
    IReadOnlyList<string> Reasons, IReadOnlyList<ComparisonView> Comparisons, IReadOnlyList<string> Notes)
{
    public bool Passed => Verdict == "pass";
}

/// <summary>What a codice fiscale encodes (DM 23/12/1976): birth date, sex, the cadastral code of the birth place.</summary>
public sealed record DecodedCf(string Code, string Source, string? BirthDate, char? Sex, string? PlaceCode, string? PlaceName)
{
    public string SexText => Sex switch { 'F' => "femminile", 'M' => "maschile", _ => "—" };
}

/// <summary>The two signatures and the score held against the band, in words.</summary>
public sealed record SignatureView(string Verdict, string Sentence, double? Score, double? PassAt, double? FailBelow, string? FormCrop, string? DocumentCrop);

/// <summary>The top of the case page: the machine's verdict in one sentence, the open questions, the reasons it proposes
/// (pre-ticked in the rejection form) and the signature question when there is one.</summary>
public sealed record DecisionCard(string Sentence, IReadOnlyList<string> Questions, IReadOnlyList<string> ProposedReasons, SignatureView? Signature);

/// <summary>
/// The typed report (<see cref="CaseReport"/>: each rule's evidence record, src/Rules/RuleEvidence.cs) turned into records
/// the case page renders: no JSON, no English key reaches a reviewer (issue 15). An unknown rule still gets its verdict in
/// words and the generic sentence.
/// </summary>
public sealed record EvidenceView(bool Report, DecisionCard Card, IReadOnlyList<RuleView> Rules, IReadOnlyList<DecodedCf> Decoded, SignatureView? Signature)
{
    public static readonly EvidenceView None = new(false, new DecisionCard("La lettura automatica non è disponibile per questa pratica: confronti i dati dichiarati con le pagine.", [], [], null), [], [], null);

    public static string VerdictText(string verdict) => verdict switch { "pass" => "superata", "fail" => "non superata", _ => "da valutare" };

    public static string SourceText(string origin) => origin switch
    {
        "declared" => "dichiarato",
        "pin_registry" => "registro PIN",
        "form" => "modulo",
        "form_qr" => "QR del modulo",
        "document" => "documento",
        "document_found" => "documento inviato",
        "mrz" => "MRZ",
        "codice_fiscale" => "dal codice fiscale",
        "case" => "questa pratica",
        _ => origin,
    };

    public static string AttributeText(string attribute) => attribute switch
    {
        "codice_fiscale" => "Codice fiscale",
        "request_id" => "Identificativo della richiesta",
        "birth_date" => "Data di nascita",
        "sex" => "Sesso",
        "surname" => "Cognome",
        "given_names" => "Nome",
        "document_type" => "Tipo di documento",
        "document_number" => "Numero del documento",
        "expiry_date" or "document_expiry_date" => "Scadenza del documento",
        "mrz_expiry" => "Scadenza (MRZ)",
        "printed_expiry" => "Scadenza (stampata)",
        _ => attribute,
    };

    /// <param name="reportJson">The case's stored report (<see cref="CaseReport.Parse"/>, which reads earlier versions too);
    /// null when the file was never read.</param>
    /// <param name="requestId">The case's request, shown beside the request id the form's QR carries.</param>
    public static EvidenceView From(string? reportJson, string? requestId, string? caseId = null) =>
        From(CaseReport.Parse(reportJson), requestId, caseId);

    public static EvidenceView From(CaseReport? r, string? requestId, string? caseId = null)
    {
        if (r is null) return None;
        var minConfidence = r.Policy?.Thresholds.MinFieldConfidence ?? 0.80;
        var asOf = r.Policy?.AsOf ?? DateOnly.FromDateTime(DateTime.UtcNow);
        var rules = new List<RuleView>();
        var decoded = new List<DecodedCf>();
        SignatureView? signature = null;
        foreach (var rule in r.Rules)
        {
            var verdict = Codes.Of(rule.Verdict);
            var reasons = rule.Reasons.ToList();
            var view = rule.Evidence switch
            {
                IdentityEvidence e => Identity(e, verdict, reasons, minConfidence, r, requestId, asOf, decoded),
                DocumentDataEvidence e => DocumentData(e, verdict, reasons, minConfidence),
                SignatureEvidence e => SignatureRule(e, verdict, reasons, r, caseId, out signature),
                ExpiryEvidence e => Expiry(e, verdict, reasons, minConfidence),
                CompletenessEvidence e => Completeness(e, verdict, reasons),
                PinStatusEvidence e => PinStatus(e, verdict, reasons, asOf, decoded),
                LegibilityEvidence e => Legibility(e, verdict, reasons),
                _ => new RuleView(rule.Rule, CaseEvidence.RuleLabels.GetValueOrDefault(rule.Rule, rule.Rule), verdict, VerdictText(verdict), Generic(verdict, reasons), reasons, [], []),
            };
            rules.Add(view);
        }
        var card = BuildCard(r.Decision, rules, signature);
        return new EvidenceView(true, card, rules, decoded.DistinctBy(x => x.Code).ToList(), signature);
    }

    /// <summary>The signature rule's verdict in a stored report (pass, fail, uncertain), or null when it has none: the
    /// queue labels a SIGNATURE_MISMATCH "da verificare" unless the verdict is a failure.</summary>
    public static string? SignatureVerdict(string? reportJson) =>
        CaseReport.Parse(reportJson)?.Rule(RuleNames.Signature) is { } rule ? Codes.Of(rule.Verdict) : null;

    private static DecisionCard BuildCard(Outcome decision, List<RuleView> rules, SignatureView? signature)
    {
        var open = rules.Where(x => !x.Passed).ToList();
        var failed = open.Where(x => x.Verdict == "fail" && x.Reasons.Count > 0).ToList();
        var doubtful = open.Where(x => x.Verdict != "fail" && x.Reasons.Count > 0).ToList();
        var sentence = decision switch
        {
            Outcome.Approve => "Il sistema ha approvato la pratica: tutte le verifiche sono superate.",
            Outcome.Reject => "Il sistema ha respinto la pratica per motivi certi: " + string.Join("; ", failed.SelectMany(x => x.Reasons).Distinct().Select(ReviewText.Reason)) + ".",
            _ when failed.Count > 0 => $"Il sistema propone di respingere ({string.Join("; ", failed.SelectMany(x => x.Reasons).Distinct().Select(ReviewText.Reason))}), ma non con la certezza che serve per farlo da solo: decide lei.",
            _ when doubtful.Count > 0 => $"Il sistema non ha trovato motivi certi di rifiuto, ma {(doubtful.Count == 1 ? "una verifica è" : $"{doubtful.Count} verifiche sono")} da valutare: decide lei.",
            _ when open.Count > 0 => "Il sistema non ha potuto completare tutte le verifiche: controlli le pagine e decida.",
            _ => "Tutte le verifiche automatiche sono superate.",
        };
        // The questions: every rule that did not pass, failures first, in its own words.
        var questions = open.OrderBy(x => x.Verdict == "fail" ? 0 : x.Reasons.Count > 0 ? 1 : 2).Select(x => $"{x.Label}: {x.Sentence}").ToList();
        // Pre-ticked: what reliable facts show (failed rules); a doubt is a question for the reviewer, not a proposed reason.
        var proposed = failed.SelectMany(x => x.Reasons).Distinct().Where(x => ReviewText.RejectionReasons.Contains(x)).ToList();
        var sig = signature is not null && rules.Any(x => x.Rule == RuleNames.Signature && x.Reasons.Count > 0) ? signature : null;
        return new DecisionCard(sentence, questions, proposed, sig);
    }

    private static RuleView Identity(IdentityEvidence e, string verdict, List<string> reasons, double min, CaseReport report, string? requestId, DateOnly asOf, List<DecodedCf> decoded)
    {
        var comparisons = e.Comparisons.Select(c => Comparison(c.Attribute, c.Comparison, min)).OfType<ComparisonView>().ToList();
        // The QR's request id beside the case's, also when the QR did not verify (the identity rule compares only verified ones).
        if (comparisons.All(c => c.Attribute != "request_id") && report.Qr is { RequestId: { } qrId } qr)
        {
            var same = requestId is not null && string.Equals(qrId, requestId, StringComparison.OrdinalIgnoreCase);
            comparisons.Insert(Math.Min(1, comparisons.Count), new ComparisonView("request_id", AttributeText("request_id"), requestId is null || same,
            [
                new ValueView(SourceText("case"), requestId ?? "—", null, false, false),
                new ValueView(SourceText("form_qr"), qrId, qr.Page, qr.Valid != true, requestId is not null && !same),
            ]));
        }
        if (e.CodiceFiscaleDecoded is { Canonical: { } canon } dec)
            decoded.Add(Decode(canon, SourceText(dec.From), asOf));
        // A different code is decoded too: a relative's shows another birth date or sex beside the declared ones.
        foreach (var other in comparisons.Where(c => c.Attribute == "codice_fiscale").SelectMany(c => c.Values).Where(x => x.Differs))
            decoded.Add(Decode(other.Value, other.Source, asOf));
        var notes = new List<string>();
        notes.AddRange((e.Doubts ?? []).Select(Translate));
        notes.AddRange((e.Missing ?? []).Select(x => "Manca: " + Translate(x)));
        var differing = comparisons.Where(c => !c.Agree).Select(c => c.Label.ToLowerInvariant()).ToList();
        var sentence = verdict switch
        {
            "pass" => "Codice fiscale, data di nascita, sesso, cognome e nome coincidono tra richiesta, modulo e documento.",
            "fail" => $"I dati anagrafici non corrispondono ({string.Join(", ", differing)}): il modulo o il documento potrebbero essere di un'altra persona o di un'altra richiesta.",
            _ when reasons.Count > 0 && differing.Count > 0 => $"Possibile differenza nei dati anagrafici ({string.Join(", ", differing)}), su letture incerte: confronti con le pagine.",
            _ when reasons.Count > 0 => "Qualcosa non torna sul modulo (vedi le note): confronti con le pagine.",
            _ => "Non è stato possibile confrontare i dati anagrafici: mancano valori letti con sicurezza.",
        };
        return new RuleView(RuleNames.Identity, "Identità", verdict, VerdictText(verdict), sentence, reasons, comparisons, notes);
    }

    private static RuleView DocumentData(DocumentDataEvidence e, string verdict, List<string> reasons, double min)
    {
        var comparisons = e.Comparisons.Select(c => Comparison(c.Attribute, c.Comparison, min)).OfType<ComparisonView>().ToList();
        var differing = comparisons.Where(c => !c.Agree).Select(c => c.Label.ToLowerInvariant()).ToList();
        var sentence = verdict switch
        {
            "pass" => "Tipo, numero e scadenza del documento indicati nel modulo corrispondono al documento inviato.",
            "fail" => $"Il documento inviato non è quello indicato nel modulo ({string.Join(", ", differing)}).",
            _ when reasons.Count > 0 => $"Possibile differenza tra modulo e documento ({string.Join(", ", differing)}), su letture incerte: confronti con le pagine.",
            _ => NotEvaluated(e, "Non è stato possibile confrontare modulo e documento: mancano valori letti con sicurezza."),
        };
        var notes = (e.Missing ?? []).Select(x => "Manca: " + Translate(x)).ToList();
        return new RuleView(RuleNames.DocumentData, "Dati del documento", verdict, VerdictText(verdict), sentence, reasons, comparisons, notes);
    }

    private static RuleView SignatureRule(SignatureEvidence e, string verdict, List<string> reasons, CaseReport report, string? caseId, out SignatureView view)
    {
        var score = e.Score;
        var pass = e.Thresholds?.PassAtOrAbove;
        double? fail = e.Thresholds?.FailBelow;
        var sentence = e.NotEvaluated is { } why ? "Confronto delle firme non eseguito: " + Translate(why) + "."
            : score is null ? "Firme presenti ma somiglianza non calcolata: confronti le due firme."
            : verdict switch
            {
                "pass" => $"Firma compatibile: somiglianza {N(score)}; passa da {N(pass)}.",
                "fail" => $"Firma diversa: somiglianza {N(score)}, sotto la soglia di {N(fail)}.",
                _ => $"Firma incerta: somiglianza {N(score)}; passa da {N(pass)}.",
            };
        view = new SignatureView(verdict, sentence, score, pass, fail, Crop(report, caseId, "form"), Crop(report, caseId, "document"));
        var comparisons = score is null ? new List<ComparisonView>() :
        [
            new ComparisonView("score", "Somiglianza delle firme", verdict == "pass",
            [
                new ValueView("misurata", N(score), null, false, verdict != "pass"),
                new ValueView("passa da", N(pass), null, false, false),
                new ValueView("non superata sotto", N(fail), null, false, false),
            ]),
        ];
        return new RuleView(RuleNames.Signature, "Firma", verdict, VerdictText(verdict), sentence, reasons, comparisons, []);
    }

    private static RuleView Expiry(ExpiryEvidence e, string verdict, List<string> reasons, double min)
    {
        var kind = e.Document is { } k ? ReviewText.DocumentKind(k) : "il documento";
        var asOf = ReviewText.Date(e.AsOf);
        var values = new[] { e.MrzExpiry, e.PrintedExpiry }.OfType<ClaimEvidence>()
            .Select(c => new ValueView(SourceText(c.Origin), ReviewText.IsoDate(c.Value), c.Page, c.Confidence < min, false)).ToList();
        var agree = values.Select(x => x.Value).Distinct().Count() <= 1;
        if (!agree) values = values.Select(x => x with { Differs = true }).ToList();
        var comparisons = values.Count == 0 ? new List<ComparisonView>() : [new ComparisonView("expiry_date", AttributeText("expiry_date"), agree, values)];
        var effective = e.EffectiveExpiry is { } x ? ReviewText.Date(x) : values.FirstOrDefault()?.Value ?? "—";
        var sentence = verdict switch
        {
            "pass" => $"Documento valido: {kind}, scadenza {effective}, non prima della data della richiesta ({asOf}).",
            "fail" when e.Basis == ExpiryBasis.LegalCutoff && e.LegalCutoff is { } cutoff =>
                $"Documento non più valido per legge: {kind} non valida dopo il {ReviewText.Date(cutoff.NotValidAfter)} ({cutoff.Reference}).",
            "fail" => $"Documento scaduto: {kind} scaduto il {effective}, prima della data della richiesta ({asOf}).",
            _ when e.Basis == ExpiryBasis.MrzAndPrintedDisagree => "La scadenza letta nella MRZ e quella stampata non coincidono: controlli il documento.",
            _ when reasons.Count > 0 => "Una scadenza letta in modo incerto indica un documento scaduto: controlli il documento.",
            _ => "Nessuna data di scadenza letta con sicurezza: controlli il documento.",
        };
        return new RuleView(RuleNames.Expiry, "Validità del documento", verdict, VerdictText(verdict), sentence, reasons, comparisons, []);
    }

    private static RuleView Completeness(CompletenessEvidence e, string verdict, List<string> reasons)
    {
        var notes = new List<string>();
        if (e.Form is { } form)
            notes.Add(form.Found ? $"Modulo trovato{(form.Page is { } p ? $" a pagina {p}" : "")}." : "Modulo non trovato.");
        foreach (var d in e.Documents ?? [])
        {
            var sides = d.Sides.Select(s => $"{(s.Side == "back" ? "retro" : "fronte")} p. {s.Page}").ToList();
            notes.Add($"Documento: {ReviewText.DocumentKind(d.Kind)}{(sides.Count > 0 ? " (" + string.Join(", ", sides) + ")" : "")}.");
        }
        if (Presence(e.FormSigned) is { } fs) notes.Add("Firma sul modulo: " + fs + ".");
        if (Presence(e.IdSignatureVisible) is { } iv) notes.Add("Firma visibile sul documento: " + iv + ".");
        notes.AddRange((e.SidesMissing ?? []).Select(x => "Manca il " + (x == "back" ? "retro" : "fronte") + " del documento."));
        notes.AddRange((e.AbsenceDoubts ?? []).Select(x => "Da verificare: " + Translate(x) + "."));
        var sentence = e.UnreadableFile is { } why ? "Il file non si apre: " + Translate(why) + "."
            : verdict switch
            {
                "pass" => "Nel file ci sono il modulo firmato e il documento, completo e con la firma visibile.",
                "fail" => "Manca qualcosa: " + string.Join("; ", reasons.Select(ReviewText.Reason)) + ".",
                _ => "Da verificare sulle pagine: " + string.Join("; ", reasons.Select(ReviewText.Reason)) + ".",
            };
        return new RuleView(RuleNames.Completeness, "Completezza", verdict, VerdictText(verdict), sentence, reasons, [], notes);
    }

    private static RuleView PinStatus(PinStatusEvidence e, string verdict, List<string> reasons, DateOnly asOf, List<DecodedCf> decoded)
    {
        var holder = e.PinHolderCodiceFiscale;
        if (holder is not null) decoded.Add(Decode(holder, SourceText("pin_registry"), asOf));
        var status = e.PinStatus switch { "online" => "online", "dispositivo" => "già dispositivo", "revoked" => "revocato", _ => "non presente nel registro" };
        var sentence = e.NotEvaluated is { } ne ? (ne.StartsWith("no PIN status", StringComparison.Ordinal) ? "Stato del PIN non indicato." : "Titolare del PIN non noto: nessuno può convertire un PIN di cui non si conosce il titolare.")
            : verdict == "pass" ? $"PIN {e.PinReference} online, intestato al richiedente."
            : e.Message ?? $"PIN {status}.";
        var comparisons = new List<ComparisonView>();
        if (holder is not null && e.HolderMatchesDeclared is { } same)
            comparisons.Add(new ComparisonView("codice_fiscale", "Titolare del PIN", same, [new ValueView(SourceText("pin_registry"), holder, null, false, !same)]));
        return new RuleView(RuleNames.PinStatus, "Stato del PIN", verdict, VerdictText(verdict), sentence, reasons, comparisons,
            [$"Stato nel registro: {status}."]);
    }

    private static RuleView Legibility(LegibilityEvidence e, string verdict, List<string> reasons)
    {
        var notes = new List<string>();
        foreach (var p in e.Pages ?? [])
        {
            var problems = p.Problems.Select(Translate).ToList();
            if (problems.Count > 0) notes.Add($"Pagina {p.Page} ({Holds(p.Holds)}): {string.Join("; ", problems)}.");
        }
        var min = e.Thresholds?.MinFieldConfidence;
        foreach (var g in e.Regions ?? [])
            notes.Add($"{AttributeText(g.Region)} ({Holds(g.On)}{(g.Page is { } pg ? $", p. {pg}" : "")}): "
                + (g.Confidence is { } c ? $"letto con confidenza {N(c)}{(min is { } m ? $" < {N(m)}" : "")}" : "non letto") + ".");
        var sentence = verdict switch
        {
            "pass" => "Le pagine necessarie sono leggibili e ogni valore necessario è stato letto con sicurezza.",
            "fail" => "Alcune pagine non sono leggibili (vedi sotto).",
            _ => "Alcuni valori non sono stati letti con sicurezza (vedi sotto): li confronti sulle pagine.",
        };
        return new RuleView(RuleNames.Legibility, "Leggibilità", verdict, VerdictText(verdict), sentence, reasons, [], notes);
    }

    /// <summary>An attribute's claims as rows; a value differs when the rule found it disagreeing with the one the first
    /// source (the declaration, else the registry or the form) states. A disagreement carried over from a report of version 1
    /// or 2 that did not state its pair is judged by this page's own comparison.</summary>
    private static ComparisonView? Comparison(string attribute, ComparisonEvidence c, double min)
    {
        if (c.Claims is not { Count: > 0 } claims) return null;
        var first = claims[0];
        var pairs = c.Disagreements ?? [];
        var stated = pairs.Count > 0 && pairs.All(d => d.Origin.Length > 0);
        var rows = claims.Select((x, i) =>
        {
            var differs = !c.Agree && i > 0 && (stated
                ? pairs.Any(d => Is(d.Origin, d.Value, first) && Is(d.OtherOrigin, d.OtherValue, x) || Is(d.Origin, d.Value, x) && Is(d.OtherOrigin, d.OtherValue, first))
                : !Same(attribute, x.Value, first.Value));
            // The request id "declared" is the one of the request this case belongs to.
            var source = attribute == "request_id" && x.Origin == "declared" ? SourceText("case") : SourceText(x.Origin);
            return new ValueView(source, Show(attribute, x.Value), x.Page, x.Confidence < min, differs);
        }).ToList();
        return new ComparisonView(attribute, AttributeText(attribute), c.Agree, rows);

        static bool Is(string origin, string value, ClaimEvidence claim) => origin == claim.Origin && value == claim.Value;
    }

    private static bool Same(string attribute, string a, string b) => attribute switch
    {
        "codice_fiscale" => CodiceFiscale.EqualModuloOmocodia(a, b),
        "surname" => PersonNames.SameSurname(a, b),
        "given_names" => PersonNames.SameGivenNames(a, b),
        _ => string.Equals(a.Replace(" ", ""), b.Replace(" ", ""), StringComparison.OrdinalIgnoreCase),
    };

    private static string Show(string attribute, string value) => attribute switch
    {
        "birth_date" or "expiry_date" => ReviewText.IsoDate(value),
        "sex" => value switch { "F" => "femminile", "M" => "maschile", _ => value },
        "document_type" => ReviewText.DocumentKind(value),
        _ => value,
    };

    public static DecodedCf Decode(string code, string source, DateOnly asOf)
    {
        var p = CodiceFiscale.Parse(code, asOf, CadastralPlaces.Embedded);
        return new DecodedCf(p.Normalized, source, p.BirthDate is { } b ? ReviewText.Date(b) : null, p.Sex, p.PlaceCode, p.Place?.Name);
    }

    private static string? Presence(MarkEvidence? m) =>
        m is null ? null : $"{(m.Value ? "sì" : "no")} (confidenza {N(m.Confidence)}, p. {m.Page})";

    private static string Holds(string? role) => role switch
    {
        null => "—",
        "form" => "modulo",
        _ when role.StartsWith("unrecognised", StringComparison.Ordinal) => "pagina non riconosciuta: potrebbe essere ciò che manca",
        _ => string.Join(", ", role.Split(' ').Select(w => w switch { "front" => "fronte", "back" => "retro", _ => ReviewText.DocumentKind(w) })),
    };

    private static string NotEvaluated(RuleEvidence e, string fallback) => e.NotEvaluated is { } w ? Translate(w) + "." : fallback;

    /// <summary>The rules' machine sentences (evidence notes, not letters) in Italian; an unknown one is shown as written.</summary>
    public static string Translate(string text)
    {
        foreach (var (english, italian) in Phrases)
            text = text.Replace(english, italian, StringComparison.Ordinal);
        return text;
    }

    private static readonly (string, string)[] Phrases =
    [
        ("the form's QR (page ", "il QR del modulo (pagina "),
        (") does not verify: a changed field or another issuer", ") non è autentico: un campo modificato o un altro emittente"),
        ("the form's codice fiscale (no verified QR ties the form to the request)", "il codice fiscale del modulo (nessun QR verificato lega il modulo alla richiesta)"),
        ("a valid codice fiscale", "un codice fiscale valido"),
        ("an identity document (completeness)", "un documento d'identità (completezza)"),
        ("the document's birth_date (legibility)", "la data di nascita sul documento (leggibilità)"),
        ("the document's surname (legibility)", "il cognome sul documento (leggibilità)"),
        ("the document's given_names (legibility)", "il nome sul documento (leggibilità)"),
        ("the holder's surname: not declared, not read on the form (legibility)", "il cognome del titolare: né dichiarato né letto sul modulo (leggibilità)"),
        ("the holder's given_names: not declared, not read on the form (legibility)", "il nome del titolare: né dichiarato né letto sul modulo (leggibilità)"),
        ("the document type on the form", "il tipo di documento sul modulo"),
        ("the document number on the form", "il numero del documento sul modulo"),
        ("the document expiry on the form", "la scadenza del documento sul modulo"),
        ("the document's number (legibility)", "il numero sul documento (leggibilità)"),
        ("the document's expiry (legibility)", "la scadenza sul documento (leggibilità)"),
        ("values needed to compare are missing or unreliable", "mancano valori da confrontare, o sono stati letti in modo incerto"),
        ("no identity document (completeness)", "nessun documento d'identità (completezza)"),
        ("form or identity document missing (completeness)", "manca il modulo o il documento (completezza)"),
        ("the form is not signed (completeness: FORM_NOT_SIGNED)", "il modulo non è firmato (completezza)"),
        ("no signature visible on the document (completeness: ID_SIGNATURE_NOT_VISIBLE)", "nessuna firma visibile sul documento (completezza)"),
        ("no expiry date read reliably (legibility)", "nessuna data di scadenza letta con sicurezza (leggibilità)"),
        ("no page was measured", "nessuna pagina misurata"),
        (" has print outside the form and the documents found (an unrecognised side may be there)", " ha stampa fuori dal modulo e dai documenti trovati (potrebbe esserci un lato non riconosciuto)"),
        (" is neither the form nor a side of a document", " non è né il modulo né un lato di un documento"),
        (" is not legible: ", " non è leggibile: "),
        ("no legibility measures for this page", "nessuna misura di leggibilità per questa pagina"),
        ("effective resolution ", "risoluzione effettiva "),
        ("x-height ", "altezza delle lettere "),
        ("blurred: variance of the Laplacian ", "sfocata: varianza del laplaciano "),
        ("contrast ", "contrasto "),
        ("OCR mean confidence ", "confidenza media dell'OCR "),
        ("read with confidence ", "letto con confidenza "),
        ("not read", "non letto"),
        ("expired on ", "scaduto il "),
        (", before ", ", prima del "),
        (" not valid after ", " non valida dopo il "),
        ("page ", "pagina "),
    ];

    private static string? Crop(CaseReport report, string? caseId, string which) =>
        caseId is not null && report.SignatureCrops?.ContainsKey(which) == true ? $"/cases/{caseId}/signatures/{which}" : null;

    private static string Generic(string verdict, List<string> reasons) => verdict == "pass" ? "Verifica superata."
        : reasons.Count > 0 ? string.Join("; ", reasons.Select(ReviewText.Reason)) + "." : "Verifica non eseguita.";

    /// <summary>A number as Italians write it (decimal comma), two decimals.</summary>
    private static string N(double? v) => v is { } x ? x.ToString("0.00", CultureInfo.InvariantCulture).Replace('.', ',') : "—";
}
