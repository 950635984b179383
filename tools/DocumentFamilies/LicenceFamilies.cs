using SkiaSharp;
using static VerifyPipeline.DocumentFamilies.Sketch;

namespace VerifyPipeline.DocumentFamilies;

/// <summary>Driving licence, EU model of Directive 2006/126/EC annex I (ID-1): numbered fields 1-9 on the front, the
/// categories grid (fields 9-12) on the back. No MRZ.</summary>
internal static class LicenceFamilies
{
    private const double W = 85.6, H = 53.98, Corner = 3.18;

    /// <summary>The categories of annex I in the order of the grid; the holder has AM, B1 and B (B includes the others).</summary>
    private static readonly string[] Categories = ["AM", "A1", "A2", "A", "B1", "B", "C1", "C", "D1", "D", "BE", "C1E", "CE", "D1E", "DE"];
    private static readonly HashSet<string> Held = ["AM", "B1", "B"];

    public static IReadOnlyList<Family> All { get; } =
    [
        new("licence-real", DocumentTypes.DrivingLicence,
            "After annex I of Directive 2006/126/EC: EU emblem with 'I' top left, photo left, bare field numbers 1.-9., pink security background, categories grid on the back.",
            true, W, H, Corner, ["front", "back"]) { Drawer = Real },
        new("licence-a", DocumentTypes.DrivingLicence,
            "Centred serif header, '(1) Cognome' numbered Italian labels above values in two columns, photo right, mint background with rosette; back lists held categories only.",
            false, W, H, Corner, ["front", "back"]) { Drawer = A },
        new("licence-b", DocumentTypes.DrivingLicence,
            "Dark red header band, '1 SURNAME' English labels in a left column, small photo top right, categories as chips; back as a from/until list.",
            false, W, H, Corner, ["front", "back"]) { Drawer = B },
    ];

    private static DateOnly CategorySince(Sketch s, string cat) =>
        s.Fields.BirthDate.AddYears(cat == "AM" ? 14 : 18).AddDays(40 + (int)(Signatures.Fnv(cat) % 200));

    private static void Real(Sketch s, string side)
    {
        var p = s.Person; var f = s.Fields;
        s.Gradient(Rgb(0xF9DDE4), Rgb(0xFBEFF1));
        s.Guilloche(Rgb(0xEEC3CF), 22, 1.0, 11);
        var num = new Style(Faces.SansBold, s.Z(1.5), Rgb(0x3A2A40), Faces.DejaSans, s.Z(2.1), Rgb(0x111111));
        if (side == "front")
        {
            s.EuFlag(s.J(3, 0.3), s.J(3, 0.3), 10, 7.2f, "I");
            s.Text("PATENTE DI GUIDA", s.J(16), s.J(7), Faces.SansBold, s.Z(3.1), Rgb(0x1C1C5C));
            s.Text("REPUBBLICA ITALIANA", s.J(16), s.J(10.6), Faces.Sans, s.Z(1.8), Rgb(0x1C1C5C));
            s.Photo(3.5f, 13, 22, 28, Rgb(0xE8E4EA), greyscale: true);
            var x = 28.5f;
            Numbered(s, x, 15.5f, "1.", f.Surname, num);
            Numbered(s, x, 19.8f, "2.", f.GivenNames, num);
            Numbered(s, x, 24.1f, "3.", $"{Dates.ShortSlashes(f.BirthDate)} {p.BirthPlace.ToUpperInvariant()} ({p.BirthProvince})", num);
            Numbered(s, x, 28.4f, "4a.", Dates.Slashes(f.IssueDate), num);
            Numbered(s, x + 24, 28.4f, "4c.", f.IssuedBy, num);
            Numbered(s, x, 32.7f, "4b.", Dates.Slashes(f.ExpiryDate), num);
            Numbered(s, x, 37.0f, "5.", f.DocumentNumber, num with { ValueFace = Faces.DejaSansBold });
            s.Text("7.", s.J(3.5), s.J(45), Faces.SansBold, 1.5f, num.LabelColor);
            s.Signature(s.J(6.5), s.J(41.5), 20, 8, Rgb(0x121212));
            Numbered(s, x, 49.5f, "9.", string.Join("/", Categories.Where(Held.Contains)), num);
        }
        else
        {
            var gx = 3f; var gy = s.J(3.5, 0.3); var rowH = 2.75f; var colX = new[] { gx, gx + 9, gx + 21, gx + 36, gx + 51 };
            var lines = Rgb(0x7A5A66);
            foreach (var (t, i) in new[] { "9.", "10.", "11.", "12." }.Select((t, i) => (t, i)))
                s.Text(t, colX[i + 1] + 0.8f, gy + 2, Faces.SansBold, 1.5f, lines);
            for (var r = 0; r < Categories.Length; r++)
            {
                var y = gy + 2.8f + r * rowH;
                s.Line(gx, y, colX[4] + 13, y, lines, 0.08f);
                s.Frame(colX[0] + 4.5f, y + 0.5f, 3.8f, rowH - 1, lines, 0.06f, 0.4f);
                s.Text(Categories[r], colX[1] + 1, y + rowH - 0.6f, Faces.SansBold, 1.6f, Rgb(0x222222));
                if (Held.Contains(Categories[r]))
                {
                    s.Text(Dates.ShortSlashes(CategorySince(s, Categories[r])), colX[2] + 1, y + rowH - 0.6f, Faces.DejaSans, 1.6f, SKColors.Black);
                    s.Text(Dates.ShortSlashes(f.ExpiryDate), colX[3] + 1, y + rowH - 0.6f, Faces.DejaSans, 1.6f, SKColors.Black);
                }
            }
            foreach (var cx in colX.Skip(1)) s.Line(cx, gy + 2.8f, cx, gy + 2.8f + Categories.Length * rowH, lines, 0.08f);
            s.Text("12.", s.J(colX[4] + 16), s.J(gy + 8), Faces.SansBold, 1.5f, lines);
            s.Text("01", s.J(colX[4] + 16), s.J(gy + 11), Faces.DejaSans, 1.6f, SKColors.Black);
            s.Text("13.", s.J(colX[4] + 16), s.J(gy + 20), Faces.SansBold, 1.5f, lines);
            s.Text("14.", s.J(colX[4] + 16), s.J(gy + 30), Faces.SansBold, 1.5f, lines);
            s.Text(f.DocumentNumber, s.J(colX[4] + 16), s.J(gy + 45), Faces.DejaMono, 1.5f, lines, maxWidth: 13);
        }
    }

    private static void Numbered(Sketch s, float x, float y, string number, string value, Style st)
    {
        s.Text(number, s.J(x, 0.2), s.J(y, 0.2), st.LabelFace, st.LabelMm, st.LabelColor);
        s.Text(value, s.J(x + 4.6, 0.25), s.J(y, 0.2), st.ValueFace, st.ValueMm, st.ValueColor, maxWidth: 54);
    }

    private static void A(Sketch s, string side)
    {
        var p = s.Person; var f = s.Fields;
        s.Gradient(Rgb(0xE3F4EE), Rgb(0xF4FAF6));
        s.Rosette(s.W * 0.35f, s.H * 0.55f, 20, Rgb(0xBFE0D2), 30);
        var st = new Style(Faces.Serif, s.Z(1.45), Rgb(0x2F5A4A), Faces.Serif, s.Z(2.3), Rgb(0x0C0C0C));
        if (side == "front")
        {
            s.Text("Repubblica Italiana — Patente di guida", s.W / 2, s.J(5.5), Faces.SerifBold, s.Z(2.6), Rgb(0x184434), SKTextAlign.Center);
            s.Tricolore(s.W / 2 - 12, s.J(7, 0.2), 24, 0.7f, vertical: false);
            s.Photo(s.W - 24, 10, 20.5f, 26, Rgb(0xF1F1EF));
            var x = 4.5f; var y = s.J(10);
            y = s.Field(x, y, "(1) Cognome", f.Surname, LabelAt.Above, st, 54);
            y = s.Field(x, y, "(2) Nome", f.GivenNames, LabelAt.Above, st, 54);
            y = s.Field(x, y, "(3) Data e luogo di nascita", $"{Dates.Slashes(f.BirthDate)} {p.BirthPlace}", LabelAt.Above, st, 54);
            s.Field(x, y, "(4a) Rilascio", Dates.Slashes(f.IssueDate), LabelAt.Above, st);
            y = s.Field(x + 28, y, "(4b) Scadenza", Dates.Slashes(f.ExpiryDate), LabelAt.Above, st);
            s.Field(x, y, "(4c) Autorità", f.IssuedBy, LabelAt.Above, st);
            s.Field(x + 28, y, "(5) Numero", f.DocumentNumber, LabelAt.Above, st with { ValueFace = Faces.SerifBold });
            s.Text("(7)", s.J(s.W - 24), s.J(40), Faces.Serif, 1.4f, st.LabelColor);
            s.Signature(s.J(s.W - 20.5), s.J(37), 18, 7, Rgb(0x1B2F7A));
            s.Text($"(9) {string.Join(" ", Categories.Where(Held.Contains))}", s.J(s.W - 24), s.J(s.H - 3.5), Faces.SerifBold, s.Z(2.0), Rgb(0x184434));
        }
        else
        {
            s.Text("Categorie", s.J(5), s.J(6), Faces.SerifBold, 2.2f, Rgb(0x184434));
            s.Text("(9) cat.    (10) dal    (11) al    (12) codici", s.J(5), s.J(10), Faces.Serif, 1.5f, st.LabelColor);
            var y = 14f;
            foreach (var c in Categories.Where(Held.Contains))
            {
                s.Text(c, s.J(6), s.J(y), Faces.SerifBold, 2.2f, SKColors.Black);
                s.Text(Dates.Slashes(CategorySince(s, c)), s.J(17), s.J(y), Faces.Serif, 2.1f, SKColors.Black);
                s.Text(Dates.Slashes(f.ExpiryDate), s.J(35), s.J(y), Faces.Serif, 2.1f, SKColors.Black);
                s.Line(5, y + 1, 80, y + 1, Rgb(0x9CC8B6), 0.08f);
                y += 4.5f;
            }
            s.Text("Altre categorie: " + string.Join(" ", Categories.Where(c => !Held.Contains(c))), s.J(5), s.J(y + 3), Faces.Serif, 1.5f, Rgb(0x7A9A8E), maxWidth: 75);
            s.Text($"(5) {f.DocumentNumber}", s.J(5), s.J(s.H - 5), Faces.Serif, 1.8f, Rgb(0x184434));
        }
    }

    private static void B(Sketch s, string side)
    {
        var p = s.Person; var f = s.Fields;
        s.Gradient(Rgb(0xE5E9F0), Rgb(0xD9DFE9), vertical: true);
        s.Guilloche(Rgb(0xC4CCDA), 16, 2.5, 30, 0.1);
        var top = s.J(8, 0.5);
        s.Band(0, 0, s.W, top, Rgb(0x7C1E2A));
        var st = new Style(Faces.DejaSansBold, s.Z(1.25), Rgb(0x444C5C), Faces.DejaSans, s.Z(2.2), Rgb(0x101010), 20);
        if (side == "front")
        {
            s.Text("DRIVING LICENCE · PATENTE DI GUIDA", s.J(4), top - 2.6f, Faces.DejaSansBold, s.Z(2.0), SKColors.White, maxWidth: 64);
            s.Text("I", s.W - 5, top - 2.2f, Faces.SansBold, 3.2f, Rgb(0xFFD24A), SKTextAlign.Center);
            s.Photo(s.W - 19, top + 2, 16, 20, Rgb(0xFAFAFA));
            var x = 3.5f; var y = top + 2;
            y = s.Field(x, y, "1 SURNAME", f.Surname, LabelAt.Left, st, 60) + 1.1f;
            y = s.Field(x, y, "2 NAME", f.GivenNames, LabelAt.Left, st, 60) + 1.1f;
            y = s.Field(x, y, "3 BORN", $"{Dates.Dots(f.BirthDate)} {p.BirthPlace.ToUpperInvariant()}", LabelAt.Left, st, 60) + 1.1f;
            y = s.Field(x, y, "4a ISSUED", Dates.Dots(f.IssueDate), LabelAt.Left, st, 60) + 1.1f;
            y = s.Field(x, y, "4b EXPIRES", Dates.Dots(f.ExpiryDate), LabelAt.Left, st, 60) + 1.1f;
            y = s.Field(x, y, "4c BY", f.IssuedBy, LabelAt.Left, st, 60) + 1.1f;
            y = s.Field(x, y, "5 NUMBER", f.DocumentNumber, LabelAt.Left, st with { ValueFace = Faces.DejaMono }, 60) + 1.5f;
            s.Text("7", s.J(s.W - 24), s.J(top + 30), Faces.DejaSansBold, 1.3f, st.LabelColor);
            s.Signature(s.J(s.W - 22), s.J(top + 26), 20, 7, Rgb(0x101010));
            var cx = x;
            s.Text("9", cx, y + 3.3f, Faces.DejaSansBold, 1.3f, st.LabelColor);
            cx += 3;
            foreach (var c in Categories.Where(Held.Contains))
            {
                s.Frame(cx, y + 0.6f, 7.5f, 3.6f, Rgb(0x7C1E2A), 0.15f, 0.8f);
                s.Text(c, cx + 3.75f, y + 3.3f, Faces.DejaSansBold, 1.9f, Rgb(0x7C1E2A), SKTextAlign.Center);
                cx += 9;
            }
        }
        else
        {
            s.Text("CATEGORY   VALID FROM   VALID UNTIL   CODES", s.J(4), top - 2.6f, Faces.DejaSansBold, 1.6f, SKColors.White, maxWidth: 78);
            var y = top + 4;
            foreach (var c in Categories)
            {
                if (y > s.H - 3) break;
                var held = Held.Contains(c);
                var ink = held ? SKColors.Black : Rgb(0x9AA2B0);
                s.Text(c, 5, y, Faces.DejaSansBold, 1.7f, ink);
                s.Text(held ? Dates.Dots(CategorySince(s, c)) : "—", 20, y, Faces.DejaSans, 1.7f, ink);
                s.Text(held ? Dates.Dots(f.ExpiryDate) : "—", 40, y, Faces.DejaSans, 1.7f, ink);
                y += 2.9f;
            }
            s.Frame(60, top + 2, 22, 20, Rgb(0x444C5C), 0.12f, 1);
            s.Text("12 NOTES", 61, top + 4.5f, Faces.DejaSansBold, 1.2f, st.LabelColor);
            s.Text(f.DocumentNumber, 61, s.H - 3, Faces.DejaMono, 1.6f, st.LabelColor);
        }
    }
}
