using SkiaSharp;
using static VerifyPipeline.DocumentFamilies.Sketch;

namespace VerifyPipeline.DocumentFamilies;

/// <summary>
/// paper-c, held out: the municipal paper booklet (two pages of 105 × 74 mm opened flat, stapled at the fold) as
/// another comune's printer filled it in. Outside: notices on the back cover; on the front cover the title in Bookman
/// with a star emblem and the number in red at the top right corner. Inside, left page: values typed in a Courier-like
/// face on dotted lines with small upper-case labels printed under each line ("COGNOME", "NATO/A IL", ...). Right page:
/// the number again, distinguishing marks, issue and expiry ("VALIDA FINO AL", dashed dates), photo at the right edge
/// with the stamp over its corner, the holder's signature under it, and the official's own signature beside
/// "L'UFFICIALE D'ANAGRAFE". Pale blue-grey paper with a fine woven pattern.
/// </summary>
internal static class PaperIdC
{
    public static void Draw(Sketch s, string side)
    {
        var p = s.Person; var f = s.Fields;
        s.Gradient(Rgb(0xEAEFF1), Rgb(0xDCE5EA));
        s.WaveMesh(Rgb(0xCAD7DE), 36, 0.6, 5.5, 7);
        s.Tilt(0.5);
        s.Line(105, 0, 105, s.H, Rgb(0x9EAAB2), 0.3f);
        foreach (var sy in new[] { 14f, 58f }) s.Band(104.6f, sy, 0.8f, 5, Rgb(0x8C9196));
        var ink = s.Density(0.7);
        var typed = Print.Ink(Rgb(0x1A1A1A), ink);
        var print = Rgb(0x2E3C48);
        if (side == "outside")
        {
            s.Text("AVVERTENZE", s.J(52), s.J(9), UrwFaces.BookmanDemi, 2.0f, print, SKTextAlign.Center);
            string[] notes =
            [
                "La presente carta è valida per l'espatrio nei Paesi",
                "che la riconoscono, se non reca l'annotazione contraria.",
                "Lo smarrimento va denunciato all'autorità di P.S.",
                "Il titolare ne risponde: non alterarla, non piegarla.",
            ];
            for (var i = 0; i < notes.Length; i++)
                s.Text(notes[i], s.J(10), s.J(17 + i * 4.2f), UrwFaces.BookmanItalic, 1.7f, print, maxWidth: 86);
            s.Frame(10, 40, 85, 24, Rgb(0x8A98A4), 0.12f, 1);
            s.Text("Annotazioni", s.J(13), s.J(44), UrwFaces.Bookman, 1.6f, print);

            var cx = 157.5f;
            s.Text($"N. {f.DocumentNumber}", s.J(202), s.J(8.5), UrwFaces.CourierBold, s.Z(3.2), Rgb(0xB3242A), SKTextAlign.Right);
            s.Text("REPUBBLICA ITALIANA", cx + s.J(0), s.J(20), UrwFaces.BookmanDemi, s.Z(3.0), print, SKTextAlign.Center);
            Star(s, cx, 31, 5.5f, print);
            s.Text("CARTA D'IDENTITÀ", cx + s.J(0), s.J(47), UrwFaces.BookmanDemi, s.Z(4.6), print, SKTextAlign.Center);
            s.Text($"Comune di {p.Comune}", cx + s.J(0), s.J(55), UrwFaces.BookmanItalic, s.Z(2.6), print, SKTextAlign.Center);
            return;
        }

        var st = new Style(UrwFaces.Bookman, s.Z(1.25), print, UrwFaces.Courier, s.Z(2.7), typed);
        var address = p.Address.Split(',')[0].ToUpperInvariant();
        var rows = new (string Label, string Value)[]
        {
            ("COGNOME", f.Surname), ("NOME", f.GivenNames), ("NATO/A IL", Print.Dashes(f.BirthDate)),
            ("ATTO N.", $"{s.Rng.Next(10, 999)} P. I S. A"), ("A", $"{p.BirthPlace.ToUpperInvariant()} ({p.BirthProvince})"),
            ("CITTADINANZA", "ITALIANA"), ("RESIDENZA", p.Comune.ToUpperInvariant()), ("VIA", address),
            ("STATO CIVILE", s.Rng.Next(2) == 0 ? "LIBERO/A" : "CONIUGATO/A"), ("PROFESSIONE", "IMPIEGATO/A"),
        };
        var y = s.J(3.5, 0.4);
        foreach (var (label, value) in rows)
        {
            s.Line(8, y + 3.4f, 100, y + 3.4f, Rgb(0x6F7C86), 0.1f, dotted: true);
            s.Field(9, y, label, value, LabelAt.Below, st, 88);
            y += 6.8f;
        }

        s.Text($"N. {f.DocumentNumber}", s.J(112), s.J(7), UrwFaces.CourierBold, s.Z(2.4), Rgb(0xB3242A));
        s.Text("CONNOTATI E CONTRASSEGNI SALIENTI", s.J(112), s.J(14), UrwFaces.BookmanDemi, 1.5f, print);
        var marks = new (string, string)[]
        {
            ("Statura", $"{p.HeightCm / 100.0:0.00}".Replace('.', ',')), ("Capelli", s.Rng.Next(2) == 0 ? "CASTANI" : "NERI"),
            ("Occhi", s.Rng.Next(2) == 0 ? "CASTANI" : "VERDI"), ("Segni particolari", "—"),
        };
        var my = 18.5f;
        foreach (var (label, value) in marks)
        {
            var w = s.Text(label, s.J(112, 0.3), s.J(my, 0.2), UrwFaces.Bookman, 1.6f, print);
            s.Text(value, 112 + Math.Max(w + 2, 16), s.J(my, 0.2), UrwFaces.Courier, s.Z(2.4), typed);
            my += 4.4f;
        }
        s.Field(112, 36.5f, "RILASCIATA IL", Print.Dashes(f.IssueDate), LabelAt.Above, st with { LabelFace = UrwFaces.BookmanDemi });
        s.Field(112, 43.5f, "VALIDA FINO AL", Print.Dashes(f.ExpiryDate), LabelAt.Above, st with { LabelFace = UrwFaces.BookmanDemi });

        s.Photo(170, 5, 30, 38, Rgb(0xE8E8E8), greyscale: true);
        s.Stamp(s.J(169, 1), s.J(42, 1), 7.5f, Rgb(0x2B3F9A), $"COMUNE DI {p.Comune.ToUpperInvariant()}");
        s.Signature(s.J(160), s.J(47, 0.4), 40, 9.5f, Print.Ink(Rgb(0x0E1A55), Math.Min(1, ink + 0.2f)));
        s.Line(158, 58, 203, 58, print, 0.1f);
        s.Text("FIRMA DEL TITOLARE", s.J(180.5, 0.3), s.J(60.3, 0.2), UrwFaces.Bookman, 1.3f, print, SKTextAlign.Center);

        s.Text("L'UFFICIALE D'ANAGRAFE", s.J(112), s.J(55), UrwFaces.BookmanDemi, 1.5f, print);
        // The official's own hand: a second, unrelated signature on the page, as every real booklet carries.
        var official = People.Make(unchecked((int)Signatures.Fnv(f.DocumentNumber)));
        Signatures.Draw(s.Canvas, official, Families.PersonSeed(official), s.J(113), s.J(57), 28, 7, Rgb(0x33334A), s.Rng, 0.06);
        s.Text($"{p.Comune}, {Print.Dashes(f.IssueDate)}", s.J(112), s.J(69), UrwFaces.Courier, 2.1f, typed);
    }

    private static void Star(Sketch s, float cx, float cy, float r, SKColor c)
    {
        using var pb = new SKPathBuilder();
        for (var i = 0; i < 10; i++)
        {
            var a = -Math.PI / 2 + i * Math.PI / 5;
            var rr = i % 2 == 0 ? r : r * 0.4;
            var pt = new SKPoint(cx + (float)(rr * Math.Cos(a)), cy + (float)(rr * Math.Sin(a)));
            if (i == 0) pb.MoveTo(pt); else pb.LineTo(pt);
        }
        pb.Close();
        using var path = pb.Detach();
        using var p = new SKPaint { Color = c, Style = SKPaintStyle.Stroke, StrokeWidth = 0.2f, IsAntialias = true };
        s.Canvas.DrawPath(path, p);
        s.Canvas.DrawCircle(cx, cy, r * 1.35f, p);
    }
}
