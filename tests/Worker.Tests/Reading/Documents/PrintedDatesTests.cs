using VerifyPipeline.Worker.Reading.Documents;

namespace VerifyPipeline.Worker.Tests.Reading.Documents;

public sealed class PrintedDatesTests
{
    private static readonly DateOnly AsOf = new(2026, 12, 2);

    private static string? Read(string text, DateRole role = DateRole.Any) =>
        PrintedDates.First(text.Split(' ', StringSplitOptions.RemoveEmptyEntries), role, AsOf)?.Date.ToString("yyyy-MM-dd");

    [Theory]
    [InlineData("07.11.1964", "1964-11-07")]
    [InlineData("07/11/1964", "1964-11-07")]
    [InlineData("7-11-1964", "1964-11-07")]
    [InlineData("07 11 1964", "1964-11-07")]
    [InlineData("1964-11-07", "1964-11-07")]
    [InlineData("7 NOVEMBRE 1964", "1964-11-07")]
    [InlineData("07 NOV 1964", "1964-11-07")]
    [InlineData("07 NOV/NOV 1964", "1964-11-07")]
    [InlineData("22 AGO/AUG 1972", "1972-08-22")]
    [InlineData("22 AOUT 1972", "1972-08-22")]
    [InlineData("30. GENNAIO. 1955", "1955-01-30")]
    [InlineData("7.XI.1964", "1964-11-07")]
    [InlineData("O7.11.1964", "1964-11-07")]
    [InlineData("NATO IL 26 01 1968 A ROMA", "1968-01-26")]
    public void ReadsTheFormatsDocumentsPrint(string text, string expected) => Assert.Equal(expected, Read(text));

    [Theory]
    [InlineData("20.01.33", DateRole.Expiry, "2033-01-20")]
    [InlineData("20.01.95", DateRole.Expiry, "1995-01-20")] // an expiry 69 years ahead does not exist: it expired in 1995
    [InlineData("20.01.60", DateRole.Any, "1960-01-20")]
    [InlineData("20.01.96", DateRole.Birth, "1996-01-20")]
    [InlineData("20.01.15", DateRole.Birth, "1915-01-20")] // born in 2015 is under 14: no such holder
    [InlineData("22.11.23", DateRole.Issue, "2023-11-22")]
    [InlineData("22.11.27", DateRole.Issue, "1927-11-22")] // never issued in the future
    public void TwoDigitYears_TakeTheCenturyTheirRoleAllows(string text, DateRole role, string expected) =>
        Assert.Equal(expected, Read(text, role));

    [Theory]
    [InlineData("VIA GARIBALDI 162")]
    [InlineData("31.02.1990")]
    [InlineData("06 12 3456")]
    [InlineData("12 VIA 1990")]
    [InlineData("7 NOV/DIC 1964")] // the two halves of a bilingual month disagree
    [InlineData("RNLLCU52R08D969Y")]
    public void NotADate(string text) => Assert.Null(Read(text));

    [Fact]
    public void All_GivesEveryDateOnALine_WithTheWordsItSpans()
    {
        var dates = PrintedDates.All("4a. 22.11.23 4c. MIT-UCO 4b. 22 11 2033".Split(' '), DateRole.Any, AsOf);

        Assert.Equal(2, dates.Count);
        Assert.Equal((1, 1), (dates[0].FirstWord, dates[0].WordCount));
        Assert.Equal(new DateOnly(2033, 11, 22), dates[1].Date);
        Assert.Equal((5, 3), (dates[1].FirstWord, dates[1].WordCount));
    }
}
