using VerifyPipeline.Cases;
using VerifyPipeline.Rules;
using VerifyPipeline.Worker.Pipeline;

namespace VerifyPipeline.ReviewUi.Review;

/// <summary>The Italian words the UI shows for codes, states and events. Codes stay visible beside them: reviewers
/// and the letters to citizens refer to the same stable identifiers.</summary>
public static class ReviewText
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

    public static string Local(DateTimeOffset t) => TimeZoneInfo.ConvertTime(t, Rome).ToString("dd/MM/yyyy HH:mm");

    private static readonly TimeZoneInfo Rome = TryZone("Europe/Rome");
    private static TimeZoneInfo TryZone(string id)
    {
        try { return TimeZoneInfo.FindSystemTimeZoneById(id); }
        catch (TimeZoneNotFoundException) { return TimeZoneInfo.Utc; }
    }
}
