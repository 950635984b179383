using SkiaSharp;
using static VerifyPipeline.DocumentFamilies.Sketch;

namespace VerifyPipeline.DocumentFamilies;

/// <summary>
/// paper-e, held out: the municipal paper booklet (two pages of 105 × 74 mm opened flat) of a late print run, written
/// blind on 2026-12-03, on pale sage paper with a chevron watermark. Outside: notices and an annotations box on the back
/// cover; the front cover with the Republic's star in a ring of lettering, "CARTA D'IDENTITÀ" in a bold serif, the comune
/// in small capitals and the number pre-printed in dark green in a box at the bottom. Inside, left page: the values
/// filled in by a <em>dot-matrix printer</em> on the left of each row, dotted leaders, and the labels on the
/// <em>right</em>, right-aligned, in an italic serif ("Cognome", "Luogo e data di nascita", "Residenza", "Via");
/// dates with the month in Roman numerals ("07.XI.1964"). Right page: issue ("Rilasciata il") and expiry ("Valevole
/// fino al") on the left, the holder's and the registrar's signatures, the photo at the right edge with a rectangular
/// blue stamp struck across its lower left corner.
/// </summary>
internal static class PaperIdE
{
    private static readonly SKColor Printed = Rgb(0x2A3A30), Green = Rgb(0x0F5A3A);

    public static void Draw(Sketch s, string side)
    {
        var p = s.Person; var f = s.Fields;
        s.Gradient(Rgb(0xE9F0E4), Rgb(0xF2F3E8), vertical: true);
        s.Chevrons(Rgb(0xD6E2D2), 2.2f, 1.6f);
        using (var fold = SKShader.CreateLinearGradient(new SKPoint(104, 0), new SKPoint(106, 0),
                   [SKColors.Transparent, new SKColor(60, 80, 60, 55), SKColors.Transparent], SKShaderTileMode.Clamp))
        using (var paint = new SKPaint { Shader = fold })
            s.Canvas.DrawRect(104, 0, 2, s.H, paint);
        s.Tilt(0.4);
        if (side == "outside")
        {
            Outside(s);
            return;
        }
        var pick = new Random(unchecked((int)Signatures.Fnv("paper-e:" + f.DocumentNumber)));
        var dots = Print.Ink(Rgb(0x15171C), s.Density(0.66));

        s.SmallCaps($"Comune di {Title(p.Comune)}", s.J(52.5, 0.4) - 20, s.J(7.5, 0.3), FacesE.GentiumBold, s.Z(2.4), Printed);
        var rows = new (string Label, string Value)[]
        {
            ("Cognome", f.Surname), ("Nome", f.GivenNames),
            ("Luogo e data di nascita", $"{p.BirthPlace.ToUpperInvariant()} ({p.BirthProvince}) {PrintE.RomanMonth(f.BirthDate)}"),
            ("Atto n.", $"{pick.Next(1, 1500)} P.{pick.Next(1, 3)} S.{(char)('A' + pick.Next(3))}"), ("Cittadinanza", "ITALIANA"),
            ("Residenza", p.Comune.ToUpperInvariant()), ("Via", p.Address.Split(',')[0].ToUpperInvariant()),
            ("Stato civile", pick.Next(2) == 0 ? "CELIBE/NUBILE" : "CONIUGATO/A"), ("Professione", pick.Next(3) == 0 ? "STUDENTE" : "IMPIEGATO/A"),
        };
        var y = 14.5f;
        // The printer's head sat a little off the form: the whole value layer shifts together.
        var dx = s.J(0, 0.6); var dy = s.J(0, 0.35);
        foreach (var (label, value) in rows)
        {
            var lw = MeasureItalic(label, 1.95f);
            s.Text(label, s.J(99, 0.2), s.J(y, 0.15), FacesE.GentiumItalic, s.Z(1.95), Printed, SKTextAlign.Right);
            s.Line(7, y + 0.5f, 99 - lw - 1, y + 0.5f, Rgb(0x7E937F), 0.1f, dotted: true);
            s.DotMatrix(value, 8 + dx, y + dy, FacesE.Inconsolata, 2.6f, dots, 0.15f, maxWidth: 92 - lw - 12);
            y += 5.9f;
        }

        // Right page.
        var rx = 110f;
        s.Text("Rilasciata il", s.J(rx, 0.2), s.J(12, 0.2), FacesE.GentiumItalic, 1.9f, Printed);
        s.DotMatrix(PrintE.RomanMonth(f.IssueDate), rx + 20 + dx, 12 + dy, FacesE.Inconsolata, 2.6f, dots, 0.15f);
        s.Text("Valevole fino al", s.J(rx, 0.2), s.J(18, 0.2), FacesE.GentiumItalic, 1.9f, Printed);
        s.DotMatrix(PrintE.RomanMonth(f.ExpiryDate), rx + 20 + dx, 18 + dy, FacesE.Inconsolata, 2.6f, dots, 0.15f);
        s.Text("Statura", s.J(rx, 0.2), s.J(24, 0.2), FacesE.GentiumItalic, 1.9f, Printed);
        s.DotMatrix($"{p.HeightCm} CM", rx + 20 + dx, 24 + dy, FacesE.Inconsolata, 2.6f, dots, 0.15f);
        s.Text("Segni particolari", s.J(rx, 0.2), s.J(30, 0.2), FacesE.GentiumItalic, 1.9f, Printed);
        s.DotMatrix("NESSUNO", rx + 24 + dx, 30 + dy, FacesE.Inconsolata, 2.6f, dots, 0.15f);

        s.Signature(s.J(rx + 1, 0.5), s.J(34.5, 0.4), 32, 9, Print.Ink(Rgb(0x14224E), s.Density(0.82)));
        s.Line(rx, 45, rx + 36, 45, Printed, 0.1f);
        s.Text("Firma del titolare", s.J(rx + 18, 0.2), s.J(47.4, 0.2), FacesE.GentiumItalic, 1.6f, Printed, SKTextAlign.Center);

        var official = People.Make(unchecked((int)Signatures.Fnv("uff-e:" + f.DocumentNumber)));
        Signatures.Draw(s.Canvas, official, Families.PersonSeed(official), s.J(rx + 2), s.J(55.5), 28, 7.5f, Rgb(0x26302A), s.Rng, 0.06);
        s.Line(rx, 64.5f, rx + 36, 64.5f, Printed, 0.1f);
        s.Text("L'ufficiale d'anagrafe", s.J(rx + 18, 0.2), s.J(67, 0.2), FacesE.GentiumItalic, 1.6f, Printed, SKTextAlign.Center);

        s.Photo(s.W - 35, 26, 29.5f, 38, Rgb(0xE3E6E0), greyscale: true);
        s.BoxStamp(s.J(s.W - 34, 0.8), s.J(60, 0.8), 22, 10, ["COMUNE DI " + p.Comune.ToUpperInvariant(), "UFFICIO ANAGRAFE", "SERVIZI DEMOGRAFICI"],
            FacesE.GentiumBold, Rgb(0x23479A), (float)s.J(-14, 5));
        s.Text("Impronta digitale", s.J(s.W - 20, 0.2), s.J(9, 0.2), FacesE.GentiumItalic, 1.5f, Printed, SKTextAlign.Center);
        s.Frame(s.W - 31, 10.5f, 22, 12, Rgb(0x7E937F), 0.1f, 0.8f);
    }

    private static void Outside(Sketch s)
    {
        var p = s.Person; var f = s.Fields;
        s.SmallCaps("Avvertenze", s.J(12, 0.3), s.J(10, 0.3), FacesE.GentiumBold, 2.2f, Printed);
        string[] notes =
        [
            "La carta d'identità è documento personale",
            "e non può essere ceduta. In caso di smarrimento",
            "ne va data notizia all'autorità di pubblica sicurezza.",
        ];
        for (var i = 0; i < notes.Length; i++)
            s.Text(notes[i], s.J(12, 0.3), s.J(16 + i * 3.6, 0.2), FacesE.GentiumItalic, 1.75f, Printed, maxWidth: 84);
        s.Frame(12, 31, 80, 32, Rgb(0x7E937F), 0.12f, 0.4f);
        s.Text("Annotazioni", s.J(14, 0.3), s.J(34.5, 0.2), FacesE.GentiumItalic, 1.6f, Printed);

        const float cx = 157.5f;
        var ring = Rgb(0x34503C);
        using (var stroke = new SKPaint { Color = ring, Style = SKPaintStyle.Stroke, StrokeWidth = 0.2f, IsAntialias = true })
        {
            s.Canvas.DrawCircle(cx, 20, 11, stroke);
            s.Canvas.DrawCircle(cx, 20, 7.2f, stroke);
            using var fill = new SKPaint { Color = ring, IsAntialias = true };
            PrintE.StarPath(s, cx, 20.4f, 5.6f, fill, 0.38f);
        }
        s.CircleText("REPUBBLICA ITALIANA", cx, 20, 9.1f, FacesE.GentiumBold, 1.6f, ring);
        s.Text("CARTA D'IDENTITÀ", cx + s.J(0, 0.5), s.J(41, 0.4), FacesE.GentiumBold, s.Z(4.6), Printed, SKTextAlign.Center);
        var comune = $"Comune di {Title(p.Comune)}";
        using (var font = new SKFont(FacesE.Gentium, 2.5f))
        {
            var w = font.MeasureText(comune.ToUpperInvariant()) * 0.9f;
            s.SmallCaps(comune, cx - w / 2 + s.J(0, 0.4), s.J(48.5, 0.3), FacesE.Gentium, s.Z(2.5), Printed);
        }
        s.Frame(cx - 24, 55, 48, 10, Green, 0.25f, 0.8f);
        s.Text("N°", s.J(cx - 21, 0.3), s.J(62, 0.2), FacesE.Gentium, 2.4f, Green);
        s.Spaced(f.DocumentNumber, s.J(cx - 14, 0.3), s.J(62.3, 0.2), FacesE.GentiumBold, s.Z(3.4), Green, 0.12f);
    }

    private static float MeasureItalic(string text, float size)
    {
        using var font = new SKFont(FacesE.GentiumItalic, size);
        return font.MeasureText(text);
    }

    private static string Title(string v) =>
        string.Join(' ', v.Split(' ').Select(w => w.Length == 0 ? w : char.ToUpperInvariant(w[0]) + w[1..].ToLowerInvariant()));
}
