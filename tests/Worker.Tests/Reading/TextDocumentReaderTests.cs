using VerifyPipeline.Rules.Facts;
using VerifyPipeline.Worker.Reading.Documents;
using VerifyPipeline.Worker.Reading.Ocr;

namespace VerifyPipeline.Worker.Tests.Reading;

public sealed class TextDocumentReaderTests
{
    private static TextDocumentReader.Word W(string text, int x, int y) =>
        new(text, TextDocumentReader.Normal(text), 0.95, new PixelRect(x, y, 18 * text.Length, 30));

    [Fact]
    public void Interpret_TakesTheDateUnderEmessaIl_AsTheIssueDate_NeverAsTheExpiry()
    {
        // A paper card's inside as its words come from OCR: each label above its value, no expiry printed on this side.
        // The latest date read is the issue date; it had been taken for the expiry (a false value: a card "expired" in 2018).
        var words = new List<TextDocumentReader.Word>
        {
            W("COGNOME", 100, 100), W("DE", 100, 140), W("SANTIS", 160, 140),
            W("NOME", 100, 220), W("DAVIDE", 100, 260),
            W("NATO", 100, 340), W("IL", 190, 340), W("16.01.1994", 100, 380),
            W("CITTADINANZA", 100, 460), W("ITALIANA", 100, 500),
            W("RESIDENZA", 100, 580), W("GENOVA", 100, 620),
            W("PROFESSIONE", 100, 700),
            W("EMESSA", 100, 820), W("IL", 230, 820), W("26.09.2018", 100, 860),
            W("COMUNE", 100, 940), W("GENOVA", 100, 980),
        };

        var read = TextDocumentReader.Interpret(words, null, new DateOnly(2026, 11, 23));

        Assert.Contains(read.Sides, s => s.Kind == DocumentKind.PaperId);
        Assert.Equal("2018-09-26", Assert.Single(read.Fields, f => f.Name == "issue_date").Value);
        Assert.DoesNotContain(read.Fields, f => f.Name == "expiry_date");
    }
}
