using SkiaSharp;
using static VerifyPipeline.DocumentFamilies.Sketch;

namespace VerifyPipeline.DocumentFamilies;

/// <summary>Carta d'identità elettronica: ID-1 (ISO/IEC 7810, 85.60 × 53.98 mm), TD1 MRZ on the back.</summary>
internal static class CieFamilies
{
    private const double W = 85.6, H = 53.98, Corner = 3.18;

    public static IReadOnlyList<Family> All { get; } =
    [
        new("cie-real", DocumentTypes.Cie,
            "After the public description of CIE 3.0: serial number top right opposite the photo, bilingual upper-case labels, codice fiscale with barcode and TD1 MRZ on the back.",
            true, W, H, Corner, ["front", "back"]) { Drawer = Real },
        new("cie-a", DocumentTypes.Cie,
            "Photo on the right, Italian mixed-case labels inline with serif values, tricolore edge, number bottom left, slashed dates.",
            false, W, H, Corner, ["front", "back"]) { Drawer = A },
        new("cie-b", DocumentTypes.Cie,
            "Dark header band, English-first labels in a left column, monospaced values, English month names, barcode above the MRZ on the back.",
            false, W, H, Corner, ["front", "back"]) { Drawer = B },
    ];

    private static void Real(Sketch s, string side)
    {
        var p = s.Person; var f = s.Fields;
        s.Gradient(Rgb(0xF7ECF0), Rgb(0xE3EDF6));
        s.Guilloche(Rgb(0xE0C6D2), 26, 1.2, 14);
        s.Rosette(s.W * 0.72f, s.H * 0.55f, 16, Rgb(0xD5C8E2));
        var label = new Style(Faces.Sans, s.Z(1.15), Rgb(0x44536B), Faces.DejaSans, s.Z(2.0), Rgb(0x111111));
        if (side == "front")
        {
            // Cards issued from the end of September 2022 carry the EU flag with "IT"; earlier ones do not (both are valid).
            var flag = f.IssueDate >= new DateOnly(2022, 10, 1);
            if (flag) s.EuFlag(s.J(3), s.J(2.5), 8, 5.6f, "IT");
            var hx = flag ? 13f : 3.5f;
            s.Text("REPUBBLICA ITALIANA", s.J(hx), s.J(5), Faces.SansBold, s.Z(2.1), Rgb(0x1D2C4C));
            s.Text("MINISTERO DELL'INTERNO", s.J(hx), s.J(7.4), Faces.Sans, s.Z(1.3), Rgb(0x1D2C4C));
            s.Text("CARTA DI IDENTITÀ / IDENTITY CARD", s.J(hx), s.J(10.6), Faces.SansBold, s.Z(1.7), Rgb(0x2B4F8C));
            s.Text(f.DocumentNumber, s.J(s.W - 3.5), s.J(5.6), Faces.SansBold, s.Z(2.9), Rgb(0xC0262D), SKTextAlign.Right);
            s.Photo(3.5f, 13.5f, 22, 27.5f, Rgb(0xDDE3EA), greyscale: true);
            s.Text("FIRMA DEL TITOLARE / HOLDER'S SIGNATURE", s.J(3.5), s.J(44.2), Faces.Sans, 1.0f, label.LabelColor);
            s.Signature(s.J(3.5), s.J(45), 27, 7, Rgb(0x1A1A1A));
            var x = 29f;
            s.Field(x, 13, "COMUNE DI / MUNICIPALITY", p.Comune.ToUpperInvariant(), LabelAt.Above, label, 52);
            s.Field(x, 18.2f, "COGNOME / SURNAME", f.Surname, LabelAt.Above, label, 52);
            s.Field(x, 23.4f, "NOME / NAME", f.GivenNames, LabelAt.Above, label, 52);
            s.Field(x, 28.6f, "LUOGO E DATA DI NASCITA / PLACE AND DATE OF BIRTH",
                $"{p.BirthPlace.ToUpperInvariant()} ({p.BirthProvince}) {Dates.Dots(f.BirthDate)}", LabelAt.Above, label, 52);
            s.Field(x, 33.8f, "SESSO / SEX", f.Sex, LabelAt.Above, label);
            s.Field(x + 13, 33.8f, "STATURA / HEIGHT", $"{p.HeightCm}", LabelAt.Above, label);
            s.Field(x + 30, 33.8f, "CITTADINANZA / NATIONALITY", "ITA", LabelAt.Above, label);
            s.Field(x, 39, "EMISSIONE / ISSUING", Dates.Dots(f.IssueDate), LabelAt.Above, label);
            s.Field(x + 25, 39, "SCADENZA / EXPIRY", Dates.Dots(f.ExpiryDate), LabelAt.Above, label);
            s.Text($"{s.Rng.Next(100000, 999999)}", s.J(s.W - 4), s.J(s.H - 3), Faces.DejaMono, 1.8f, Rgb(0x333333), SKTextAlign.Right);
        }
        else
        {
            s.Field(3.5f, 2.5f, "CODICE FISCALE / FISCAL CODE", f.CodiceFiscale, LabelAt.Above, label with { ValueFace = Faces.DejaSansBold, ValueMm = s.Z(2.3) });
            s.Barcode(f.CodiceFiscale, s.J(44), s.J(2.5, 0.3), 38, 6.5f, SKColors.Black);
            s.Field(3.5f, 10.5f, "INDIRIZZO DI RESIDENZA / RESIDENCE", p.Address.ToUpperInvariant(), LabelAt.Above, label with { ValueMm = s.Z(1.7) }, 78);
            s.Field(3.5f, 16.3f, "ESTREMI ATTO DI NASCITA", $"{s.Rng.Next(10, 2000)} P. I S. A", LabelAt.Above, label with { ValueMm = 1.6f });
            s.Band(0, (float)(H - 18.5), s.W, 18.5f, SKColors.White.WithAlpha(190));
            s.Mrz(f.Mrz, s.J(4.7, 0.4), s.J(H - 12.9, 0.4), 2.54f, 4.5f, 3.35f, SKColors.Black);
        }
    }

    private static void A(Sketch s, string side)
    {
        var p = s.Person; var f = s.Fields;
        s.Gradient(Rgb(0xEAF4EC), Rgb(0xF7F3E6), vertical: true);
        s.Dots(Rgb(0xCFE2D3), 1.6);
        s.Tricolore(0, 0, 2.6f, s.H, vertical: true);
        var st = new Style(Faces.SerifItalic, s.Z(1.6), Rgb(0x3C5A46), Faces.DejaSerif, s.Z(2.1), Rgb(0x101010));
        if (side == "front")
        {
            s.Text("Repubblica Italiana", s.W / 2 - 8, s.J(5.5), Faces.SerifBold, s.Z(2.7), Rgb(0x1E4D2B), SKTextAlign.Center);
            s.Text("Carta d'identità elettronica", s.W / 2 - 8, s.J(8.6), Faces.SerifItalic, s.Z(1.9), Rgb(0x1E4D2B), SKTextAlign.Center);
            s.Photo(s.W - 25, 4, 21, 27, Rgb(0xE9EEF1));
            s.Text("Firma", s.J(s.W - 25), s.J(34), Faces.SerifItalic, 1.4f, st.LabelColor);
            s.Signature(s.J(s.W - 25), s.J(34.5), 22, 7, Rgb(0x1B2F7A));
            var x = 5.5f; var y = s.J(11.5);
            y = s.Field(x, y, "Cognome", f.Surname, LabelAt.Inline, st, 50);
            y = s.Field(x, y, "Nome", f.GivenNames, LabelAt.Inline, st, 50);
            y = s.Field(x, y, "Nato/a a", $"{p.BirthPlace} ({p.BirthProvince})", LabelAt.Inline, st, 50);
            y = s.Field(x, y, "il", Dates.Slashes(f.BirthDate), LabelAt.Inline, st, 50);
            s.Field(x, y, "Sesso", f.Sex, LabelAt.Inline, st);
            s.Field(x + 14, y, "Statura", $"{p.HeightCm / 100.0:0.00} m".Replace('.', ','), LabelAt.Inline, st);
            y = s.Field(x + 34, y, "Cittad.", "ITA", LabelAt.Inline, st) + 0.4f;
            y = s.Field(x, y, "Rilasciata il", Dates.Slashes(f.IssueDate), LabelAt.Inline, st, 50);
            y = s.Field(x, y, "Scade il", Dates.Slashes(f.ExpiryDate), LabelAt.Inline, st, 50);
            s.Field(x, y, "Comune di", p.Comune, LabelAt.Inline, st, 50);
            s.Text($"N. {f.DocumentNumber}", s.J(5.5), s.J(s.H - 3), Faces.MonoBold, s.Z(2.5), Rgb(0x8A1C1C));
        }
        else
        {
            var y = s.Field(5.5f, 3, "Residenza", p.Address, LabelAt.Above, st with { ValueMm = s.Z(1.8) }, 76);
            s.Text("Codice fiscale", s.J(5.5), s.J(y + 2), Faces.SerifItalic, 1.5f, st.LabelColor);
            s.Text(f.CodiceFiscale, s.J(27), s.J(y + 2.2), Faces.DejaSerif, s.Z(2.4), SKColors.Black);
            s.Barcode(f.CodiceFiscale, s.J(8), s.J(y + 3.6, 0.3), 62, 6, Rgb(0x111111));
            s.Vertical("Ministero dell'Interno", s.W - 1.8f, s.H - 20, Faces.Serif, 1.3f, Rgb(0x3C5A46));
            s.Band(2.6f, (float)(H - 17), s.W - 2.6f, 17, SKColors.White);
            s.Mrz(f.Mrz, s.J(5.2, 0.4), s.J(H - 11.6, 0.3), s.Pitch(2.5), s.J(4.2, 0.15), s.Z(3.2), Rgb(0x111111));
        }
    }

    private static void B(Sketch s, string side)
    {
        var p = s.Person; var f = s.Fields;
        s.Gradient(Rgb(0xF8EFE2), Rgb(0xF1E2CF), vertical: true);
        s.Guilloche(Rgb(0xE9C7A0), 14, 2.2, 22, 0.1);
        var st = new Style(Faces.DejaSansBold, s.Z(1.2), Rgb(0x5B4630), Faces.DejaMono, s.Z(2.0), Rgb(0x0E0E0E), 21);
        var top = s.J(8.5, 0.5);
        s.Band(0, 0, s.W, top, Rgb(0x1F2F57));
        if (side == "front")
        {
            s.Text("ITALIAN REPUBLIC · REPUBBLICA ITALIANA", s.J(4), top - 4.8f, Faces.SansBold, s.Z(1.6), SKColors.White);
            s.Text("IDENTITY CARD / CARTA DI IDENTITÀ", s.J(4), top - 1.8f, Faces.Sans, s.Z(1.6), Rgb(0xC9D6F2));
            s.Photo(s.W - 20, top + 2, 17, 21, Rgb(0xF3F3F3));
            s.Text("No.", s.J(s.W - 20), s.J(top + 26.5), Faces.Sans, 1.3f, st.LabelColor);
            s.Text(f.DocumentNumber, s.J(s.W - 3), s.J(top + 26.5), Faces.MonoBold, s.Z(2.2), Rgb(0xA0161E), SKTextAlign.Right);
            var x = 3.5f; var y = top + 2.2f;
            y = s.Field(x, y, "SURNAME / Cognome", f.Surname, LabelAt.Left, st, 60);
            y = s.Field(x, y, "GIVEN NAMES / Nome", f.GivenNames, LabelAt.Left, st, 60);
            y = s.Field(x, y, "BORN / Nato il", Dates.English(f.BirthDate), LabelAt.Left, st, 60);
            y = s.Field(x, y, "AT / a", $"{p.BirthPlace.ToUpperInvariant()} {p.BirthProvince}", LabelAt.Left, st, 60);
            y = s.Field(x, y, "SEX / Sesso", $"{f.Sex}      HEIGHT {p.HeightCm} cm", LabelAt.Left, st, 60);
            y = s.Field(x, y, "NATIONALITY", "ITALIANA", LabelAt.Left, st, 60);
            y = s.Field(x, y, "ISSUED / Emessa", Dates.English(f.IssueDate), LabelAt.Left, st, 60);
            y = s.Field(x, y, "EXPIRES / Scade", Dates.English(f.ExpiryDate), LabelAt.Left, st, 60);
            s.Field(x, y, "MUNICIPALITY", p.Comune.ToUpperInvariant(), LabelAt.Left, st, 60);
            s.Line(s.W - 28, s.H - 3.2f, s.W - 3, s.H - 3.2f, Rgb(0x5B4630), 0.1f);
            s.Signature(s.J(s.W - 28), s.J(s.H - 10.5), 25, 7, Rgb(0x101010));
            s.Text("SIGNATURE", s.W - 28, s.H - 1.5f, Faces.Sans, 1.0f, st.LabelColor);
        }
        else
        {
            s.Text("FISCAL CODE / CODICE FISCALE", s.J(4), top - 3, Faces.SansBold, 1.5f, SKColors.White);
            s.Field(4, top + 1.5f, "ADDRESS / Indirizzo", p.Address.ToUpperInvariant(), LabelAt.Above, st with { ValueMm = 1.7f }, 77);
            s.Barcode(f.CodiceFiscale, s.J(4), s.J(top + 8.5, 0.3), 48, 7.5f, SKColors.Black);
            s.Text(f.CodiceFiscale, s.J(4), s.J(top + 19), Faces.DejaMono, s.Z(2.2), SKColors.Black);
            s.Rosette(s.W - 15, top + 11, 8, Rgb(0xC9A57E));
            s.Frame(2, (float)(H - 16.2), s.W - 4, 15, Rgb(0x5B4630), 0.12f, 1.2f);
            s.Mrz(f.Mrz, s.J(4.8, 0.4), s.J(H - 10.6, 0.3), s.Pitch(2.52), s.J(4.0, 0.15), s.Z(3.0), SKColors.Black);
        }
    }
}
