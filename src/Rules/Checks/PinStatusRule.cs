using VerifyPipeline.Rules.Facts;
using VerifyPipeline.Rules.Identity;

namespace VerifyPipeline.Rules.Checks;

/// <summary>
/// Owns PIN_ALREADY_DISPOSITIVO and PIN_NOT_ELIGIBLE. Only an online PIN can be converted (INPS procedure), and only by
/// its holder: the codice fiscale the registry holds for the PIN must be the declared one (modulo omocodia) — else any
/// request could name any PIN and convert another person's. Status and holder come from the PIN registry and the
/// declaration from the portal, neither from reading a page, so every failure is certain. The holder against what is
/// read on the form and the document is the identity rule's comparison (IDENTITY_MISMATCH).
/// </summary>
public sealed class PinStatusRule : IRule
{
    /// <summary>The sentence of the INPS procedure for a PIN that is already dispositivo (inps-pin-procedure.txt).</summary>
    public const string AlreadyDispositivoSentence =
        "Non è necessario procedere con la richiesta poichè il PIN in suo possesso è già di tipo dispositivo.";

    /// <summary>What to do about a revoked or unknown PIN (inps-pin-conversion-guide.txt: revoca / ripristino first).</summary>
    public const string NotEligibleSentence =
        "Il PIN indicato non è attivo o è stato revocato: è necessario richiederne prima il ripristino.";

    /// <summary>The PIN exists and is online but is registered to another codice fiscale: the requester is told that, and
    /// nothing about the holder. Either may be the slip (a relative's code typed in the request, or another PIN), so the
    /// sentence names both and blames neither.</summary>
    public const string NotTheHolderSentence =
        "Il PIN indicato non risulta intestato al codice fiscale indicato nella richiesta: verifichi il PIN e il codice fiscale e, se necessario, presenti una nuova richiesta.";

    public string Name => RuleNames.PinStatus;

    public RuleResult Evaluate(SubmissionFacts facts, RuleContext context)
    {
        var evidence = new PinStatusEvidence
        {
            PinStatus = Codes.Of(facts.PinStatus), PinReference = facts.Declared.PinReference, PinHolderCodiceFiscale = facts.PinHolderCodiceFiscale,
        };
        string? code = facts.PinStatus switch
        {
            PinStatus.Online => null,
            PinStatus.Dispositivo => ReasonCodes.PinAlreadyDispositivo,
            _ => ReasonCodes.PinNotEligible,
        };
        if (code is not null)
            return new RuleResult(Name, Verdict.Fail, 1.0, [code],
                evidence with { Message = code == ReasonCodes.PinAlreadyDispositivo ? AlreadyDispositivoSentence : NotEligibleSentence })
                { CertainReasons = [code] };
        if (facts.PinHolderCodiceFiscale is not { Length: > 0 } holder)
            return new RuleResult(Name, Verdict.Uncertain, 0, [],
                evidence with { NotEvaluated = "the PIN holder's codice fiscale is not known: nobody may convert a PIN whose holder is unknown" });
        var declared = facts.Declared.CodiceFiscale;
        // An unmatched fax or `verify check` without --declared: the identity rule compares the holder with the form and
        // the document; here nothing contradicts the registry.
        if (string.IsNullOrWhiteSpace(declared)) return Result.Pass(Name, 1.0, evidence);
        var same = CodiceFiscale.EqualModuloOmocodia(holder, declared);
        evidence = evidence with { HolderMatchesDeclared = same };
        if (same) return Result.Pass(Name, 1.0, evidence);
        return new RuleResult(Name, Verdict.Fail, 1.0, [ReasonCodes.PinNotEligible], evidence with { Message = NotTheHolderSentence })
            { CertainReasons = [ReasonCodes.PinNotEligible] };
    }
}
