using VerifyPipeline.Rules.Checks;
using VerifyPipeline.Rules.Facts;
using VerifyPipeline.Rules.Identity;
using static VerifyPipeline.Rules.Tests.Checks.Sample;

namespace VerifyPipeline.Rules.Tests.Checks;

public sealed class IdentityRuleTests
{
    private static RuleResult Run(SubmissionFacts f) => new IdentityRule().Evaluate(f, Context());

    private static SubmissionFacts WithDeclared(Func<DeclaredRequest, DeclaredRequest> change) => Good() with { Declared = change(Good().Declared) };

    private static SubmissionFacts WithDocFields(Func<DocumentFields, DocumentFields> change) =>
        Good().WithDocument(Cie() with { Fields = change(Cie().Fields) });

    [Fact]
    public void Evaluate_Passes_WhenHolderFormAndDocumentDescribeOnePerson()
    {
        var r = Run(Good());
        Assert.Equal(Verdict.Pass, r.Verdict);
        Assert.Empty(r.Reasons);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(127)]
    public void Evaluate_Passes_WhenTheDocumentAndQrCarryOmocodiaVariantsOfTheDeclaredCode(int variant)
    {
        var omocode = CodiceFiscale.OmocodiaVariants(Cf)[variant];
        Assert.NotEqual(Cf, omocode);
        var f = WithDocFields(d => d with { CodiceFiscale = R(omocode, 3, "codice_fiscale") }) with
        {
            Form = Good().Form with { Qr = Good().Form.Qr! with { CodiceFiscale = omocode } },
        };
        var r = Run(f);
        Assert.Equal(Verdict.Pass, r.Verdict);
    }

    [Fact]
    public void Evaluate_FailsWithIdentityMismatch_WhenTheDocumentCarriesSomeoneElsesCodiceFiscale()
    {
        var r = Run(WithDocFields(d => d with { CodiceFiscale = R(OtherCf, 3, "codice_fiscale") }));
        Assert.Equal(Verdict.Fail, r.Verdict);
        Assert.Equal([ReasonCodes.IdentityMismatch], r.Reasons);
        Assert.False(((IdentityEvidence)r.Evidence).CodiceFiscale!.Agree);
    }

    [Fact]
    public void Evaluate_FailsWithIdentityMismatch_WhenTheFormQrIsForAnotherCodiceFiscale()
    {
        var f = Good() with { Form = Good().Form with { Qr = Good().Form.Qr! with { CodiceFiscale = OtherCf } } };
        Assert.Equal(Verdict.Fail, Run(f).Verdict);
    }

    [Fact]
    public void Evaluate_FailsWithIdentityMismatch_WhenTheFormQrIsForAnotherRequest()
    {
        var f = Good() with { Form = Good().Form with { Qr = Good().Form.Qr! with { RequestId = "0195f2a4c3b87d2e9a1b4c5d6e7f0000" } } };
        var r = Run(f);
        Assert.Equal(Verdict.Fail, r.Verdict);
        Assert.Equal([ReasonCodes.IdentityMismatch], r.Reasons);
    }

    [Fact]
    public void Evaluate_UncertainWithIdentityMismatch_WhenTheFormQrDoesNotVerify()
    {
        var f = Good() with { Form = Good().Form with { Qr = Good().Form.Qr! with { Verified = false } } };
        var r = Run(f);
        Assert.Equal(Verdict.Uncertain, r.Verdict);
        Assert.Equal([ReasonCodes.IdentityMismatch], r.Reasons);
    }

    [Theory]
    [InlineData("D'Àmico", "DAMICO")]
    [InlineData("D’Amico", "D AMICO")]
    [InlineData("d'amico", "D'AMICO")]
    [InlineData("De Luca", "DELUCA")]
    [InlineData("Rossi Bianchi", "ROSSI-BIANCHI")]
    [InlineData("Nicolò", "NICOLO")]
    public void Evaluate_Passes_WhenSurnamesDifferOnlyInAccentsApostrophesSpacesOrCase(string declared, string printed)
    {
        var f = WithDeclared(d => d with { Surname = declared }) with { Form = Good().Form with { Fields = Good().Form.Fields with { Surname = null } } };
        var doc = Cie(surname: printed) with { Mrz = null };
        var r = Run(f.WithDocument(doc));
        Assert.Equal(Verdict.Pass, r.Verdict);
    }

    [Fact]
    public void Evaluate_Passes_WhenADoubleSurnameIsWrittenWithFillersInTheMrz()
    {
        var mrz = Mrz.Parse(Td1(Number, BirthDate, 'F', Expiry, "ROSSI<BIANCHI", "MARIA<LUCIA"), AsOf);
        var f = WithDeclared(d => d with { Surname = "Rossi Bianchi" }) with { Form = Good().Form with { Fields = Good().Form.Fields with { Surname = null } } };
        var doc = Cie(surname: "ROSSI BIANCHI") with { Mrz = Cie().Mrz! with { Result = mrz } };
        Assert.Equal(Verdict.Pass, Run(f.WithDocument(doc)).Verdict);
    }

    [Theory]
    [InlineData("Maria Lucía", "LUCIA MARIA")]
    [InlineData("Lucía Maria", "MARIA LUCIA")]
    [InlineData("Anna Maria", "ANNAMARIA")]
    public void Evaluate_Passes_WhenGivenNamesDifferOnlyInOrderAccentsOrSpaces(string declared, string printed)
    {
        var f = WithDeclared(d => d with { GivenNames = declared }) with { Form = Good().Form with { Fields = Good().Form.Fields with { GivenNames = null } } };
        var doc = Cie(given: printed) with { Mrz = null };
        Assert.Equal(Verdict.Pass, Run(f.WithDocument(doc)).Verdict);
    }

    [Fact]
    public void Evaluate_FailsWithIdentityMismatch_WhenTheSurnameIsAnotherOne()
    {
        var r = Run(Good().WithDocument(Cie(surname: "DAMIANI") with { Mrz = null }));
        Assert.Equal(Verdict.Fail, r.Verdict);
        Assert.Contains(new Disagreement("declared", "D'Àmico", "document", "DAMIANI", true), ((IdentityEvidence)r.Evidence).Surname!.Disagreements);
    }

    [Fact]
    public void Evaluate_FailsWithIdentityMismatch_WhenThePrintedBirthDateDisagreesWithTheCodiceFiscale()
    {
        var r = Run(WithDocFields(d => d with { BirthDate = R(BirthDate.AddDays(1), 2, "birth_date") }));
        Assert.Equal(Verdict.Fail, r.Verdict);
        Assert.Equal([ReasonCodes.IdentityMismatch], r.Reasons);
    }

    [Fact]
    public void Evaluate_FailsWithIdentityMismatch_WhenTheDeclaredBirthDateDisagreesWithTheCodiceFiscale() =>
        Assert.Equal(Verdict.Fail, Run(WithDeclared(d => d with { BirthDate = new DateOnly(1985, 7, 15) })).Verdict);

    [Fact]
    public void Evaluate_FailsWithIdentityMismatch_WhenTheMrzSexDisagreesWithTheCodiceFiscale()
    {
        var doc = Cie(sex: 'M') with { Fields = Cie().Fields with { Sex = null } };
        var r = Run(Good().WithDocument(doc));
        Assert.Equal(Verdict.Fail, r.Verdict);
        Assert.False(((IdentityEvidence)r.Evidence).Sex!.Agree);
    }

    [Fact]
    public void Evaluate_UncertainWithIdentityMismatch_WhenOnlyALowConfidenceReadDisagrees()
    {
        var r = Run(WithDocFields(d => d with { BirthDate = R(BirthDate.AddDays(1), 2, "birth_date", 0.5) }));
        Assert.Equal(Verdict.Uncertain, r.Verdict);
        Assert.Equal([ReasonCodes.IdentityMismatch], r.Reasons);
    }

    [Fact]
    public void Evaluate_UncertainWithIdentityMismatch_WhenTheDocumentCodiceFiscaleFailsItsCheckCharacter()
    {
        var misread = Cf[..15] + (Cf[15] == 'A' ? 'B' : 'A');
        var r = Run(WithDocFields(d => d with { CodiceFiscale = R(misread, 3, "codice_fiscale", 0.99) }));
        Assert.Equal(Verdict.Uncertain, r.Verdict);
        Assert.Equal([ReasonCodes.IdentityMismatch], r.Reasons);
    }

    [Fact]
    public void Evaluate_UncertainWithoutCode_WhenTheDocumentBirthDateWasNotRead()
    {
        var doc = Cie() with { Mrz = null, Fields = Cie().Fields with { BirthDate = null } };
        var r = Run(Good().WithDocument(doc));
        Assert.Equal(Verdict.Uncertain, r.Verdict);
        Assert.Empty(r.Reasons);
        Assert.Contains("the document's birth_date (legibility)", ((IdentityEvidence)r.Evidence).Missing!);
    }

    [Fact]
    public void Evaluate_UncertainWithoutCode_WhenNoVerifiedQrAndNoFormCodiceFiscaleTieTheForm()
    {
        var form = Good().Form with { Qr = null, Fields = Good().Form.Fields with { CodiceFiscale = null } };
        var r = Run(Good() with { Form = form });
        Assert.Equal(Verdict.Uncertain, r.Verdict);
        Assert.Empty(r.Reasons);
    }

    [Fact]
    public void Evaluate_Passes_WhenNothingWasDeclaredAndTheFormAndDocumentAgree()
    {
        var f = Good() with { Declared = new DeclaredRequest(null, null, null, null, null, null, null) };
        Assert.Equal(Verdict.Pass, Run(f).Verdict);
    }
}
