using VerifyPipeline.Rules.Facts;

namespace VerifyPipeline.Rules.Checks;

/// <summary>A pure function of the facts and the context: no I/O, no clock, no options lookup (STYLE.md 2-3).</summary>
public interface IRule
{
    string Name { get; }

    RuleResult Evaluate(SubmissionFacts facts, RuleContext context);
}

/// <summary>Rule names as they appear in the <c>check</c> report (DESIGN.md).</summary>
public static class RuleNames
{
    public const string PinStatus = "pin_status", Completeness = "completeness", Legibility = "legibility", Expiry = "expiry",
        Identity = "identity", DocumentData = "document_data", Signature = "signature";
}

internal static class Result
{
    public static RuleResult Pass(string rule, double confidence, RuleEvidence evidence) =>
        new(rule, Verdict.Pass, confidence, [], evidence);

    /// <summary>Input missing: the code belongs to completeness or legibility (see <see cref="RuleResult"/>).</summary>
    public static RuleResult NotEvaluable(string rule, RuleEvidence evidence, string why) =>
        new(rule, Verdict.Uncertain, 0, [], evidence with { NotEvaluated = why });
}
