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

    private static readonly DateOnly AsOf = new(2026, 12, 2);

    [Fact]
    public void Interpret_ThePaperCardsItalianTitle_IsNotTakenForACiesEnglishOne()
    {
        // A paper card's cover photographed: "IDENTITÀ" is one letter from IDENTITY; CARTA lost to the ornament.
        var words = new List<TextDocumentReader.Word>
        {
            W("REPUBBLICA", 100, 100), W("ITALIANA", 300, 100), W("[IDENTITÀ", 200, 200),
            W("Comune", 100, 300), W("di", 230, 300), W("Bari", 270, 300), W("N.", 100, 400), W("AV0177628", 160, 400),
        };

        var read = TextDocumentReader.Interpret(words, null, AsOf);

        var side = Assert.Single(read.Sides);
        Assert.Equal(DocumentKind.PaperId, side.Kind);
        Assert.Equal(DocumentSide.Back, side.Side);
    }

    [Fact]
    public void Interpret_ALicenceBack_ByItsCategoriesReadWithIForOne_UnderItsNumberedColumns()
    {
        var words = new List<TextDocumentReader.Word>
        {
            W("9.", 100, 100), W("10.", 300, 100), W("11", 500, 100), W("12.", 700, 100),
            W("AM", 100, 150), W("21.12.78", 300, 150), W("Al", 100, 200), W("Bi", 100, 250), W("12.09.83", 300, 250),
            W("DIE", 900, 300), W("ci", 100, 350), W("14,", 700, 500), W("58K271815", 760, 500),
        };

        var read = TextDocumentReader.Interpret(words, null, AsOf);

        var side = Assert.Single(read.Sides);
        Assert.Equal((DocumentKind.DrivingLicence, DocumentSide.Back), (side.Kind!.Value, side.Side));
    }

    [Fact]
    public void Interpret_ALicence_Reads4bPrintedWithoutItsLetter_AndTwoDigitYears()
    {
        var words = new List<TextDocumentReader.Word>
        {
            W("Patente", 300, 40), W("di", 460, 40), W("guida", 510, 40),
            W("1.", 100, 100), W("D'Ambrosio", 140, 100), W("2.", 100, 150), W("Elena", 140, 150),
            W("3.", 100, 200), W("25.10.64", 140, 200), W("Firenze", 320, 200),
            W("4a.", 100, 250), W("14.08.22", 160, 250), W("4c.", 500, 250), W("MIT-UCO", 560, 250),
            W("4.", 100, 300), W("25.10.32", 160, 300),
            W("s.", 100, 350), W("UIYMH5985C", 140, 350),
            W("8.", 100, 400), W("Via", 140, 400), W("Mazzini", 210, 400), W("106,", 350, 400), W("Venezia", 440, 400),
        };

        var read = TextDocumentReader.Interpret(words, null, AsOf);

        string? Value(string name) => read.Fields.SingleOrDefault(f => f.Name == name)?.Value;
        Assert.Equal("2032-10-25", Value("expiry_date"));
        Assert.Equal("2022-08-14", Value("issue_date"));
        Assert.Equal("1964-10-25", Value("birth_date"));
        Assert.Equal("U1YMH5985C", Value("number")); // its series' U1, read as UI; never the street and its number
    }

    [Fact]
    public void Interpret_OneValueReachedByTwoLabels_IsNeithers()
    {
        // Labels in a column, values beside them printed a little lower: the issue date is both under EMESSA and on SCADE's
        // line. Taken as the expiry it would date the card 10 years early (a false ID_EXPIRED in waiting).
        var words = new List<TextDocumentReader.Word>
        {
            W("CARTA", 300, 20), W("DI", 420, 20), W("IDENTITÀ", 470, 20), W("IDENTITY", 650, 20), W("CARD", 820, 20),
            W("ISSUED", 100, 300), W("Emessa", 230, 300), W("EXPIRES", 100, 352), W("Scade", 250, 352),
            W("26", 600, 330), W("JUN", 650, 330), W("2019", 730, 330),
            W("99", 600, 390), W("APR", 650, 390), W("29", 730, 390),
        };

        var read = TextDocumentReader.Interpret(words, null, AsOf);

        Assert.DoesNotContain(read.Fields, f => f.Name is "expiry_date");
        Assert.DoesNotContain(read.Fields, f => f.Value == "2019-06-26" && f.Name != "issue_date");
    }

    [Fact]
    public void Interpret_DatesPrintedInWords_UnderTheirLabels()
    {
        var words = new List<TextDocumentReader.Word>
        {
            W("COMUNE", 100, 20), W("DI", 240, 20), W("TORINO", 290, 20), W("CONNOTATI", 700, 20),
            W("Cognome", 100, 100), W("D'AMBROSIO", 400, 100), W("Nome", 100, 160), W("ROSARIA", 400, 160),
            W("Data", 100, 220), W("di", 190, 220), W("nascita", 230, 220), W("30.", 400, 220), W("GENNAIO.", 460, 220), W("1955", 620, 220),
            W("Statura", 700, 100), W("Cittadinanza", 100, 280), W("ITALIANA", 400, 280),
            W("Data", 700, 340), W("di", 790, 340), W("scadenza", 830, 340), W("30", 1000, 340), W("GENNAIO", 1050, 340), W("2034", 1200, 340),
        };

        var read = TextDocumentReader.Interpret(words, null, AsOf);

        Assert.Contains(read.Sides, s => s.Kind == DocumentKind.PaperId && s.Side == DocumentSide.Front);
        Assert.Equal("1955-01-30", read.Fields.Single(f => f.Name == "birth_date").Value);
        Assert.Equal("2034-01-30", read.Fields.Single(f => f.Name == "expiry_date").Value);
    }

    [Fact]
    public void Interpret_APaperCardsInside_WhoseNameLabelsWereNotRead_ByWhatOnlyItAsks()
    {
        // Pale upper-case labels: COGNOME and NOME lost, CITTADINANZA, PROFESSIONE and FIRMA DEL TITOLARE read.
        var words = new List<TextDocumentReader.Word>
        {
            W("ZUCCARO", 130, 140), W("ANNA", 130, 186), W("LISA", 214, 186), W("NATO", 130, 257), W("19.01.2001", 130, 279),
            W("CITTADINANZA", 130, 389), W("ITALIANA", 130, 410), W("PROFESSIONE", 130, 585),
            W("FIRMA", 1239, 761), W("DEL", 1290, 761), W("TITOLARE", 1326, 761),
        };

        var read = TextDocumentReader.Interpret(words, null, AsOf);

        var side = Assert.Single(read.Sides);
        Assert.Equal((DocumentKind.PaperId, DocumentSide.Front), (side.Kind!.Value, side.Side));
        Assert.Equal("2001-01-19", read.Fields.Single(f => f.Name == "birth_date").Value);
    }

    [Fact]
    public void Interpret_ALicenceBackPhotographed_CategoriesWithALowerCaseL_AndNoFutureIssueDate()
    {
        var back = new List<TextDocumentReader.Word>
        {
            W("25.04.2032", 800, 150), W("15.06.2010", 440, 190), W("AM", 160, 240), W("Al", 160, 290), W("A2", 160, 340),
            W("A", 160, 395), W("Bl", 160, 440), W("12.08.2014", 440, 440), W("B", 160, 495), W("ci", 150, 545),
        };
        var read = TextDocumentReader.Interpret(back, null, AsOf);
        var side = Assert.Single(read.Sides);
        Assert.Equal((DocumentKind.DrivingLicence, DocumentSide.Back), (side.Kind!.Value, side.Side));

        // The front: its expiry printed a little higher than its 4b label, on 4a's line. It is no issue date (in the future).
        var front = new List<TextDocumentReader.Word>
        {
            W("PATENTE", 1000, 500), W("DI", 1200, 500), W("GUIDA", 1260, 500),
            W("4a", 690, 975), W("ISSUED", 760, 955), W("25.04", 1066, 964), W("2032", 1190, 947),
            W("4b", 695, 1049), W("EXPIRES", 780, 1030), W("MIT-UCO", 1074, 1035),
        };
        read = TextDocumentReader.Interpret(front, null, AsOf);
        Assert.DoesNotContain(read.Fields, f => f.Name == "issue_date" && string.CompareOrdinal(f.Value, "2026-12-02") > 0);
    }
}
