using System.Globalization;
using System.Text.RegularExpressions;
using VerifyPipeline.Cases;
using VerifyPipeline.Rules;
using VerifyPipeline.Rules.Identity;
using VerifyPipeline.Decisions;

namespace VerifyPipeline.ReviewUi.Review;

/// <summary>The Italian words the UI shows for codes, states and events. Codes stay visible beside them: reviewers
/// and the letters to citizens refer to the same stable identifiers.</summary>
public static partial class ReviewText
{
    public static readonly IReadOnlyDictionary<string, string> ReasonLabel = new Dictionary<string, string>
    {
        [ReasonCodes.FormMissing] = "Modulo di richiesta mancante",
        [ReasonCodes.IdMissing] = "Documento d'identità mancante",
        [ReasonCodes.IdSideMissing] = "Manca il fronte o il retro del documento",
        [ReasonCodes.FormNotSigned] = "Modulo non firmato",
        [ReasonCodes.IdSignatureNotVisible] = "Firma non visibile sul documento",
        [ReasonCodes.IdExpired] = "Documento scaduto o non più valido",
        [ReasonCodes.IdTypeNotAccepted] = "Tipo di documento non accettato",
        [ReasonCodes.SignatureMismatch] = "Firma del modulo diversa da quella del documento",
        [ReasonCodes.Illegible] = "Pagine illeggibili",
        [ReasonCodes.IdentityMismatch] = "Dati anagrafici non corrispondenti",
        [ReasonCodes.DocumentDataMismatch] = "Numero o scadenza del documento non corrispondenti",
        [ReasonCodes.PinAlreadyDispositivo] = "PIN già dispositivo",
        [ReasonCodes.PinNotEligible] = "PIN non attivo o revocato",
        [ReasonCodes.UnreadableFile] = "File non leggibile",
    };

    /// <summary>The reasons a reviewer may reject for: exactly those the citizen's letter can explain.</summary>
    public static IEnumerable<string> RejectionReasons => CitizenLetters.ReasonText.Keys;

    public static string Reason(string code) => ReasonLabel.TryGetValue(code, out var t) ? t : code;

    /// <summary>The queue's words for a reason the machine gave: a signature whose score did not fail the band is a
    /// question ("Firma da verificare"), not a finding; only a failed signature verdict says "diversa" (issue 15).</summary>
    public static string QueueReason(string code, string? signatureVerdict) =>
        code == ReasonCodes.SignatureMismatch && signatureVerdict != "fail" ? "Firma da verificare" : Reason(code);

    public static string State(CaseState s) => s switch
    {
        CaseState.Received => "Ricevuta",
        CaseState.Processing => "In lavorazione",
        CaseState.InReview => "In revisione",
        CaseState.NeedsAttention => "Richiede intervento",
        CaseState.Approved => "Approvata",
        CaseState.Rejected => "Respinta",
        _ => s.ToString(),
    };

    public static string Channel(Channel c) => c == Cases.Channel.Fax ? "Fax" : "Portale";

    public static string Event(string kind) => kind switch
    {
        "received" => "Ricevuta",
        "processing" => "Presa in lavorazione",
        "unpacked" => "File estratti",
        "paged" => "Pagine estratte",
        "decided" => "Decisione",
        "failed" => "Errore",
        "matched" => "Abbinata a una richiesta",
        "claimed" => "Presa in carico",
        "released" => "Rilasciata",
        "proposed" => "Rifiuto proposto (quattro occhi)",
        "approval_proposed" => "Approvazione proposta (quattro occhi)",
        "proposal_withdrawn" => "Proposta ritirata",
        "proposal_declined" => "Proposta non confermata",
        "retried" => "Rimessa in lavorazione",
        "rerun" => "Nuova valutazione automatica",
        "corrected" => "Valore corretto, verifiche ripetute",
        "original_viewed" => "Originale scaricato",
        "resubmission_requested" => "Nuovo file chiesto al cittadino",
        "resubmitted" => "Nuovo file ricevuto",
        _ => kind,
    };

    /// <summary>A pending decision in a sentence: "un rifiuto proposto" or "un'approvazione proposta".</summary>
    public static string Proposal(string decision) => decision == "approve" ? "un'approvazione proposta" : "un rifiuto proposto";

    public static string Age(TimeSpan t) => t.TotalMinutes < 1 ? "meno di un minuto"
        : t.TotalHours < 1 ? $"{(int)t.TotalMinutes} min"
        : t.TotalDays < 1 ? $"{(int)t.TotalHours} h {t.Minutes} min"
        : $"{(int)t.TotalDays} g {t.Hours} h";

    /// <summary>A short, stable, non-personal handle for a case id on screen (the full id is in the page).</summary>
    public static string Short(string caseId) => caseId.Length > 8 ? caseId[^8..] : caseId;

    /// <summary>Date and time in Rome (GG/MM/AAAA HH:mm), the time reviewers and citizens live by.</summary>
    public static string Local(DateTimeOffset t) => Rome(t).ToString("dd/MM/yyyy HH:mm", CultureInfo.InvariantCulture);

    /// <summary>The time of day in Rome (HH:mm).</summary>
    public static string LocalTime(DateTimeOffset t) => Rome(t).ToString("HH:mm", CultureInfo.InvariantCulture);

    public static string Date(DateOnly d) => d.ToString("dd/MM/yyyy", CultureInfo.InvariantCulture);

    /// <summary>An ISO date of the report (yyyy-MM-dd) as GG/MM/AAAA; anything else as written.</summary>
    public static string IsoDate(string? iso) => iso is null ? "—"
        : DateOnly.TryParseExact(iso, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? Date(d) : iso;

    /// <summary>A document kind's code (report, request) in Italian.</summary>
    public static string DocumentKind(string? code) => code switch
    {
        "cie" => "carta d'identità elettronica",
        "passport" => "passaporto",
        "driving_licence" => "patente di guida",
        "paper_id" => "carta d'identità cartacea",
        "other" => "documento non accettato",
        "unknown" or null => "documento non riconosciuto",
        _ => code,
    };

    /// <summary>A value of the "dichiarati e letti" table as a reviewer reads it (dates GG/MM/AAAA, kinds in words).</summary>
    public static string FieldValue(string field, string? value) => value is null ? "—" : field switch
    {
        "birth_date" or "expiry_date" => IsoDate(value),
        "document_type" => DocumentKind(value),
        _ => value,
    };

    /// <summary>Where a value was read (the report's document kind).</summary>
    public static string Where(string? kind) => kind switch
    {
        null => "",
        "form" => "modulo",
        "id_front" => "documento, fronte",
        "id_back" => "documento, retro",
        _ => DocumentKind(kind),
    };

    /// <summary>A size in byte, KB or MB with a decimal comma (1 KB = 1024 byte).</summary>
    public static string Size(long bytes) => bytes < 1024 ? $"{bytes} byte"
        : bytes < 1024 * 1024 ? Decimal(bytes / 1024.0) + " KB"
        : Decimal(bytes / (1024.0 * 1024.0)) + " MB";

    private static string Decimal(double v) => v.ToString("0.#", CultureInfo.InvariantCulture).Replace('.', ',');

    /// <summary>"Nato a Roma", "Nata in Svizzera": the participle by the sex the declared codice fiscale encodes ("Nato/a"
    /// when it cannot be read), "in" before a country: the code's birth place is a foreign state (cadastral Z codes).</summary>
    public static string BornIn(string? place, string? codiceFiscale)
    {
        var parsed = string.IsNullOrWhiteSpace(codiceFiscale) ? null : CodiceFiscale.Parse(codiceFiscale, DateOnly.MaxValue);
        var word = parsed?.Sex switch { 'F' => "Nata", 'M' => "Nato", _ => "Nato/a" };
        if (string.IsNullOrWhiteSpace(place)) return word;
        var country = parsed?.PlaceCode is { } code && code.StartsWith('Z');
        return $"{word} {(country ? "in" : "a")} {place.Trim()}";
    }

    /// <summary>What a history entry says, in Italian where the machine wrote it (the pipeline's and the store's details
    /// are English and codes); what a person wrote (notes, reasons for not confirming) is kept as written.</summary>
    public static string? EventDetail(string kind, string? detail)
    {
        if (detail is null) return null;
        Match m;
        if (kind == "received" && (m = ReceivedDetail().Match(detail)).Success)
            return $"{m.Groups[1].Value}, {Size(long.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture))}, SHA-256 {m.Groups[3].Value[..12]}…";
        if (kind == "resubmitted" && (m = ResubmittedDetail().Match(detail)).Success)
            return $"file {m.Groups[1].Value} {(m.Groups[2].Value == "fax" ? "per fax" : "dal portale")}: {m.Groups[3].Value}, {Size(long.Parse(m.Groups[4].Value, CultureInfo.InvariantCulture))} ({m.Groups[6].Value}); "
                + $"il file precedente ({m.Groups[7].Value}): {m.Groups[8].Value}, {Size(long.Parse(m.Groups[9].Value, CultureInfo.InvariantCulture))} ({m.Groups[11].Value}); "
                + $"la pratica era «{(Enum.TryParse<CaseState>(m.Groups[12].Value, out var was) ? State(was) : m.Groups[12].Value)}»"
                + (m.Groups[13].Success ? " e attendeva un nuovo file" : "")
                + (m.Groups[14].Success ? $"; richiesta {Short(m.Groups[14].Value)} → {Short(m.Groups[15].Value)} (stesso PIN)" : "");
        if ((m = FilesDetail().Match(detail)).Success)
            return $"{m.Groups[1].Value} file" + (m.Groups[2].Success ? "; " + m.Groups[2].Value : "");
        if ((m = PagesDetail().Match(detail)).Success) return Pages(m.Groups[1].Value);
        if ((m = ReviewDetail().Match(detail)).Success)
            return $"{Pages(m.Groups[1].Value)} lette; {Questions(m.Groups[2].Value)}: decide un revisore";
        if ((m = UnmatchedDetail().Match(detail)).Success)
            return $"{Pages(m.Groups[1].Value)} lette; fax non abbinato ({EvidenceView.Translate(Unmatched(m.Groups[2].Value))}): un revisore lo abbina alla sua richiesta";
        if ((m = CertainDetail().Match(detail)).Success) return $"{Reasons(m.Groups[1].Value)} (motivi certi: deciso dal sistema)";
        if (detail == "every rule passed") return "tutte le verifiche superate";
        if ((m = QrMatchDetail().Match(detail)).Success) return $"abbinata dal QR del modulo a pagina {m.Groups[1].Value} (firma HMAC verificata)";
        if ((m = CfMatchDetail().Match(detail)).Success) return $"abbinata dal codice fiscale letto a pagina {m.Groups[1].Value}; nessun QR utilizzabile";
        if ((m = StageFailedDetail().Match(detail)).Success) return $"la fase «{m.Groups[1].Value}» non è riuscita dopo tutti i tentativi: {m.Groups[2].Value}";
        if ((m = ReviewerRejectDetail().Match(detail)).Success) return $"respinta da {m.Groups[1].Value}: {Reasons(m.Groups[2].Value)}{m.Groups[3].Value}";
        if (detail.StartsWith("approve: ", StringComparison.Ordinal)) return detail["approve: ".Length..];
        if ((m = ConfirmedDetail().Match(detail)).Success)
            return $"respinta per {Reasons(m.Groups[1].Value)}; {m.Groups[2].Value}";
        if ((m = MachineRejectDetail().Match(detail)).Success) return $"{Reasons(m.Groups[1].Value)}: {m.Groups[2].Value}";
        return detail;

        static string Pages(string n) => n == "1" ? "1 pagina" : $"{n} pagine";
        // Reasons sent to a reviewer are questions: the signature is "da verificare" there, whatever the score.
        static string Questions(string codes) => string.Join(", ", codes.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(c => QueueReason(c, null)));
        static string Reasons(string codes) => string.Join(", ", codes.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(Reason));
        static string Unmatched(string why) => why
            .Replace("failed verification", "non è autentico").Replace("names no known request", "non indica una richiesta nota")
            .Replace("no request has the codice fiscale read", "nessuna richiesta ha il codice fiscale letto")
            .Replace("requests have the codice fiscale read", "richieste hanno il codice fiscale letto")
            .Replace("the QR code on page", "il QR a pagina");
    }

    [GeneratedRegex(@"^(\w+), (\d+) bytes, sha256 ([0-9a-f]{12,})$")] private static partial Regex ReceivedDetail();
    [GeneratedRegex(@"^(\d+) file\(s\)(?:; (.+))?$")] private static partial Regex FilesDetail();
    [GeneratedRegex(@"^(\d+) page\(s\)$")] private static partial Regex PagesDetail();
    [GeneratedRegex(@"^(\d+) page\(s\) read; ([A-Z_, ]+): a reviewer decides$")] private static partial Regex ReviewDetail();
    [GeneratedRegex(@"^file (\d+) from (\w+): (\w+), (\d+) bytes, sha256 ([0-9a-f]+) \((.*?)\)(?: \(case [0-9a-f]+\))?; previous file (\d+): (\w+), (\d+) bytes, sha256 ([0-9a-f]+) \((.*?)\); case was (\w+)(, waiting for a new file)?(?:; request (\S+) → (\S+) \(same PIN\))?$", RegexOptions.Singleline)] private static partial Regex ResubmittedDetail();
    [GeneratedRegex(@"^(\d+) page\(s\) read; unmatched fax \((.*)\): a reviewer matches it to its request$")] private static partial Regex UnmatchedDetail();
    [GeneratedRegex(@"^([A-Z_, ]+) \(certain: decided by the machine\)$")] private static partial Regex CertainDetail();
    [GeneratedRegex(@"^matched by the form's QR code on page (\d+)")] private static partial Regex QrMatchDetail();
    [GeneratedRegex(@"^matched by the codice fiscale read on page (\d+)")] private static partial Regex CfMatchDetail();
    [GeneratedRegex(@"^Stage (\w+) failed after all retries: (.*)$", RegexOptions.Singleline)] private static partial Regex StageFailedDetail();
    [GeneratedRegex(@"^reject: respinta da (\S+): ([A-Z_, ]+)(;.*)?$", RegexOptions.Singleline)] private static partial Regex ReviewerRejectDetail();
    [GeneratedRegex(@"^reject: ([A-Z_, ]+); (proposto da .*)$", RegexOptions.Singleline)] private static partial Regex ConfirmedDetail();
    [GeneratedRegex(@"^([A-Z_]+): (.*)$", RegexOptions.Singleline)] private static partial Regex MachineRejectDetail();

    /// <summary>Rome's wall clock. Without the tz database (a slim container) the EU rule is applied (CET, CEST from the last
    /// Sunday of March to the last Sunday of October, 01:00 UTC; Directive 2000/84/EC), never UTC shown as Rome time.</summary>
    private static DateTimeOffset Rome(DateTimeOffset t)
    {
        if (RomeZone is { } zone) return TimeZoneInfo.ConvertTime(t, zone);
        var u = t.UtcDateTime;
        var start = LastSunday(u.Year, 3).AddHours(1);
        var end = LastSunday(u.Year, 10).AddHours(1);
        return t.ToOffset(TimeSpan.FromHours(u >= start && u < end ? 2 : 1));

        static DateTime LastSunday(int year, int month)
        {
            var d = new DateTime(year, month, DateTime.DaysInMonth(year, month), 0, 0, 0, DateTimeKind.Utc);
            return d.AddDays(-(int)d.DayOfWeek);
        }
    }

    private static readonly TimeZoneInfo? RomeZone = TryZone("Europe/Rome");
    private static TimeZoneInfo? TryZone(string id)
    {
        try { return TimeZoneInfo.FindSystemTimeZoneById(id); }
        catch (TimeZoneNotFoundException) { return null; }
        catch (InvalidTimeZoneException) { return null; }
    }
}
