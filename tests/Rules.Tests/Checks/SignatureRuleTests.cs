using VerifyPipeline.Rules.Checks;
using VerifyPipeline.Rules.Facts;
using static VerifyPipeline.Rules.Tests.Checks.Sample;

namespace VerifyPipeline.Rules.Tests.Checks;

public sealed class SignatureRuleTests
{
    private static readonly Thresholds T = new();

    private static RuleResult Run(double? score, SubmissionFacts? f = null, SignatureMode mode = SignatureMode.Strict) =>
        new SignatureRule().Evaluate((f ?? Good()) with { Signature = Good().Signature with { Score = score } }, Context() with { Signature = mode });

    [Fact]
    public void Evaluate_PassesAtTheCompatibleEdge_AndIsUncertainJustBelowIt_InCompatibleMode()
    {
        var pass = Run(T.SignatureCompatiblePass, mode: SignatureMode.Compatible);
        Assert.Equal(Verdict.Pass, pass.Verdict);
        Assert.Equal("compatible", ((SignatureEvidence)pass.Evidence).Mode);
        Assert.Equal(T.SignatureCompatiblePass, ((SignatureEvidence)pass.Evidence).Thresholds.PassAtOrAbove);
        Assert.Equal(Verdict.Uncertain, Run(T.SignatureCompatiblePass - 1e-9, mode: SignatureMode.Compatible).Verdict);
        Assert.Equal(Verdict.Fail, Run(T.SignatureFail - 1e-9, mode: SignatureMode.Compatible).Verdict);
    }

    [Fact]
    public void Evaluate_NeverPasses_InManualMode()
    {
        var r = Run(1.0, mode: SignatureMode.Manual);
        Assert.Equal(Verdict.Uncertain, r.Verdict);
        Assert.Equal([ReasonCodes.SignatureMismatch], r.Reasons);
        Assert.Equal("manual", ((SignatureEvidence)r.Evidence).Mode);
        Assert.Contains("manual", ((SignatureEvidence)r.Evidence).Why);
    }

    [Fact]
    public void Evaluate_TheCompatibleEdgeIsNotAboveTheStrictOne_ByDefault() =>
        Assert.True(T.SignatureCompatiblePass <= T.SignaturePass);

    [Fact]
    public void Evaluate_Passes_WhenTheScoreIsExactlyThePassThreshold()
    {
        var r = Run(T.SignaturePass);
        Assert.Equal(Verdict.Pass, r.Verdict);
        Assert.Equal(T.SignaturePass, ((SignatureEvidence)r.Evidence).Score);
    }

    [Fact]
    public void Evaluate_UncertainWithSignatureMismatch_WhenTheScoreIsJustBelowThePassThreshold()
    {
        var r = Run(T.SignaturePass - 1e-9);
        Assert.Equal(Verdict.Uncertain, r.Verdict);
        Assert.Equal([ReasonCodes.SignatureMismatch], r.Reasons);
    }

    [Fact]
    public void Evaluate_UncertainWithSignatureMismatch_WhenTheScoreIsExactlyTheFailThreshold() =>
        Assert.Equal(Verdict.Uncertain, Run(T.SignatureFail).Verdict);

    [Fact]
    public void Evaluate_FailsWithSignatureMismatch_WhenTheScoreIsJustBelowTheFailThreshold()
    {
        var r = Run(T.SignatureFail - 1e-9);
        Assert.Equal(Verdict.Fail, r.Verdict);
        Assert.Equal([ReasonCodes.SignatureMismatch], r.Reasons);
        Assert.Empty(r.CertainReasons);
        Assert.Equal(T.SignatureFail, ((SignatureEvidence)r.Evidence).Thresholds.FailBelow);
    }

    [Fact]
    public void Evaluate_UncertainWithSignatureMismatch_WhenNoScoreWasComputed()
    {
        var r = Run(null);
        Assert.Equal(Verdict.Uncertain, r.Verdict);
        Assert.Equal([ReasonCodes.SignatureMismatch], r.Reasons);
    }

    [Theory]
    [InlineData(-0.1)]
    [InlineData(1.1)]
    [InlineData(double.NaN)]
    public void Evaluate_UncertainWithSignatureMismatch_WhenTheScoreIsOutsideZeroToOne(double score) =>
        Assert.Equal(Verdict.Uncertain, Run(score).Verdict);

    [Fact]
    public void Evaluate_ReportsNoCode_WhenTheFormIsNotSigned()
    {
        var unsigned = Good() with { Form = Good().Form with { Signed = R(false, 1, "signature") } };
        var r = Run(0.0, unsigned);
        Assert.Equal(Verdict.Uncertain, r.Verdict);
        Assert.Empty(r.Reasons); // FORM_NOT_SIGNED is completeness's
    }

    [Fact]
    public void Evaluate_ReportsNoCode_WhenNoSignatureIsVisibleOnTheDocument()
    {
        var f = Good().WithDocument(Cie() with { SignatureVisible = R(false, 2, "signature") });
        Assert.Empty(Run(0.0, f).Reasons);
    }
}
