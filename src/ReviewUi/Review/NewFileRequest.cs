using VerifyPipeline.Cases;

namespace VerifyPipeline.ReviewUi.Review;

/// <summary>"Chiedi un nuovo file" (issue 15): what the citizen can be asked to send again, each with the label the
/// reviewer ticks and the sentence the citizen reads, and the message itself.</summary>
public static class NewFileRequest
{
    public static readonly IReadOnlyList<(string Code, string Label, string Sentence)> Items =
    [
        ("form_signed", "il modulo firmato", "il modulo di richiesta stampato e firmato a mano nel riquadro della firma"),
        ("id_both_sides", "il documento fronte e retro", "il documento d'identità, fronte e retro, con la firma visibile"),
        ("legible_scan", "una scansione leggibile", "una scansione leggibile di tutte le pagine (almeno 300 dpi, non sfocata, senza parti tagliate)"),
        ("valid_document", "un documento valido", "un documento d'identità in corso di validità (carta d'identità elettronica, passaporto o patente)"),
    ];

    public static bool Known(string code) => Items.Any(i => i.Code == code);

    public static string Label(string code) => Items.FirstOrDefault(i => i.Code == code).Label ?? code;

    /// <summary>The message: exactly what to send again, and how (the same request: portal upload or fax of the form).</summary>
    public static OutboxDraft Message(string? recipient, IReadOnlyList<string> items, string requestId) => new(recipient,
        "Richiesta di PIN dispositivo: ci invii di nuovo il file", $"""
        Gentile utente,

        per completare la sua richiesta di conversione del PIN in PIN dispositivo abbiamo bisogno che ci invii di nuovo:

        {string.Join("\n", items.Select(i => "- " + Items.First(x => x.Code == i).Sentence))}

        Invii un unico file (PDF, immagine o archivio zip) dal portale, nella stessa richiesta, oppure via fax insieme al
        modulo con il codice QR. La sua richiesta resta aperta (riferimento {requestId[^8..]}): non deve presentarne una nuova.

        INPS
        """);
}
