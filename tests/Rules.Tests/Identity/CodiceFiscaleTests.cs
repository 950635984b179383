using VerifyPipeline.Rules.Identity;

namespace VerifyPipeline.Rules.Tests.Identity;

public sealed class CodiceFiscaleTests
{
    private static readonly DateOnly AsOf = new(2026, 1, 15);

    [Fact]
    public void OmocodiaVariants_AllValidAndEqualToCanonical_ForOneCode()
    {
        var variants = CodiceFiscale.OmocodiaVariants("RSSMRA80H63H501X");

        Assert.Equal(128, variants.Distinct().Count());
        Assert.Equal("RSSMRA80H63H501X", variants[0]);
        foreach (var v in variants)
        {
            var r = CodiceFiscale.Parse(v, AsOf);
            Assert.True(r.Valid, $"{v}: {string.Join("; ", r.Errors)}");
            Assert.Equal("RSSMRA80H63H501X", r.Canonical);
            Assert.Equal(v != variants[0], r.Omocodia);
            Assert.Equal(new DateOnly(1980, 6, 23), r.BirthDate);
            Assert.Equal('F', r.Sex);
            Assert.Equal("H501", r.PlaceCode);
            Assert.True(CodiceFiscale.EqualModuloOmocodia(v, variants[^1]));
        }
    }

    [Fact]
    public void OmocodiaVariants_FirstAssignmentSubstitutesTheRightmostDigit()
    {
        var variants = CodiceFiscale.OmocodiaVariants("RSSMRA80H63H501X");
        Assert.Equal("RSSMRA80H63H50M", variants[1][..15]);
        Assert.Equal("RSSMRA80H63H5LM", variants[3][..15]);
    }

    [Fact]
    public void Parse_ReportsExpectedAndFoundCheckChar_WhenCheckCharIsWrong()
    {
        var r = CodiceFiscale.Parse("RSSMRA80H63H501A", AsOf);

        Assert.False(r.Valid);
        Assert.False(r.CheckCharOk);
        Assert.Equal('X', r.ExpectedCheckChar);
        var e = Assert.Single(r.Errors);
        Assert.Equal(CfError.BadCheckChar, e.Code);
        Assert.Contains("expected X got A", e.Message);
        Assert.Equal("RSSMRA80H63H501X", r.Canonical);
    }

    [Fact]
    public void Parse_ChecksTheOmocodeAsWritten_WhenItsCheckCharIsTheCanonicalOne()
    {
        var r = CodiceFiscale.Parse("RSSMRA80H63H50MX", AsOf);
        Assert.Contains(r.Errors, e => e.Code == CfError.BadCheckChar);
        Assert.False(CodiceFiscale.EqualModuloOmocodia("RSSMRA80H63H50MX", "RSSMRA80H63H501X"));
    }

    [Theory]
    [InlineData("rssmra80h63h501x")]
    [InlineData("  RSS MRA 80H63 H501X ")]
    public void Parse_NormalizesCaseAndSpaces(string input)
    {
        var r = CodiceFiscale.Parse(input, AsOf);
        Assert.True(r.Valid);
        Assert.Equal("RSSMRA80H63H501X", r.Normalized);
    }

    [Fact]
    public void Parse_NamesThePositionOfABadCharacter()
    {
        var r = CodiceFiscale.Parse("RSSMRA8XH63H501X", AsOf);
        var e = Assert.Single(r.Errors, e => e.Code == CfError.BadChar);
        Assert.Equal(8, e.Position);
    }

    [Fact]
    public void Parse_RejectsThe29thOfFebruary_InAYearThatIsNotLeap()
    {
        var date = new DateOnly(2000, 2, 29); // leap: valid as 2000
        var code = CodiceFiscale.Compute("Rossi", "Mario", date, 'M', "H501");
        Assert.Equal(date, CodiceFiscale.Parse(code, AsOf).BirthDate);

        var r = CodiceFiscale.Parse(code, new DateOnly(1999, 12, 31)); // only 1900-02-29 remains, not a date
        Assert.Contains(r.Errors, e => e.Code == CfError.BadDate);
    }

    [Theory]
    [InlineData(25, 2025)]
    [InlineData(26, 1926)] // 2026-07-01 is after the reference date 2026-01-15
    [InlineData(99, 1999)]
    public void Parse_ResolvesTheCentury_AgainstTheReferenceDate(int yy, int year)
    {
        var code = CodiceFiscale.Compute("Rossi", "Mario", new DateOnly(1900 + yy, 7, 1), 'M', "H501");
        Assert.Equal(year, CodiceFiscale.Parse(code, AsOf).BirthDate!.Value.Year);
    }

    [Theory]
    [InlineData("Rossi", "Mario", 'M', "1980-01-01", "H501", "RSSMRA80A01H501")]
    [InlineData("De Gregori", "Francesco", 'M', "1984-12-31", "G371", "DGRFNC84T31G371")] // double surname
    [InlineData("D'Alò", "Nicolò", 'M', "1970-05-10", "F205", "DLANCL70E10F205")]       // apostrophe and accents
    [InlineData("Dell'Acqua Bianchi", "Maria Luisa", 'F', "1990-09-10", "Z404", "DLLMLS90P50Z404")] // foreign-born woman
    [InlineData("Fo", "Gianfranco", 'M', "1960-03-15", "H501", "FOXGFR60C15H501")]     // short surname, 4+ consonant name: 1st, 3rd, 4th
    [InlineData("Ló", "Ida", 'F', "1975-11-02", "L219", "LOXDIA75S42L219")]            // short name: consonants, vowels
    [InlineData("Ai", "Io", 'M', "1965-04-04", "L219", "AIXIOX65D04L219")]             // vowels only, X filler
    public void Compute_FollowsTheConsonantVowelRules(string surname, string names, char sex, string birth, string place, string first15)
    {
        var code = CodiceFiscale.Compute(surname, names, DateOnly.Parse(birth), sex, place);
        Assert.Equal(first15 + CodiceFiscale.CheckChar(first15), code);
        Assert.True(CodiceFiscale.Parse(code, AsOf).Valid);
    }

    [Fact]
    public void Parse_FindsThePlace_InTheEmbeddedTable()
    {
        var r = CodiceFiscale.Parse("RSSMRA80A01H501U", AsOf, CadastralPlaces.Embedded);
        Assert.Equal(new CadastralPlace("H501", "Roma", "RM"), r.Place);
        Assert.Equal("Stati Uniti D'America", CadastralPlaces.Embedded.Find("Z404")!.Name);
        Assert.True(CadastralPlaces.Embedded.Count > 8000);
    }
}
