using System.Reflection;
using VerifyPipeline.Cases.Forms;
using VerifyPipeline.Rules;
using VerifyPipeline.Rules.Identity;
using VerifyPipeline.Corpus;

namespace VerifyPipeline.Worker.Tests.Corpus;

/// <summary>Labels and identity data of the generator, from plans alone (no rendering): coverage of every reason code,
/// agreement of defects and labels, and check digits of everything written.</summary>
public sealed class CorpusPlanTests
{
    private static readonly DateOnly AsOf = CorpusOptions.DefaultAsOf;

    private static IReadOnlyList<SubmissionPlan> Plans(CorpusProfile profile, int count, int seed = 42) =>
        CorpusGenerator.PlanAll(new CorpusOptions(count, seed, profile, AsOf, FormQr.DevelopmentKey));

    private static readonly Lazy<IReadOnlyList<SubmissionPlan>> Hard500 = new(() => Plans(CorpusProfile.Hard, 500));

    public static IEnumerable<object[]> AllReasonCodes() =>
        typeof(ReasonCodes).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral).Select(f => new object[] { (string)f.GetRawConstantValue()! });

    [Theory]
    [MemberData(nameof(AllReasonCodes))]
    public void HardCorpus_HasTheCodeAloneAndCombined_ForEveryReasonCode(string code)
    {
        var plans = Hard500.Value;
        // IDENTITY_MISMATCH never stands alone in this generator: a codice fiscale that is not the PIN holder's is also
        // PIN_NOT_ELIGIBLE (PinStatusRule), and another person's card carries that person's signature (SIGNATURE_MISMATCH).
        // It must still come with each of those.
        if (code == ReasonCodes.IdentityMismatch)
        {
            Assert.Contains(plans, p => p.Expected.Reasons.SequenceEqual([ReasonCodes.IdentityMismatch, ReasonCodes.PinNotEligible]));
            Assert.Contains(plans, p => p.Expected.Reasons.SequenceEqual([ReasonCodes.SignatureMismatch, ReasonCodes.IdentityMismatch]));
        }
        else Assert.Contains(plans, p => p.Expected.Reasons.SequenceEqual([code]));
        Assert.Contains(plans, p => p.Expected.Reasons.Count > 1 && p.Expected.Reasons.Contains(code));
    }

    [Fact]
    public void HardCorpus_HasEveryDecision_AndEveryDefect()
    {
        var plans = Hard500.Value;
        Assert.All(new[] { "approve", "reject", "review" }, d => Assert.Contains(plans, p => p.Expected.Decision == d));
        Assert.All(Defects.All, d => Assert.Contains(plans, p => p.Defects.Contains(d.Defect)));
    }

    [Theory]
    [InlineData(CorpusProfile.Hard)]
    [InlineData(CorpusProfile.Realistic)]
    [InlineData(CorpusProfile.Fax)]
    public void EveryDefect_ShowsItsReasonCode_AndTheDecisionFollowsThePolicy(CorpusProfile profile)
    {
        foreach (var p in Plans(profile, 300, seed: 5))
        {
            foreach (var d in p.Defects)
                Assert.True(p.Expected.Reasons.Contains(Defects.ReasonOf(d)), $"{p.FileName}: {d} should give {Defects.ReasonOf(d)}, got [{string.Join(", ", p.Expected.Reasons)}]");
            var expected = p.Expected.Reasons.Count == 0 ? "approve"
                : p.Expected.Reasons.Any(Expectations.Rejecting.Contains) ? "reject" : "review";
            Assert.Equal(expected, p.Expected.Decision);
            if (p.Defects.Count == 0) Assert.Equal("approve", p.Expected.Decision);
        }
    }

    [Fact]
    public void RealisticProfile_IsMostlyFine_FaxProfile_IsAllFax()
    {
        var realistic = Plans(CorpusProfile.Realistic, 400);
        var approved = realistic.Count(p => p.Expected.Decision == "approve") / (double)realistic.Count;
        Assert.InRange(approved, 0.6, 0.85);
        Assert.Contains(realistic, p => p.Channel == "fax");
        Assert.All(Plans(CorpusProfile.Fax, 100), p => Assert.Equal("fax", p.Channel));
    }

    [Fact]
    public void Plan_IsAFunctionOfSeedAndIndex()
    {
        var o = new CorpusOptions(0, 9, CorpusProfile.Hard, AsOf, FormQr.DevelopmentKey);
        Assert.Equal(Labels.ToJsonLine(Labels.From(CorpusPlanner.Plan(o, 17), o)), Labels.ToJsonLine(Labels.From(CorpusPlanner.Plan(o, 17), o)));
        Assert.NotEqual(CorpusPlanner.Plan(o, 17).Request.Id, CorpusPlanner.Plan(o, 18).Request.Id);
    }

    [Fact]
    public void EveryCodiceFiscaleWritten_PassesItsCheck_AndOmocodiaVariantsMatchTheCanonicalCode()
    {
        var people = Hard500.Value.SelectMany(p => p.People.Values).ToList();
        Assert.Contains(people, p => p.OmocodiaIndex > 0);
        Assert.Contains(people, p => p.Surname.Contains('\'') || p.Surname.Contains(' '));
        Assert.Contains(people, p => p.Surname.Any(c => c > 127) || p.GivenNames.Any(c => c > 127));
        foreach (var person in people)
        {
            var parsed = CodiceFiscale.Parse(person.CodiceFiscale, AsOf, CadastralPlaces.Embedded);
            Assert.True(parsed.Valid, $"{person.CodiceFiscale}: {string.Join("; ", parsed.Errors)}");
            Assert.Equal(person.BirthDate, parsed.BirthDate);
            Assert.Equal(person.Sex, parsed.Sex);
            Assert.NotNull(parsed.Place);
            Assert.Equal(person.CanonicalCodiceFiscale, parsed.Canonical);
            Assert.Equal(person.OmocodiaIndex > 0, parsed.Omocodia);
            Assert.Equal(CodiceFiscale.Compute(person.Surname, person.GivenNames, person.BirthDate, person.Sex, person.BirthPlaceCode), person.CanonicalCodiceFiscale);
        }
    }

    [Fact]
    public void BrokenCodiceFiscale_FailsItsCheck()
    {
        foreach (var person in Hard500.Value.Take(50).Select(p => p.PinHolder))
        {
            var cf = person.CodiceFiscale;
            var wrong = cf[..15] + (char)('A' + (cf[15] - 'A' + 1) % 26);
            Assert.False(CodiceFiscale.Parse(wrong, AsOf).Valid);
        }
    }

    [Fact]
    public void EveryMrzWritten_PassesAllCheckDigits_AndCarriesTheDocumentData()
    {
        var documents = Hard500.Value.SelectMany(p => p.Documents).Select(d => d.Id).OfType<IdDocument>().Where(d => d.Mrz is not null).ToList();
        Assert.Contains(documents, d => d.Kind == DocKind.Cie);
        Assert.Contains(documents, d => d.Kind == DocKind.Passport);
        foreach (var d in documents)
        {
            var r = Mrz.Parse(d.Mrz!, AsOf);
            Assert.True(r.Valid, $"{string.Join("/", d.Mrz!)}: {string.Join("; ", r.Errors)}");
            Assert.Equal(d.Kind == DocKind.Cie ? Mrz.Td1 : Mrz.Td3, r.Format);
            Assert.All(r.Checks, c => Assert.True(c.Ok, c.Field));
            Assert.Equal(d.Number, r.Fields["document_number"]);
            Assert.Equal(d.ExpiryDate.ToString("yyyy-MM-dd"), r.Fields["expiry_date"]);
            Assert.Equal(d.Holder.BirthDate.ToString("yyyy-MM-dd"), r.Fields["birth_date"]);
            Assert.Equal(d.Holder.Sex.ToString(), r.Fields["sex"]);
        }
    }

    [Fact]
    public void MrzWithAnyCheckDigitChanged_FailsThatCheck()
    {
        var d = Hard500.Value.SelectMany(p => p.Documents).Select(x => x.Id).OfType<IdDocument>().First(x => x.Kind == DocKind.Cie);
        // TD1 check digits: line 1 col 15 (number), line 2 cols 7, 15 (birth, expiry) and 30 (composite).
        foreach (var (line, col) in new[] { (0, 14), (1, 6), (1, 14), (1, 29) })
        {
            var lines = d.Mrz!.ToArray();
            var chars = lines[line].ToCharArray();
            chars[col] = (char)('0' + (chars[col] - '0' + 5) % 10);
            lines[line] = new string(chars);
            Assert.False(Mrz.Parse(lines, AsOf).Valid, $"line {line + 1} col {col + 1} changed");
        }
    }

    [Fact]
    public void MrzName_TransliteratesAsIcao_ApostrophesDroppedAccentsStripped()
    {
        Assert.Equal("DAMICO", IdDocuments.MrzName("D'Amico"));
        Assert.Equal("ROSSI<BIANCHI", IdDocuments.MrzName("Rossi Bianchi"));
        Assert.Equal("NICCOLO", IdDocuments.MrzName("Niccolò"));
    }

    [Fact]
    public void ExternalReferences_Exist()
    {
        foreach (var f in CorpusPlanner.ExternalEncryptedFiles.Concat(CorpusPlanner.ExternalOtherFiles))
            Assert.True(File.Exists(Documents.TestFiles.Real(f)), f);
    }
}
