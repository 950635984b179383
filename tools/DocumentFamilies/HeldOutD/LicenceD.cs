using SkiaSharp;
using static VerifyPipeline.DocumentFamilies.Sketch;

namespace VerifyPipeline.DocumentFamilies;

/// <summary>
/// licence-d, held out: the EU model of Directive 2006/126/EC annex I (ID-1) as a third print run could look, written
/// blind. Front: EU emblem with "I" top left, the title in mixed case ("Patente di guida") in a bold serif, photo right,
/// bare field numbers 1. to 9. in a bold humanist sans with the values in mixed case ("Bellandi", "Maria Grazia",
/// "Roma (RM)"), dates with two-digit years ("07.11.64"), field 8. (residence) printed, 7. with the signature bottom
/// left, 9. under the photo. Cream-to-sky tint with two spirographs. Back: the categories table 9.-12. split into two
/// blocks side by side, codes and 13./14. under them.
/// </summary>
internal static class LicenceD
{
    private static readonly string[] Categories = ["AM", "A1", "A2", "A", "B1", "B", "C1", "C", "D1", "D", "BE", "C1E", "CE", "D1E", "DE"];
    private static readonly HashSet<string> Held = ["AM", "B1", "B"];

    public static void Draw(Sketch s, string side)
    {
        var p = s.Person; var f = s.Fields;
        s.Gradient(Rgb(0xFAF4D8), Rgb(0xD9E9F5));
        s.Spirograph(s.W * 0.3f, s.H * 0.6f, 19, 7.3f, 6, Rgb(0xCFE0C8), 25);
        s.Spirograph(s.W * 0.78f, s.H * 0.3f, 12, 3.7f, 3.2f, Rgb(0xD7D3EA), 25);
        s.Tilt(0.45);
        var ink = s.Density(0.72);
        var num = Print.Ink(Rgb(0x1E5A3A), ink);
        var value = Print.Ink(Rgb(0x15151A), ink);
        if (side == "front")
        {
            s.Emblem(s.J(3.2, 0.3), s.J(2.8, 0.3), 9.5f, 7, "I", FacesD.CarlitoBold);
            s.Text("Patente di guida", s.J(15, 0.4), s.J(6.4, 0.3), FacesD.CaladeaBold, s.Z(3.3), Rgb(0x17402A));
            s.Text("Repubblica Italiana", s.J(15, 0.4), s.J(9.4, 0.3), FacesD.CaladeaItalic, s.Z(1.8), Rgb(0x17402A));

            s.Photo(s.W - 25, 11.5f, 21, 26.5f, Rgb(0xECEEF0), greyscale: true);
            var x = 4f;
            Numbered(s, x, 15.2f, "1.", Mixed(f.Surname), num, value, 52);
            Numbered(s, x, 19.4f, "2.", Mixed(f.GivenNames), num, value, 52);
            Numbered(s, x, 23.6f, "3.", $"{PrintD.ShortDots(f.BirthDate)} {p.BirthPlace} ({p.BirthProvince})", num, value, 52);
            Numbered(s, x, 27.8f, "4a.", PrintD.ShortDots(f.IssueDate), num, value, 16);
            Numbered(s, x + 24, 27.8f, "4c.", f.IssuedBy, num, value, 26);
            Numbered(s, x, 32.0f, "4b.", PrintD.ShortDots(f.ExpiryDate), num, value, 16);
            Numbered(s, x, 36.4f, "5.", f.DocumentNumber, num, value, 40, FacesD.CarlitoBold, 2.6f);
            Numbered(s, x, 40.6f, "8.", Mixed(p.Address), num, value, 52, sizeMm: 1.8f);
            s.Text("7.", s.J(4, 0.2), s.J(47.5, 0.3), FacesD.CarlitoBold, s.Z(1.5), num);
            s.Signature(s.J(8, 0.5), s.J(42.8, 0.4), 32, 8.6f, Print.Ink(Rgb(0x1B2250), Math.Min(1, ink + 0.15f)));
            Numbered(s, s.W - 25, 42.6f, "9.", string.Join(" ", Categories.Where(Held.Contains)), num, value, 20, FacesD.CarlitoBold);
            s.Text("Driving Licence · Permis de conduire", s.J(s.W - 4, 0.3), s.J(s.H - 2.6, 0.2), FacesD.CarlitoItalic, 1.2f, Rgb(0x5A7A66), SKTextAlign.Right);
        }
        else
        {
            var lines = Rgb(0x5E7F6C);
            var top = s.J(3.5, 0.3);
            DrawBlock(s, f, Categories[..8], 3f, top, lines, num, value);
            DrawBlock(s, f, Categories[8..], 44f, top, lines, num, value);
            var y = top + 3 + 8 * 3.3f + 4;
            s.Text("12.", s.J(3.5, 0.2), s.J(y, 0.2), FacesD.CarlitoBold, 1.5f, num);
            s.Text(Signatures.Fnv("licence-d:" + f.DocumentNumber) % 3 == 0 ? "01 (lenti)" : "—", s.J(8, 0.2), s.J(y, 0.2), FacesD.Carlito, 1.8f, value);
            s.Text("13.", s.J(44, 0.2), s.J(y, 0.2), FacesD.CarlitoBold, 1.5f, num);
            s.Text("14.", s.J(60, 0.2), s.J(y, 0.2), FacesD.CarlitoBold, 1.5f, num);
            s.Text($"{s.Rng.Next(10, 99)}{(char)('A' + s.Rng.Next(26))}{s.Rng.Next(100000, 999999)}", s.J(65, 0.2), s.J(y, 0.2), FacesD.Carlito, 1.6f, value);
            s.Text("Motorizzazione civile", s.J(3.5, 0.3), s.J(s.H - 3.2, 0.3), FacesD.CaladeaItalic, 1.5f, Rgb(0x17402A));
        }
    }

    /// <summary>The value as a clerk writes it: each word capitalised, the rest lower case ("D'Ambrosio", "Lo Verde").</summary>
    private static string Mixed(string v)
    {
        var chars = v.ToLowerInvariant().ToCharArray();
        for (var i = 0; i < chars.Length; i++)
            if (i == 0 || chars[i - 1] is ' ' or '\'' or '-' or '(') chars[i] = char.ToUpperInvariant(chars[i]);
        // Province codes stay upper case: "(Rm)" reads as a word, "(RM)" as the code it is.
        var s = new string(chars);
        var open = s.LastIndexOf('(');
        return open >= 0 && s.Length >= open + 4 && s[open + 3] == ')' ? s[..(open + 1)] + s.Substring(open + 1, 2).ToUpperInvariant() + s[(open + 3)..] : s;
    }

    private static void DrawBlock(Sketch s, DocumentFields f, string[] cats, float x, float top, SKColor lines, SKColor num, SKColor value)
    {
        float[] col = [x, x + 7, x + 18, x + 29, x + 38.5f];
        string[] heads = ["9.", "10.", "11.", "12."];
        for (var i = 0; i < 4; i++) s.Text(heads[i], col[i] + 0.6f, top + 2.2f, FacesD.CarlitoBold, 1.45f, num);
        const float rowH = 3.3f;
        var y0 = top + 3;
        for (var r = 0; r < cats.Length; r++)
        {
            var y = y0 + r * rowH;
            s.Line(col[0], y, col[4], y, lines, 0.07f);
            s.Text(cats[r], col[0] + 0.6f, y + rowH - 0.8f, FacesD.CarlitoBold, 1.75f, value);
            if (!Held.Contains(cats[r])) continue;
            s.Text(PrintD.ShortDots(Since(f, cats[r])), col[1] + 0.6f, y + rowH - 0.8f, FacesD.Carlito, 1.75f, value);
            s.Text(PrintD.ShortDots(f.ExpiryDate), col[2] + 0.6f, y + rowH - 0.8f, FacesD.Carlito, 1.75f, value);
        }
        var bottom = y0 + 8 * rowH;
        s.Line(col[0], bottom, col[4], bottom, lines, 0.07f);
        foreach (var cx in col) s.Line(cx, y0, cx, bottom, lines, 0.07f);
    }

    private static DateOnly Since(DocumentFields f, string cat) =>
        f.BirthDate.AddYears(cat == "AM" ? 14 : 18).AddDays(30 + (int)(Signatures.Fnv("d:" + cat + f.DocumentNumber) % 300));

    private static void Numbered(Sketch s, float x, float y, string number, string value, SKColor numColor, SKColor valueColor,
        float maxWidth, SKTypeface? face = null, float sizeMm = 2.2f)
    {
        var nx = s.J(x, 0.2); var ny = s.J(y, 0.2);
        var w = s.Text(number, nx, ny, FacesD.CarlitoBold, s.Z(1.5), numColor);
        s.Text(value, nx + w + 1.0f, ny, face ?? FacesD.Carlito, s.Z(sizeMm), valueColor, maxWidth: maxWidth);
    }
}
