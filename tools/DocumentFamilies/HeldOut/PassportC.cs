using SkiaSharp;
using static VerifyPipeline.DocumentFamilies.Sketch;

namespace VerifyPipeline.DocumentFamilies;

/// <summary>
/// passport-c, held out: an ICAO 9303 TD3 data page (125 × 88 mm) of another issue. Title split left ("REPUBBLICA
/// ITALIANA") and right ("PASSAPORTO" over "Passport · Passeport"), photo left with the holder's signature strip under
/// it, a ghost portrait top right, labels as upper-case Italian with the English in italic after a middle dot
/// ("COGNOME · Surname"), serif values, dates with Italian month abbreviations ("05 MAR 1980"), moiré rings and
/// microprint, the 2 × 44 MRZ on a half-tinted band. The facing page is a visa page.
/// </summary>
internal static class PassportC
{
    public static void Draw(Sketch s, string side)
    {
        var p = s.Person; var f = s.Fields;
        s.Gradient(Rgb(0xF6EFDF), Rgb(0xF2E2E5));
        s.Rings(s.W * 0.74f, s.H * 0.36f, 48, 1.25f, Rgb(0xE8D2CA), 36);
        s.Tilt(0.3);
        if (side != "data_page")
        {
            Visas(s, f.DocumentNumber);
            return;
        }
        var ink = s.Density(0.8);
        var st = new Style(UrwFaces.CenturyItalic, s.Z(1.2), Print.Ink(Rgb(0x6A3A3E), ink), UrwFaces.CenturyBold, s.Z(2.35), Print.Ink(Rgb(0x141010), ink));
        s.Microtext("PASSAPORTOREPUBBLICAITALIANA", 5, s.W - 5, s.J(12.6, 0.2), Rgb(0xCDB5AE));
        s.Text("REPUBBLICA ITALIANA", s.J(6), s.J(7.4), UrwFaces.PalladioBold, s.Z(3.0), Rgb(0x4A1F2A));
        s.Text("PASSAPORTO", s.J(s.W - 6), s.J(6.4), UrwFaces.PalladioBold, s.Z(2.6), Rgb(0x4A1F2A), SKTextAlign.Right);
        s.Text("Passport · Passeport", s.J(s.W - 6), s.J(9.4), UrwFaces.PalladioItalic, s.Z(1.7), Rgb(0x6A3A3E), SKTextAlign.Right);

        s.Photo(6, 16, 30, 38, Rgb(0xE8E6E2));
        s.Ghost(s.J(106, 0.5), s.J(15.5, 0.5), 12, 15, Rgb(0xF2E6E2));
        s.Text("Firma del titolare · Holder's signature", s.J(6), s.J(57.4, 0.3), UrwFaces.CenturyItalic, 1.1f, st.LabelColor, maxWidth: 32);
        s.Signature(s.J(6.5), s.J(58, 0.3), 31, 6.8f, Print.Ink(Rgb(0x1B1440), Math.Min(1, ink + 0.1f)));

        var x = 40f;
        s.Field(x, 14, "TIPO · Type", "P", LabelAt.Above, st);
        s.Field(x + 14, 14, "CODICE · Code", "ITA", LabelAt.Above, st);
        s.Field(x + 33, 14, "PASSAPORTO N. · Passport No.", f.DocumentNumber, LabelAt.Above, st with { ValueColor = Print.Ink(Rgb(0x8C1820), ink) });
        s.Field(x, 21, "COGNOME · Surname", f.Surname, LabelAt.Above, st, 64);
        s.Field(x, 28, "NOME · Given names", f.GivenNames, LabelAt.Above, st, 64);
        s.Field(x, 35, "CITTADINANZA · Nationality", "ITALIANA", LabelAt.Above, st);
        s.Field(x + 42, 35, "SESSO · Sex", f.Sex, LabelAt.Above, st);
        s.Field(x, 42, "DATA DI NASCITA · Date of birth", Print.ItalianMonth(f.BirthDate), LabelAt.Above, st);
        s.Field(x + 42, 42, "LUOGO DI NASCITA · Place of birth", p.BirthPlace.ToUpperInvariant(), LabelAt.Above, st, 38);
        s.Field(x, 49, "DATA DI RILASCIO · Date of issue", Print.ItalianMonth(f.IssueDate), LabelAt.Above, st);
        s.Field(x + 42, 49, "DATA DI SCADENZA · Date of expiry", Print.ItalianMonth(f.ExpiryDate), LabelAt.Above, st);
        s.Field(x, 56, "AUTORITÀ · Authority", f.IssuedBy, LabelAt.Above, st with { ValueFace = UrwFaces.Century, ValueMm = s.Z(2.1) }, 78);

        s.Band(0, (float)(s.H - 22.5), s.W, 22.5f, SKColors.White.WithAlpha(120));
        s.Mrz(f.Mrz, s.J(6.4, 0.5), s.J(s.H - 13.2, 0.4), s.Pitch(2.54), s.J(6.3, 0.25), s.Z(3.35), Print.Ink(SKColors.Black, Math.Max(0.85f, ink)));
    }

    private static void Visas(Sketch s, string number)
    {
        // Every page of the booklet carries the passport's number.
        s.Text(number, s.J(s.W - 8), s.J(8), UrwFaces.CourierBold, s.Z(2.4), Rgb(0x8C1820), SKTextAlign.Right);
        s.Text("VISTI", s.W / 2 + s.J(0), s.J(8), UrwFaces.PalladioBold, s.Z(2.6), Rgb(0x4A1F2A), SKTextAlign.Center);
        s.Text("Visas · Visas", s.W / 2 + s.J(0), s.J(11.2), UrwFaces.PalladioItalic, s.Z(1.7), Rgb(0x6A3A3E), SKTextAlign.Center);
        for (var r = 0; r < 2; r++)
            for (var c = 0; c < 2; c++)
                s.Frame(8 + c * 56, 16 + r * 34, 52, 30, Rgb(0x6A4A50), 0.16f, 1.5f);
        s.Text($"{s.Rng.Next(4, 12)}", s.W / 2, s.H - 3.5f, UrwFaces.Palladio, 2.3f, Rgb(0x555555), SKTextAlign.Center);
    }
}
