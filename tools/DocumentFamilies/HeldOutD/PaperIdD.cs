using SkiaSharp;
using static VerifyPipeline.DocumentFamilies.Sketch;

namespace VerifyPipeline.DocumentFamilies;

/// <summary>
/// paper-d, held out: the municipal paper booklet (two pages of 105 × 74 mm opened flat) on aged buff paper, written
/// blind. Outside: renewal boxes and notes on the back cover; the front cover with the comune on top, the Republic's
/// emblem, the title, and the number struck by a numbering machine in violet. Inside, left page: labels in an old-style
/// serif worded as a clerk's form does ("Data di nascita", "Luogo di nascita", "Comune di residenza", "Indirizzo"),
/// values on dotted lines filled in by a typewriter whose sheet sat a little askew (the typed layer turned and shifted
/// against the printed lines, each character on a slightly wandering baseline, a worn ribbon) — or, on about one
/// booklet in four, written by hand in a script. Dates in words ("7 NOVEMBRE 1964"). Right page: photo top left with a
/// dry seal over its corner, distinguishing marks beside it (the last one handwritten), the holder's signature under
/// the photo, issue and "Data di scadenza", the mayor's delegate's signature and a round stamp.
/// </summary>
internal static class PaperIdD
{
    public static void Draw(Sketch s, string side)
    {
        var p = s.Person; var f = s.Fields;
        s.Gradient(Rgb(0xF1E6CC), Rgb(0xE9DCBC));
        s.AgedPaper(Rgb(0xC9B48A), 900);
        using (var crease = SKShader.CreateLinearGradient(new SKPoint(103, 0), new SKPoint(107, 0),
                   [SKColors.Transparent, new SKColor(120, 96, 50, 60), SKColors.Transparent], SKShaderTileMode.Clamp))
        using (var paint = new SKPaint { Shader = crease })
            s.Canvas.DrawRect(103, 0, 4, s.H, paint);
        s.Tilt(0.5);
        var print = Rgb(0x3B3024);
        // The document's own choices (filled in by hand or by typewriter, hair, eyes…) come from its number: the side's
        // random stream, after the same number of draws for every seed, gave the same choice on every booklet.
        var pick = new Random(unchecked((int)Signatures.Fnv("paper-d:" + f.DocumentNumber)));
        var hand = pick.Next(4) == 0;
        if (side == "outside")
        {
            Outside(s, print);
            return;
        }

        // The typed layer: the sheet sat askew in the typewriter, so every typed value is turned and shifted together
        // against the printed dotted lines.
        var skew = (float)((s.Rng.NextDouble() * 2 - 1) * 1.1);
        var shiftY = s.J(0.2, 0.6);
        var typedInk = Print.Ink(Rgb(0x1C1A24), s.Density(0.62));
        var pen = Rgb(pick.Next(2) == 0 ? 0x1B2C7Au : 0x22222Au);

        s.Text($"COMUNE DI {p.Comune.ToUpperInvariant()}", s.J(52.5, 0.4), s.J(6.5, 0.3), FacesD.GaramondBold, s.Z(2.3), print, SKTextAlign.Center);
        var rows = new (string Label, string Value)[]
        {
            ("Cognome", f.Surname), ("Nome", f.GivenNames), ("Data di nascita", PrintD.Words(f.BirthDate)),
            ("Luogo di nascita", $"{p.BirthPlace.ToUpperInvariant()} ({p.BirthProvince})"),
            ("Atto di nascita n.", $"{pick.Next(10, 999)} P. I S. {(char)('A' + pick.Next(3))}"), ("Cittadinanza", "ITALIANA"),
            ("Comune di residenza", p.Comune.ToUpperInvariant()), ("Indirizzo", p.Address.Split(',')[0].ToUpperInvariant()),
            ("Stato civile", pick.Next(2) == 0 ? "CELIBE/NUBILE" : "CONIUGATO/A"), ("Professione", pick.Next(2) == 0 ? "IMPIEGATO/A" : "PENSIONATO/A"),
        };
        const float labelX = 7, valueX = 34;
        var y = 13f;
        foreach (var (label, value) in rows)
        {
            s.Text(label, s.J(labelX, 0.2), s.J(y, 0.15), FacesD.Garamond, s.Z(2.0), print);
            s.Line(valueX - 1, y + 0.5f, 100, y + 0.5f, Rgb(0x8A7A5C), 0.1f, dotted: true);
            y += 5.6f;
        }
        s.Canvas.Save();
        s.Canvas.RotateDegrees(skew, valueX, 13);
        y = 13f + shiftY;
        foreach (var (_, value) in rows)
        {
            if (hand) s.Handwritten(Title(value), s.J(valueX + 1, 0.8), s.J(y - 0.1, 0.3), s.Z(3.0), pen, 62);
            else s.Typed(value, s.J(valueX + 0.5, 0.5), y, FacesD.Typewriter, s.Z(2.55), typedInk);
            y += 5.6f;
        }
        s.Canvas.Restore();

        // Right page.
        s.Photo(111, 6, 29, 37, Rgb(0xE4E2DC), greyscale: true);
        s.DrySeal(s.J(138, 0.8), s.J(40, 0.8), 7);
        s.Text("CONNOTATI E CONTRASSEGNI SALIENTI", s.J(146, 0.3), s.J(8.5, 0.2), FacesD.GaramondBold, 1.6f, print);
        var marks = new (string, string)[]
        {
            ("Statura", $"{p.HeightCm / 100.0:0.00}".Replace('.', ',')), ("Capelli", pick.Next(2) == 0 ? "CASTANI" : "BRIZZOLATI"),
            ("Occhi", pick.Next(2) == 0 ? "CASTANI" : "AZZURRI"),
        };
        var my = 14f;
        foreach (var (label, value) in marks)
        {
            s.Text(label, s.J(146, 0.2), s.J(my, 0.15), FacesD.Garamond, 1.9f, print);
            s.Line(163, my + 0.5f, 203, my + 0.5f, Rgb(0x8A7A5C), 0.1f, dotted: true);
            if (hand) s.Handwritten(Title(value), s.J(165, 0.5), s.J(my - 0.2, 0.3), 2.8f, pen);
            else s.Typed(value, s.J(165, 0.5), my + shiftY, FacesD.Typewriter, 2.4f, typedInk);
            my += 5;
        }
        s.Text("Segni particolari", s.J(146, 0.2), s.J(my, 0.15), FacesD.Garamond, 1.9f, print);
        s.Handwritten("nessuno", s.J(170, 0.8), s.J(my - 0.2, 0.3), 2.8f, Rgb(0x2A2A3A));

        s.Text("Data di rilascio", s.J(146, 0.2), s.J(36, 0.2), FacesD.Garamond, 1.9f, print);
        s.Text("Data di scadenza", s.J(146, 0.2), s.J(42, 0.2), FacesD.GaramondBold, 1.9f, print);
        if (hand)
        {
            s.Handwritten(PrintD.Words(f.IssueDate).ToLowerInvariant(), s.J(167, 0.5), s.J(35.8, 0.3), 2.7f, pen, 36);
            s.Handwritten(PrintD.Words(f.ExpiryDate).ToLowerInvariant(), s.J(167, 0.5), s.J(41.8, 0.3), 2.7f, pen, 36);
        }
        else
        {
            s.Typed(PrintD.Words(f.IssueDate), s.J(167, 0.5), 36 + shiftY, FacesD.Typewriter, 2.3f, typedInk);
            s.Typed(PrintD.Words(f.ExpiryDate), s.J(167, 0.5), 42 + shiftY, FacesD.Typewriter, 2.3f, typedInk);
        }

        s.Signature(s.J(111, 0.6), s.J(46, 0.5), 34, 10, Print.Ink(Rgb(0x101a48), s.Density(0.85)));
        s.Line(110, 57.5f, 146, 57.5f, print, 0.1f);
        s.Text("Firma del titolare", s.J(128, 0.3), s.J(60, 0.2), FacesD.GaramondItalic, 1.7f, print, SKTextAlign.Center);

        s.Text("p. IL SINDACO", s.J(176, 0.3), s.J(55, 0.2), FacesD.Garamond, 1.7f, print, SKTextAlign.Center);
        s.Text("l'ufficiale d'anagrafe", s.J(176, 0.3), s.J(57.4, 0.2), FacesD.GaramondItalic, 1.5f, print, SKTextAlign.Center);
        var official = People.Make(unchecked((int)Signatures.Fnv("uff:" + f.DocumentNumber)));
        Signatures.Draw(s.Canvas, official, Families.PersonSeed(official), s.J(163), s.J(58.5), 26, 7.5f, Rgb(0x2E2440), s.Rng, 0.06);
        s.RoundStamp(s.J(196, 0.8), s.J(63, 0.8), 7.5f, Rgb(0x5B2E86), $"COMUNE DI {p.Comune}", FacesD.GaramondBold);
    }

    private static void Outside(Sketch s, SKColor print)
    {
        var p = s.Person; var f = s.Fields;
        s.Text("Rinnovi e proroghe", s.J(12, 0.3), s.J(10, 0.3), FacesD.GaramondBold, 2.1f, print);
        for (var i = 0; i < 2; i++)
        {
            s.Frame(12 + i * 43, 13, 38, 22, Rgb(0x8A7A5C), 0.12f, 0.5f);
            s.Text("Valida fino al ....................", 14 + i * 43, 32, FacesD.GaramondItalic, 1.5f, print);
        }
        string[] notes =
        [
            "Il documento è personale e va esibito a richiesta",
            "degli ufficiali e agenti di pubblica sicurezza.",
            "Ogni alterazione lo rende nullo.",
        ];
        for (var i = 0; i < notes.Length; i++)
            s.Text(notes[i], s.J(12, 0.3), s.J(46 + i * 4, 0.2), FacesD.GaramondItalic, 1.8f, print, maxWidth: 84);

        const float cx = 157.5f;
        s.Text($"COMUNE DI {p.Comune.ToUpperInvariant()}", cx + s.J(0, 0.5), s.J(10, 0.3), FacesD.GaramondBold, s.Z(2.8), print, SKTextAlign.Center);
        Emblem(s, cx, 26, 8.5f, print);
        // EB Garamond's bold has no accented capitals: the title is set in the regular weight.
        s.Text("CARTA D'IDENTITÀ", cx + s.J(0, 0.5), s.J(46, 0.4), FacesD.Garamond, s.Z(4.8), print, SKTextAlign.Center);
        s.Text("Repubblica Italiana", cx + s.J(0, 0.5), s.J(52.5, 0.3), FacesD.GaramondItalic, s.Z(2.6), print, SKTextAlign.Center);
        s.Text("N.", s.J(136, 0.4), s.J(65, 0.3), FacesD.Garamond, 2.4f, print);
        // A numbering machine strikes each digit on its own wheel: the baselines wander a little.
        s.Typed(f.DocumentNumber, s.J(142, 0.4), s.J(65, 0.3), FacesD.TypewriterBold, s.Z(3.3), Rgb(0x4B2A8C), 0.18f);
    }

    /// <summary>The Republic's emblem drawn plainly: a five-pointed star on a cogwheel, between two branches.</summary>
    private static void Emblem(Sketch s, float cx, float cy, float r, SKColor c)
    {
        using var stroke = new SKPaint { Color = c, Style = SKPaintStyle.Stroke, StrokeWidth = 0.22f, IsAntialias = true };
        using var pb = new SKPathBuilder();
        for (var i = 0; i <= 16 * 4; i++)
        {
            var a = i * Math.PI * 2 / 64;
            var rr = (i / 2) % 2 == 0 ? r * 0.72 : r * 0.6;
            var pt = new SKPoint(cx + (float)(rr * Math.Cos(a)), cy + (float)(rr * Math.Sin(a)));
            if (i == 0) pb.MoveTo(pt); else pb.LineTo(pt);
        }
        using (var gear = pb.Detach()) s.Canvas.DrawPath(gear, stroke);
        using var sb = new SKPathBuilder();
        for (var k = 0; k < 10; k++)
        {
            var t = -Math.PI / 2 + k * Math.PI / 5;
            var rr = k % 2 == 0 ? r * 0.52 : r * 0.21;
            var pt = new SKPoint(cx + (float)(rr * Math.Cos(t)), cy + (float)(rr * Math.Sin(t)));
            if (k == 0) sb.MoveTo(pt); else sb.LineTo(pt);
        }
        sb.Close();
        using (var star = sb.Detach()) s.Canvas.DrawPath(star, stroke);
        foreach (var dir in new[] { -1, 1 })
            for (var i = 0; i < 7; i++)
            {
                var a = Math.PI / 2 + dir * (0.35 + i * 0.32);
                var lx = cx + (float)(r * 1.05 * Math.Cos(a)); var ly = cy + (float)(r * 1.05 * Math.Sin(a));
                s.Canvas.DrawOval(lx, ly, 0.9f, 0.45f, stroke);
            }
    }

    /// <summary>A value as a clerk writes it by hand: each word capitalised after a space or an apostrophe
    /// ("D'Ambrosio", "Lo Verde", "Celibe/nubile"); the province code ("(MI)") and abbreviations ("P. I S. A") kept.</summary>
    private static string Title(string v) =>
        string.Join(' ', v.Split(' ').Select(w => w.StartsWith('(') || w.Contains('.') || w.Length == 1 ? w : Capitalise(w)));

    private static string Capitalise(string w)
    {
        var c = w.ToLowerInvariant().ToCharArray();
        for (var i = 0; i < c.Length; i++)
            if (i == 0 || c[i - 1] == '\'') c[i] = char.ToUpperInvariant(c[i]);
        return new string(c);
    }
}
