using VerifyPipeline.Cases;
using VerifyPipeline.Rules;

namespace VerifyPipeline.Decisions;

/// <summary>The messages to the citizen, in Italian: each reason explained with what to do next.</summary>
public static class CitizenLetters
{
    public static readonly IReadOnlyDictionary<string, string> ReasonText = new Dictionary<string, string>
    {
        [ReasonCodes.FormMissing] = "Nel file inviato non è presente il modulo di richiesta. Scarichi il modulo precompilato, lo firmi e lo invii insieme al documento di identità.",
        [ReasonCodes.IdMissing] = "Nel file inviato non è presente una copia del documento di identità. Invii il modulo firmato insieme al documento, fronte e retro.",
        [ReasonCodes.IdSideMissing] = "Del documento di identità manca il fronte o il retro. Invii la copia di entrambi i lati.",
        [ReasonCodes.FormNotSigned] = "Il modulo di richiesta non risulta firmato. Firmi il modulo a mano nell'apposito riquadro e lo invii di nuovo.",
        [ReasonCodes.IdSignatureNotVisible] = "Sul documento di identità inviato la firma non è visibile. Invii un documento sul quale sia visibile la sua firma.",
        [ReasonCodes.IdExpired] = "Il documento di identità inviato risulta scaduto o non più valido. Invii la copia di un documento in corso di validità.",
        [ReasonCodes.IdTypeNotAccepted] = "Il tipo di documento inviato non è accettato. Invii la carta d'identità, il passaporto o la patente di guida.",
        [ReasonCodes.SignatureMismatch] = "La firma apposta sul modulo non corrisponde a quella presente sul documento di identità. Firmi il modulo come sul documento e lo invii di nuovo.",
        [ReasonCodes.Illegible] = "Una o più pagine del file non sono leggibili. Effettui una nuova scansione a 300 dpi, ben illuminata e a fuoco.",
        [ReasonCodes.IdentityMismatch] = "I dati anagrafici del modulo o del documento non corrispondono a quelli del titolare del PIN. Verifichi i dati e invii di nuovo la richiesta.",
        [ReasonCodes.DocumentDataMismatch] = "Il numero o la scadenza del documento indicati nel modulo non corrispondono al documento inviato. Corregga la richiesta e la invii di nuovo.",
        [ReasonCodes.PinAlreadyDispositivo] = VerifyPipeline.Rules.Checks.PinStatusRule.AlreadyDispositivoSentence,
        [ReasonCodes.PinNotEligible] = "Il PIN indicato non è attivo o è stato revocato. Richieda prima il ripristino del PIN.",
        [ReasonCodes.UnreadableFile] = "Il file inviato non può essere letto (danneggiato, protetto da password o di un formato non supportato). Invii un unico file PDF, JPEG, PNG o TIFF, oppure un archivio zip senza password.",
    };

    /// <param name="sentences">What the rules said of this case for some reasons (<see cref="Assessment.Sentences"/>); they
    /// replace the general text of that reason.</param>
    public static OutboxDraft Rejection(string? recipient, IReadOnlyList<string> reasons, IReadOnlyDictionary<string, string>? sentences = null)
    {
        var lines = reasons.Select(r => "- " + (sentences?.GetValueOrDefault(r) ?? (ReasonText.TryGetValue(r, out var t) ? t : r)));
        var body = $"""
            Gentile utente,

            la sua richiesta di conversione del PIN online in PIN dispositivo non è stata accolta per i seguenti motivi:

            {string.Join("\n", lines)}

            Può presentare una nuova richiesta dal portale dopo aver corretto quanto indicato.
            Il suo PIN resta valido con le funzioni attuali.

            INPS
            """;
        return new OutboxDraft(recipient, "Richiesta di PIN dispositivo non accolta", body);
    }

    public static OutboxDraft Approval(string? recipient) => new(recipient, "Il suo PIN è ora dispositivo", """
        Gentile utente,

        la sua richiesta è stata accolta: il suo PIN è ora di tipo dispositivo e le consente di inviare domande e richieste di servizi.
        I caratteri del PIN non cambiano: continui a usare il PIN che già possiede.

        INPS
        """);
}
