using VerifyPipeline.Rules.Checks;
using VerifyPipeline.Rules.Facts;
using static VerifyPipeline.Rules.Tests.Checks.Sample;

namespace VerifyPipeline.Rules.Tests.Checks;

public sealed class LegibilityRuleTests
{
    private static RuleResult Run(SubmissionFacts f) => new LegibilityRule().Evaluate(f, Context());

    private static SubmissionFacts WithPage2(PageLegibility p) => Good() with { Pages = [GoodPage(1), p, GoodPage(3)] };

    private static IReadOnlyList<string> ProblemsOfPage(RuleResult r, int page) =>
        ((LegibilityEvidence)r.Evidence).Pages.Single(p => p.Page == page).Problems;

    [Fact]
    public void Evaluate_Passes_WhenEveryNeededPageAndValueIsReadable()
    {
        var r = Run(Good());
        Assert.Equal(Verdict.Pass, r.Verdict);
        Assert.Empty(r.Reasons);
    }

    [Fact]
    public void Evaluate_Passes_WhenEveryMeasureIsExactlyAtItsThreshold()
    {
        var t = new Thresholds();
        var r = Run(WithPage2(new PageLegibility(2, t.MinEffectiveDpi, t.MinXHeightPx, t.MinBlurVariance, t.MinContrast, t.MinOcrMeanConfidence)));
        Assert.Equal(Verdict.Pass, r.Verdict);
    }

    public static TheoryData<PageLegibility, string> JustBelow => new()
    {
        { new PageLegibility(2, 89.9, 20, 400, 0.7, 0.9), "effective resolution 89.9 dpi < 90" },
        { new PageLegibility(2, 60, 20, 400, 0.7, 0.9), "effective resolution 60 dpi < 90" }, // a card 8 % of a phone photo
        { new PageLegibility(2, 300, 7.9, 400, 0.7, 0.9), "x-height 7.9 px < 8" },
        { new PageLegibility(2, 300, 20, 99.9, 0.7, 0.9), "blurred: variance of the Laplacian 99.9 < 100" },
        { new PageLegibility(2, 300, 20, 400, 0.249, 0.9), "contrast 0.249 < 0.25" },
        { new PageLegibility(2, 300, 20, 400, 0.7, 0.599), "OCR mean confidence 0.599 < 0.6" },
    };

    [Theory]
    [MemberData(nameof(JustBelow))]
    public void Evaluate_FailsWithIllegibleNamingThePageAndMeasure_WhenAMeasureIsJustBelowItsThreshold(PageLegibility page, string problem)
    {
        var r = Run(WithPage2(page));
        Assert.Equal(Verdict.Fail, r.Verdict);
        Assert.Equal([ReasonCodes.Illegible], r.Reasons);
        Assert.Equal([problem], ProblemsOfPage(r, 2));
    }

    [Fact]
    public void Evaluate_Passes_WhenOnlyAPageTheDecisionDoesNotNeedIsIllegible()
    {
        var r = Run(Good() with { Pages = [GoodPage(1), GoodPage(2), GoodPage(3), new PageLegibility(4, 50, 3, 1, 0.05, 0.1)] });
        Assert.Equal(Verdict.Pass, r.Verdict);
    }

    [Fact]
    public void Evaluate_UncertainWithIllegible_WhenANeededPageHasNoMeasures()
    {
        var r = Run(Good() with { Pages = [GoodPage(1), GoodPage(2)] });
        Assert.Equal(Verdict.Uncertain, r.Verdict);
        Assert.Equal([ReasonCodes.Illegible], r.Reasons);
        Assert.Equal(["no legibility measures for this page"], ProblemsOfPage(r, 3));
    }

    [Fact]
    public void Evaluate_UncertainWithIllegibleNamingTheRegion_WhenTheOnlyExpiryIsReadBelowMinFieldConfidence()
    {
        var doc = Cie() with { Mrz = null, Fields = Cie().Fields with { ExpiryDate = R(Expiry, 2, "expiry_date", 0.5) } };
        var r = Run(Good().WithDocument(doc));
        Assert.Equal(Verdict.Uncertain, r.Verdict);
        var region = Assert.Single(((LegibilityEvidence)r.Evidence).Regions);
        Assert.Equal("expiry_date", region.Region);
        Assert.Equal(2, region.Page);
        Assert.Equal(0.5, region.Confidence);
    }

    [Fact]
    public void Evaluate_Passes_WhenAPrintedValueIsUnreliableButTheMrzCheckDigitHolds()
    {
        var doc = Cie() with { Fields = Cie().Fields with { ExpiryDate = R(Expiry, 2, "expiry_date", 0.5), Number = null } };
        Assert.Equal(Verdict.Pass, Run(Good().WithDocument(doc)).Verdict);
    }

    [Fact]
    public void Evaluate_UncertainWithIllegible_WhenNoVerifiedQrAndTheFormCodiceFiscaleWasNotRead()
    {
        var form = Good().Form with { Qr = null, Fields = Good().Form.Fields with { CodiceFiscale = null } };
        var r = Run(Good() with { Form = form });
        Assert.Equal(Verdict.Uncertain, r.Verdict);
        var region = Assert.Single(((LegibilityEvidence)r.Evidence).Regions);
        Assert.Equal("codice_fiscale", region.Region);
        Assert.Null(region.Confidence);
    }
}
