using SkiaSharp;
using static VerifyPipeline.DocumentFamilies.Sketch;

namespace VerifyPipeline.DocumentFamilies;

/// <summary>
/// cie-e, held out: an ID-1 card (85.60 × 53.98 mm) as a fourth issuing year could print it, written blind on
/// 2026-12-03. Front: a dark navy header band with the title in light type and the number in pale gold on the right of
/// it; the photo on the left with the holder's signature under it; the values printed <em>above</em> their labels,
/// labels in small capitals worded Italian · English ("Cognome · Surname", "Luogo e data di nascita · Place and date of
/// birth", "Valida fino al · Valid until"); place and date of birth in one value; ISO dates ("1964-11-07"); a rose-to-sage
/// tint with topographic contour lines and a spiral. Back: the codice fiscale's Code 128 top left on a white ground
/// with the code under it, residence and birth record on the right, a navy strip with the ministry in light type, the
/// TD1 MRZ on a pale band.
/// </summary>
internal static class CieE
{
    private static readonly SKColor Navy = Rgb(0x1F2A44);

    public static void Draw(Sketch s, string side)
    {
        var p = s.Person; var f = s.Fields;
        s.Gradient(Rgb(0xF6E8E3), Rgb(0xE2EDE4));
        s.Contours(Rgb(0xE7CFC8), 0.6f, 16);
        s.Spiral(s.W * (side == "front" ? 0.7f : 0.35f), s.H * 0.6f, 0.9f, 24, Rgb(0xD3E2D6));
        s.Tilt(0.35);
        var ink = s.Density(0.74);
        var value = Print.Ink(Rgb(0x10141F), ink);
        var label = Print.Ink(Rgb(0x6B4F5B), Math.Min(1, ink + 0.1f));
        if (side == "front")
        {
            var band = s.J(10.6, 0.25);
            s.Band(-1, -1, s.W + 2, band + 1, Navy);
            s.Spiral(s.W * 0.85f, band / 2, 0.5f, 9, Rgb(0x2E3D5F));
            s.Text("REPUBBLICA ITALIANA", s.J(4, 0.3), s.J(4.9, 0.2), FacesE.OpenExtraBold, s.Z(2.2), Rgb(0xF4F1EA));
            s.Text("Carta di identità · Identity card", s.J(4, 0.3), s.J(8.3, 0.2), FacesE.OpenLightItalic, s.Z(1.55), Rgb(0xC6D3EE));
            var nx = s.J(s.W - 4, 0.3);
            var nw = s.Text(f.DocumentNumber, nx, s.J(7.3, 0.2), FacesE.OpenCondBold, s.Z(2.7), Rgb(0xF2D27A), SKTextAlign.Right);
            s.Text("N.", nx - nw - 1.0f, s.J(7.1, 0.15), FacesE.OpenRegular, 1.3f, Rgb(0xC6D3EE), SKTextAlign.Right);

            s.Photo(3.6f, 13.2f, 22, 28, Rgb(0xE9E3E5), greyscale: true);
            s.Signature(s.J(3.8, 0.4), s.J(42.2, 0.3), 22, 7, Print.Ink(Rgb(0x1B234F), Math.Min(1, ink + 0.15f)));
            s.SmallCaps("Firma · Signature", s.J(3.8, 0.2), s.J(51.6, 0.2), FacesE.OpenRegular, 1.0f, label);

            var x = s.J(29.5, 0.3);
            ValueOver(s, x, 16, f.Surname, "Cognome · Surname", value, label, 52);
            ValueOver(s, x, 21.8f, f.GivenNames, "Nome · Name", value, label, 52);
            ValueOver(s, x, 27.6f, $"{p.BirthPlace.ToUpperInvariant()} ({p.BirthProvince})  {PrintE.Iso(f.BirthDate)}",
                "Luogo e data di nascita · Place and date of birth", value, label, 52);
            ValueOver(s, x, 33.4f, f.Sex, "Sesso · Sex", value, label, 8);
            ValueOver(s, x + 10, 33.4f, $"{p.HeightCm}", "Statura · Height", value, label, 14);
            ValueOver(s, x + 26, 33.4f, "ITA", "Cittadinanza · Nationality", value, label, 26);
            ValueOver(s, x, 39.2f, PrintE.Iso(f.IssueDate), "Emessa il · Issued on", value, label, 24);
            ValueOver(s, x + 26, 39.2f, PrintE.Iso(f.ExpiryDate), "Valida fino al · Valid until", value, label, 26);
            ValueOver(s, x, 45.0f, f.IssuedBy, "Rilasciata da · Issued by", value, label, 44, 1.7f);
            s.Contactless(s.J(s.W - 5.5, 0.3), s.J(48.5, 0.3), 4.2f, Rgb(0x7D6470));
        }
        else
        {
            // The barcode on a white ground of its own, with quiet zones either side.
            var bx = s.J(4, 0.3); var by = s.J(4.2, 0.25);
            s.Band(bx - 2.2f, by - 1.6f, 49.4f, 13.9f, Rgb(0xFDFCFA));
            s.SmallCaps("Codice fiscale · Fiscal code", bx, by + 0.4f, FacesE.OpenRegular, 1.05f, label);
            s.Barcode(f.CodiceFiscale, bx, by + 1.3f, 45, 6.6f, SKColors.Black);
            s.Text(f.CodiceFiscale, bx, by + 10.9f, FacesE.OpenSemibold, s.Z(2.15), Print.Ink(SKColors.Black, Math.Max(0.85f, ink)));

            var street = p.Address.Split(',')[0].ToUpperInvariant();
            var town = p.Address.Contains(',') ? p.Address[(p.Address.IndexOf(',') + 1)..].Trim().ToUpperInvariant() : "";
            var rx = s.J(53.5, 0.3);
            s.Text(street, rx, s.J(5.8, 0.2), FacesE.OpenSemibold, s.Z(1.6), value, maxWidth: 29);
            s.Text(town, rx, s.J(8.2, 0.2), FacesE.OpenSemibold, s.Z(1.6), value, maxWidth: 29);
            s.SmallCaps("Residenza · Residence", rx, s.J(10.2, 0.2), FacesE.OpenRegular, 0.95f, label);
            ValueOver(s, rx, 12.6f, $"{s.Rng.Next(1, 1999)} P.{s.Rng.Next(1, 3)} S.{(char)('A' + s.Rng.Next(3))} {s.Rng.Next(1, 99):00}",
                "Atto di nascita · Birth record", value, label, 29, 1.5f);

            var strip = s.J(23.5, 0.3);
            s.Band(-1, strip, s.W + 2, 4.6f, Navy);
            s.Spaced("MINISTERO DELL'INTERNO", s.J(4, 0.3), strip + 3.2f, FacesE.OpenSemibold, 1.35f, Rgb(0xE9E6DC), 0.18f);
            s.Text("IT", s.J(s.W - 4, 0.3), strip + 3.3f, FacesE.OpenExtraBold, 1.7f, Rgb(0xF2D27A), SKTextAlign.Right);

            var top = s.H - 17.4f;
            s.Band(-1, top, s.W + 2, s.H - top + 1, Rgb(0xFBF8F3).WithAlpha(235));
            s.Line(-1, top, s.W + 1, top, Rgb(0xB79CA6), 0.1f);
            s.Mrz(f.Mrz, s.J(4.7, 0.4), s.J(s.H - 11.6, 0.35), s.Pitch(2.54), s.J(4.3, 0.15), s.Z(3.25), Print.Ink(SKColors.Black, Math.Max(0.88f, ink)));
        }
    }

    /// <summary>The value printed first and its small-capital label under it.</summary>
    private static void ValueOver(Sketch s, float x, float y, string value, string label, SKColor valueColor, SKColor labelColor,
        float maxWidth, float sizeMm = 1.95f)
    {
        var vx = s.J(x, 0.25); var vy = s.J(y, 0.2);
        s.Text(value, vx, vy, FacesE.OpenSemibold, s.Z(sizeMm), valueColor, maxWidth: maxWidth);
        s.SmallCaps(label, vx, vy + 1.9f, FacesE.OpenRegular, 0.98f, labelColor);
    }
}
