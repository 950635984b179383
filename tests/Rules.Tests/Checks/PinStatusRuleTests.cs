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
        Assert.Equal("online", ((PinStatusEvidence)r.Evidence).PinStatus);
    }

    [Fact]
    public void Evaluate_FailsCertainWithTheProcedureSentence_WhenPinIsAlreadyDispositivo()
    {
        var r = Run(PinStatus.Dispositivo);
        Assert.Equal(Verdict.Fail, r.Verdict);
        Assert.Equal([ReasonCodes.PinAlreadyDispositivo], r.Reasons);
        Assert.Equal([ReasonCodes.PinAlreadyDispositivo], r.CertainReasons);
        Assert.Equal("Non è necessario procedere con la richiesta poichè il PIN in suo possesso è già di tipo dispositivo.", ((PinStatusEvidence)r.Evidence).Message);
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

    [Fact]
    public void Evaluate_FailsCertainWithPinNotEligible_WhenThePinBelongsToAnotherCodiceFiscale()
    {
        var r = new PinStatusRule().Evaluate(Sample.Good() with { PinHolderCodiceFiscale = Sample.OtherCf }, Sample.Context());
        Assert.Equal(Verdict.Fail, r.Verdict);
        Assert.Equal([ReasonCodes.PinNotEligible], r.CertainReasons);
        Assert.Equal(PinStatusRule.NotTheHolderSentence, ((PinStatusEvidence)r.Evidence).Message);
        Assert.False(((PinStatusEvidence)r.Evidence).HolderMatchesDeclared);
    }

    [Fact]
    public void Evaluate_Passes_WhenTheHolderIsTheDeclaredPersonWrittenWithOmocodia()
    {
        // Omocodia replaces digits with letters (L for 0 … V for 9) and recomputes the check character: the same person.
        var cf = Sample.Cf;
        var omocode = cf[..14] + "LMNPQRSTUV"[cf[14] - '0'];
        omocode += VerifyPipeline.Rules.Identity.CodiceFiscale.CheckChar(omocode);
        var r = new PinStatusRule().Evaluate(Sample.Good() with { PinHolderCodiceFiscale = omocode }, Sample.Context());
        Assert.Equal(Verdict.Pass, r.Verdict);
    }

    [Fact]
    public void Evaluate_IsUncertainNeverPass_WhenTheHolderIsNotKnown()
    {
        var r = new PinStatusRule().Evaluate(Sample.Good() with { PinHolderCodiceFiscale = null }, Sample.Context());
        Assert.Equal(Verdict.Uncertain, r.Verdict);
        Assert.Empty(r.Reasons);
    }

    [Fact]
    public void Decide_RejectsWithPinNotEligibleOnly_WhenEverythingElseAgreesButThePinIsAnotherPersons()
    {
        // The attack of issue 11: one person's complete, genuine file naming another person's PIN.
        var facts = Sample.Good() with { PinHolderCodiceFiscale = Sample.OtherCf };
        var d = new VerifyPipeline.Rules.Decisions.DecisionPolicy().Decide(facts, Sample.Context());
        Assert.Equal(VerifyPipeline.Rules.Decisions.Outcome.Reject, d.Outcome);
        Assert.Equal([ReasonCodes.PinNotEligible], d.Reasons);
        Assert.Contains(d.Rules, x => x.Rule == RuleNames.Identity && x.Verdict == Verdict.Fail);
    }
}
