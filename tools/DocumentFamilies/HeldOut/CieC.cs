using SkiaSharp;
using static VerifyPipeline.DocumentFamilies.Sketch;

namespace VerifyPipeline.DocumentFamilies;

/// <summary>
/// cie-c, held out: an ID-1 card (85.60 × 53.98 mm) as another issuing year could print it. Front: header split left and
/// right, the number in red under the header, photo left with a faint ghost portrait bottom right, title-case
/// bilingual labels ("Cognome / Surname") in a condensed sans above geometric-sans values, dashed dates, the holder's
/// signature under the fields. Back: Code 128 of the codice fiscale with the code printed under it, residence and
/// birth record on the right, the TD1 MRZ printed straight on the woven background (no white band).
/// </summary>
internal static class CieC
{
    public static void Draw(Sketch s, string side)
    {
        var p = s.Person; var f = s.Fields;
        s.Gradient(Rgb(0xE6EFF8), Rgb(0xF5EBE3), vertical: true);
        s.WaveMesh(Rgb(0xC8D7E8), 18, 1.3, 15, 17);
        s.Rings(s.W * 0.18f, s.H * 1.15f, 40, 1.1f, Rgb(0xDCCDE4));
        s.Tilt(0.35);
        var ink = s.Density();
        var label = new Style(UrwFaces.Narrow, s.Z(1.1), Print.Ink(Rgb(0x2C5868), ink), UrwFaces.GothicDemi, s.Z(1.9), Print.Ink(Rgb(0x111418), ink));
        if (side == "front")
        {
            s.Microtext("REPUBBLICAITALIANA", 3, s.W - 3, s.J(12.3, 0.2), Rgb(0xA9B7C9));
            // Issues from October 2022 carry the EU flag with "IT" (Regulation (EU) 2019/1157 art. 3(4)); earlier ones do not.
            var flag = f.IssueDate >= new DateOnly(2022, 10, 1);
            if (flag) s.EuFlag(s.J(4, 0.3), s.J(2, 0.3), 7, 5.2f, "IT");
            s.Text("REPUBBLICA ITALIANA", s.J(flag ? 12.5 : 4), s.J(5.2), UrwFaces.GothicDemi, s.Z(2.2), Rgb(0x23395E));
            s.Text("CARTA D'IDENTITÀ", s.J(s.W - 4), s.J(4.8), UrwFaces.GothicDemi, s.Z(1.9), Rgb(0x23395E), SKTextAlign.Right);
            s.Text("Identity Card", s.J(s.W - 4), s.J(7.4), UrwFaces.GothicOblique, s.Z(1.5), Rgb(0x4C6A8E), SKTextAlign.Right);
            s.Text($"N. {f.DocumentNumber}", s.J(flag ? 12.5 : 4), s.J(9.9, 0.3), UrwFaces.NarrowBold, s.Z(2.5), Print.Ink(Rgb(0xB3212B), ink));
            s.Photo(4, 14, 20, 25, Rgb(0xE2E8EE), greyscale: true);
            s.Ghost(s.J(73.5, 0.4), s.J(41, 0.4), 8.5f, 10.5f, Rgb(0xEDE6EC));

            var x = 27f;
            s.Field(x, 13.4f, "Cognome / Surname", f.Surname, LabelAt.Above, label, 55);
            s.Field(x, 18.4f, "Nome / Name", f.GivenNames, LabelAt.Above, label, 55);
            s.Field(x, 23.4f, "Data di nascita / Date of birth", Print.Dashes(f.BirthDate), LabelAt.Above, label);
            s.Field(x + 31, 23.4f, "Sesso / Sex", f.Sex, LabelAt.Above, label);
            s.Field(x + 43, 23.4f, "Statura / Height", $"{p.HeightCm / 100.0:0.00}".Replace('.', ','), LabelAt.Above, label);
            s.Field(x, 28.4f, "Luogo di nascita / Place of birth", $"{p.BirthPlace.ToUpperInvariant()} ({p.BirthProvince})", LabelAt.Above, label, 40);
            s.Field(x + 43, 28.4f, "Cittadinanza / Nationality", "ITA", LabelAt.Above, label);
            s.Field(x, 33.4f, "Rilascio / Issue", Print.Dashes(f.IssueDate), LabelAt.Above, label);
            s.Field(x + 24, 33.4f, "Scadenza / Expiry", Print.Dashes(f.ExpiryDate), LabelAt.Above, label);
            s.Field(x, 38.4f, "Comune / Municipality", p.Comune.ToUpperInvariant(), LabelAt.Above, label, 42);
            s.Text("Firma del titolare / Holder's signature", s.J(4), s.J(44.6, 0.3), UrwFaces.Narrow, 1.0f, label.LabelColor);
            s.Signature(s.J(6), s.J(45.2, 0.3), 34, 7.2f, Print.Ink(Rgb(0x15183A), Math.Min(1, ink + 0.1f)));
        }
        else
        {
            s.Text("Codice fiscale / Fiscal code", s.J(4), s.J(4.2, 0.3), UrwFaces.Narrow, s.Z(1.2), label.LabelColor);
            var bx = s.J(4, 0.3);
            s.Barcode(f.CodiceFiscale, bx, s.J(5.3, 0.2), 44, 6.2f, SKColors.Black);
            s.Text(f.CodiceFiscale, bx + 22, s.J(14.2, 0.2), UrwFaces.GothicDemi, s.Z(2.2), Print.Ink(SKColors.Black, ink), SKTextAlign.Center, 43);
            var street = p.Address.Split(',')[0].ToUpperInvariant();
            var town = p.Address.Contains(',') ? p.Address[(p.Address.IndexOf(',') + 1)..].Trim().ToUpperInvariant() : "";
            var y = s.Field(52, 3.2f, "Indirizzo di residenza / Residence", street, LabelAt.Above, label with { ValueMm = s.Z(1.6) }, 31);
            s.Text(town, s.J(52, 0.3), s.J(y + 1.2f, 0.2), label.ValueFace, 1.6f, label.ValueColor, maxWidth: 31);
            s.Field(52, y + 3, "Atto di nascita / Birth record", $"N. {s.Rng.Next(10, 2000)} P. I S. A", LabelAt.Above, label with { ValueMm = 1.5f }, 31);
            s.Line(3, s.J(19.5, 0.3), s.W - 3, s.J(19.5, 0.3), Rgb(0x7F95AE), 0.08f);
            s.Text("MINISTERO DELL'INTERNO", s.J(4), s.J(22.6, 0.3), UrwFaces.Gothic, 1.3f, Rgb(0x4C6A8E));
            s.Mrz(f.Mrz, s.J(4.4, 0.4), s.J(s.H - 13.4, 0.4), s.Pitch(2.54), s.J(4.35, 0.15), s.Z(3.2), Print.Ink(SKColors.Black, Math.Max(0.85f, ink)));
        }
    }
}
