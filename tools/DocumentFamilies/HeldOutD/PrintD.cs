using System.Globalization;
using SkiaSharp;
using static VerifyPipeline.DocumentFamilies.Sketch;

namespace VerifyPipeline.DocumentFamilies;

/// <summary>
/// Typefaces of the held-out <c>-d</c> families, from Debian packages no other family, nor the corpus generator, nor the
/// form uses: Roboto (fonts-roboto-unhinted), Linux Libertine and Biolinum (fonts-linuxlibertine), Carlito and Caladea
/// (fonts-crosextra-carlito, fonts-crosextra-caladea), Courier Prime (fonts-courier-prime), EB Garamond
/// (fonts-ebgaramond) and Dancing Script (fonts-dancingscript). A class of its own, loaded on first use, so the other
/// families still draw on a machine without these packages.
/// </summary>
internal static class FacesD
{
    private const string Roboto = "/usr/share/fonts/truetype/roboto/unhinted/", Lin = "/usr/share/fonts/opentype/linux-libertine/",
        Cros = "/usr/share/fonts/truetype/crosextra/", Prime = "/usr/share/fonts/opentype/courier-prime/",
        GaramondDir = "/usr/share/fonts/opentype/ebgaramond/", Dancing = "/usr/share/fonts/opentype/dancingscript/";

    public static readonly SKTypeface RobotoCondLight = Load(Roboto + "RobotoCondensed-Light.ttf", "fonts-roboto-unhinted");
    public static readonly SKTypeface RobotoCondItalic = Load(Roboto + "RobotoCondensed-LightItalic.ttf", "fonts-roboto-unhinted");
    public static readonly SKTypeface RobotoCondBold = Load(Roboto + "RobotoCondensed-Bold.ttf", "fonts-roboto-unhinted");
    public static readonly SKTypeface RobotoMedium = Load(Roboto + "RobotoTTF/Roboto-Medium.ttf", "fonts-roboto-unhinted");
    public static readonly SKTypeface RobotoBlack = Load(Roboto + "RobotoTTF/Roboto-Black.ttf", "fonts-roboto-unhinted");
    public static readonly SKTypeface RobotoLight = Load(Roboto + "RobotoTTF/Roboto-Light.ttf", "fonts-roboto-unhinted");
    public static readonly SKTypeface Libertine = Load(Lin + "LinLibertine_R.otf", "fonts-linuxlibertine");
    public static readonly SKTypeface LibertineItalic = Load(Lin + "LinLibertine_RI.otf", "fonts-linuxlibertine");
    public static readonly SKTypeface LibertineBold = Load(Lin + "LinLibertine_RB.otf", "fonts-linuxlibertine");
    public static readonly SKTypeface Biolinum = Load(Lin + "LinBiolinum_R.otf", "fonts-linuxlibertine");
    public static readonly SKTypeface BiolinumBold = Load(Lin + "LinBiolinum_RB.otf", "fonts-linuxlibertine");
    public static readonly SKTypeface Carlito = Load(Cros + "Carlito-Regular.ttf", "fonts-crosextra-carlito");
    public static readonly SKTypeface CarlitoBold = Load(Cros + "Carlito-Bold.ttf", "fonts-crosextra-carlito");
    public static readonly SKTypeface CarlitoItalic = Load(Cros + "Carlito-Italic.ttf", "fonts-crosextra-carlito");
    public static readonly SKTypeface CaladeaBold = Load(Cros + "Caladea-Bold.ttf", "fonts-crosextra-caladea");
    public static readonly SKTypeface CaladeaItalic = Load(Cros + "Caladea-Italic.ttf", "fonts-crosextra-caladea");
    public static readonly SKTypeface Typewriter = Load(Prime + "Courier Prime.otf", "fonts-courier-prime");
    public static readonly SKTypeface TypewriterBold = Load(Prime + "Courier Prime Bold.otf", "fonts-courier-prime");
    public static readonly SKTypeface Garamond = Load(GaramondDir + "EBGaramond12-Regular.otf", "fonts-ebgaramond");
    public static readonly SKTypeface GaramondItalic = Load(GaramondDir + "EBGaramond12-Italic.otf", "fonts-ebgaramond");
    public static readonly SKTypeface GaramondBold = Load(GaramondDir + "EBGaramond12-Bold.otf", "fonts-ebgaramond");
    public static readonly SKTypeface Hand = Load(Dancing + "DancingScript-Regular.otf", "fonts-dancingscript");

    private static SKTypeface Load(string path, string package) =>
        File.Exists(path) && SKTypeface.FromFile(path) is { } t
            ? t
            : throw new FileNotFoundException($"font {path} is missing: run scripts/setup.sh ({package})", path);
}

/// <summary>Security backgrounds, marks and date formats of the <c>-d</c> families, unlike those of every other family.</summary>
internal static class PrintD
{
    private static readonly string[] MonthsEnFr =
        ["JAN/JAN", "FEB/FÉV", "MAR/MARS", "APR/AVR", "MAY/MAI", "JUN/JUIN", "JUL/JUIL", "AUG/AOÛT", "SEP/SEPT", "OCT/OCT", "NOV/NOV", "DEC/DÉC"];

    private static readonly string[] MonthsItLong =
        ["GENNAIO", "FEBBRAIO", "MARZO", "APRILE", "MAGGIO", "GIUGNO", "LUGLIO", "AGOSTO", "SETTEMBRE", "OTTOBRE", "NOVEMBRE", "DICEMBRE"];

    /// <summary>"07 11 1964": day, month and year apart, as several ID-1 cards print them.</summary>
    public static string Spaced(DateOnly d) => d.ToString("dd MM yyyy", CultureInfo.InvariantCulture);

    /// <summary>"07 NOV/NOV 1964": the month in English and French.</summary>
    public static string EnFr(DateOnly d) => $"{d.Day:00} {MonthsEnFr[d.Month - 1]} {d.Year}";

    /// <summary>"07.11.64": two-digit years, as Italian licences print them.</summary>
    public static string ShortDots(DateOnly d) => d.ToString("dd.MM.yy", CultureInfo.InvariantCulture);

    /// <summary>"7 NOVEMBRE 1964": the month in words, as a municipal clerk types it.</summary>
    public static string Words(DateOnly d) => $"{d.Day} {MonthsItLong[d.Month - 1]} {d.Year}";

    /// <summary>Straight lines fanning out from a point off the card: a sunburst.</summary>
    public static void Sunburst(this Sketch s, float cx, float cy, int rays, SKColor c, float strokeMm = 0.06f)
    {
        var r = Math.Max(s.W, s.H) * 2;
        var phase = s.Rng.NextDouble() * Math.PI / rays;
        for (var i = 0; i < rays; i++)
        {
            var a = phase + i * Math.PI * 2 / rays;
            s.Line(cx, cy, cx + (float)(r * Math.Cos(a)), cy + (float)(r * Math.Sin(a)), c, strokeMm);
        }
    }

    /// <summary>Hypotrochoid loops (a spirograph figure) about a centre: a rosette of another construction than
    /// <see cref="Sketch.Rosette"/>.</summary>
    public static void Spirograph(this Sketch s, float cx, float cy, float big, float small, float pen, SKColor c, int turns = 12, float strokeMm = 0.06f)
    {
        using var p = new SKPaint { Color = c, Style = SKPaintStyle.Stroke, StrokeWidth = strokeMm, IsAntialias = true };
        using var pb = new SKPathBuilder();
        for (var t = 0.0; t <= Math.PI * 2 * turns; t += 0.01)
        {
            var x = cx + (big - small) * Math.Cos(t) + pen * Math.Cos((big - small) / small * t);
            var y = cy + (big - small) * Math.Sin(t) - pen * Math.Sin((big - small) / small * t);
            if (t == 0) pb.MoveTo((float)x, (float)y); else pb.LineTo((float)x, (float)y);
        }
        using var path = pb.Detach();
        s.Canvas.DrawPath(path, p);
    }

    /// <summary>Horizontal hair lines bent upward over a disc: the line-relief (intaglio-like) plate of passports.</summary>
    public static void Relief(this Sketch s, float cx, float cy, float radius, float pitchMm, SKColor c)
    {
        using var p = new SKPaint { Color = c, Style = SKPaintStyle.Stroke, StrokeWidth = 0.06f, IsAntialias = true };
        for (var y = 0f; y < s.H; y += pitchMm)
        {
            using var pb = new SKPathBuilder();
            for (var x = 0f; x <= s.W; x += 0.4f)
            {
                var d = Math.Sqrt((x - cx) * (x - cx) + (y - cy) * (y - cy));
                var bump = d < radius ? 0.9 * Math.Cos(d / radius * Math.PI / 2) * Math.Sin(d * 1.3) : 0;
                if (x == 0) pb.MoveTo(x, (float)(y - bump)); else pb.LineTo(x, (float)(y - bump));
            }
            using var path = pb.Detach();
            s.Canvas.DrawPath(path, p);
        }
    }

    /// <summary>Old paper: small fibres and specks scattered over the sheet, and edges yellowed towards the border.</summary>
    public static void AgedPaper(this Sketch s, SKColor fibre, int count)
    {
        for (var i = 0; i < count; i++)
        {
            var x = (float)(s.Rng.NextDouble() * s.W); var y = (float)(s.Rng.NextDouble() * s.H);
            var a = s.Rng.NextDouble() * Math.PI;
            var len = (float)(0.3 + s.Rng.NextDouble() * 1.6);
            s.Line(x, y, x + len * (float)Math.Cos(a), y + len * (float)Math.Sin(a), fibre, 0.05f);
        }
        using var shader = SKShader.CreateRadialGradient(new SKPoint(s.W / 2, s.H / 2), Math.Max(s.W, s.H) * 0.62f,
            [SKColors.Transparent, new SKColor(150, 120, 60, 40)], [0.7f, 1f], SKShaderTileMode.Clamp);
        using var paint = new SKPaint { Shader = shader };
        s.Canvas.DrawRect(0, 0, s.W, s.H, paint);
    }

    /// <summary>A portrait printed as a line screen (horizontal bands), faint: the laser-engraved second image of a card.</summary>
    public static void LineGhost(this Sketch s, float x, float y, float w, float h, SKColor backdrop, SKColor screen)
    {
        s.Photo(x, y, w, h, backdrop, greyscale: true);
        s.Band(x - 0.3f, y - 0.3f, w + 0.6f, h + 0.6f, backdrop.WithAlpha(150));
        for (var yy = y; yy < y + h; yy += 0.35f) s.Line(x - 0.3f, yy, x + w + 0.3f, yy, screen, 0.14f);
    }

    /// <summary>A dry seal embossed over a photo's corner: a ring of raised dots and a darker rim, no ink.</summary>
    public static void DrySeal(this Sketch s, float cx, float cy, float r)
    {
        using var light = new SKPaint { Color = SKColors.White.WithAlpha(110), IsAntialias = true };
        using var dark = new SKPaint { Color = new SKColor(60, 60, 60, 70), Style = SKPaintStyle.Stroke, StrokeWidth = 0.18f, IsAntialias = true };
        s.Canvas.DrawCircle(cx, cy, r, dark);
        s.Canvas.DrawCircle(cx, cy, r * 0.66f, dark);
        for (var i = 0; i < 36; i++)
        {
            var a = i * Math.PI * 2 / 36;
            s.Canvas.DrawCircle(cx + (float)(r * 0.83 * Math.Cos(a)), cy + (float)(r * 0.83 * Math.Sin(a)), 0.28f, light);
        }
    }

    /// <summary>
    /// Text struck by a typewriter: each character on its own slightly wandering baseline, some lighter (a worn ribbon)
    /// and the odd one struck twice a hair apart. Returns the advance.
    /// </summary>
    public static float Typed(this Sketch s, string text, float x, float y, SKTypeface face, float sizeMm, SKColor ink, float wander = 0.12f)
    {
        using var font = new SKFont(face, sizeMm) { Subpixel = true, Hinting = SKFontHinting.None, LinearMetrics = true, Edging = SKFontEdging.Antialias };
        var advance = font.MeasureText("M");
        var cx = x;
        foreach (var ch in text)
        {
            var dy = (float)((s.Rng.NextDouble() * 2 - 1) * wander);
            var a = (byte)Math.Clamp(ink.Alpha * (0.7 + s.Rng.NextDouble() * 0.35), 60, 255);
            using var p = new SKPaint { Color = ink.WithAlpha(a), IsAntialias = true };
            s.Canvas.DrawText(ch.ToString(), cx, y + dy, SKTextAlign.Left, font, p);
            if (s.Rng.NextDouble() < 0.04)
                s.Canvas.DrawText(ch.ToString(), cx + 0.08f, y + dy + 0.05f, SKTextAlign.Left, font, p);
            cx += advance;
        }
        return cx - x;
    }

    /// <summary>Text written by hand with a pen: a script face, each word on its own slope and baseline.</summary>
    public static float Handwritten(this Sketch s, string text, float x, float y, float sizeMm, SKColor ink, float maxWidth = 0)
    {
        using var font = new SKFont(FacesD.Hand, sizeMm) { Subpixel = true, Hinting = SKFontHinting.None, LinearMetrics = true, Edging = SKFontEdging.Antialias };
        var words = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var space = font.MeasureText(" ") * 1.3f;
        var total = words.Sum(w => font.MeasureText(w)) + space * Math.Max(0, words.Length - 1);
        var squeeze = maxWidth > 0 && total > maxWidth ? maxWidth / total : 1f;
        font.ScaleX = squeeze;
        using var p = new SKPaint { Color = ink, IsAntialias = true };
        var cx = x;
        foreach (var w in words)
        {
            s.Canvas.Save();
            var dy = (float)((s.Rng.NextDouble() * 2 - 1) * 0.35);
            s.Canvas.RotateDegrees((float)((s.Rng.NextDouble() * 2 - 1) * 2.5), cx, y);
            s.Canvas.DrawText(w, cx, y + dy, SKTextAlign.Left, font, p);
            s.Canvas.Restore();
            cx += font.MeasureText(w) + space * squeeze;
        }
        return cx - x;
    }

    /// <summary>A line of microprint in <paramref name="face"/> repeated across the width.</summary>
    public static void Micro(this Sketch s, string text, float x0, float x1, float y, SKTypeface face, SKColor c, float sizeMm = 0.5f)
    {
        var line = string.Concat(Enumerable.Repeat(text + " ", 1 + (int)((x1 - x0) / Math.Max(1, text.Length * sizeMm * 0.45))));
        s.Text(line, x0, y, face, sizeMm, c, maxWidth: x1 - x0);
    }

    /// <summary>The EU emblem of a licence: a blue field, a ring of twelve stars (five-pointed), the distinguishing
    /// sign in <paramref name="face"/>.</summary>
    public static void Emblem(this Sketch s, float x, float y, float w, float h, string code, SKTypeface face)
    {
        s.Band(x, y, w, h, Rgb(0x0B3C8C));
        using var star = new SKPaint { Color = Rgb(0xFFD42A), IsAntialias = true };
        var cx = x + w / 2; var cy = y + h * 0.38f; var r = Math.Min(w, h) * 0.27f; var sr = Math.Min(w, h) * 0.06f;
        for (var i = 0; i < 12; i++)
        {
            var a = i * Math.PI / 6;
            using var pb = new SKPathBuilder();
            for (var k = 0; k < 10; k++)
            {
                var t = -Math.PI / 2 + k * Math.PI / 5;
                var rr = k % 2 == 0 ? sr : sr * 0.42;
                var pt = new SKPoint(cx + r * (float)Math.Cos(a) + (float)(rr * Math.Cos(t)), cy + r * (float)Math.Sin(a) + (float)(rr * Math.Sin(t)));
                if (k == 0) pb.MoveTo(pt); else pb.LineTo(pt);
            }
            pb.Close();
            using var path = pb.Detach();
            s.Canvas.DrawPath(path, star);
        }
        s.Text(code, cx, y + h * 0.95f, face, h * 0.32f, SKColors.White, SKTextAlign.Center);
    }

    /// <summary>A rubber stamp in <paramref name="face"/>: two rings, the text round the outer one, a star inside.</summary>
    public static void RoundStamp(this Sketch s, float cx, float cy, float r, SKColor c, string text, SKTypeface face)
    {
        var ink = c.WithAlpha((byte)s.Rng.Next(120, 190));
        using var p = new SKPaint { Color = ink, Style = SKPaintStyle.Stroke, StrokeWidth = 0.22f, IsAntialias = true };
        s.Canvas.DrawCircle(cx, cy, r, p);
        s.Canvas.DrawCircle(cx, cy, r * 0.62f, p);
        using var font = new SKFont(face, r * 0.26f) { Subpixel = true, LinearMetrics = true, Edging = SKFontEdging.Antialias };
        using var fill = new SKPaint { Color = ink, IsAntialias = true };
        var chars = text.ToUpperInvariant();
        var step = Math.Min(Math.PI * 1.8 / Math.Max(1, chars.Length), 0.32);
        var start = -Math.PI / 2 - step * (chars.Length - 1) / 2;
        for (var i = 0; i < chars.Length; i++)
        {
            var a = start + i * step;
            s.Canvas.Save();
            s.Canvas.Translate(cx + (float)(r * 0.8 * Math.Cos(a)), cy + (float)(r * 0.8 * Math.Sin(a)));
            s.Canvas.RotateDegrees((float)(a * 180 / Math.PI + 90));
            s.Canvas.DrawText(chars[i].ToString(), 0, r * 0.09f, SKTextAlign.Center, font, fill);
            s.Canvas.Restore();
        }
        using var pb = new SKPathBuilder();
        for (var k = 0; k < 10; k++)
        {
            var t = -Math.PI / 2 + k * Math.PI / 5;
            var rr = k % 2 == 0 ? r * 0.45 : r * 0.18;
            var pt = new SKPoint(cx + (float)(rr * Math.Cos(t)), cy + (float)(rr * Math.Sin(t)));
            if (k == 0) pb.MoveTo(pt); else pb.LineTo(pt);
        }
        pb.Close();
        using var path = pb.Detach();
        s.Canvas.DrawPath(path, fill);
    }
}
