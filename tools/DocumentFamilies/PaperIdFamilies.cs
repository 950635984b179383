using SkiaSharp;
using static VerifyPipeline.DocumentFamilies.Sketch;

namespace VerifyPipeline.DocumentFamilies;

/// <summary>Carta d'identità cartacea: a booklet opened flat, two pages of ~105 × 74 mm; "outside" is the cover
/// with the back cover, "inside" the data page with the photo page. No MRZ.</summary>
internal static class PaperIdFamilies
{
    private const double W = 210, H = 74;

    public static IReadOnlyList<Family> All { get; } =
    [
        new("paper-real", DocumentTypes.PaperId,
            "After the municipal booklet: cover with comune, title and red number; inside, typed values on dotted lines (Cognome, Nome, nato il, a, ...), photo, signature, stamp, 'Scadenza' on the back cover.",
            true, W, H, 1, ["outside", "inside"]) { Drawer = Real },
        new("paper-a", DocumentTypes.PaperId,
            "Pages swapped (photo page left, data right), handwritten-style blue values in serif italic, cover on the left, expiry on the inside.",
            false, W, H, 1, ["outside", "inside"]) { Drawer = A },
        new("paper-b", DocumentTypes.PaperId,
            "Boxed table with upper-case labels and bold sans values, pink dotted background, tricolore ribbon on the cover.",
            false, W, H, 1, ["outside", "inside"]) { Drawer = B },
    ];

    private static void Paper(Sketch s, SKColor a, SKColor b, SKColor pattern)
    {
        s.Gradient(a, b);
        s.Guilloche(pattern, 34, 0.7, 6, 0.06);
        s.Line(105, 0, 105, s.H, Rgb(0xB8B0A0), 0.25f);
    }

    private static void Real(Sketch s, string side)
    {
        var p = s.Person; var f = s.Fields;
        Paper(s, Rgb(0xEEF0DE), Rgb(0xE6EBD8), Rgb(0xD6DEC0));
        var ink = Rgb(0x2A2A2A);
        if (side == "outside")
        {
            s.Text("AVVERTENZE", s.J(52), s.J(10), Faces.SerifBold, 2.2f, ink, SKTextAlign.Center);
            for (var i = 0; i < 6; i++)
                s.Line(10, 15 + i * 4.2f, 95, 15 + i * 4.2f, Rgb(0xA8AC98), 0.1f);
            s.Text("Scadenza", s.J(12), s.J(48), Faces.Serif, 2.4f, ink);
            s.Text(Dates.Slashes(f.ExpiryDate), s.J(34), s.J(48.3), Faces.Mono, s.Z(2.8), Rgb(0x151515));
            s.Line(33, 49.5f, 70, 49.5f, ink, 0.1f, dotted: true);
            var cx = 157.5f;
            s.Text("REPUBBLICA ITALIANA", cx + s.J(0), s.J(11), Faces.SerifBold, s.Z(3.4), ink, SKTextAlign.Center);
            s.Rosette(cx, 25, 6, Rgb(0x6A7A50), 12);
            s.Text($"COMUNE DI {p.Comune.ToUpperInvariant()}", cx + s.J(0), s.J(40), Faces.Serif, s.Z(2.6), ink, SKTextAlign.Center);
            s.Text("CARTA D'IDENTITÀ", cx + s.J(0), s.J(50), Faces.SerifBold, s.Z(4.2), ink, SKTextAlign.Center);
            s.Text($"N° {f.DocumentNumber[..2]} {f.DocumentNumber[2..]}", cx + s.J(0), s.J(63), Faces.SerifBold, s.Z(3.4), Rgb(0xB0202A), SKTextAlign.Center);
            return;
        }
        var lab = new Style(Faces.Serif, s.Z(2.0), ink, Faces.Mono, s.Z(2.5), Rgb(0x101010), 23);
        s.Text($"COMUNE DI {p.Comune.ToUpperInvariant()}", s.J(52), s.J(6), Faces.SerifBold, 2.2f, ink, SKTextAlign.Center);
        var rows = new (string Label, string Value)[]
        {
            ("Cognome", f.Surname), ("Nome", f.GivenNames), ("nato il", Dates.Slashes(f.BirthDate)),
            ("(atto n.", $"{s.Rng.Next(10, 999)} P. I S. A)"), ("a", $"{p.BirthPlace.ToUpperInvariant()} ({p.BirthProvince})"),
            ("Cittadinanza", "ITALIANA"), ("Residenza", p.Comune.ToUpperInvariant()), ("Via", p.Address.Split(',')[0].ToUpperInvariant()),
            ("Stato civile", s.Rng.Next(2) == 0 ? "CELIBE/NUBILE" : "CONIUGATO/A"), ("Professione", "IMPIEGATO/A"),
        };
        var y = 10f;
        foreach (var (label, value) in rows)
        {
            s.Line(8 + lab.LabelColumnMm, y + 3.1f, 100, y + 3.1f, Rgb(0x7C806C), 0.1f, dotted: true);
            s.Field(8, y, label, value, LabelAt.Left, lab, 92);
            y += 4.3f;
        }
        s.Text("CONNOTATI E CONTRASSEGNI SALIENTI", s.J(8), s.J(y + 3), Faces.SerifBold, 1.7f, ink);
        s.Text($"Statura {p.HeightCm}   Capelli CAST.   Occhi CAST.", s.J(8), s.J(y + 7), Faces.Mono, 2.0f, Rgb(0x202020));
        s.Photo(110, 6, 30, 38, Rgb(0xE5E5E5), greyscale: true);
        s.Stamp(138, 42, 7, Rgb(0x30309A), "COMUNE");
        s.Text("Firma del titolare", s.J(110), s.J(52), Faces.Serif, 1.8f, ink);
        s.Signature(s.J(110), s.J(53), 38, 10, Rgb(0x1A2250));
        s.Frame(170, 8, 32, 26, ink, 0.12f);
        s.Text("Impronta del dito", 186, 37, Faces.Serif, 1.5f, ink, SKTextAlign.Center);
        s.Text("indice sinistro", 186, 39.2f, Faces.Serif, 1.5f, ink, SKTextAlign.Center);
        s.Text($"{p.Comune}, lì {Dates.Slashes(f.IssueDate)}", s.J(154), s.J(50), Faces.Serif, 2.1f, ink);
        s.Text("IL SINDACO", s.J(175), s.J(64), Faces.SerifBold, 1.9f, ink);
    }

    private static void A(Sketch s, string side)
    {
        var p = s.Person; var f = s.Fields;
        Paper(s, Rgb(0xF4EEDC), Rgb(0xEFE6CF), Rgb(0xE2D6B6));
        var blue = Rgb(0x1B3A8F);
        var ink = Rgb(0x4A3E26);
        if (side == "outside")
        {
            s.Text("CARTA D'IDENTITÀ", 52 + s.J(0), s.J(26), Faces.DejaSerifBold, s.Z(5), ink, SKTextAlign.Center);
            s.Text("Repubblica Italiana", 52 + s.J(0), s.J(36), Faces.SerifItalic, s.Z(3.2), ink, SKTextAlign.Center);
            s.Text($"Comune di {p.Comune}", 52 + s.J(0), s.J(46), Faces.Serif, s.Z(2.6), ink, SKTextAlign.Center);
            s.Text($"N. {f.DocumentNumber}", 52 + s.J(0), s.J(64), Faces.DejaSerifBold, s.Z(3.0), Rgb(0x9A1A20), SKTextAlign.Center);
            s.Text("Il titolare deve esibire il presente documento", s.J(112), s.J(20), Faces.SerifItalic, 2.0f, ink);
            s.Text("a ogni richiesta degli ufficiali di P.S.", s.J(112), s.J(24), Faces.SerifItalic, 2.0f, ink);
            return;
        }
        s.Photo(8, 8, 30, 38, Rgb(0xEEEEEE), greyscale: true);
        s.Stamp(36, 44, 7.5f, Rgb(0x6A2A7A), "SINDACO");
        s.Text("Firma del titolare", s.J(48), s.J(14), Faces.SerifItalic, 1.9f, ink);
        s.Signature(s.J(48), s.J(16), 48, 12, blue);
        s.Text($"Rilasciata il {Dates.Slashes(f.IssueDate)}", s.J(48), s.J(40), Faces.SerifItalic, 2.2f, ink);
        s.Text($"Valida fino al {Dates.Slashes(f.ExpiryDate)}", s.J(48), s.J(46), Faces.SerifItalic, 2.2f, ink);
        s.Text("Scadenza", s.J(48), s.J(52), Faces.Serif, 1.6f, ink);
        var hand = new Style(Faces.Serif, s.Z(2.1), ink, Faces.SerifItalic, s.Z(3.0), blue, 22);
        var rows = new (string, string)[]
        {
            ("Cognome", p.Surname), ("Nome", p.GivenNames), ("nato il", Dates.Slashes(f.BirthDate)),
            ("a", $"{p.BirthPlace} ({p.BirthProvince})"), ("Cittadinanza", "italiana"), ("Residenza", p.Comune),
            ("Via", p.Address.Split(',')[0]), ("Stato civile", "libero/a"), ("Professione", "impiegato/a"),
        };
        var y = 6f;
        foreach (var (label, value) in rows)
        {
            s.Line(112 + hand.LabelColumnMm, y + 3.5f, 203, y + 3.5f, Rgb(0x9C9070), 0.1f);
            s.Field(112, y, label, value, LabelAt.Left, hand, 90);
            y += 5.4f;
        }
        s.Text($"Statura {p.HeightCm / 100.0:0.00}".Replace('.', ','), s.J(112), s.J(y + 4), Faces.SerifItalic, 2.4f, blue);
    }

    private static void B(Sketch s, string side)
    {
        var p = s.Person; var f = s.Fields;
        s.Gradient(Rgb(0xF8E6EA), Rgb(0xF3E9EE));
        s.Dots(Rgb(0xE9CDD5), 1.1);
        s.Line(105, 0, 105, s.H, Rgb(0xC0A0A8), 0.25f);
        var ink = Rgb(0x3A2A30);
        if (side == "outside")
        {
            s.Tricolore(105 + 6, 0, 6, s.H, vertical: false);
            s.Text("REPUBBLICA ITALIANA", 162 + s.J(0), s.J(16), Faces.DejaSansBold, s.Z(3.0), ink, SKTextAlign.Center);
            s.Text("CARTA D'IDENTITÀ", 162 + s.J(0), s.J(32), Faces.DejaSansBold, s.Z(4.2), ink, SKTextAlign.Center);
            s.Text(p.Comune.ToUpperInvariant(), 162 + s.J(0), s.J(42), Faces.DejaSans, s.Z(2.6), ink, SKTextAlign.Center);
            s.Frame(135, 54, 54, 9, Rgb(0x9A1A20), 0.25f, 1);
            s.Text(f.DocumentNumber, 162 + s.J(0), s.J(60.5), Faces.DejaMono, s.Z(3.6), Rgb(0x9A1A20), SKTextAlign.Center);
            s.Text("SCADENZA", s.J(10), s.J(56), Faces.DejaSansBold, 1.8f, ink);
            s.Text(Dates.Dots(f.ExpiryDate), s.J(10), s.J(62), Faces.DejaSansBold, s.Z(3.0), SKColors.Black);
            return;
        }
        var cells = new (string, string)[]
        {
            ("COGNOME", f.Surname), ("NOME", f.GivenNames), ("NATO IL", Dates.Dots(f.BirthDate)), ("A", $"{p.BirthPlace.ToUpperInvariant()} ({p.BirthProvince})"),
            ("CITTADINANZA", "ITALIANA"), ("RESIDENZA", p.Address.ToUpperInvariant()), ("STATO CIVILE", "—"), ("PROFESSIONE", "—"),
            ("EMESSA IL", Dates.Dots(f.IssueDate)), ("COMUNE", p.Comune.ToUpperInvariant()),
        };
        var st = new Style(Faces.DejaSans, s.Z(1.3), Rgb(0x7A5060), Faces.DejaSansBold, s.Z(2.2), Rgb(0x111111));
        var y0 = s.J(4, 0.4);
        for (var i = 0; i < cells.Length; i++)
        {
            var y = y0 + i * 6.6f;
            s.Frame(5, y, 95, 6.6f, Rgb(0xB08090), 0.1f);
            s.Field(6.5f, y + 0.3f, cells[i].Item1, cells[i].Item2, LabelAt.Above, st, 91);
        }
        s.Photo(140, 6, 30, 38, Rgb(0xF2F2F2));
        s.Stamp(170, 44, 7, Rgb(0x8A2050), "UFF. ANAGRAFE");
        s.Line(118, 64, 196, 64, ink, 0.12f);
        s.Signature(s.J(125), s.J(52), 55, 11, Rgb(0x181818));
        s.Text("FIRMA DEL TITOLARE", 118, 67.5f, Faces.DejaSans, 1.5f, ink);
    }
}
