using VerifyPipeline.Rules.Checks;
using VerifyPipeline.Rules.Facts;
using static VerifyPipeline.Rules.Tests.Checks.Sample;

namespace VerifyPipeline.Rules.Tests.Checks;

public sealed class CompletenessRuleTests
{
    private static RuleResult Run(SubmissionFacts f, RuleContext? ctx = null) => new CompletenessRule().Evaluate(f, ctx ?? Context());

    private static SubmissionFacts WithoutForm() =>
        Good() with { Form = FormFacts.NotFound, Pages = [GoodPage(2), GoodPage(3)] };

    [Fact]
    public void Evaluate_Passes_WhenFormAndBothSidesAndBothSignaturesArePresent()
    {
        var r = Run(Good());
        Assert.Equal(Verdict.Pass, r.Verdict);
        Assert.Empty(r.Reasons);
        Assert.True(((CompletenessEvidence)r.Evidence).AbsenceCertain);
    }

    [Fact]
    public void Evaluate_FailsCertainWithUnreadableFileOnly_WhenTheFileCouldNotBeOpened()
    {
        var f = Good() with { UnreadableFile = "encrypted PDF", Form = FormFacts.NotFound, Documents = [], Pages = [] };
        var r = Run(f);
        Assert.Equal(Verdict.Fail, r.Verdict);
        Assert.Equal([ReasonCodes.UnreadableFile], r.Reasons);
        Assert.Equal([ReasonCodes.UnreadableFile], r.CertainReasons);
        Assert.Equal("encrypted PDF", ((CompletenessEvidence)r.Evidence).UnreadableFile);
    }

    [Fact]
    public void Evaluate_FailsCertainWithFormMissing_WhenEveryPageIsLegibleAndIsADocumentSide()
    {
        var r = Run(WithoutForm());
        Assert.Equal(Verdict.Fail, r.Verdict);
        Assert.Equal([ReasonCodes.FormMissing], r.Reasons);
        Assert.Equal([ReasonCodes.FormMissing], r.CertainReasons);
    }

    [Fact]
    public void Evaluate_FailsNotCertainWithFormMissing_WhenAPageIsNeitherFormNorDocument()
    {
        var r = Run(WithoutForm() with { Pages = [GoodPage(1), GoodPage(2), GoodPage(3)] });
        Assert.Equal([ReasonCodes.FormMissing], r.Reasons);
        Assert.Empty(r.CertainReasons);
        Assert.Contains("page 1 is neither the form nor a side of a document", ((CompletenessEvidence)r.Evidence).AbsenceDoubts!);
    }

    [Fact]
    public void Evaluate_FailsNotCertainWithFormMissing_WhenAPageIsIllegible()
    {
        var r = Run(WithoutForm() with { Pages = [GoodPage(2), GoodPage(3) with { BlurVariance = 10 }] });
        Assert.Equal([ReasonCodes.FormMissing], r.Reasons);
        Assert.Empty(r.CertainReasons);
    }

    [Fact]
    public void Evaluate_FailsCertainWithIdMissing_WhenNoDocumentAndOnlyTheFormPage()
    {
        var r = Run(Good() with { Documents = [], Pages = [GoodPage(1)] });
        Assert.Equal([ReasonCodes.IdMissing], r.Reasons);
        Assert.Equal([ReasonCodes.IdMissing], r.CertainReasons);
    }

    [Fact]
    public void Evaluate_FailsCertainWithFormMissingAndIdMissing_WhenTheFileHoldsNeither()
    {
        var r = Run(Good() with { Form = FormFacts.NotFound, Documents = [], Pages = [] });
        Assert.Equal([ReasonCodes.FormMissing, ReasonCodes.IdMissing], r.Reasons);
        Assert.Empty(r.CertainReasons); // no page was measured: the absence is not proven
    }

    [Theory]
    [InlineData(DocumentKind.Cie, DocumentSide.Back)]
    [InlineData(DocumentKind.Cie, DocumentSide.Front)]
    [InlineData(DocumentKind.DrivingLicence, DocumentSide.Back)]
    [InlineData(DocumentKind.PaperId, DocumentSide.Back)]
    public void Evaluate_FailsCertainWithIdSideMissing_WhenATwoSidedDocumentLacksASide(DocumentKind kind, DocumentSide present)
    {
        var page = present == DocumentSide.Front ? 2 : 3;
        var doc = Cie() with { Kind = kind, Sides = [new SidePage(present, page)] };
        var f = Good().WithDocument(doc) with
        {
            Pages = [GoodPage(1), GoodPage(page)],
            Declared = Good().Declared with { Document = new DeclaredDocument(kind, Number, Expiry) },
        };
        var r = Run(f);
        Assert.Equal([ReasonCodes.IdSideMissing], r.Reasons);
        Assert.Equal([ReasonCodes.IdSideMissing], r.CertainReasons);
        Assert.Equal([present == DocumentSide.Front ? "back" : "front"], ((CompletenessEvidence)r.Evidence).SidesMissing!);
    }

    [Fact]
    public void Evaluate_FailsNotCertainWithIdSideMissing_WhenTheSidesPageHasPrintTheReaderDidNotPlace()
    {
        var doc = Cie() with { Sides = [new SidePage(DocumentSide.Front, 2)] };
        var r = Run(Good().WithDocument(doc) with { Pages = [GoodPage(1), GoodPage(2)], UnplacedPrint = [2] });
        Assert.Equal([ReasonCodes.IdSideMissing], r.Reasons);
        Assert.Empty(r.CertainReasons); // the missing back may be that print
        Assert.Contains("page 2 has print", string.Join(" ", ((CompletenessEvidence)r.Evidence).AbsenceDoubts!));
    }

    [Fact]
    public void Evaluate_FailsCertainWithIdTypeNotAccepted_WhenTheOnlyDocumentIsRecognisedAsNotAnIdentityDocument()
    {
        var card = Cie() with { Kind = DocumentKind.Other, Sides = [new SidePage(DocumentSide.Front, 2)] };
        var r = Run(Good().WithDocument(card) with { Pages = [GoodPage(1), GoodPage(2)] });
        Assert.Contains(ReasonCodes.IdTypeNotAccepted, r.Reasons);
        Assert.Equal([ReasonCodes.IdTypeNotAccepted], r.CertainReasons);
    }

    [Fact]
    public void Evaluate_Passes_WhenAPassportHasOnlyItsDataPage()
    {
        var doc = Cie() with { Kind = DocumentKind.Passport, Sides = [new SidePage(DocumentSide.Front, 2)] };
        var r = Run(Good().WithDocument(doc) with { Pages = [GoodPage(1), GoodPage(2)] });
        Assert.Equal(Verdict.Pass, r.Verdict);
    }

    [Fact]
    public void Evaluate_FailsWithFormNotSigned_WhenTheBoxIsReliablyEmpty()
    {
        var f = Good() with { Form = Good().Form with { Signed = R(false, 1, "signature", 0.9) } };
        var r = Run(f);
        Assert.Equal(Verdict.Fail, r.Verdict);
        Assert.Equal([ReasonCodes.FormNotSigned], r.Reasons);
        Assert.Empty(r.CertainReasons); // 0.9: reliable, but not sure enough to reject without a person
    }

    [Theory]
    [InlineData(0.95, true)]
    [InlineData(0.94, false)]
    public void Evaluate_FormNotSignedIsCertain_OnlyWhenTheInkDetectorIsSure(double confidence, bool certain)
    {
        var r = Run(Good() with { Form = Good().Form with { Signed = R(false, 1, "signature", confidence) } });
        Assert.Equal([ReasonCodes.FormNotSigned], r.Reasons);
        Assert.Equal(certain ? [ReasonCodes.FormNotSigned] : [], r.CertainReasons);
    }

    [Theory]
    [InlineData(false, 0.79)]
    [InlineData(true, 0.79)]
    public void Evaluate_UncertainWithFormNotSigned_WhenTheBoxIsReadBelowMinFieldConfidence(bool signed, double confidence)
    {
        var f = Good() with { Form = Good().Form with { Signed = R(signed, 1, "signature", confidence) } };
        var r = Run(f);
        Assert.Equal(Verdict.Uncertain, r.Verdict);
        Assert.Equal([ReasonCodes.FormNotSigned], r.Reasons);
    }

    [Fact]
    public void Evaluate_UncertainWithFormNotSigned_WhenTheBoxWasNotAssessed()
    {
        var r = Run(Good() with { Form = Good().Form with { Signed = null } });
        Assert.Equal(Verdict.Uncertain, r.Verdict);
        Assert.Equal([ReasonCodes.FormNotSigned], r.Reasons);
    }

    [Fact]
    public void Evaluate_FailsWithIdSignatureNotVisible_WhenTheDocumentShowsNoSignature()
    {
        var r = Run(Good().WithDocument(Cie() with { SignatureVisible = R(false, 2, "signature") }));
        Assert.Equal([ReasonCodes.IdSignatureNotVisible], r.Reasons);
        Assert.Equal(Verdict.Fail, r.Verdict);
    }

    [Fact]
    public void Evaluate_FailsWithIdTypeNotAccepted_WhenTheKindIsNotAcceptedByTheContext()
    {
        var ctx = Context() with { AcceptedKinds = [DocumentKind.Cie, DocumentKind.Passport] };
        var doc = Cie() with { Kind = DocumentKind.DrivingLicence };
        var r = Run(Good().WithDocument(doc), ctx);
        Assert.Equal(Verdict.Fail, r.Verdict);
        Assert.Equal([ReasonCodes.IdTypeNotAccepted], r.Reasons);
    }

    [Fact]
    public void Evaluate_UncertainWithIdTypeNotAccepted_WhenTheDocumentCouldNotBeClassified()
    {
        var r = Run(Good().WithDocument(Cie() with { Kind = DocumentKind.Unknown }));
        Assert.Equal(Verdict.Uncertain, r.Verdict);
        Assert.Equal([ReasonCodes.IdTypeNotAccepted], r.Reasons);
    }
}
