using VerifyPipeline.Rules.Identity;

namespace VerifyPipeline.Rules.Tests.Identity;

public sealed class MrzTests
{
    private static readonly DateOnly AsOf = new(2026, 1, 15);
    private const string Td3 = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10";
    private const string Td1 = "I<UTOD23145890<7349<<<<<<<<<<<\n3407127M9507122UTO<<<<<<<<<<<2\nSTEVENSON<<PETER<JOHN<<<<<<<<<";

    [Fact]
    public void Parse_ReadsEveryFieldAndCheck_OfTheIcaoTd3Specimen()
    {
        var r = Mrz.Parse(Td3, AsOf);

        Assert.True(r.Valid);
        Assert.Equal("TD3", r.Format);
        Assert.Equal("ERIKSSON", r.Fields["surname"]);
        Assert.Equal("ANNA MARIA", r.Fields["given_names"]);
        Assert.Equal("L898902C3", r.Fields["document_number"]);
        Assert.Equal("1974-08-12", r.Fields["birth_date"]);
        Assert.Equal("2012-04-15", r.Fields["expiry_date"]);
        Assert.Equal("ZE184226B", r.Fields["personal_number"]);
        Assert.Equal(["document_number", "birth_date", "expiry_date", "personal_number", "composite"], r.Checks.Select(c => c.Field));
    }

    [Fact]
    public void CellKinds_TellDigitOnlyLetterOnlyAndEitherPositions()
    {
        var kinds = Mrz.CellKinds(Mrz.SplitLines(Td3))!;

        Assert.Equal("LLLLL" + new string('L', 39), new string(kinds[0]));
        // Document number, its check, nationality, birth date + check, sex, expiry + check, personal number + check, composite.
        Assert.Equal("AAAAAAAAAD" + "LLL" + "DDDDDDD" + "L" + "DDDDDDD" + new string('A', 14) + "DD", new string(kinds[1]));
        Assert.Null(Mrz.CellKinds(["P<UTO", "L898"]));
    }

    [Fact]
    public void Parse_ReadsTheLongDocumentNumber_FromTheOptionalData()
    {
        var r = Mrz.Parse(Td1, AsOf);

        Assert.True(r.Valid);
        Assert.Equal("D23145890734", r.Fields["document_number"]);
        Assert.Equal("", r.Fields["optional_data_1"]);
        Assert.Equal("1934-07-12", r.Fields["birth_date"]); // 2034 would be in the future
        Assert.Equal("1995-07-12", r.Fields["expiry_date"]); // 2095 is more than 50 years ahead
    }

    [Fact]
    public void Parse_NamesTheFailingCheck_WithExpectedAndFoundDigits()
    {
        var r = Mrz.Parse(Td3.Replace("7408122F", "7408123F"), AsOf);

        Assert.False(r.Valid);
        var birth = r.Checks.Single(c => c.Field == "birth_date");
        Assert.Equal(new MrzCheck("birth_date", false, '2', '3'), birth);
        Assert.False(r.Checks.Single(c => c.Field == "composite").Ok);
        Assert.True(r.Checks.Single(c => c.Field == "document_number").Ok);
    }

    [Theory]
    [InlineData("<<<<<<<<<<<<<<<<")] // empty personal number, check '<'
    [InlineData("<<<<<<<<<<<<<<0")]
    public void Parse_AcceptsFillerOrZero_AsCheckOfAnEmptyPersonalNumber(string tail)
    {
        var line2 = "C01X0006H1D<<6408125F1710319" + tail.PadRight(15, '<')[..15];
        var composite = Mrz.CheckDigit(line2[..10] + line2[13..20] + line2[21..43]);
        var r = Mrz.Parse("P<D<<MUSTERMANN<<ERIKA<<<<<<<<<<<<<<<<<<<<<<\n" + line2 + composite, AsOf);
        Assert.True(r.Valid, string.Join("; ", r.Errors));
        Assert.Equal("D", r.Fields["issuing_state"]);
    }

    [Fact]
    public void Parse_ToleratesLowerCaseSpacesAndLiteralBackslashN()
    {
        var r = Mrz.Parse("p<uto eriksson<<anna<maria<<<<<<<<<<<<<<<<<<<\\nL898902C36UTO7408122F1204159ZE184226B<<<<<10", AsOf);
        Assert.True(r.Valid);
    }

    [Fact]
    public void TryCorrect_FixesDigitAndLetterConfusions_AndReportsEachChange()
    {
        var noisy = "P<UT0ERIK55ON<<ANNA<MAR1A<<<<<<<<<<<<<<<<<<<\nL898902C36UTO740BIZZF12041S9ZE184226B<<<<<1O";
        var c = Mrz.TryCorrect(noisy, AsOf);

        Assert.True(c.Result.Valid);
        Assert.Equal(Td3, c.Text);
        Assert.Contains(new MrzChange(1, 5, '0', 'O', "issuing_state", "letter-only position"), c.Changes);
        Assert.Contains(c.Changes, x => x is { Line: 2, Column: 17, From: 'B', To: '8', Field: "birth_date" });
    }

    [Fact]
    public void TryCorrect_RepairsTheDocumentNumber_OnlyWhenTheCheckDigitSingleOutOneSwap()
    {
        var noisy = Td3.Replace("L898902C36", "L8989O2C36");
        var c = Mrz.TryCorrect(noisy, AsOf);

        Assert.True(c.Result.Valid);
        Assert.Equal(Td3, c.Text);
        Assert.Equal(new MrzChange(2, 6, 'O', '0', "document_number", "look-alike swap that makes the check digit agree"), Assert.Single(c.Changes));
    }

    [Fact]
    public void TryCorrect_TurnsMisreadFillers_InTheTrailingRun()
    {
        var noisy = Td3.Replace("MARIA<<<<<<<<<<<<<", "MARIA<<<<K<<<<X<<<");
        var c = Mrz.TryCorrect(noisy, AsOf);
        Assert.Equal(Td3, c.Text);
        Assert.Equal(2, c.Changes.Count);
    }

    [Fact]
    public void TryCorrect_DropsLinesAroundTheZone()
    {
        var c = Mrz.TryCorrect("PASSPORT\n" + Td3 + "\n  ", AsOf);
        Assert.True(c.Result.Valid);
        Assert.Single(c.Notes);
        Assert.Empty(c.Changes);
    }

    [Fact]
    public void TryCorrect_LeavesACleanZoneUnchanged()
    {
        var c = Mrz.TryCorrect(Td1, AsOf);
        Assert.False(c.Changed);
        Assert.Equal(Td1, c.Text);
    }
}
