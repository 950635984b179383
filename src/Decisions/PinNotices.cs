using System.Globalization;
using VerifyPipeline.Cases;

namespace VerifyPipeline.Decisions;

/// <summary><c>Pipeline:Notice</c>: what the notice of an approval gives its reader.</summary>
public sealed class NoticeOptions
{
    /// <summary>The public address the citizen opens the "non sono stato io" link at (the host serving the ingest API).</summary>
    public string LinkBase { get; set; } = "http://127.0.0.1:5080";
    /// <summary>The contact centre's number, printed in every notice.</summary>
    public string ContactCentre { get; set; } = "803 164";
    /// <summary>How long the link works after the notice: past the cooling-off, a dispute turns a converted PIN back to online.</summary>
    public TimeSpan LinkValidFor { get; set; } = TimeSpan.FromDays(14);
}

/// <summary>
/// The guard against a traced signature (docs/signatures.md): an approval tells the PIN's holder, on the e-mail
/// registered with the PIN, that the PIN becomes dispositivo at a stated time, with a single-use link to say
/// "non sono stato io" and the contact centre's number. Both the machine's approvals and the reviewers' go through
/// <see cref="Conversion"/>.
/// </summary>
public static class PinNotices
{
    private static readonly TimeZoneInfo Rome = TryRome();

    /// <summary>An approval as both the machine and the reviewers record it: the PIN update with its notice
    /// (<see cref="Conversion"/>) and the letter to the request's e-mail, which names the time the PIN becomes dispositivo.</summary>
    /// <param name="via">How the PIN directory marks it (<see cref="VerifyPipeline.Cases.Pins.IPinDirectory.ConversionFor"/>).</param>
    public static DecisionOutcome Approval(string detail, Pin pin, PinMarking via, string? requestEmail, DecisionOptions options, DateTimeOffset now)
    {
        var conversion = Conversion(pin, via, options, now);
        var letter = conversion.Notice is { } n
            ? new OutboxDraft(requestEmail, "Richiesta di PIN dispositivo accolta", $"""
                Gentile utente,

                la sua richiesta è stata accolta: il suo PIN diventerà di tipo dispositivo il {Local(n.DueAt)}. Il titolare del PIN
                ne riceve avviso sui recapiti registrati con il PIN.
                I caratteri del PIN non cambiano: continui a usare il PIN che già possiede.

                INPS
                """)
            : CitizenLetters.Approval(requestEmail);
        return new DecisionOutcome(CaseState.Approved, "approve", [], detail, conversion, letter);
    }

    /// <summary>The PIN update of an approval. With a cooling-off, its notice: a fresh random token (only its hash is
    /// stored), due when the cooling-off ends. A zero cooling-off converts at once, without notice (the behaviour before
    /// the notice existed).</summary>
    public static PinConversion Conversion(Pin pin, PinMarking via, DecisionOptions options, DateTimeOffset now)
    {
        if (options.Policy.CoolingOff <= TimeSpan.Zero) return new PinConversion(pin.PinReference, pin.CodiceFiscale, via);
        var token = PinNoticeTokens.New();
        var due = now + options.Policy.CoolingOff;
        var expires = now + Max(options.Notice.LinkValidFor, options.Policy.CoolingOff);
        return new PinConversion(pin.PinReference, pin.CodiceFiscale, via)
        {
            Notice = new PinNotice(PinNoticeTokens.Hash(token), due, expires, Message(pin, options.Notice, token, due, now)),
        };
    }

    /// <summary>The link the notice carries for a token.</summary>
    public static string Link(NoticeOptions o, string token) => $"{o.LinkBase.TrimEnd('/')}/pin/contestazione/{token}";

    public static OutboxDraft Message(Pin pin, NoticeOptions o, string token, DateTimeOffset due, DateTimeOffset now)
    {
        var immediate = due <= now;
        var when = Local(due);
        var body = (immediate
                ? $"Gentile titolare,\n\nil suo PIN INPS ({Masked(pin.PinReference)}) è stato reso dispositivo il {when} a seguito di una richiesta con modulo firmato e documento di identità.\n\n"
                : $"Gentile titolare,\n\nabbiamo accolto una richiesta di conversione del suo PIN INPS ({Masked(pin.PinReference)}) in PIN dispositivo. Il PIN diventerà dispositivo il {when}.\n\n")
            + "Se non è stato lei a fare la richiesta, apra questo collegamento e confermi «Non sono stato io»" + (immediate ? "" : " prima di quell'ora") + ":\n"
            + $"{Link(o, token)}\n\n"
            + $"Il collegamento vale una sola volta. Può anche chiamare il Contact Center INPS al numero {o.ContactCentre}.\n"
            + "Se la richiesta è sua, non deve fare nulla.\n";
        return new OutboxDraft(null, immediate ? "Il suo PIN INPS è ora dispositivo" : "Il suo PIN INPS sta per diventare dispositivo", body);
    }

    public static OutboxDraft Confirmation(PinNoticeRecord n, NoticeOptions o) => new(null, "Il suo PIN INPS è ora dispositivo",
        $"Gentile titolare,\n\ndal {Local(n.DueAt)} il suo PIN INPS ({Masked(n.PinReference)}) è dispositivo: nessuno ha contestato la richiesta nel periodo di attesa.\n\n"
        + $"Se non è stato lei a chiederlo, chiami subito il Contact Center INPS al numero {o.ContactCentre}.\n");

    /// <summary>Only the last four characters: the notice is an e-mail, the PIN a credential.</summary>
    private static string Masked(string pin) => pin.Length <= 4 ? "****" : new string('*', pin.Length - 4) + pin[^4..];

    private static string Local(DateTimeOffset t) =>
        TimeZoneInfo.ConvertTime(t, Rome).ToString("dd/MM/yyyy 'alle ore' HH:mm", CultureInfo.InvariantCulture) + (Rome == TimeZoneInfo.Utc ? " (UTC)" : "");

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    private static TimeZoneInfo TryRome()
    {
        try { return TimeZoneInfo.FindSystemTimeZoneById("Europe/Rome"); }
        catch (TimeZoneNotFoundException) { return TimeZoneInfo.Utc; }
    }
}

