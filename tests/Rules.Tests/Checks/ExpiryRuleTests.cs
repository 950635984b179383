using VerifyPipeline.Rules.Checks;
using VerifyPipeline.Rules.Facts;
using VerifyPipeline.Rules.Identity;
using static VerifyPipeline.Rules.Tests.Checks.Sample;

namespace VerifyPipeline.Rules.Tests.Checks;

/// <summary>Convention under test: a document is valid through its expiry date; expiry &lt; AsOf is expired.</summary>
public sealed class ExpiryRuleTests
{
    private static RuleResult Run(IdDocumentFacts doc, DateOnly? asOf = null) =>
        new ExpiryRule().Evaluate(Good().WithDocument(doc), Context(asOf));

    private static IdDocumentFacts PrintedOnly(DateOnly expiry, double confidence = 0.95) =>
        Cie() with { Mrz = null, Fields = Cie().Fields with { ExpiryDate = R(expiry, 2, "expiry_date", confidence) } };

    private static IdDocumentFacts PaperId(DateOnly printedExpiry) =>
        PrintedOnly(printedExpiry) with { Kind = DocumentKind.PaperId };

    [Fact]
    public void Evaluate_Passes_WhenTheMrzExpiryIsTomorrow() =>
        Assert.Equal(Verdict.Pass, Run(Cie(printedExpiry: AsOf.AddDays(1))).Verdict);

    [Fact]
    public void Evaluate_Passes_WhenTheDocumentExpiresOnTheRequestDate()
    {
        var r = Run(Cie(printedExpiry: AsOf));
        Assert.Equal(Verdict.Pass, r.Verdict);
        Assert.Equal(ExpiryBasis.Mrz, ((ExpiryEvidence)r.Evidence).Basis);
    }

    [Fact]
    public void Evaluate_FailsCertainWithIdExpired_WhenTheMrzExpiryWasYesterday()
    {
        var r = Run(Cie(printedExpiry: AsOf.AddDays(-1)));
        Assert.Equal(Verdict.Fail, r.Verdict);
        Assert.Equal([ReasonCodes.IdExpired], r.Reasons);
        Assert.Equal([ReasonCodes.IdExpired], r.CertainReasons);
        Assert.Equal(ExpiryBasis.Mrz, ((ExpiryEvidence)r.Evidence).Basis);
        Assert.Equal(AsOf.AddDays(-1), ((ExpiryEvidence)r.Evidence).EffectiveExpiry);
    }

    [Fact]
    public void Evaluate_FailsNotCertain_WhenTheMrzExpiryCheckHoldsButTheCompositeCheckFails()
    {
        var td1 = Td1(Number, BirthDate, 'F', AsOf.AddDays(-1), "DAMICO", "MARIA<LUCIA").Split('\n');
        td1[1] = td1[1][..29] + (char)('0' + (td1[1][29] - '0' + 1) % 10);
        var mrz = Mrz.Parse(string.Join('\n', td1), AsOf);
        Assert.Contains(mrz.Checks, c => c is { Field: "expiry_date", Ok: true });
        Assert.False(mrz.Valid);
        var doc = Cie(printedExpiry: AsOf.AddDays(-1));
        var r = Run(doc with { Mrz = doc.Mrz! with { Result = mrz } });
        Assert.Equal(Verdict.Fail, r.Verdict);
        Assert.Equal(ExpiryBasis.Mrz, ((ExpiryEvidence)r.Evidence).Basis);
        Assert.Empty(r.CertainReasons);
    }

    [Fact]
    public void Evaluate_Passes_WhenOnlyAPrintedExpiryOfTodayIsRead() =>
        Assert.Equal(Verdict.Pass, Run(PrintedOnly(AsOf)).Verdict);

    [Fact]
    public void Evaluate_FailsNotCertainWithIdExpired_WhenOnlyAPrintedExpiryOfYesterdayIsRead()
    {
        var r = Run(PrintedOnly(AsOf.AddDays(-1), confidence: 0.999));
        Assert.Equal(Verdict.Fail, r.Verdict);
        Assert.Equal([ReasonCodes.IdExpired], r.Reasons);
        Assert.Empty(r.CertainReasons);
        Assert.Equal(ExpiryBasis.Printed, ((ExpiryEvidence)r.Evidence).Basis);
    }

    [Fact]
    public void Evaluate_UncertainWithIdExpired_WhenPrintedAndMrzExpiryDisagree()
    {
        var r = Run(Cie(printedExpiry: new DateOnly(2031, 7, 14), mrzExpiry: new DateOnly(2031, 7, 15)));
        Assert.Equal(Verdict.Uncertain, r.Verdict);
        Assert.Equal([ReasonCodes.IdExpired], r.Reasons);
        Assert.Equal(ExpiryBasis.MrzAndPrintedDisagree, ((ExpiryEvidence)r.Evidence).Basis);
    }

    [Fact]
    public void Evaluate_UsesThePrintedExpiry_WhenTheMrzExpiryCheckDigitFails()
    {
        var doc = Cie(printedExpiry: AsOf.AddDays(-1));
        var broken = Mrz.Parse(BreakExpiryCheck(Td1(Number, BirthDate, 'F', AsOf.AddYears(5), "DAMICO", "MARIA<LUCIA")), AsOf);
        Assert.Contains(broken.Checks, c => c is { Field: "expiry_date", Ok: false });
        var r = Run(doc with { Mrz = doc.Mrz! with { Result = broken } });
        Assert.Equal(Verdict.Fail, r.Verdict);
        Assert.Equal(ExpiryBasis.Printed, ((ExpiryEvidence)r.Evidence).Basis);
        Assert.Empty(r.CertainReasons);
    }

    [Fact]
    public void Evaluate_UncertainWithIdExpired_WhenTheOnlyExpiryIsUnreliableAndPast()
    {
        var r = Run(PrintedOnly(AsOf.AddDays(-1), confidence: 0.5));
        Assert.Equal(Verdict.Uncertain, r.Verdict);
        Assert.Equal([ReasonCodes.IdExpired], r.Reasons);
    }

    [Fact]
    public void Evaluate_UncertainWithoutCode_WhenTheOnlyExpiryIsUnreliableAndFuture()
    {
        var r = Run(PrintedOnly(AsOf.AddYears(1), confidence: 0.5));
        Assert.Equal(Verdict.Uncertain, r.Verdict);
        Assert.Empty(r.Reasons);
    }

    [Fact]
    public void Evaluate_UncertainWithoutCode_WhenNoExpiryWasRead()
    {
        var doc = Cie() with { Mrz = null, Fields = Cie().Fields with { ExpiryDate = null } };
        var r = Run(doc);
        Assert.Equal(Verdict.Uncertain, r.Verdict);
        Assert.Empty(r.Reasons);
    }

    [Fact]
    public void Evaluate_UncertainWithoutCode_WhenThereIsNoDocument()
    {
        var r = new ExpiryRule().Evaluate(Good() with { Documents = [] }, Context());
        Assert.Equal(Verdict.Uncertain, r.Verdict);
        Assert.Empty(r.Reasons);
    }

    [Fact]
    public void Evaluate_Passes_WhenAPaperIdIsJudgedOnTheLastDayOfTheLegalCutoff()
    {
        var r = Run(PaperId(new DateOnly(2030, 1, 1)), asOf: new DateOnly(2026, 8, 3));
        Assert.Equal(Verdict.Pass, r.Verdict);
    }

    [Fact]
    public void Evaluate_FailsCertainCitingTheRegulation_WhenAPaperIdIsJudgedTheDayAfterTheLegalCutoff()
    {
        var r = Run(PaperId(new DateOnly(2030, 1, 1)), asOf: new DateOnly(2026, 8, 4));
        Assert.Equal(Verdict.Fail, r.Verdict);
        Assert.Equal([ReasonCodes.IdExpired], r.CertainReasons);
        Assert.Equal(ExpiryBasis.LegalCutoff, ((ExpiryEvidence)r.Evidence).Basis);
        var cutoff = ((ExpiryEvidence)r.Evidence).LegalCutoff!;
        Assert.Equal(new DateOnly(2026, 8, 3), cutoff.NotValidAfter);
        Assert.Equal("Reg. (EU) 2019/1157 art. 5(2)(a)", cutoff.Reference);
    }

    [Fact]
    public void Evaluate_FailsCertain_WhenAPaperIdPastTheCutoffHasNoReadableExpiry()
    {
        var doc = PaperId(new DateOnly(2030, 1, 1)) with { Fields = Cie().Fields with { ExpiryDate = null } };
        Assert.Equal([ReasonCodes.IdExpired], Run(doc, asOf: new DateOnly(2026, 8, 4)).CertainReasons);
    }

    [Fact]
    public void Evaluate_Passes_WhenACieIsJudgedAfterThePaperIdCutoff() =>
        Assert.Equal(Verdict.Pass, Run(Cie(), asOf: new DateOnly(2026, 8, 4)).Verdict);
}
