using VerifyPipeline.Rules.Facts;

namespace VerifyPipeline.Rules.Checks;

/// <summary>
/// Owns PIN_ALREADY_DISPOSITIVO and PIN_NOT_ELIGIBLE. Only an online PIN can be converted (INPS procedure); the status comes
/// from the PIN registry, so every failure is certain.
/// </summary>
public sealed class PinStatusRule : IRule
{
    /// <summary>The sentence of the INPS procedure for a PIN that is already dispositivo (inps-pin-procedure.txt).</summary>
    public const string AlreadyDispositivoSentence =
        "Non è necessario procedere con la richiesta poichè il PIN in suo possesso è già di tipo dispositivo.";

    /// <summary>What to do about a revoked or unknown PIN (inps-pin-conversion-guide.txt: revoca / ripristino first).</summary>
    public const string NotEligibleSentence =
        "Il PIN indicato non è attivo o è stato revocato: è necessario richiederne prima il ripristino.";

    public string Name => RuleNames.PinStatus;

    public RuleResult Evaluate(SubmissionFacts facts, RuleContext context)
    {
        var evidence = new Dictionary<string, object?>
        {
            ["pin_status"] = Codes.Of(facts.PinStatus),
            ["pin_reference"] = facts.Declared.PinReference,
        };
        string? code = facts.PinStatus switch
        {
            PinStatus.Online => null,
            PinStatus.Dispositivo => ReasonCodes.PinAlreadyDispositivo,
            _ => ReasonCodes.PinNotEligible,
        };
        if (code is null) return Result.Pass(Name, 1.0, evidence);
        evidence["message"] = code == ReasonCodes.PinAlreadyDispositivo ? AlreadyDispositivoSentence : NotEligibleSentence;
        return new RuleResult(Name, Verdict.Fail, 1.0, [code], evidence) { CertainReasons = [code] };
    }
}
