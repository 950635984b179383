using SkiaSharp;
using static VerifyPipeline.DocumentFamilies.Sketch;

namespace VerifyPipeline.DocumentFamilies;

/// <summary>Passport data page, ICAO 9303 TD3 (125 × 88 mm), 2 × 44 MRZ at the foot; the second side is the facing
/// page of the booklet, which carries no personal data (applicants photograph both).</summary>
internal static class PassportFamilies
{
    private const double W = 125, H = 88;

    public static IReadOnlyList<Family> All { get; } =
    [
        new("passport-real", DocumentTypes.Passport,
            "After ICAO 9303-4's data page: photo left, numbered trilingual labels (IT/EN/FR) 1-10, type/code/number row, bilingual month names.",
            true, W, H, 0, ["data_page", "facing_page"]) { Drawer = Real },
        new("passport-a", DocumentTypes.Passport,
            "Photo on the right, English-only upper-case labels above serif values, tricolore rule under a left-aligned header, English dates.",
            false, W, H, 0, ["data_page", "facing_page"]) { Drawer = A },
        new("passport-b", DocumentTypes.Passport,
            "Header printed vertically along the left edge, lower-case Italian labels inline, two columns, slashed dates, small photo centre-right.",
            false, W, H, 0, ["data_page", "facing_page"]) { Drawer = B },
    ];

    private static void Real(Sketch s, string side)
    {
        var p = s.Person; var f = s.Fields;
        s.Gradient(Rgb(0xEFE9F4), Rgb(0xE6F0E8));
        s.Guilloche(Rgb(0xD8CCE4), 30, 1.6, 18);
        s.Rosette(s.W * 0.62f, s.H * 0.42f, 22, Rgb(0xCFC0DE), 24);
        if (side != "data_page")
        {
            Facing(s, "OSSERVAZIONI / OBSERVATIONS / OBSERVATIONS", Faces.SansBold);
            return;
        }
        var lab = new Style(Faces.Sans, s.Z(1.25), Rgb(0x4A3B66), Faces.DejaSans, s.Z(2.5), Rgb(0x121212));
        s.Text("REPUBBLICA ITALIANA", s.W / 2 + s.J(0), s.J(6), Faces.SansBold, s.Z(3.0), Rgb(0x2E2052), SKTextAlign.Center);
        s.Text("PASSAPORTO   PASSPORT   PASSEPORT", s.W / 2 + s.J(0), s.J(10), Faces.Sans, s.Z(2.1), Rgb(0x2E2052), SKTextAlign.Center);
        s.Photo(5, 14, 32, 40, Rgb(0xE4E4EA));
        var x = 42f;
        s.Field(x, 13, "Tipo. Type. Type", "P", LabelAt.Above, lab);
        s.Field(x + 18, 13, "Codice Paese. Code. Code", "ITA", LabelAt.Above, lab);
        s.Field(x + 48, 13, "Passaporto N. Passport No. Passeport N°", f.DocumentNumber, LabelAt.Above, lab with { ValueFace = Faces.DejaSansBold });
        s.Field(x, 20, "1. Cognome. Surname. Nom", f.Surname, LabelAt.Above, lab, 78);
        s.Field(x, 27, "2. Nome. Given Names. Prénoms", f.GivenNames, LabelAt.Above, lab, 78);
        s.Field(x, 34, "3. Cittadinanza. Nationality. Nationalité", "ITALIANA", LabelAt.Above, lab);
        s.Field(x + 40, 34, "4. Data di nascita. Date of birth. Date de naissance", Dates.Bilingual(f.BirthDate), LabelAt.Above, lab);
        s.Field(x, 41, "5. Sesso. Sex. Sexe", f.Sex, LabelAt.Above, lab);
        s.Field(x + 20, 41, "6. Luogo di nascita. Place of birth. Lieu de naissance", $"{p.BirthPlace.ToUpperInvariant()} ({p.BirthProvince})", LabelAt.Above, lab);
        s.Field(x, 48, "7. Data di rilascio. Date of issue. Date de délivrance", Dates.Bilingual(f.IssueDate), LabelAt.Above, lab);
        s.Field(x + 40, 48, "9. Data di scadenza. Date of expiry. Date d'expiration", Dates.Bilingual(f.ExpiryDate), LabelAt.Above, lab);
        s.Field(x, 55, "8. Autorità. Authority. Autorité", f.IssuedBy, LabelAt.Above, lab, 78);
        s.Text("10. Firma del titolare. Holder's signature. Signature du titulaire", s.J(5), s.J(57), Faces.Sans, 1.15f, lab.LabelColor);
        s.Signature(s.J(5), s.J(58), 34, 6.5f, Rgb(0x14143C));
        s.Band(0, (float)(H - 23.2), s.W, 23.2f, SKColors.White.WithAlpha(170));
        s.Mrz(f.Mrz, s.J(6.6, 0.5), s.J(H - 13, 0.4), 2.54f, 6.5f, 3.4f, SKColors.Black);
    }

    private static void A(Sketch s, string side)
    {
        var p = s.Person; var f = s.Fields;
        s.Gradient(Rgb(0xEEF1E2), Rgb(0xF3E9DA), vertical: true);
        s.Dots(Rgb(0xDAD6BE), 1.3);
        if (side != "data_page")
        {
            Facing(s, "RESERVED FOR OFFICIAL OBSERVATIONS", Faces.DejaSerifBold);
            return;
        }
        var st = new Style(Faces.DejaSans, s.Z(1.3), Rgb(0x5D5A3A), Faces.DejaSerif, s.Z(2.5), Rgb(0x101010));
        s.Text("ITALIAN REPUBLIC", s.J(6), s.J(6), Faces.DejaSerifBold, s.Z(2.8), Rgb(0x31402A));
        s.Text("REPUBBLICA ITALIANA — PASSPORT", s.J(6), s.J(9.8), Faces.DejaSans, s.Z(1.8), Rgb(0x31402A));
        s.Tricolore(6, s.J(11.8, 0.3), 60, 0.9f, vertical: false);
        s.Photo(s.W - 38, 15, 32, 40, Rgb(0xEDEDED));
        var x = 6f;
        s.Field(x, 15, "TYPE", "P", LabelAt.Above, st);
        s.Field(x + 12, 15, "CODE", "ITA", LabelAt.Above, st);
        s.Field(x + 28, 15, "PASSPORT No.", f.DocumentNumber, LabelAt.Above, st with { ValueFace = Faces.DejaSerifBold });
        var y = s.Field(x, 22, "SURNAME", f.Surname, LabelAt.Above, st, 76) + 1;
        y = s.Field(x, y, "GIVEN NAMES", f.GivenNames, LabelAt.Above, st, 76) + 1;
        s.Field(x, y, "NATIONALITY", "ITALIAN", LabelAt.Above, st);
        y = s.Field(x + 38, y, "DATE OF BIRTH", Dates.English(f.BirthDate), LabelAt.Above, st) + 1;
        s.Field(x, y, "SEX", f.Sex, LabelAt.Above, st);
        y = s.Field(x + 14, y, "PLACE OF BIRTH", p.BirthPlace.ToUpperInvariant(), LabelAt.Above, st) + 1;
        s.Field(x, y, "DATE OF ISSUE", Dates.English(f.IssueDate), LabelAt.Above, st);
        y = s.Field(x + 38, y, "DATE OF EXPIRY", Dates.English(f.ExpiryDate), LabelAt.Above, st) + 1;
        s.Field(x, y, "AUTHORITY", f.IssuedBy, LabelAt.Above, st with { ValueMm = 2.1f }, 76);
        s.Text("HOLDER'S SIGNATURE", s.J(s.W - 38), s.J(57.5), Faces.DejaSans, 1.2f, st.LabelColor);
        s.Signature(s.J(s.W - 38), s.J(57.5), 32, 6.5f, Rgb(0x0F2A66));
        s.Band(0, (float)(H - 22), s.W, 22, SKColors.White);
        s.Mrz(f.Mrz, s.J(6.4, 0.5), s.J(H - 12, 0.4), s.Pitch(2.52), s.J(6.0, 0.3), s.Z(3.3), Rgb(0x111111));
    }

    private static void B(Sketch s, string side)
    {
        var p = s.Person; var f = s.Fields;
        s.Gradient(Rgb(0xE2EAF2), Rgb(0xF2F5F9), vertical: true);
        s.Guilloche(Rgb(0xC6D3E3), 44, 0.8, 9, 0.06);
        s.Band(0, 0, 9, s.H, Rgb(0x1C3F6E));
        s.Vertical("REPUBBLICA ITALIANA • PASSAPORTO", 6.2f, s.H - 8, Faces.SansBold, 2.6f, SKColors.White);
        if (side != "data_page")
        {
            s.Canvas.Save();
            s.Canvas.Translate(8, 0);
            Facing(s, "Osservazioni", Faces.SerifItalic);
            s.Canvas.Restore();
            return;
        }
        var st = new Style(Faces.SansItalic, s.Z(1.7), Rgb(0x355175), Faces.Sans, s.Z(2.6), Rgb(0x0D0D0D));
        var x = 13f;
        s.Text("passaporto n.", s.J(x), s.J(7), Faces.SansItalic, 1.8f, st.LabelColor);
        s.Text(f.DocumentNumber, s.J(x + 19), s.J(7.2), Faces.MonoBold, s.Z(3.2), Rgb(0x8E1F25));
        s.Text("tipo P · codice ITA", s.J(x + 62), s.J(7), Faces.Sans, 1.8f, st.LabelColor);
        var y = s.J(12);
        y = s.Field(x, y, "cognome", f.Surname, LabelAt.Inline, st, 60);
        y = s.Field(x, y, "nome", f.GivenNames, LabelAt.Inline, st, 60);
        y = s.Field(x, y, "nato il", Dates.Slashes(f.BirthDate), LabelAt.Inline, st, 60);
        y = s.Field(x, y, "a", $"{p.BirthPlace.ToUpperInvariant()} ({p.BirthProvince})", LabelAt.Inline, st, 60);
        y = s.Field(x, y, "sesso", f.Sex, LabelAt.Inline, st, 60);
        s.Field(x, y, "cittadinanza", "ITALIANA", LabelAt.Inline, st, 60);
        var x2 = 13f + 64; var y2 = s.J(12);
        s.Photo(x2 + 12, y2, 24, 30, Rgb(0xF0F2F5));
        y2 += 33;
        y2 = s.Field(x2, y2, "rilasciato il", Dates.Slashes(f.IssueDate), LabelAt.Inline, st, 46);
        y2 = s.Field(x2, y2, "scade il", Dates.Slashes(f.ExpiryDate), LabelAt.Inline, st, 46);
        s.Field(x2, y2, "autorità", f.IssuedBy, LabelAt.Inline, st with { ValueMm = 2.0f }, 46);
        s.Text("firma del titolare", s.J(x), s.J(52), Faces.SansItalic, 1.6f, st.LabelColor);
        s.Signature(s.J(x + 24), s.J(46.5), 34, 8, Rgb(0x101840));
        s.Band(9, (float)(H - 21), s.W - 9, 21, Rgb(0xF7F9FB));
        s.Mrz(f.Mrz, s.J(10.5, 0.3), s.J(H - 12.5, 0.4), s.Pitch(2.45), s.J(6.2, 0.3), s.Z(3.3), SKColors.Black);
    }

    private static void Facing(Sketch s, string heading, SKTypeface face)
    {
        s.Text(heading, s.J(8), s.J(8), face, s.Z(2.2), Rgb(0x333344));
        for (var i = 0; i < 9; i++)
            s.Line(8, 16 + i * 7.5f, 115, 16 + i * 7.5f, Rgb(0x9A9AAA), 0.1f, dotted: true);
        s.Stamp(s.J(85, 8), s.J(48, 10), 11, Rgb(0x283C8C), "VISTO");
        s.Text($"{s.Rng.Next(3, 9)}", s.W - 12, s.H - 4, Faces.Serif, 2.4f, Rgb(0x444444));
    }
}
