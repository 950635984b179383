using SkiaSharp;
using static VerifyPipeline.DocumentFamilies.Sketch;

namespace VerifyPipeline.DocumentFamilies;

/// <summary>
/// passport-e, held out: an ICAO 9303 TD3 data page (125 × 88 mm) of a fourth issue, written blind on 2026-12-03. A dark
/// petrol panel down the left third carries "PASSAPORTO" in light type, the photo, and the type, code and number in
/// light type under it (the number in pale gold); the state's name top right in a bold serif; Italian labels with the
/// English in brackets ("Cognome (Surname)", "Data di scadenza (Date of expiry)"), not numbered, in a humanist sans over
/// bold serif values; dates with the English month between slashes ("07/NOV/1964"); the holder's signature on the data
/// page, right of the authority; a Lissajous knot over a blue-to-cream tint with a halftone screen; the 2 × 44 MRZ on a
/// white band under a petrol rule. Facing page: the number perforated through the page, observations, page number.
/// </summary>
internal static class PassportE
{
    private static readonly SKColor Petrol = Rgb(0x143C47);

    public static void Draw(Sketch s, string side)
    {
        var p = s.Person; var f = s.Fields;
        s.Gradient(Rgb(0xE5EEF3), Rgb(0xF4EEDD));
        s.Halftone(s.W * 0.9f, s.H * 0.1f, 55, 0.9f, Rgb(0xD9E4EA));
        s.Lissajous(s.W * 0.64f, s.H * 0.42f, 34, 24, 3, 2, Rgb(0xC9D8E1));
        s.Tilt(0.3);
        var ink = s.Density(0.78);
        if (side != "data_page")
        {
            FacingPage(s, ink);
            return;
        }
        var light = Rgb(0xE8F2F0);
        var panelW = s.J(38, 0.3);
        var panelH = s.H - 22.5f;
        s.Band(-1, -1, panelW + 1, panelH + 1, Petrol);
        s.Canvas.Save();
        s.Canvas.ClipRect(new SKRect(-1, -1, panelW, panelH));
        s.Spiral(panelW * 0.5f, panelH * 0.55f, 0.7f, 40, Rgb(0x1E4C58));
        s.Canvas.Restore();
        s.Spaced("PASSAPORTO", s.J(4.2, 0.3), s.J(8.0, 0.2), FacesE.LatoBlack, s.Z(2.9), light, 0.12f);
        s.Text("Passport · Passeport", s.J(4.2, 0.3), s.J(11.2, 0.2), FacesE.LatoLight, s.Z(1.6), Rgb(0xA9C9CC));
        s.Photo(4.2f, 14, 29.5f, 37.5f, Rgb(0xE6ECEC));
        var lx = s.J(4.2, 0.3);
        s.Text("Tipo (Type)", lx, s.J(55, 0.2), FacesE.LatoItalic, 1.2f, Rgb(0xA9C9CC));
        s.Text("P", lx, s.J(58, 0.2), FacesE.CharisBold, s.Z(2.3), light);
        s.Text("Codice (Code)", lx + 12, s.J(55, 0.2), FacesE.LatoItalic, 1.2f, Rgb(0xA9C9CC));
        s.Text("ITA", lx + 12, s.J(58, 0.2), FacesE.CharisBold, s.Z(2.3), light);
        s.Text("Passaporto N. (Passport No.)", lx, s.J(61.2, 0.2), FacesE.LatoItalic, 1.2f, Rgb(0xA9C9CC), maxWidth: 31);
        s.Text(f.DocumentNumber, lx, s.J(64.4, 0.2), FacesE.CharisBold, s.Z(2.7), Rgb(0xF1D58E), maxWidth: 31);

        s.Text("REPUBBLICA ITALIANA", s.J(s.W - 5, 0.4), s.J(8.2, 0.3), FacesE.CharisBold, s.Z(3.1), Petrol, SKTextAlign.Right);
        s.Text("Italian Republic", s.J(s.W - 5, 0.4), s.J(11.4, 0.3), FacesE.CharisItalic, s.Z(1.7), Petrol, SKTextAlign.Right);

        var st = new Style(FacesE.LatoMedium, s.Z(1.3), Print.Ink(Rgb(0x3E6672), ink), FacesE.CharisBold, s.Z(2.4), Print.Ink(Rgb(0x121317), ink));
        var x = panelW + 5;
        s.Field(x, 15, "Cognome (Surname)", f.Surname, LabelAt.Above, st, 78);
        s.Field(x, 22, "Nome (Given names)", f.GivenNames, LabelAt.Above, st, 78);
        s.Field(x, 29, "Cittadinanza (Nationality)", "ITALIANA", LabelAt.Above, st, 34);
        s.Field(x + 38, 29, "Data di nascita (Date of birth)", PrintE.SlashMonth(f.BirthDate), LabelAt.Above, st, 40);
        s.Field(x, 36, "Sesso (Sex)", f.Sex, LabelAt.Above, st, 14);
        s.Field(x + 16, 36, "Luogo di nascita (Place of birth)", $"{p.BirthPlace.ToUpperInvariant()} ({p.BirthProvince})", LabelAt.Above, st, 62);
        s.Field(x, 43, "Data di rilascio (Date of issue)", PrintE.SlashMonth(f.IssueDate), LabelAt.Above, st, 36);
        s.Field(x + 38, 43, "Data di scadenza (Date of expiry)", PrintE.SlashMonth(f.ExpiryDate), LabelAt.Above, st, 40);
        s.Field(x, 50, "Autorità (Authority)", f.IssuedBy, LabelAt.Above, st with { ValueMm = s.Z(2.1) }, 40);
        s.Signature(s.J(x + 44, 0.5), s.J(50.5, 0.4), 34, 9, Print.Ink(Rgb(0x17204E), Math.Min(1, ink + 0.15f)));
        s.Text("Firma del titolare (Holder's signature)", s.J(x + 44, 0.3), s.J(62.6, 0.2), FacesE.LatoItalic, 1.15f, st.LabelColor, maxWidth: 36);

        var top = s.H - 22f;
        s.Band(-1, top, s.W + 2, s.H - top + 1, Rgb(0xFFFFFF).WithAlpha(238));
        s.Line(-1, top, s.W + 1, top, Petrol, 0.35f);
        s.Mrz(f.Mrz, s.J(6.3, 0.5), s.J(s.H - 12.8, 0.4), s.Pitch(2.54), s.J(6.4, 0.25), s.Z(3.35), Print.Ink(SKColors.Black, Math.Max(0.88f, ink)));
    }

    private static void FacingPage(Sketch s, float ink)
    {
        var f = s.Fields;
        var paper = Rgb(0xF7F4EA);
        s.Perforated(f.DocumentNumber, s.J(s.W - 58, 0.5), s.J(13, 0.4), FacesE.LatoBlack, 8.5f, 0.42f, paper);
        s.Text("Osservazioni (Observations)", s.J(8, 0.4), s.J(22, 0.3), FacesE.LatoMedium, s.Z(1.7), Print.Ink(Rgb(0x3E6672), ink));
        for (var i = 0; i < 7; i++)
            s.Line(8, 29 + i * 7, s.W - 8, 29 + i * 7, Rgb(0x9DB3BB), 0.08f);
        var text = Print.Ink(Rgb(0x1E232B), ink);
        s.Text(f.DocumentNumber, s.J(8, 0.4), s.J(10, 0.3), FacesE.CharisBold, s.Z(2.6), Print.Ink(Petrol, ink));
        s.Text("Il titolare è cittadino italiano.", s.J(9, 0.4), s.J(27.8, 0.3), FacesE.CharisItalic, s.Z(2.2), text);
        s.Text("Valido per tutti i paesi del mondo.", s.J(9, 0.4), s.J(34.8, 0.3), FacesE.CharisItalic, s.Z(2.2), text);
        s.Text("Valid for all countries of the world.", s.J(9, 0.4), s.J(41.8, 0.3), FacesE.CharisItalic, s.Z(2.2), text);
        s.Text("3", s.W / 2, s.H - 4f, FacesE.Charis, 2.4f, Petrol, SKTextAlign.Center);
    }
}
