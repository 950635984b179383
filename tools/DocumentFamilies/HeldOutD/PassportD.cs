using SkiaSharp;
using static VerifyPipeline.DocumentFamilies.Sketch;

namespace VerifyPipeline.DocumentFamilies;

/// <summary>
/// passport-d, held out: an ICAO 9303 TD3 data page (125 × 88 mm) of a third issue, written blind. "PASSAPORTO" top
/// left over "Passport · Passeport", the state's name top right in three languages; photo right with a line-screened
/// ghost portrait at its lower left; trilingual labels numbered in brackets ("(1) Cognome / Surname / Nom") in an
/// italic serif over bold humanist-sans values; dates with the month in English and French ("07 NOV/NOV 1964"); a
/// line-relief plate; the 2 × 44 MRZ printed straight on a light wave pattern (no white band). The holder's signature
/// is not on the data page but on the facing page (field 10), with the observations under it, as older booklets have it.
/// </summary>
internal static class PassportD
{
    public static void Draw(Sketch s, string side)
    {
        var p = s.Person; var f = s.Fields;
        s.Gradient(Rgb(0xEDE8F3), Rgb(0xE2EDEE), vertical: true);
        s.Relief(s.W * 0.47f, s.H * 0.42f, 30, 0.75f, Rgb(0xD8D1E3));
        s.Tilt(0.3);
        var ink = s.Density(0.78);
        var plum = Rgb(0x3B2A5C);
        var st = new Style(FacesD.LibertineItalic, s.Z(1.3), Print.Ink(Rgb(0x5A4A78), ink), FacesD.BiolinumBold, s.Z(2.45), Print.Ink(Rgb(0x131019), ink));
        if (side != "data_page")
        {
            SignaturePage(s, st, ink);
            return;
        }
        s.Text("PASSAPORTO", s.J(6, 0.4), s.J(8.2, 0.3), FacesD.BiolinumBold, s.Z(3.3), plum);
        s.Text("Passport · Passeport", s.J(6, 0.4), s.J(11.4, 0.3), FacesD.LibertineItalic, s.Z(1.8), plum);
        s.Text("REPUBBLICA ITALIANA", s.J(s.W - 6, 0.4), s.J(7.6, 0.3), FacesD.LibertineBold, s.Z(2.6), plum, SKTextAlign.Right);
        s.Text("Italian Republic · République italienne", s.J(s.W - 6, 0.4), s.J(10.6, 0.3), FacesD.LibertineItalic, s.Z(1.45), plum, SKTextAlign.Right);
        s.Micro("ITALIA", 6, s.W - 6, s.J(13.6, 0.2), FacesD.Biolinum, Rgb(0xC4B9D6), 0.55f);

        s.Photo(s.W - 38, 17, 32, 40, Rgb(0xE9E6EE));
        s.LineGhost(s.J(s.W - 49, 0.5), s.J(47, 0.5), 9, 11.5f, Rgb(0xEEE9F2), Rgb(0xF2EEF6).WithAlpha(210));

        var x = 6f;
        s.Field(x, 16, "Tipo / Type / Type", "P", LabelAt.Above, st, 16);
        s.Field(x + 18, 16, "Codice / Code / Code", "ITA", LabelAt.Above, st, 20);
        s.Field(x + 42, 16, "Passaporto N. / Passport No. / Passeport N°", f.DocumentNumber, LabelAt.Above,
            st with { ValueColor = Print.Ink(Rgb(0x2A1448), ink), ValueMm = s.Z(2.7) }, 36);
        s.Field(x, 23, "(1) Cognome / Surname / Nom", f.Surname, LabelAt.Above, st, 74);
        s.Field(x, 30, "(2) Nome / Given names / Prénoms", f.GivenNames, LabelAt.Above, st, 74);
        s.Field(x, 37, "(3) Cittadinanza / Nationality / Nationalité", "ITALIANA", LabelAt.Above, st, 36);
        s.Field(x + 40, 37, "(4) Data di nascita / Date of birth / Date de naissance", PrintD.EnFr(f.BirthDate), LabelAt.Above, st, 34);
        s.Field(x, 44, "(5) Sesso / Sex / Sexe", f.Sex, LabelAt.Above, st, 18);
        s.Field(x + 20, 44, "(6) Luogo di nascita / Place of birth / Lieu de naissance", $"{p.BirthPlace.ToUpperInvariant()} ({p.BirthProvince})", LabelAt.Above, st, 40);
        s.Field(x, 51, "(7) Data di rilascio / Date of issue / Date de délivrance", PrintD.EnFr(f.IssueDate), LabelAt.Above, st, 36);
        s.Field(x + 40, 51, "(8) Data di scadenza / Date of expiry / Date d'expiration", PrintD.EnFr(f.ExpiryDate), LabelAt.Above, st, 34);
        s.Field(x, 58, "(9) Autorità / Authority / Autorité", f.IssuedBy, LabelAt.Above, st with { ValueMm = s.Z(2.15) }, 74);
        s.Text("(10) vedi pag. 2 / see page 2 / voir page 2", s.J(s.W - 38, 0.3), s.J(60.5, 0.3), FacesD.LibertineItalic, 1.15f, st.LabelColor, maxWidth: 32);

        // The MRZ is printed on the page's own light pattern: fine waves, no white band under it.
        var top = (float)(s.H - 21.5);
        s.Canvas.Save();
        s.Canvas.ClipRect(new SKRect(0, top, s.W, s.H));
        s.Band(0, top, s.W, s.H - top, Rgb(0xF3F0F6).WithAlpha(150));
        s.Guilloche(Rgb(0xDCD6E6), 12, 0.8, 10, 0.06);
        s.Canvas.Restore();
        s.Mrz(f.Mrz, s.J(6.2, 0.5), s.J(s.H - 12.8, 0.4), s.Pitch(2.54), s.J(6.4, 0.25), s.Z(3.35), Print.Ink(SKColors.Black, Math.Max(0.86f, ink)));
    }

    private static void SignaturePage(Sketch s, Style st, float ink)
    {
        var f = s.Fields;
        // Every page of the booklet carries the passport's number.
        s.Text(f.DocumentNumber, s.J(s.W - 7, 0.4), s.J(8, 0.3), FacesD.Biolinum, s.Z(2.3), Rgb(0x6A5A88), SKTextAlign.Right);
        s.Text("(10) Firma del titolare / Holder's signature / Signature du titulaire", s.J(8, 0.4), s.J(10, 0.3), FacesD.LibertineItalic, s.Z(1.6), st.LabelColor);
        s.Frame(8, 12.5f, 74, 16, Rgb(0x7A6E94), 0.12f, 0.6f);
        s.Signature(s.J(12, 0.8), s.J(14, 0.6), 48, 11, Print.Ink(Rgb(0x151A4E), Math.Min(1, ink + 0.15f)));
        s.Text("Osservazioni / Observations / Observations", s.J(8, 0.4), s.J(36, 0.3), FacesD.LibertineItalic, s.Z(1.6), st.LabelColor);
        for (var i = 0; i < 6; i++)
            s.Line(8, 42 + i * 6.5f, s.W - 8, 42 + i * 6.5f, Rgb(0xA79DBB), 0.08f);
        s.Text("2", s.W / 2, s.H - 3.5f, FacesD.Libertine, 2.4f, Rgb(0x5A4A78), SKTextAlign.Center);
    }
}
