using SkiaSharp;
using static VerifyPipeline.DocumentFamilies.Sketch;

namespace VerifyPipeline.DocumentFamilies;

/// <summary>
/// licence-e, held out: the EU model of Directive 2006/126/EC annex I (ID-1) as a fourth print run could look, written
/// blind on 2026-12-03. Front: an aubergine band across the top with the EU emblem and "I" at its left and the title
/// letter-spaced in light type; the photo left, 7. and the signature under it; the field numbers 1.–5. and 9. printed in
/// light type on small dark tabs before upper-case values in a humanist sans; dates with the Italian month abbreviated
/// in lower case ("07 nov 1964"); 5. in dark red; a straw-to-grey tint with a halftone screen, contour lines and a
/// spiral. Back: the categories table transposed — categories across, in two tiers of columns, with rows 9. (category),
/// 10. (from), 11. (until) and 12. (codes) — then 13./14. and the authority.
/// </summary>
internal static class LicenceE
{
    private static readonly string[] Categories = ["AM", "A1", "A2", "A", "B1", "B", "C1", "C", "D1", "D", "BE", "C1E", "CE", "D1E", "DE"];
    private static readonly HashSet<string> Held = ["AM", "B1", "B"];
    private static readonly SKColor Aubergine = Rgb(0x3B1F3F);

    public static void Draw(Sketch s, string side)
    {
        var p = s.Person; var f = s.Fields;
        s.Gradient(Rgb(0xF5F1DF), Rgb(0xE0E7F0));
        s.Halftone(s.W * 0.15f, s.H * 0.95f, 40, 0.75f, Rgb(0xE6DCC4));
        s.Contours(Rgb(0xDCD5E4), 0.6f, 10);
        s.Spiral(s.W * 0.7f, s.H * 0.55f, 0.8f, 20, Rgb(0xE1D2C8));
        s.Tilt(0.4);
        var ink = s.Density(0.74);
        var value = Print.Ink(Rgb(0x17141A), ink);
        if (side == "front")
        {
            var band = s.J(9.4, 0.25);
            s.Band(-1, -1, s.W + 2, band + 1, Aubergine);
            s.EuBlock(s.J(2.8, 0.2), s.J(1.1, 0.15), 9.2f, band - 2.2f, "I", FacesE.CabinBold);
            s.Spaced("PATENTE DI GUIDA", s.J(14.5, 0.3), s.J(5.0, 0.2), FacesE.CabinBold, s.Z(2.5), Rgb(0xF6ECF3), 0.2f);
            s.Spaced("REPUBBLICA ITALIANA", s.J(14.5, 0.3), s.J(7.9, 0.2), FacesE.Cabin, s.Z(1.25), Rgb(0xCDB5CC), 0.3f);

            s.Photo(3.2f, 12.4f, 20.5f, 25.5f, Rgb(0xE8E7EA), greyscale: true);
            Tab(s, 3.2f, 43.6f, "7.");
            s.Signature(s.J(8.5, 0.4), s.J(38.6, 0.4), 17, 8, Print.Ink(Rgb(0x1A1F50), Math.Min(1, ink + 0.15f)));

            var x = s.J(26.5, 0.3);
            Numbered(s, x, 14.4f, "1.", f.Surname, value, 54);
            Numbered(s, x, 18.9f, "2.", f.GivenNames, value, 54);
            Numbered(s, x, 23.4f, "3.", $"{PrintE.ItalianLower(f.BirthDate)} {p.BirthPlace.ToUpperInvariant()} ({p.BirthProvince})", value, 54);
            Numbered(s, x, 27.9f, "4a.", PrintE.ItalianLower(f.IssueDate), value, 20);
            Numbered(s, x + 27, 27.9f, "4c.", f.IssuedBy, value, 22);
            Numbered(s, x, 32.4f, "4b.", PrintE.ItalianLower(f.ExpiryDate), value, 20);
            Numbered(s, x, 37.4f, "5.", f.DocumentNumber, Print.Ink(Rgb(0x8E1B2E), ink), 40, 2.6f);
            Numbered(s, x, 45.2f, "9.", string.Join("  ", Categories.Where(Held.Contains)), value, 30);
            s.Spaced("PATENTE · DRIVING LICENCE · PERMIS DE CONDUIRE", s.J(x, 0.3), s.J(s.H - 3.0, 0.2), FacesE.Cabin, 0.9f, Rgb(0x8A7A8E), 0.12f);
        }
        else
        {
            var lines = Rgb(0x6E5A72);
            var left = s.J(10.5, 0.3);
            var top = s.J(3.2, 0.3);
            var y = Tier(s, f, Categories[..8], left, top, lines, value);
            y = Tier(s, f, Categories[8..], left, y + 2.2f, lines, value);
            var codes = Signatures.Fnv("licence-e:" + f.DocumentNumber) % 3 == 0 ? "01.01" : "—";
            Tab(s, 3, y + 4.2f, "12.");
            s.Text(codes, s.J(left + 1, 0.2), s.J(y + 4.2, 0.2), FacesE.CabinMedium, 1.7f, value);
            Tab(s, 34, y + 4.2f, "13.");
            Tab(s, 52, y + 4.2f, "14.");
            s.Text($"{s.Rng.Next(10, 99)}{(char)('A' + s.Rng.Next(26))}{s.Rng.Next(100000, 999999)}", s.J(58, 0.2), s.J(y + 4.2, 0.2), FacesE.Cabin, 1.5f, value);
            s.Spaced("MINISTERO DELLE INFRASTRUTTURE E DEI TRASPORTI", s.J(3, 0.3), s.J(s.H - 2.6, 0.2), FacesE.CabinMedium, 1.05f, Aubergine, 0.1f);
        }
    }

    /// <summary>One tier of the transposed table: a column per category, rows 9. (code), 10. (from), 11. (until).
    /// Returns the y under it.</summary>
    private static float Tier(Sketch s, DocumentFields f, string[] cats, float left, float top, SKColor lines, SKColor value)
    {
        const float colW = 9.1f, rowH = 4.4f;
        var right = left + 8 * colW;
        string[] heads = ["9.", "10.", "11."];
        for (var r = 0; r < 3; r++)
            Tab(s, 3, top + r * rowH + 3.1f, heads[r]);
        for (var r = 0; r <= 3; r++) s.Line(left, top + r * rowH, right, top + r * rowH, lines, 0.07f);
        for (var c = 0; c <= 8; c++) s.Line(left + c * colW, top, left + c * colW, top + 3 * rowH, lines, 0.07f);
        for (var c = 0; c < cats.Length; c++)
        {
            var cx = left + c * colW + colW / 2;
            s.Text(cats[c], cx, top + 3.2f, FacesE.CabinBold, 2.0f, value, SKTextAlign.Center);
            if (!Held.Contains(cats[c])) continue;
            s.Text(PrintE.ItalianLower(Since(f, cats[c])), cx, top + rowH + 2.9f, FacesE.Cabin, 1.3f, value, SKTextAlign.Center, colW - 0.6f);
            s.Text(PrintE.ItalianLower(f.ExpiryDate), cx, top + 2 * rowH + 2.9f, FacesE.Cabin, 1.3f, value, SKTextAlign.Center, colW - 0.6f);
        }
        return top + 3 * rowH;
    }

    private static DateOnly Since(DocumentFields f, string cat) =>
        f.BirthDate.AddYears(cat == "AM" ? 14 : 18).AddDays(45 + (int)(Signatures.Fnv("e:" + cat + f.DocumentNumber) % 280));

    /// <summary>A field number in light type on a small dark tab. Returns the tab's right edge.</summary>
    private static float Tab(Sketch s, float x, float baseline, string number)
    {
        const float size = 1.45f;
        using var font = new SKFont(FacesE.CabinBold, size);
        var w = font.MeasureText(number) + 0.9f;
        var tx = s.J(x, 0.15); var ty = s.J(baseline, 0.15);
        using var paint = new SKPaint { Color = Aubergine, IsAntialias = true };
        s.Canvas.DrawRoundRect(tx, ty - size * 1.0f, w, size * 1.35f, 0.35f, 0.35f, paint);
        s.Text(number, tx + 0.45f, ty, FacesE.CabinBold, size, Rgb(0xF7EEF5));
        return tx + w;
    }

    private static void Numbered(Sketch s, float x, float y, string number, string value, SKColor color, float maxWidth, float sizeMm = 2.05f)
    {
        var right = Tab(s, x, y, number);
        s.Text(value, right + 1.0f, s.J(y, 0.1), FacesE.CabinSemiBold, s.Z(sizeMm), color, maxWidth: maxWidth);
    }
}
