using SkiaSharp;
using static VerifyPipeline.DocumentFamilies.Sketch;

namespace VerifyPipeline.DocumentFamilies;

/// <summary>
/// licence-c, held out: the EU model of Directive 2006/126/EC annex I (ID-1) as another print run could look. Front: EU
/// emblem with "I", the title in a condensed bold, the licence's name in other languages as microprint, photo left,
/// bare field numbers 1. 2. 3. 4a. 4b. 4c. 5. in a small purple sans before condensed bold values (4a. and 4b. on one
/// line), 9. under the photo, 7. with the signature bottom right of it, a ghost portrait; peach-to-lilac tint with
/// hatching and moiré rings. Back: the categories table 9.-12. with a pictogram per group, alternate rows tinted,
/// fields 13. and 14. on the right.
/// </summary>
internal static class LicenceC
{
    private static readonly string[] Categories = ["AM", "A1", "A2", "A", "B1", "B", "C1", "C", "D1", "D", "BE", "C1E", "CE", "D1E", "DE"];
    private static readonly HashSet<string> Held = ["AM", "B1", "B"];

    public static void Draw(Sketch s, string side)
    {
        var p = s.Person; var f = s.Fields;
        s.Gradient(Rgb(0xFBE4D9), Rgb(0xEFE4F2));
        s.Hatch(Rgb(0xEDCFD3), 0.9f, 28);
        s.Rings(s.W * 0.82f, s.H * 0.62f, 22, 1.0f, Rgb(0xE3C6D6), 30);
        s.Tilt(0.4);
        var ink = s.Density();
        var num = Print.Ink(Rgb(0x5C3C70), ink);
        var value = Print.Ink(Rgb(0x121212), ink);
        if (side == "front")
        {
            s.EuFlag(s.J(3, 0.3), s.J(3, 0.3), 9, 6.6f, "I");
            s.Text("PATENTE DI GUIDA", s.J(14.5), s.J(6.8), UrwFaces.NarrowBold, s.Z(3.4), Rgb(0x3A2050));
            s.Text("REPUBBLICA ITALIANA", s.J(14.5), s.J(9.6), UrwFaces.Narrow, s.Z(1.6), Rgb(0x3A2050));
            s.Microtext("PERMIS DE CONDUIRE · DRIVING LICENCE · FÜHRERSCHEIN · PERMISO DE CONDUCCIÓN", 3, s.W - 3, s.J(12.2, 0.2), Rgb(0xC9A9BF), 0.6f);
            s.Photo(4, 14, 21, 26.5f, Rgb(0xE6E1E8), greyscale: true);
            s.Ghost(s.J(74, 0.4), s.J(39.5, 0.4), 8, 10, Rgb(0xF1E3EA));

            var x = 28f;
            Numbered(s, x, 16.6f, "1.", f.Surname, num, value, 54);
            Numbered(s, x, 20.8f, "2.", f.GivenNames, num, value, 54);
            Numbered(s, x, 25.0f, "3.", $"{Dates.Dots(f.BirthDate)}  {p.BirthPlace.ToUpperInvariant()}", num, value, 54);
            Numbered(s, x, 29.2f, "4a.", Dates.Dots(f.IssueDate), num, value, 20);
            Numbered(s, x + 26, 29.2f, "4b.", Dates.Dots(f.ExpiryDate), num, value, 20);
            Numbered(s, x, 33.4f, "4c.", f.IssuedBy, num, value, 40);
            Numbered(s, x, 37.8f, "5.", f.DocumentNumber, num, value, 40, UrwFaces.NarrowBold, 2.6f);
            Numbered(s, 4, 44.5f, "9.", string.Join(" ", Categories.Where(Held.Contains)), num, value, 22);
            s.Text("7.", s.J(30), s.J(46.5, 0.3), UrwFaces.NimbusSans, s.Z(1.4), num);
            s.Signature(s.J(34), s.J(41.5, 0.4), 30, 8, Print.Ink(Rgb(0x14163A), Math.Min(1, ink + 0.1f)));
        }
        else
        {
            var colX = new[] { 3f, 12.5f, 22f, 36f, 50f, 61f };
            var top = s.J(3.3, 0.3);
            foreach (var (t, i) in new[] { "9.", "10.", "11.", "12." }.Select((t, i) => (t, i)))
                s.Text(t, colX[i + 1] + 0.8f, top + 2.2f, UrwFaces.NimbusSansBold, 1.45f, num);
            const float rowH = 3.0f;
            var y0 = top + 3.2f;
            var line = Rgb(0x8E6A86);
            for (var r = 0; r < Categories.Length; r++)
            {
                var y = y0 + r * rowH;
                if (r % 2 == 0) s.Band(colX[0], y, colX[5] - colX[0], rowH, Rgb(0xF7ECF4).WithAlpha(200));
                Pictogram(s, Categories[r], colX[0] + 1, y + 0.4f, 8, rowH - 0.8f, line);
                s.Text(Categories[r], colX[1] + 1, y + rowH - 0.7f, UrwFaces.NimbusSansBold, 1.7f, value);
                if (Held.Contains(Categories[r]))
                {
                    s.Text(Dates.Dots(CategorySince(f, Categories[r])), colX[2] + 0.8f, y + rowH - 0.7f, UrwFaces.Narrow, 1.75f, value);
                    s.Text(Dates.Dots(f.ExpiryDate), colX[3] + 0.8f, y + rowH - 0.7f, UrwFaces.Narrow, 1.75f, value);
                }
            }
            var bottom = y0 + Categories.Length * rowH;
            s.Frame(colX[0], y0, colX[5] - colX[0], bottom - y0, line, 0.1f);
            foreach (var cx in colX.Skip(1).Take(4)) s.Line(cx, y0, cx, bottom, line, 0.08f);
            s.Text("13.", s.J(64), s.J(8), UrwFaces.NimbusSansBold, 1.45f, num);
            s.Frame(64, 9.5f, 18, 12, line, 0.08f, 0.8f);
            s.Text("14.", s.J(64), s.J(26), UrwFaces.NimbusSansBold, 1.45f, num);
            s.Text($"{s.Rng.Next(10, 99)}{(char)('A' + s.Rng.Next(26))}{s.Rng.Next(1000, 9999)}", s.J(64), s.J(29.5), UrwFaces.Courier, 1.6f, value);
            s.Text("MIT-UCO", s.J(64), s.J(32.5), UrwFaces.Narrow, 1.6f, value);
        }
    }

    private static DateOnly CategorySince(DocumentFields f, string cat) =>
        f.BirthDate.AddYears(cat == "AM" ? 15 : 18).AddDays(60 + (int)(Signatures.Fnv("c:" + cat) % 250));

    private static void Numbered(Sketch s, float x, float y, string number, string value, SKColor numColor, SKColor valueColor,
        float maxWidth, SKTypeface? face = null, float sizeMm = 2.15f)
    {
        var nx = s.J(x, 0.2); var ny = s.J(y, 0.2);
        s.Text(number, nx, ny, UrwFaces.NimbusSans, s.Z(1.4), numColor);
        s.Text(value, nx + (number.Length > 2 ? 4.4f : 3.4f), ny, face ?? UrwFaces.NarrowBold, s.Z(sizeMm), valueColor, maxWidth: maxWidth);
    }

    /// <summary>A small line drawing of the vehicle group beside each category, as annex I's grid carries.</summary>
    private static void Pictogram(Sketch s, string cat, float x, float y, float w, float h, SKColor c)
    {
        var group = cat[0] switch { 'A' => 'A', 'B' => 'B', 'C' => 'C', _ => 'D' };
        var r = h * 0.22f;
        using var p = new SKPaint { Color = c, Style = SKPaintStyle.Stroke, StrokeWidth = 0.12f, IsAntialias = true };
        var baseY = y + h - r;
        switch (group)
        {
            case 'A':
                s.Canvas.DrawCircle(x + w * 0.25f, baseY, r, p);
                s.Canvas.DrawCircle(x + w * 0.7f, baseY, r, p);
                s.Canvas.DrawLine(x + w * 0.25f, baseY, x + w * 0.5f, y + h * 0.3f, p);
                s.Canvas.DrawLine(x + w * 0.5f, y + h * 0.3f, x + w * 0.7f, baseY, p);
                break;
            case 'B':
                s.Canvas.DrawRoundRect(x + w * 0.1f, y + h * 0.3f, w * 0.75f, h * 0.45f, 0.3f, 0.3f, p);
                s.Canvas.DrawCircle(x + w * 0.28f, baseY, r, p);
                s.Canvas.DrawCircle(x + w * 0.68f, baseY, r, p);
                break;
            case 'C':
                s.Canvas.DrawRect(x + w * 0.05f, y + h * 0.05f, w * 0.6f, h * 0.65f, p);
                s.Canvas.DrawRect(x + w * 0.65f, y + h * 0.3f, w * 0.25f, h * 0.4f, p);
                s.Canvas.DrawCircle(x + w * 0.22f, baseY, r, p);
                s.Canvas.DrawCircle(x + w * 0.75f, baseY, r, p);
                break;
            default:
                s.Canvas.DrawRoundRect(x + w * 0.03f, y + h * 0.05f, w * 0.9f, h * 0.65f, 0.4f, 0.4f, p);
                s.Canvas.DrawCircle(x + w * 0.2f, baseY, r, p);
                s.Canvas.DrawCircle(x + w * 0.78f, baseY, r, p);
                break;
        }
        if (cat.EndsWith('E')) s.Canvas.DrawRect(x + w * 0.92f, y + h * 0.35f, w * 0.08f, h * 0.3f, p);
    }
}
