using System.Globalization;
using VerifyPipeline.Rules.Identity;
using VerifyPipeline.Corpus;
using VerifyPipeline.Worker.Reading;
using VerifyPipeline.Worker.Reading.Documents;
using VerifyPipeline.Worker.Reading.Ocr;

namespace VerifyPipeline.Worker.Tests.Reading;

/// <summary>The paper identity card as the corpus generator draws it, read by its layout's zones: the zones must sit on
/// the printed values (not on the labels, the "N." before the number or the dotted rules under the rows).</summary>
public sealed class PaperIdReadingTests
{
    private static readonly Lazy<OcrEnginePool> Pool = new(() => new OcrEnginePool("ita+eng", capacity: 1));

    private static (IdDocument Doc, SideRead Inside, SideRead Outside) ReadCard(int seed)
    {
        var asOf = new DateOnly(2026, 11, 23);
        var holder = People.Create(new Random(seed), "holder", asOf, 0);
        var art = new DocumentArt(new Dictionary<string, Person> { [holder.Id] = holder }, "test-key-not-used-for-reading-000000000");
        var doc = IdDocuments.Create(new Random(seed + 1), DocKind.PaperId, holder, asOf, false, null);
        SideRead Read(DocumentLayout layout)
        {
            using var grey = VerifyPipeline.Cli.SpecimensCommand.Render(art, doc, layout, CardLocator.CardPxPerMm);
            var side = new LocatedSide(layout, grey.Clone(), 1, CardLocator.CardPxPerMm, "test", []);
            return Pool.Value.Use(e => CardReader.Read(1, side, e, asOf));
        }
        return (doc, Read(DocumentLayouts.Of(SpecimenKind.PaperIdInside)), Read(DocumentLayouts.Of(SpecimenKind.PaperIdOutside)));
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public void Read_FieldsEqualWhatTheGeneratorPrinted_WhenThePaperCardIsStraight(int seed)
    {
        var (doc, inside, outside) = ReadCard(seed);
        var p = doc.Holder;
        static string Date(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        Assert.Equal(doc.Number, inside.Field("number")?.Value);
        Assert.Equal(PersonNames.Fold(p.Surname), PersonNames.Fold(inside.Field("surname")?.Value));
        Assert.Equal(PersonNames.Fold(p.GivenNames), PersonNames.Fold(inside.Field("given_names")?.Value));
        Assert.Equal(Date(p.BirthDate), inside.Field("birth_date")?.Value);
        Assert.Equal(doc.IssueDate, SubmissionReader.DateWithCenturyIn(inside.Field("issue")!.Raw));
        Assert.Equal(Date(doc.ExpiryDate), outside.Field("expiry_date")?.Value);
    }

    [Theory]
    [InlineData("AS1234567", "AS1234567")]
    [InlineData("AY 4O54346", "AY4054346")]
    public void ParseNumber_GivesTheCardNumber_WhenReadWithTheUsualConfusions(string raw, string expected)
    {
        var (value, ok) = CardReader.ParseNumber(DocumentLayouts.Of(SpecimenKind.PaperIdInside), raw);
        Assert.True(ok);
        Assert.Equal(expected, value);
    }

    [Fact]
    public void DateWithCenturyIn_GivesNoDate_WhenTheCardsEdgeCutTheYear()
    {
        // A long town's name pushes the paper card's date of issue past its edge (the generator draws it so).
        Assert.Null(SubmissionReader.DateWithCenturyIn("REGGIO DI CALABRIA, li 19/04/20"));
        Assert.Equal(new DateOnly(2023, 12, 20), SubmissionReader.DateWithCenturyIn("PERUGIA, li 20/12/2023"));
    }
}
