using SkiaSharp;
using static VerifyPipeline.DocumentFamilies.Sketch;

namespace VerifyPipeline.DocumentFamilies;

/// <summary>
/// cie-d, held out: an ID-1 card (85.60 × 53.98 mm) as a third issuing year could print it, written blind. Front: the
/// title left-aligned with a trilingual subtitle (Italian, English, French), the number top right beside a small EU
/// emblem, the photo on the right with a second line-screened ghost portrait under it, lower-case trilingual labels
/// ("cognome / surname / nom") in a light condensed sans over medium sans values, dates with the parts apart
/// ("07 11 1964"), the holder's signature bottom left. Teal-to-sand tint with a sunburst and a spirograph. Back:
/// residence and birth record, the codice fiscale over its Code 128, a spirograph seal, the TD1 MRZ on a pale
/// patterned band.
/// </summary>
internal static class CieD
{
    public static void Draw(Sketch s, string side)
    {
        var p = s.Person; var f = s.Fields;
        s.Gradient(Rgb(0xE1EFEC), Rgb(0xF5ECD8));
        s.Sunburst(s.W * 0.3f, s.H * 1.5f, 140, Rgb(0xE9DCC0));
        s.Spirograph(s.W * (side == "front" ? 0.42f : 0.8f), s.H * 0.55f, 15, 4.1f, 5.5f, Rgb(0xBFD9D3), 30);
        s.Tilt(0.4);
        var ink = s.Density(0.75);
        var teal = Rgb(0x1D5C5A);
        var st = new Style(FacesD.RobotoCondItalic, s.Z(1.0), Print.Ink(Rgb(0x3F6F6B), ink), FacesD.RobotoMedium, s.Z(1.95), Print.Ink(Rgb(0x14171A), ink));
        if (side == "front")
        {
            s.Text("REPUBBLICA ITALIANA", s.J(4, 0.3), s.J(4.9, 0.3), FacesD.RobotoBlack, s.Z(2.0), teal);
            s.Text("carta d'identità · identity card · carte d'identité", s.J(4, 0.3), s.J(7.6, 0.3), FacesD.RobotoCondLight, s.Z(1.45), teal);
            s.Micro("CIE·IT", 3, 56, s.J(9.6, 0.2), FacesD.RobotoLight, Rgb(0xA9C4BF));
            s.Emblem(s.J(s.W - 10.5, 0.3), s.J(2.2, 0.3), 7, 4.8f, "IT", FacesD.RobotoCondBold);
            s.Text(f.DocumentNumber, s.J(s.W - 12.5, 0.3), s.J(6.1, 0.3), FacesD.RobotoCondBold, s.Z(2.5), Print.Ink(Rgb(0x9E2A1E), ink), SKTextAlign.Right);

            s.Photo(s.W - 26, 10.5f, 22, 27.5f, Rgb(0xEDE7DA), greyscale: true);
            s.LineGhost(s.J(s.W - 13, 0.4), s.J(40.5, 0.4), 8, 10, Rgb(0xF1EBDD), Rgb(0xF4EFE4).WithAlpha(200));
            s.Text($"{s.Rng.Next(100000, 999999)}", s.J(s.W - 26, 0.3), s.J(43.5, 0.3), FacesD.RobotoLight, 1.5f, Print.Ink(teal, ink));

            const float x = 4f, c2 = 31f, c3 = 45f;
            s.Field(x, 11, "cognome / surname / nom", f.Surname, LabelAt.Above, st, 53);
            s.Field(x, 16, "nome / given names / prénoms", f.GivenNames, LabelAt.Above, st, 53);
            s.Field(x, 21, "data di nascita / date of birth / date de naissance", PrintD.Spaced(f.BirthDate), LabelAt.Above, st, 26);
            s.Field(x + c2, 21, "sesso / sex / sexe", f.Sex, LabelAt.Above, st, 13);
            s.Field(x + c3, 21, "statura / height", $"{p.HeightCm}", LabelAt.Above, st, 10);
            s.Field(x, 26, "luogo di nascita / place of birth / lieu de naissance", $"{p.BirthPlace.ToUpperInvariant()} ({p.BirthProvince})", LabelAt.Above, st, 30);
            s.Field(x + c2, 26, "cittadinanza / nationality", "ITA", LabelAt.Above, st, 22);
            s.Field(x, 31, "emissione / issue / délivrance", PrintD.Spaced(f.IssueDate), LabelAt.Above, st, 26);
            s.Field(x + c2, 31, "scadenza / expiry / expiration", PrintD.Spaced(f.ExpiryDate), LabelAt.Above, st, 24);
            s.Field(x, 36, "comune di rilascio / issuing municipality / commune", p.Comune.ToUpperInvariant(), LabelAt.Above, st, 53);

            s.Text("firma del titolare / holder's signature / signature du titulaire", s.J(4, 0.3), s.J(43.4, 0.3), FacesD.RobotoCondItalic, 0.95f, st.LabelColor, maxWidth: 40);
            s.Signature(s.J(5), s.J(44, 0.3), 33, 7.6f, Print.Ink(Rgb(0x1A1F4A), Math.Min(1, ink + 0.15f)));
        }
        else
        {
            var street = p.Address.Split(',')[0].ToUpperInvariant();
            var town = p.Address.Contains(',') ? p.Address[(p.Address.IndexOf(',') + 1)..].Trim().ToUpperInvariant() : "";
            var y = s.Field(4, 2.6f, "indirizzo di residenza / address / adresse", street, LabelAt.Above, st with { ValueMm = s.Z(1.7) }, 50);
            s.Text(town, s.J(4, 0.3), s.J(y + 1.3, 0.2), st.ValueFace, 1.7f, st.ValueColor, maxWidth: 50);
            s.Field(4, y + 2.8f, "estremi atto di nascita / birth record", $"{s.Rng.Next(10, 2000)} / {s.Rng.Next(1, 3)} / A / {s.Rng.Next(1, 40):00}",
                LabelAt.Above, st with { ValueMm = 1.6f }, 40);

            s.Text("codice fiscale / tax code / code fiscal", s.J(4, 0.3), s.J(19.2, 0.2), st.LabelFace, s.Z(1.05), st.LabelColor);
            s.Text(f.CodiceFiscale, s.J(27, 0.3), s.J(19.5, 0.2), FacesD.RobotoMedium, s.Z(2.1), Print.Ink(SKColors.Black, ink));
            s.Barcode(f.CodiceFiscale, s.J(4, 0.3), s.J(20.6, 0.2), 45, 6.4f, SKColors.Black);

            s.Text("MINISTERO DELL'INTERNO", s.J(s.W - 4, 0.3), s.J(27, 0.3), FacesD.RobotoCondLight, 1.25f, Rgb(0x3F6F6B), SKTextAlign.Right);

            // The MRZ sits on a light plate of its own: hair-line waves, never a plain white band.
            var top = (float)(s.H - 17.2);
            s.Band(0, top, s.W, s.H - top, Rgb(0xF7F3E8).WithAlpha(210));
            s.Canvas.Save();
            s.Canvas.ClipRect(new SKRect(0, top, s.W, s.H));
            s.Guilloche(Rgb(0xE3E6DA), 16, 0.5, 7, 0.05);
            s.Canvas.Restore();
            s.Mrz(f.Mrz, s.J(4.6, 0.4), s.J(s.H - 11.6, 0.4), s.Pitch(2.54), s.J(4.3, 0.15), s.Z(3.25), Print.Ink(SKColors.Black, Math.Max(0.86f, ink)));
        }
    }
}
