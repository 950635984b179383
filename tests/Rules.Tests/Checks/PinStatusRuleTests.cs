using VerifyPipeline.Rules.Checks;
using VerifyPipeline.Rules.Facts;

namespace VerifyPipeline.Rules.Tests.Checks;

public sealed class PinStatusRuleTests
{
    private static RuleResult Run(PinStatus status) => new PinStatusRule().Evaluate(Sample.Good() with { PinStatus = status }, Sample.Context());

    [Fact]
    public void Evaluate_Passes_WhenPinIsOnline()
    {
        var r = Run(PinStatus.Online);
        Assert.Equal(Verdict.Pass, r.Verdict);
        Assert.Empty(r.Reasons);
        Assert.Equal("online", r.Evidence["pin_status"]);
    }

    [Fact]
    public void Evaluate_FailsCertainWithTheProcedureSentence_WhenPinIsAlreadyDispositivo()
    {
        var r = Run(PinStatus.Dispositivo);
        Assert.Equal(Verdict.Fail, r.Verdict);
        Assert.Equal([ReasonCodes.PinAlreadyDispositivo], r.Reasons);
        Assert.Equal([ReasonCodes.PinAlreadyDispositivo], r.CertainReasons);
        Assert.Equal("Non è necessario procedere con la richiesta poichè il PIN in suo possesso è già di tipo dispositivo.", r.Evidence["message"]);
    }

    [Theory]
    [InlineData(PinStatus.Revoked)]
    [InlineData(PinStatus.Unknown)]
    public void Evaluate_FailsCertainWithPinNotEligible_WhenPinIsRevokedOrUnknown(PinStatus status)
    {
        var r = Run(status);
        Assert.Equal(Verdict.Fail, r.Verdict);
        Assert.Equal([ReasonCodes.PinNotEligible], r.Reasons);
        Assert.Equal([ReasonCodes.PinNotEligible], r.CertainReasons);
        Assert.Equal(1.0, r.Confidence);
    }
}
