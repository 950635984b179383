using VerifyPipeline.Rules.Checks;
using VerifyPipeline.Rules.Facts;
using static VerifyPipeline.Rules.Tests.Checks.Sample;

namespace VerifyPipeline.Rules.Tests.Checks;

public sealed class DocumentDataRuleTests
{
    private static RuleResult Run(SubmissionFacts f) => new DocumentDataRule().Evaluate(f, Context());

    private static SubmissionFacts WithFormFields(Func<FormFields, FormFields> change) =>
        Good() with { Form = Good().Form with { Fields = change(Good().Form.Fields) } };

    [Fact]
    public void Evaluate_Passes_WhenTypeNumberAndExpiryOnTheFormAreTheDocuments()
    {
        var r = Run(Good());
        Assert.Equal(Verdict.Pass, r.Verdict);
        Assert.Empty(r.Reasons);
    }

    [Fact]
    public void Evaluate_FailsWithDocumentDataMismatch_WhenTheDocumentNumberDiffers()
    {
        var r = Run(Good().WithDocument(Cie(number: "CA54321XY")));
        Assert.Equal(Verdict.Fail, r.Verdict);
        Assert.Equal([ReasonCodes.DocumentDataMismatch], r.Reasons);
        var number = ((DocumentDataEvidence)r.Evidence).DocumentNumber!;
        Assert.False(number.Agree);
        Assert.Contains(number.Disagreements, d => d.Reliable && (d.Value == "CA54321XY" || d.OtherValue == "CA54321XY"));
    }

    [Fact]
    public void Evaluate_FailsWithDocumentDataMismatch_WhenThePrintedNumberDiffersFromTheMrz()
    {
        var doc = Cie() with { Fields = Cie().Fields with { Number = R("CA12345XZ", 2, "number") } };
        Assert.Equal(Verdict.Fail, Run(Good().WithDocument(doc)).Verdict);
    }

    [Fact]
    public void Evaluate_Passes_WhenTheNumbersDifferOnlyInSpacingAndCase()
    {
        var f = WithFormFields(ff => ff with { DocumentNumber = R("ca 12345 xy", 1, "document_number") });
        Assert.Equal(Verdict.Pass, Run(f).Verdict);
    }

    [Fact]
    public void Evaluate_FailsWithDocumentDataMismatch_WhenTheExpiryOnTheFormDiffers()
    {
        var f = WithFormFields(ff => ff with { DocumentExpiry = R(Expiry.AddYears(-5), 1, "document_expiry_date") });
        var r = Run(f);
        Assert.Equal(Verdict.Fail, r.Verdict);
        Assert.Equal([ReasonCodes.DocumentDataMismatch], r.Reasons);
    }

    [Fact]
    public void Evaluate_FailsWithDocumentDataMismatch_WhenTheDeclaredTypeIsNotTheDocumentSent()
    {
        var f = WithFormFields(ff => ff with { DocumentType = null }) with
        {
            Declared = Good().Declared with { Document = new DeclaredDocument(DocumentKind.Passport, Number, Expiry) },
        };
        var r = Run(f);
        Assert.Equal(Verdict.Fail, r.Verdict);
        Assert.False(((DocumentDataEvidence)r.Evidence).DocumentType!.Agree);
    }

    [Fact]
    public void Evaluate_UsesTheDeclaredNumber_WhenTheFormBoxWasNotRead()
    {
        var f = WithFormFields(ff => ff with { DocumentNumber = null });
        Assert.Equal(Verdict.Pass, Run(f).Verdict);
        Assert.Equal(Verdict.Fail, Run(f with { Declared = f.Declared with { Document = f.Declared.Document! with { Number = "CA99999XY" } } }).Verdict);
    }

    [Fact]
    public void Evaluate_UncertainWithDocumentDataMismatch_WhenOnlyALowConfidenceReadDisagrees()
    {
        var doc = Cie() with { Mrz = null, Fields = Cie().Fields with { Number = R("CA12346XY", 2, "number", 0.5) } };
        var f = Good().WithDocument(doc);
        var r = Run(f);
        Assert.Equal(Verdict.Uncertain, r.Verdict);
        Assert.Equal([ReasonCodes.DocumentDataMismatch], r.Reasons);
    }

    [Fact]
    public void Evaluate_UncertainWithoutCode_WhenTheDocumentNumberWasNotRead()
    {
        var doc = Cie() with { Mrz = null, Fields = Cie().Fields with { Number = null } };
        var r = Run(Good().WithDocument(doc));
        Assert.Equal(Verdict.Uncertain, r.Verdict);
        Assert.Empty(r.Reasons);
    }
}
