using System.Globalization;
using SkiaSharp;

namespace VerifyPipeline.DocumentFamilies;

/// <summary>
/// Typefaces of the held-out families: the URW base 35 (Debian fonts-urw-base35), which none of the tuned families uses,
/// so the reader meets glyph shapes it has never seen on these documents. A class of its own so that the tuned families
/// still draw on a machine without the package.
/// </summary>
internal static class UrwFaces
{
    private const string Dir = "/usr/share/fonts/opentype/urw-base35/";

    public static readonly SKTypeface Gothic = Load("URWGothic-Book.otf");
    public static readonly SKTypeface GothicDemi = Load("URWGothic-Demi.otf");
    public static readonly SKTypeface GothicOblique = Load("URWGothic-BookOblique.otf");
    public static readonly SKTypeface Narrow = Load("NimbusSansNarrow-Regular.otf");
    public static readonly SKTypeface NarrowBold = Load("NimbusSansNarrow-Bold.otf");
    public static readonly SKTypeface NimbusSans = Load("NimbusSans-Regular.otf");
    public static readonly SKTypeface NimbusSansBold = Load("NimbusSans-Bold.otf");
    public static readonly SKTypeface Palladio = Load("P052-Roman.otf");
    public static readonly SKTypeface PalladioBold = Load("P052-Bold.otf");
    public static readonly SKTypeface PalladioItalic = Load("P052-Italic.otf");
    public static readonly SKTypeface Century = Load("C059-Roman.otf");
    public static readonly SKTypeface CenturyBold = Load("C059-Bold.otf");
    public static readonly SKTypeface CenturyItalic = Load("C059-Italic.otf");
    public static readonly SKTypeface Bookman = Load("URWBookman-Light.otf");
    public static readonly SKTypeface BookmanDemi = Load("URWBookman-Demi.otf");
    public static readonly SKTypeface BookmanItalic = Load("URWBookman-LightItalic.otf");
    public static readonly SKTypeface Courier = Load("NimbusMonoPS-Regular.otf");
    public static readonly SKTypeface CourierBold = Load("NimbusMonoPS-Bold.otf");

    private static SKTypeface Load(string file) =>
        File.Exists(Dir + file) && SKTypeface.FromFile(Dir + file) is { } t
            ? t
            : throw new FileNotFoundException($"font {Dir + file} is missing: run scripts/setup.sh (fonts-urw-base35)", Dir + file);
}

/// <summary>
/// What a printer and an issuing year vary on one layout, beyond <see cref="Sketch.J"/>: the print layer turned a
/// little against the card (registration), the ink laid lighter or heavier, security backgrounds of other motifs.
/// </summary>
internal static class Print
{
    private static readonly string[] MonthsIt = ["GEN", "FEB", "MAR", "APR", "MAG", "GIU", "LUG", "AGO", "SET", "OTT", "NOV", "DIC"];

    /// <summary>Turns everything drawn after it by up to ±<paramref name="maxDegrees"/> about the centre: a card
    /// printer's registration error, so the print is never exactly square to the card's edges.</summary>
    public static void Tilt(this Sketch s, double maxDegrees) =>
        s.Canvas.RotateDegrees((float)((s.Rng.NextDouble() * 2 - 1) * maxDegrees), s.W / 2, s.H / 2);

    /// <summary>A per-instance ink density in [lo, 1]: 1 is a full ribbon, lower a worn one.</summary>
    public static float Density(this Sketch s, double lo = 0.78) => (float)(lo + s.Rng.NextDouble() * (1 - lo));

    public static SKColor Ink(SKColor c, float density) => c.WithAlpha((byte)Math.Round(255 * Math.Clamp(density, 0, 1)));

    /// <summary>Two families of sine curves crossing at an angle: a woven guilloche.</summary>
    public static void WaveMesh(this Sketch s, SKColor c, int curves, double amplitudeMm, double periodMm, float angleDeg, double strokeMm = 0.07)
    {
        foreach (var a in new[] { angleDeg, -angleDeg })
        {
            s.Canvas.Save();
            s.Canvas.RotateDegrees(a, s.W / 2, s.H / 2);
            using var p = new SKPaint { Color = c, Style = SKPaintStyle.Stroke, StrokeWidth = (float)strokeMm, IsAntialias = true };
            var span = Math.Max(s.W, s.H) * 1.6;
            var phase = s.Rng.NextDouble() * Math.PI * 2;
            for (var i = 0; i < curves; i++)
            {
                using var pb = new SKPathBuilder();
                var y0 = s.H / 2 - span / 2 + span * (i + 0.5) / curves;
                for (var x = -span / 4; x <= s.W + span / 4; x += 0.6)
                {
                    var y = y0 + amplitudeMm * Math.Sin(x / periodMm * Math.PI * 2 + phase + i * 0.3);
                    if (x <= -span / 4) pb.MoveTo((float)x, (float)y); else pb.LineTo((float)x, (float)y);
                }
                using var path = pb.Detach();
                s.Canvas.DrawPath(path, p);
            }
            s.Canvas.Restore();
        }
    }

    /// <summary>Concentric rings whose radius ripples with the angle, centred off the card: the moiré of a banknote.</summary>
    public static void Rings(this Sketch s, float cx, float cy, float rMax, float stepMm, SKColor c, int ripples = 40)
    {
        using var p = new SKPaint { Color = c, Style = SKPaintStyle.Stroke, StrokeWidth = 0.07f, IsAntialias = true };
        var k = 0;
        for (var r = stepMm; r < rMax; r += stepMm, k++)
        {
            using var pb = new SKPathBuilder();
            for (var t = 0.0; t <= Math.PI * 2 + 0.005; t += 0.005)
            {
                var rr = r + 0.35 * Math.Sin(ripples * t + k * 0.5);
                var x = cx + rr * Math.Cos(t); var y = cy + rr * Math.Sin(t);
                if (t == 0) pb.MoveTo((float)x, (float)y); else pb.LineTo((float)x, (float)y);
            }
            using var path = pb.Detach();
            s.Canvas.DrawPath(path, p);
        }
    }

    /// <summary>Straight hair lines at an angle, the plain tint of a cheaper print.</summary>
    public static void Hatch(this Sketch s, SKColor c, float pitchMm, float angleDeg)
    {
        s.Canvas.Save();
        s.Canvas.RotateDegrees(angleDeg, s.W / 2, s.H / 2);
        var span = Math.Max(s.W, s.H) * 1.5f;
        for (var y = s.H / 2 - span / 2; y < s.H / 2 + span / 2; y += pitchMm)
            s.Line(s.W / 2 - span / 2, y, s.W / 2 + span / 2, y, c, 0.06f);
        s.Canvas.Restore();
    }

    /// <summary>A line of microprint repeated across the width: a security feature that reads as a grey rule when scanned.</summary>
    public static void Microtext(this Sketch s, string text, float x0, float x1, float y, SKColor c, float sizeMm = 0.55f)
    {
        var line = string.Concat(Enumerable.Repeat(text + " ", 1 + (int)((x1 - x0) / Math.Max(1, text.Length * sizeMm * 0.5))));
        s.Text(line, x0, y, Faces.Sans, sizeMm, c, maxWidth: x1 - x0);
    }

    /// <summary>The small second portrait of ID cards (the "ghost image"), printed faint.</summary>
    public static void Ghost(this Sketch s, float x, float y, float w, float h, SKColor tint)
    {
        s.Photo(x, y, w, h, tint, greyscale: true);
        s.Band(x - 0.8f, y - 0.8f, w + 1.6f, h + 1.6f, tint.WithAlpha(170));
    }

    public static string Dashes(DateOnly d) => d.ToString("dd-MM-yyyy", CultureInfo.InvariantCulture);

    public static string ItalianMonth(DateOnly d) => $"{d.Day:00} {MonthsIt[d.Month - 1]} {d.Year}";
}
