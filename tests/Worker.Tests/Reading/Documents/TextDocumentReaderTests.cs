using OpenCvSharp;
using SkiaSharp;
using VerifyPipeline.Rules.Facts;
using VerifyPipeline.Worker.Reading.Documents;
using VerifyPipeline.Worker.Reading.Ocr;
using MrzRules = VerifyPipeline.Rules.Identity.Mrz;

namespace VerifyPipeline.Worker.Tests.Reading.Documents;

/// <summary>The reader of documents by what they print, on cards drawn here in a layout of this test's own (positions,
/// font, label wording unlike the corpus generator's and the specimens'): found by titles and the MRZ, values by labels.</summary>
public sealed class TextDocumentReaderTests
{
    private static readonly DateOnly AsOf = new(2026, 11, 23);

    private static OcrEngine Engine() => new();

    /// <summary>Drawn in pixels at 300 dpi (Skia drops glyphs of a 2-unit font under a canvas scale).</summary>
    private const float Px = 300 / 25.4f;

    /// <summary>A white A4 page at 300 dpi holding the given cards, drawn 12 px/mm by <paramref name="draw"/> callbacks.</summary>
    private static Mat Page(params (float X, float Y, Action<SKCanvas> Draw)[] cards)
    {
        const float px = Px;
        using var bmp = new SKBitmap((int)(210 * px), (int)(297 * px), SKColorType.Rgba8888, SKAlphaType.Opaque);
        using (var c = new SKCanvas(bmp))
        {
            c.Clear(SKColors.White);
            foreach (var (x, y, draw) in cards)
            {
                c.Save();
                c.Translate(x * px, y * px);
                draw(c);
                c.Restore();
            }
        }
        using var png = bmp.Encode(SKEncodedImageFormat.Png, 100);
        return Cv2.ImDecode(png.ToArray(), ImreadModes.Grayscale);
    }

    private const string Sans = "/usr/share/fonts/truetype/liberation2/LiberationSans-Regular.ttf";
    private const string SansBold = "/usr/share/fonts/truetype/liberation2/LiberationSans-Bold.ttf";
    private const string OcrB = "/usr/share/fonts/opentype/ocr-b/OCRB.otf";

    private static void Text(SKCanvas c, string s, float x, float y, float size, bool bold = false, string? file = null)
    {
        using var typeface = SKTypeface.FromFile(file ?? (bold ? SansBold : Sans));
        using var font = new SKFont(typeface, size * Px);
        using var paint = new SKPaint { Color = SKColors.Black, IsAntialias = true };
        c.DrawText(s, x * Px, y * Px, SKTextAlign.Left, font, paint);
    }

    private static void Card(SKCanvas c)
    {
        using var frame = new SKPaint { Color = new SKColor(120, 120, 120), IsStroke = true, StrokeWidth = 0.3f * Px, IsAntialias = true };
        c.DrawRoundRect(0, 0, 85.6f * Px, 54f * Px, 3 * Px, 3 * Px, frame);
    }

    /// <summary>Labels above their values, right column; titles centred at the bottom — not where any specimen has them.</summary>
    private static void CieFront(SKCanvas c)
    {
        Card(c);
        Text(c, "Cognome / Surname", 40, 8, 1.7f);
        Text(c, "VERDI", 40, 11.5f, 2.8f, bold: true);
        Text(c, "Nome / Name", 40, 16, 1.7f);
        Text(c, "ANNA MARIA", 40, 19.5f, 2.8f, bold: true);
        Text(c, "Scadenza / Expiry", 40, 24, 1.7f);
        Text(c, "14.03.2031", 40, 27.5f, 2.8f, bold: true);
        Text(c, "Sesso / Sex", 40, 32, 1.7f);
        Text(c, "F", 40, 35.5f, 2.8f, bold: true);
        Text(c, "CB34567KL", 5, 8, 3f, bold: true);
        Text(c, "REPUBBLICA ITALIANA", 20, 46, 2.4f, bold: true);
        Text(c, "CARTA DI IDENTITÀ / IDENTITY CARD", 8, 51, 2.4f, bold: true);
    }

    private static readonly string[] Mrz = Td1("CB34567KL", new DateOnly(1979, 5, 2), 'F', new DateOnly(2031, 3, 14), "VERDI", "ANNA<MARIA");

    private static void CieBack(SKCanvas c)
    {
        Card(c);
        Text(c, "CODICE FISCALE / FISCAL CODE", 40, 6, 1.7f);
        Text(c, "VRDNMR79E42H501Q", 40, 10, 2.6f, bold: true);
        for (var i = 0; i < 3; i++) Text(c, Mrz[i], 4, 38 + i * 5, 3.05f, file: OcrB);
    }

    private static string[] Td1(string number, DateOnly birth, char sex, DateOnly expiry, string surname, string given)
    {
        var l1 = ("CIITA" + number + MrzRules.CheckDigit(number)).PadRight(30, '<');
        var b = birth.ToString("yyMMdd");
        var e = expiry.ToString("yyMMdd");
        var l2 = (b + MrzRules.CheckDigit(b) + sex + e + MrzRules.CheckDigit(e) + "ITA").PadRight(29, '<');
        l2 += MrzRules.CheckDigit(l1[5..30] + l2[..7] + l2[8..15] + l2[18..29]);
        var l3 = (surname + "<<" + given).PadRight(30, '<');
        return [l1, l2, l3];
    }

    [Fact]
    public void Mrz_OfTheTestCard_IsValid()
    {
        Assert.True(MrzRules.Parse(string.Join("\n", Mrz), AsOf).Valid);
    }

    [Fact]
    public void Read_FindsACieOfAnotherLayout_BothSidesOnOnePage_WithItsFieldsByTheirLabels()
    {
        using var page = Page((20, 30, CieFront), (20, 120, CieBack));
        using var ocr = Engine();
        var read = TextDocumentReader.Read(page, 300 / 25.4, ocr, AsOf);

        Assert.True(read.Found);
        Assert.All(read.Sides, s => Assert.Equal(DocumentKind.Cie, s.Kind));
        Assert.Equal([DocumentSide.Front, DocumentSide.Back], read.Sides.Select(s => s.Side).Order());
        Assert.True(read.Mrz?.Valid, "the MRZ is found wherever it is");
        string? F(string name) => read.Fields.FirstOrDefault(f => f.Name == name)?.Value;
        Assert.Equal("VERDI", F("surname"));
        Assert.Equal("ANNA MARIA", F("given_names"));
        Assert.Equal("2031-03-14", F("expiry_date"));
        Assert.Equal("CB34567KL", F("number"));
        Assert.Equal("VRDNMR79E42H501Q", F("codice_fiscale"));
    }

    [Fact]
    public void Read_FindsTheLicenceByItsNumberedFields_AndTakesEachValueAfterItsNumber()
    {
        using var page = Page((30, 40, c =>
        {
            Card(c);
            Text(c, "PATENTE DI GUIDA", 30, 6, 3f, bold: true);
            Text(c, "1.  BIANCHI", 30, 14, 2.4f);
            Text(c, "2.  LUCA", 30, 19, 2.4f);
            Text(c, "3.  07/09/1988  MILANO (MI)", 30, 24, 2.4f);
            Text(c, "4a. 11/02/2019   4c. MIT-UCO", 30, 29, 2.4f);
            Text(c, "4b. 07/09/2029", 30, 34, 2.4f);
            Text(c, "5.  MI5123456X", 30, 39, 2.4f);
        }));
        using var ocr = Engine();
        var read = TextDocumentReader.Read(page, 300 / 25.4, ocr, AsOf);

        var side = Assert.Single(read.Sides);
        Assert.Equal((DocumentKind.DrivingLicence, DocumentSide.Front), (side.Kind!.Value, side.Side));
        string? F(string name) => read.Fields.FirstOrDefault(f => f.Name == name)?.Value;
        Assert.Equal("BIANCHI", F("surname"));
        Assert.Equal("LUCA", F("given_names"));
        Assert.Equal("1988-09-07", F("birth_date"));
        Assert.Equal("2029-09-07", F("expiry_date"));
        Assert.Equal("MI5123456X", F("number"));
    }

    private static void Band(SKCanvas c, float y, float h, SKColor colour)
    {
        using var paint = new SKPaint { Color = colour, IsAntialias = true };
        c.DrawRect(0, y * Px, 85.6f * Px, h * Px, paint);
    }

    private static void LightText(SKCanvas c, string s, float x, float y, float size)
    {
        using var typeface = SKTypeface.FromFile(SansBold);
        using var font = new SKFont(typeface, size * Px);
        using var paint = new SKPaint { Color = SKColors.White, IsAntialias = true };
        c.DrawText(s, x * Px, y * Px, SKTextAlign.Left, font, paint);
    }

    [Fact]
    public void Read_FindsBothSidesOfALicence_WhoseTitlesAreLightOnDarkBands_AndWhoseFieldNumbersHaveNoDots()
    {
        using var page = Page((20, 30, c =>
        {
            Card(c);
            Band(c, 0, 8, new SKColor(150, 20, 30));
            LightText(c, "PATENTE DI GUIDA - DRIVING LICENCE", 4, 5.5f, 2.6f);
            Text(c, "1 COGNOME", 4, 14, 1.6f); Text(c, "ROSSETTI", 24, 14, 2.6f);
            Text(c, "2 NOME", 4, 20, 1.6f); Text(c, "GIULIA", 24, 20, 2.6f);
            Text(c, "3 NATA", 4, 26, 1.6f); Text(c, "03.02.1990  TORINO", 24, 26, 2.6f);
            Text(c, "4a RILASCIO", 4, 32, 1.6f); Text(c, "10.05.2021", 24, 32, 2.6f);
            Text(c, "4b SCADENZA", 4, 38, 1.6f); Text(c, "03.02.2032", 24, 38, 2.6f);
            Text(c, "5 NUMERO", 4, 44, 1.6f); Text(c, "TO7654321K", 24, 44, 2.6f);
        }), (20, 110, c =>
        {
            Card(c);
            Band(c, 0, 7, new SKColor(40, 40, 60));
            LightText(c, "CATEGORIE", 4, 5, 2.2f); LightText(c, "VALIDA DAL", 30, 5, 2.2f); LightText(c, "FINO AL", 58, 5, 2.2f);
            Text(c, "AM", 4, 14, 2.4f); Text(c, "10.05.2021", 30, 14, 2.4f); Text(c, "03.02.2032", 58, 14, 2.4f);
            Text(c, "B", 4, 20, 2.4f); Text(c, "10.05.2021", 30, 20, 2.4f); Text(c, "03.02.2032", 58, 20, 2.4f);
            Text(c, "A1", 4, 26, 2.4f); Text(c, "-", 30, 26, 2.4f); Text(c, "-", 58, 26, 2.4f);
        }));
        using var ocr = Engine();
        var read = TextDocumentReader.Read(page, 300 / 25.4, ocr, AsOf);

        Assert.Equal([DocumentSide.Front, DocumentSide.Back], read.Sides.Where(s => s.Kind == DocumentKind.DrivingLicence).Select(s => s.Side).Order());
        string? F(string name) => read.Fields.FirstOrDefault(f => f.Name == name)?.Value;
        Assert.Equal("ROSSETTI", F("surname"));
        Assert.Equal("GIULIA", F("given_names"));
        Assert.Equal("2032-02-03", F("expiry_date"));
        Assert.Equal("TO7654321K", F("number"));
    }

    [Fact]
    public void Read_FindsThePaperCardsOutsideByItsTitleAndNumber_AndItsInsideByItsOwnWords()
    {
        using var page = Page((10, 20, c =>
        {
            Text(c, "REPUBBLICA ITALIANA", 60, 10, 3f, bold: true);
            Text(c, "CARTA D'IDENTITÀ", 62, 24, 3.4f, bold: true);
            Text(c, "AX 1234567", 70, 34, 3f);
            Text(c, "Scadenza  14/05/2031", 5, 50, 2.4f);
        }), (10, 140, c =>
        {
            string[] rows = ["Cognome|FERRANTE", "Nome|PAOLA", "Nata il|14/05/1975", "Cittadinanza|ITALIANA", "Stato civile|CELIBE/NUBILE", "Professione|INSEGNANTE", "Statura|1,64"];
            for (var i = 0; i < rows.Length; i++)
            {
                var parts = rows[i].Split('|');
                Text(c, parts[0], 5, 8 + 7 * i, 2.2f);
                Text(c, parts[1], 35, 8 + 7 * i, 2.6f);
            }
        }));
        using var ocr = Engine();
        var read = TextDocumentReader.Read(page, 300 / 25.4, ocr, AsOf);

        Assert.All(read.Sides, s => Assert.Equal(DocumentKind.PaperId, s.Kind));
        Assert.Equal([DocumentSide.Front, DocumentSide.Back], read.Sides.Select(s => s.Side).Order());
        string? F(string name) => read.Fields.FirstOrDefault(f => f.Name == name)?.Value;
        Assert.Equal("FERRANTE", F("surname"));
        Assert.Equal("AX1234567", F("number"));
        Assert.Equal("2031-05-14", F("expiry_date"));
    }

    /// <summary>A cursive line of loops drawn with a pen 0.35 mm wide, <paramref name="w"/> × <paramref name="h"/> mm.</summary>
    private static void Cursive(SKCanvas c, float x, float y, float w, float h)
    {
        using var pen = new SKPaint { Color = new SKColor(20, 30, 90), IsStroke = true, StrokeWidth = 0.35f * Px, IsAntialias = true, StrokeCap = SKStrokeCap.Round };
        using var path = new SKPathBuilder();
        path.MoveTo(x * Px, (y + h * 0.8f) * Px);
        for (var i = 0; i < 6; i++)
        {
            var x0 = x + i * w / 6;
            path.CubicTo((x0 + w / 24) * Px, (y - h * 0.1f) * Px, (x0 + w / 8) * Px, (y + h * 1.1f) * Px, (x0 + w / 6) * Px, (y + h * (i % 2 == 0 ? 0.5f : 0.7f)) * Px);
        }
        path.LineTo((x + w) * Px, (y + h * 0.3f) * Px);
        using var drawn = path.Detach();
        c.DrawPath(drawn, pen);
    }

    /// <summary>A dark photo block (a face's place on a card): dense, never taken for handwriting.</summary>
    private static void Photo(SKCanvas c, float x, float y)
    {
        using var fill = new SKPaint { Color = new SKColor(70, 70, 70) };
        c.DrawRect(x * Px, y * Px, 25 * Px, 32 * Px, fill);
    }

    [Fact]
    public void Read_FindsTheHoldersSignature_BelowItsLabel_AndKeepsOnlyItsStrokes()
    {
        using var page = Page((20, 30, c =>
        {
            CieFront(c);
            Photo(c, 5, 12);
            Text(c, "Firma del titolare", 58, 33.5f, 1.7f);
        }), (20, 30, c => Cursive(c, 58, 35.5f, 24, 6)), (20, 120, CieBack));
        using var ocr = Engine();
        var read = TextDocumentReader.Read(page, 300 / 25.4, ocr, AsOf);

        Assert.Equal(DocumentSide.Front, read.SignatureSide?.Side);
        Assert.NotNull(read.Signature);
        Assert.Contains("below the label", read.Signature.How);
        Assert.True(read.Signature.Ink.Present);
        // The crop is the drawn signature (24 × 6 mm at 12 px/mm) with a small margin, not the label nor the photo.
        Assert.InRange(read.Signature.Crop.Width, 24 * 11, 28 * 12);
        Assert.InRange(read.Signature.Crop.Height, 5 * 11, 10 * 12);
    }

    [Fact]
    public void Read_FindsNoSignature_WhereNoHandwritingIs()
    {
        using var page = Page((20, 30, c => { CieFront(c); Photo(c, 5, 12); Text(c, "Firma del titolare", 58, 33.5f, 1.7f); }), (20, 120, CieBack));
        using var ocr = Engine();
        var read = TextDocumentReader.Read(page, 300 / 25.4, ocr, AsOf);
        Assert.True(read.Found);
        Assert.Null(read.Signature);
    }

    [Fact]
    public void Read_FindsNothing_OnALetterThatIsNoDocument()
    {
        using var page = Page((20, 30, c =>
        {
            Text(c, "Gentile cliente,", 0, 5, 4);
            Text(c, "le comunichiamo che la fattura del mese di ottobre", 0, 12, 4);
            Text(c, "è disponibile nella sua area riservata.", 0, 19, 4);
        }));
        using var ocr = Engine();
        Assert.False(TextDocumentReader.Read(page, 300 / 25.4, ocr, AsOf).Found);
    }
}
