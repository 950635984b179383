using System.Globalization;
using SkiaSharp;
using static VerifyPipeline.DocumentFamilies.Sketch;

namespace VerifyPipeline.DocumentFamilies;

/// <summary>
/// Typefaces of the held-out <c>-e</c> families, from Debian packages no other family, nor the corpus generator, nor the
/// form uses: Open Sans (fonts-open-sans), Lato (fonts-lato), Charis SIL (fonts-sil-charis), Cabin (fonts-cabin),
/// Inconsolata (fonts-inconsolata) and Gentium Basic (fonts-sil-gentium-basic). A class of its own, loaded on first use,
/// so the other families still draw on a machine without these packages.
/// </summary>
internal static class FacesE
{
    private const string Open = "/usr/share/fonts/truetype/open-sans/", LatoDir = "/usr/share/fonts/truetype/lato/",
        CharisDir = "/usr/share/fonts/truetype/charis/", CabinDir = "/usr/share/fonts/opentype/cabin/",
        Incon = "/usr/share/fonts/truetype/inconsolata/", GentiumDir = "/usr/share/fonts/truetype/gentium-basic/";

    public static readonly SKTypeface OpenLight = Load(Open + "OpenSans-Light.ttf", "fonts-open-sans");
    public static readonly SKTypeface OpenLightItalic = Load(Open + "OpenSans-LightItalic.ttf", "fonts-open-sans");
    public static readonly SKTypeface OpenRegular = Load(Open + "OpenSans-Regular.ttf", "fonts-open-sans");
    public static readonly SKTypeface OpenSemibold = Load(Open + "OpenSans-Semibold.ttf", "fonts-open-sans");
    public static readonly SKTypeface OpenExtraBold = Load(Open + "OpenSans-ExtraBold.ttf", "fonts-open-sans");
    public static readonly SKTypeface OpenCondBold = Load(Open + "OpenSans-CondBold.ttf", "fonts-open-sans");
    public static readonly SKTypeface LatoLight = Load(LatoDir + "Lato-Light.ttf", "fonts-lato");
    public static readonly SKTypeface LatoMedium = Load(LatoDir + "Lato-Medium.ttf", "fonts-lato");
    public static readonly SKTypeface LatoItalic = Load(LatoDir + "Lato-Italic.ttf", "fonts-lato");
    public static readonly SKTypeface LatoBlack = Load(LatoDir + "Lato-Black.ttf", "fonts-lato");
    public static readonly SKTypeface Charis = Load(CharisDir + "CharisSIL-Regular.ttf", "fonts-sil-charis");
    public static readonly SKTypeface CharisBold = Load(CharisDir + "CharisSIL-Bold.ttf", "fonts-sil-charis");
    public static readonly SKTypeface CharisItalic = Load(CharisDir + "CharisSIL-Italic.ttf", "fonts-sil-charis");
    public static readonly SKTypeface Cabin = Load(CabinDir + "Cabin-Regular.otf", "fonts-cabin");
    public static readonly SKTypeface CabinMedium = Load(CabinDir + "Cabin-Medium.otf", "fonts-cabin");
    public static readonly SKTypeface CabinSemiBold = Load(CabinDir + "Cabin-SemiBold.otf", "fonts-cabin");
    public static readonly SKTypeface CabinBold = Load(CabinDir + "Cabin-Bold.otf", "fonts-cabin");
    public static readonly SKTypeface CabinItalic = Load(CabinDir + "Cabin-Italic.otf", "fonts-cabin");
    public static readonly SKTypeface Inconsolata = Load(Incon + "Inconsolata.otf", "fonts-inconsolata");
    public static readonly SKTypeface Gentium = Load(GentiumDir + "GenBasR.ttf", "fonts-sil-gentium-basic");
    public static readonly SKTypeface GentiumItalic = Load(GentiumDir + "GenBasI.ttf", "fonts-sil-gentium-basic");
    public static readonly SKTypeface GentiumBold = Load(GentiumDir + "GenBasB.ttf", "fonts-sil-gentium-basic");

    private static SKTypeface Load(string path, string package) =>
        File.Exists(path) && SKTypeface.FromFile(path) is { } t
            ? t
            : throw new FileNotFoundException($"font {path} is missing: run scripts/setup.sh ({package})", path);
}

/// <summary>Date formats, lettering and security backgrounds of the <c>-e</c> families, unlike those of every other
/// family.</summary>
internal static class PrintE
{
    private static readonly string[] MonthsEn = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];
    private static readonly string[] MonthsItLower = ["gen", "feb", "mar", "apr", "mag", "giu", "lug", "ago", "set", "ott", "nov", "dic"];
    private static readonly string[] Roman = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"];

    /// <summary>"1964-11-07": ISO 8601, year first.</summary>
    public static string Iso(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>"07/NOV/1964": the English month between slashes.</summary>
    public static string SlashMonth(DateOnly d) => $"{d.Day:00}/{MonthsEn[d.Month - 1]}/{d.Year}";

    /// <summary>"07 nov 1964": the Italian month abbreviated in lower case.</summary>
    public static string ItalianLower(DateOnly d) => $"{d.Day:00} {MonthsItLower[d.Month - 1]} {d.Year}";

    /// <summary>"07.XI.1964": the month in Roman numerals, as municipal registers write it.</summary>
    public static string RomanMonth(DateOnly d) => $"{d.Day:00}.{Roman[d.Month - 1]}.{d.Year}";

    /// <summary>Small capitals: capitals, digits and signs at the cap size, lower-case letters as capitals at 78 %.
    /// Returns the width; <paramref name="alignRight"/> puts the text's end at <paramref name="x"/>.</summary>
    public static float SmallCaps(this Sketch s, string text, float x, float y, SKTypeface face, float sizeMm, SKColor c,
        bool alignRight = false, float tracking = 0.04f)
    {
        using var big = new SKFont(face, sizeMm) { Subpixel = true, Hinting = SKFontHinting.None, LinearMetrics = true, Edging = SKFontEdging.Antialias };
        using var small = new SKFont(face, sizeMm * 0.78f) { Subpixel = true, Hinting = SKFontHinting.None, LinearMetrics = true, Edging = SKFontEdging.Antialias };
        var runs = new List<(string Text, SKFont Font)>();
        foreach (var ch in text)
            runs.Add((char.ToUpperInvariant(ch).ToString(), char.IsUpper(ch) || !char.IsLetter(ch) ? big : small));
        var track = sizeMm * tracking;
        var width = runs.Sum(r => r.Font.MeasureText(r.Text) + track);
        using var p = new SKPaint { Color = c, IsAntialias = true };
        var cx = alignRight ? x - width : x;
        foreach (var (t, f) in runs)
        {
            s.Canvas.DrawText(t, cx, y, SKTextAlign.Left, f, p);
            cx += f.MeasureText(t) + track;
        }
        return width;
    }

    /// <summary>Text with extra space between letters (letter-spaced titles). Returns the width.</summary>
    public static float Spaced(this Sketch s, string text, float x, float y, SKTypeface face, float sizeMm, SKColor c, float tracking = 0.25f,
        bool centre = false)
    {
        using var font = new SKFont(face, sizeMm) { Subpixel = true, Hinting = SKFontHinting.None, LinearMetrics = true, Edging = SKFontEdging.Antialias };
        var track = sizeMm * tracking;
        var width = text.Sum(ch => font.MeasureText(ch.ToString()) + track) - track;
        using var p = new SKPaint { Color = c, IsAntialias = true };
        var cx = centre ? x - width / 2 : x;
        foreach (var ch in text)
        {
            s.Canvas.DrawText(ch.ToString(), cx, y, SKTextAlign.Left, font, p);
            cx += font.MeasureText(ch.ToString()) + track;
        }
        return width;
    }

    /// <summary>
    /// Text printed by a dot-matrix printer: the glyphs' outlines sampled on a grid of <paramref name="pitchMm"/> and
    /// struck as round dots, some lighter (the ribbon). Returns the width.
    /// </summary>
    public static float DotMatrix(this Sketch s, string text, float x, float y, SKTypeface face, float sizeMm, SKColor ink,
        float pitchMm = 0.2f, float maxWidth = 0)
    {
        using var font = new SKFont(face, sizeMm) { Subpixel = true, Hinting = SKFontHinting.None, LinearMetrics = true, Edging = SKFontEdging.Antialias };
        var width = font.MeasureText(text);
        if (maxWidth > 0 && width > maxWidth)
        {
            font.ScaleX = maxWidth / width;
            width = maxWidth;
        }
        using var path = font.GetTextPath(text, new SKPoint(x, y));
        var b = path.Bounds;
        using var p = new SKPaint { IsAntialias = true };
        var row = 0;
        for (var yy = b.Top - pitchMm; yy <= b.Bottom + pitchMm; yy += pitchMm, row++)
            for (var xx = b.Left - pitchMm + (row % 2) * pitchMm * 0.5f; xx <= b.Right + pitchMm; xx += pitchMm)
            {
                if (!path.Contains(xx, yy)) continue;
                p.Color = ink.WithAlpha((byte)Math.Clamp(ink.Alpha * (0.72 + s.Rng.NextDouble() * 0.3), 50, 255));
                s.Canvas.DrawCircle(xx, yy, pitchMm * 0.62f, p);
            }
        return width;
    }

    /// <summary>A number laser-perforated through the page: each glyph sampled on a grid and punched as a small hole
    /// (a lighter disc with a darker rim).</summary>
    public static void Perforated(this Sketch s, string text, float x, float y, SKTypeface face, float sizeMm, float pitchMm, SKColor paper)
    {
        using var font = new SKFont(face, sizeMm) { Subpixel = true, LinearMetrics = true };
        using var path = font.GetTextPath(text, new SKPoint(x, y));
        var b = path.Bounds;
        using var hole = new SKPaint { Color = paper, IsAntialias = true };
        using var rim = new SKPaint { Color = new SKColor(90, 80, 70, 120), Style = SKPaintStyle.Stroke, StrokeWidth = 0.05f, IsAntialias = true };
        for (var yy = b.Top; yy <= b.Bottom; yy += pitchMm)
            for (var xx = b.Left; xx <= b.Right; xx += pitchMm)
            {
                if (!path.Contains(xx, yy)) continue;
                s.Canvas.DrawCircle(xx, yy, pitchMm * 0.3f, hole);
                s.Canvas.DrawCircle(xx, yy, pitchMm * 0.3f, rim);
            }
    }

    /// <summary>An Archimedean spiral of hair line about a centre.</summary>
    public static void Spiral(this Sketch s, float cx, float cy, float pitchMm, float radius, SKColor c, float strokeMm = 0.06f)
    {
        using var p = new SKPaint { Color = c, Style = SKPaintStyle.Stroke, StrokeWidth = strokeMm, IsAntialias = true };
        using var pb = new SKPathBuilder();
        var phase = s.Rng.NextDouble() * Math.PI * 2;
        var turns = radius / pitchMm;
        var first = true;
        for (var t = 0.0; t <= Math.PI * 2 * turns; t += 0.04)
        {
            var r = pitchMm * t / (Math.PI * 2);
            var pt = new SKPoint(cx + (float)(r * Math.Cos(t + phase)), cy + (float)(r * Math.Sin(t + phase)));
            if (first) { pb.MoveTo(pt); first = false; } else pb.LineTo(pt);
        }
        using var path = pb.Detach();
        s.Canvas.DrawPath(path, p);
    }

    /// <summary>A Lissajous figure repeated a few times with a growing size: a knot of crossing loops.</summary>
    public static void Lissajous(this Sketch s, float cx, float cy, float ax, float ay, int a, int b, SKColor c, int copies = 6)
    {
        using var p = new SKPaint { Color = c, Style = SKPaintStyle.Stroke, StrokeWidth = 0.06f, IsAntialias = true };
        var delta = s.Rng.NextDouble() * Math.PI;
        for (var k = 0; k < copies; k++)
        {
            var f = 1 - k * 0.11f;
            using var pb = new SKPathBuilder();
            for (var t = 0.0; t <= Math.PI * 2 + 0.01; t += 0.005)
            {
                var pt = new SKPoint(cx + (float)(ax * f * Math.Sin(a * t + delta + k * 0.2)), cy + (float)(ay * f * Math.Sin(b * t)));
                if (t == 0) pb.MoveTo(pt); else pb.LineTo(pt);
            }
            using var path = pb.Detach();
            s.Canvas.DrawPath(path, p);
        }
    }

    /// <summary>A halftone screen: dots on a square grid growing towards (<paramref name="cx"/>, <paramref name="cy"/>).</summary>
    public static void Halftone(this Sketch s, float cx, float cy, float reach, float pitchMm, SKColor c)
    {
        using var p = new SKPaint { Color = c, IsAntialias = true };
        for (var y = pitchMm / 2; y < s.H; y += pitchMm)
            for (var x = pitchMm / 2; x < s.W; x += pitchMm)
            {
                var d = Math.Sqrt((x - cx) * (x - cx) + (y - cy) * (y - cy));
                var r = pitchMm * 0.45f * (float)Math.Max(0, 1 - d / reach);
                if (r > 0.02f) s.Canvas.DrawCircle(x, y, r, p);
            }
    }

    /// <summary>Topographic contour lines of a smooth random field (marching squares): a security background of
    /// another construction than sine guilloches.</summary>
    public static void Contours(this Sketch s, SKColor c, float cellMm = 0.6f, int levels = 14, float strokeMm = 0.06f)
    {
        var k = new double[6];
        for (var i = 0; i < k.Length; i++) k[i] = s.Rng.NextDouble() * Math.PI * 2;
        double F(float x, float y) =>
            Math.Sin(x / 9.0 + k[0]) + Math.Cos(y / 7.0 + k[1]) + 0.7 * Math.Sin((x + y) / 13.0 + k[2])
            + 0.5 * Math.Cos((x - 2 * y) / 11.0 + k[3]) + 0.3 * Math.Sin(x / 4.3 + k[4]) * Math.Cos(y / 5.1 + k[5]);
        var nx = (int)(s.W / cellMm) + 2; var ny = (int)(s.H / cellMm) + 2;
        var v = new double[nx, ny];
        for (var i = 0; i < nx; i++)
            for (var j = 0; j < ny; j++) v[i, j] = F(i * cellMm, j * cellMm);
        using var p = new SKPaint { Color = c, Style = SKPaintStyle.Stroke, StrokeWidth = strokeMm, IsAntialias = true };
        using var pb = new SKPathBuilder();
        for (var l = 0; l < levels; l++)
        {
            var level = -3.0 + 6.0 * (l + 0.5) / levels;
            for (var i = 0; i < nx - 1; i++)
                for (var j = 0; j < ny - 1; j++)
                {
                    var pts = new List<SKPoint>(4);
                    void Edge(int i0, int j0, int i1, int j1)
                    {
                        double a = v[i0, j0] - level, b = v[i1, j1] - level;
                        if ((a < 0) == (b < 0)) return;
                        var t = (float)(a / (a - b));
                        pts.Add(new SKPoint((i0 + (i1 - i0) * t) * cellMm, (j0 + (j1 - j0) * t) * cellMm));
                    }
                    Edge(i, j, i + 1, j); Edge(i + 1, j, i + 1, j + 1); Edge(i + 1, j + 1, i, j + 1); Edge(i, j + 1, i, j);
                    for (var q = 0; q + 1 < pts.Count; q += 2)
                    {
                        pb.MoveTo(pts[q]);
                        pb.LineTo(pts[q + 1]);
                    }
                }
        }
        using var path = pb.Detach();
        s.Canvas.DrawPath(path, p);
    }

    /// <summary>Zig-zag lines across the sheet: the chevron watermark of a municipal form.</summary>
    public static void Chevrons(this Sketch s, SKColor c, float pitchMm, float toothMm)
    {
        using var p = new SKPaint { Color = c, Style = SKPaintStyle.Stroke, StrokeWidth = 0.07f, IsAntialias = true };
        for (var y0 = -toothMm; y0 < s.H + toothMm; y0 += pitchMm)
        {
            using var pb = new SKPathBuilder();
            pb.MoveTo(0, y0);
            var up = true;
            for (var x = toothMm; x <= s.W + toothMm; x += toothMm, up = !up) pb.LineTo(x, y0 + (up ? -toothMm * 0.5f : 0));
            using var path = pb.Detach();
            s.Canvas.DrawPath(path, p);
        }
    }

    /// <summary>The EU emblem of the licence model: a blue field, twelve five-pointed stars, the distinguishing sign
    /// under them in <paramref name="face"/>.</summary>
    public static void EuBlock(this Sketch s, float x, float y, float w, float h, string code, SKTypeface face)
    {
        s.Band(x, y, w, h, Rgb(0x12409A));
        using var star = new SKPaint { Color = Rgb(0xF7CE2E), IsAntialias = true };
        var cx = x + w / 2; var cy = y + h * 0.4f; var r = Math.Min(w, h) * 0.28f;
        for (var i = 0; i < 12; i++)
        {
            var a = i * Math.PI / 6;
            StarPath(s, cx + r * (float)Math.Cos(a), cy + r * (float)Math.Sin(a), Math.Min(w, h) * 0.055f, star);
        }
        s.Text(code, cx, y + h * 0.96f, face, h * 0.3f, SKColors.White, SKTextAlign.Center);
    }

    public static void StarPath(Sketch s, float cx, float cy, float r, SKPaint paint, float inner = 0.4f)
    {
        using var pb = new SKPathBuilder();
        for (var k = 0; k < 10; k++)
        {
            var t = -Math.PI / 2 + k * Math.PI / 5;
            var rr = k % 2 == 0 ? r : r * inner;
            var pt = new SKPoint(cx + (float)(rr * Math.Cos(t)), cy + (float)(rr * Math.Sin(t)));
            if (k == 0) pb.MoveTo(pt); else pb.LineTo(pt);
        }
        pb.Close();
        using var path = pb.Detach();
        s.Canvas.DrawPath(path, paint);
    }

    /// <summary>Text set round a circle, centred on the top.</summary>
    public static void CircleText(this Sketch s, string text, float cx, float cy, float r, SKTypeface face, float sizeMm, SKColor c)
    {
        using var font = new SKFont(face, sizeMm) { Subpixel = true, LinearMetrics = true, Edging = SKFontEdging.Antialias };
        using var fill = new SKPaint { Color = c, IsAntialias = true };
        var step = Math.Min(Math.PI * 1.7 / Math.Max(1, text.Length), sizeMm * 0.95 / r);
        var start = -Math.PI / 2 - step * (text.Length - 1) / 2;
        for (var i = 0; i < text.Length; i++)
        {
            var a = start + i * step;
            s.Canvas.Save();
            s.Canvas.Translate(cx + (float)(r * Math.Cos(a)), cy + (float)(r * Math.Sin(a)));
            s.Canvas.RotateDegrees((float)(a * 180 / Math.PI + 90));
            s.Canvas.DrawText(text[i].ToString(), 0, sizeMm * 0.35f, SKTextAlign.Center, font, fill);
            s.Canvas.Restore();
        }
    }

    /// <summary>A rectangular rubber stamp with a double border and up to three centred lines, struck at an angle with
    /// uneven ink.</summary>
    public static void BoxStamp(this Sketch s, float cx, float cy, float w, float h, string[] lines, SKTypeface face, SKColor c, float angle)
    {
        var ink = c.WithAlpha((byte)s.Rng.Next(110, 185));
        s.Canvas.Save();
        s.Canvas.RotateDegrees(angle, cx, cy);
        using var p = new SKPaint { Color = ink, Style = SKPaintStyle.Stroke, StrokeWidth = 0.25f, IsAntialias = true };
        s.Canvas.DrawRoundRect(cx - w / 2, cy - h / 2, w, h, 0.8f, 0.8f, p);
        p.StrokeWidth = 0.1f;
        s.Canvas.DrawRoundRect(cx - w / 2 + 0.7f, cy - h / 2 + 0.7f, w - 1.4f, h - 1.4f, 0.5f, 0.5f, p);
        var size = Math.Min(h / (lines.Length + 1.9f), 2.0f);
        for (var i = 0; i < lines.Length; i++)
            s.Text(lines[i], cx, cy - h / 2 + 1.1f + size * (i + 1) * 1.15f, face, size, ink, SKTextAlign.Center, w - 2.4f);
        s.Canvas.Restore();
    }

    /// <summary>The contactless symbol of an eMRTD chip: four arcs growing to the right.</summary>
    public static void Contactless(this Sketch s, float x, float y, float size, SKColor c)
    {
        using var p = new SKPaint { Color = c, Style = SKPaintStyle.Stroke, StrokeWidth = size * 0.08f, IsAntialias = true, StrokeCap = SKStrokeCap.Round };
        for (var i = 1; i <= 4; i++)
        {
            var r = size * 0.22f * i;
            s.Canvas.DrawArc(new SKRect(x - r, y - r, x + r, y + r), -40, 80, false, p);
        }
    }
}
