using VerifyPipeline.Ingest;

namespace VerifyPipeline.Ingest.Tests;

public sealed class IntakeTests
{
    [Theory]
    [InlineData("scan.pdf", "scan.pdf")]
    [InlineData("../../etc/passwd", "passwd")]
    [InlineData("C:\\Users\\x\\Desktop\\documento.jpg", "documento.jpg")]
    [InlineData("a\u0000b\u0007.png", "ab.png")]
    [InlineData("", "file")]
    [InlineData(null, "file")]
    public void SafeName_KeepsOnlyAPrintableLastSegment_WhenNameIsHostile(string? name, string expected) =>
        Assert.Equal(expected, Intake.SafeName(name));

    [Fact]
    public void SafeName_Truncates_WhenNameIsVeryLong() => Assert.Equal(200, Intake.SafeName(new string('a', 5000)).Length);
}

public sealed class RequestValidationTests
{
    private static IngestApi.RequestBody Valid() => new("PIN-1", "RSSMRA80A01H501U", "Rossi", "Mario", new DateOnly(1980, 1, 1), "Roma",
        "mario.rossi@example.org", null, new IngestApi.DocumentBody("cie", "CA00000AA", null, new DateOnly(2021, 1, 1), new DateOnly(2031, 1, 1)));

    [Fact]
    public void Validate_ReturnsNoErrors_WhenBodyIsComplete() => Assert.Empty(IngestApi.Validate(Valid()));

    [Fact]
    public void Validate_NamesEachBadField_WhenBodyIsWrong()
    {
        var errors = IngestApi.Validate(Valid() with
        {
            CodiceFiscale = "RSSMRA80A01H50", Email = "not-an-email", BirthDate = null,
            Document = new IngestApi.DocumentBody("library_card", "", null, new DateOnly(2032, 1, 1), new DateOnly(2031, 1, 1)),
        });
        string[] expected = ["birth_date", "codice_fiscale", "document.issue_date", "document.number", "document.type", "email"];
        Assert.Equal(expected, errors.Keys.Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("RSSMRA80A01H501U")]
    [InlineData("RSSMRA80A01H50RF")] // omocodia: the last digits as letters
    [InlineData("rssmra80a01h501u")]
    public void Validate_AcceptsCodiceFiscaleShapes(string cf) => Assert.False(IngestApi.Validate(Valid() with { CodiceFiscale = cf }).ContainsKey("codice_fiscale"));
}
