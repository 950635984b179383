using SkiaSharp;
using VerifyPipeline.Rules.Identity;

namespace VerifyPipeline.DocumentFamilies;

/// <summary>
/// Typefaces from the Debian packages the setup script installs (fonts-liberation2, fonts-dejavu-core, fonts-ocr-b):
/// only files those packages ship, so the drawings are the same on every machine of the project.
/// </summary>
internal static class Faces
{
    private const string Lib = "/usr/share/fonts/truetype/liberation2/", Dv = "/usr/share/fonts/truetype/dejavu/";

    public static readonly SKTypeface Sans = Load(Lib + "LiberationSans-Regular.ttf");
    public static readonly SKTypeface SansBold = Load(Lib + "LiberationSans-Bold.ttf");
    public static readonly SKTypeface SansItalic = Load(Lib + "LiberationSans-Italic.ttf");
    public static readonly SKTypeface Serif = Load(Lib + "LiberationSerif-Regular.ttf");
    public static readonly SKTypeface SerifBold = Load(Lib + "LiberationSerif-Bold.ttf");
    public static readonly SKTypeface SerifItalic = Load(Lib + "LiberationSerif-Italic.ttf");
    public static readonly SKTypeface Mono = Load(Lib + "LiberationMono-Regular.ttf");
    public static readonly SKTypeface MonoBold = Load(Lib + "LiberationMono-Bold.ttf");
    public static readonly SKTypeface DejaSans = Load(Dv + "DejaVuSans.ttf");
    public static readonly SKTypeface DejaSansBold = Load(Dv + "DejaVuSans-Bold.ttf");
    public static readonly SKTypeface DejaSerif = Load(Dv + "DejaVuSerif.ttf");
    public static readonly SKTypeface DejaSerifBold = Load(Dv + "DejaVuSerif-Bold.ttf");
    public static readonly SKTypeface DejaMono = Load(Dv + "DejaVuSansMono.ttf");
    public static readonly SKTypeface OcrB = Load("/usr/share/fonts/opentype/ocr-b/OCRB.otf");

    private static SKTypeface Load(string path) =>
        File.Exists(path) && SKTypeface.FromFile(path) is { } t
            ? t
            : throw new FileNotFoundException($"font {path} is missing: run scripts/setup.sh (fonts-liberation2, fonts-dejavu-core, fonts-ocr-b)", path);
}

/// <summary>How a label sits relative to its value.</summary>
internal enum LabelAt { Above, Left, Inline, Below }

/// <summary>
/// A canvas in millimetres of the document plus the instance's jitter. Every position and size a family asks for goes
/// through <see cref="J"/> or <see cref="Z"/>, so two instances of one family never share exact geometry.
/// </summary>
internal sealed class Sketch(SKCanvas canvas, Random rng, Person person, DocumentFields fields, double widthMm, double heightMm, int personSeed)
{
    public SKCanvas Canvas { get; } = canvas;
    public Random Rng { get; } = rng;
    public Person Person { get; } = person;
    public DocumentFields Fields { get; } = fields;
    public float W { get; } = (float)widthMm;
    public float H { get; } = (float)heightMm;

    /// <summary>A position jittered by up to ±<paramref name="mm"/>.</summary>
    public float J(double v, double mm = 0.6) => (float)(v + (Rng.NextDouble() * 2 - 1) * mm);

    /// <summary>A size jittered by up to ±6 %.</summary>
    public float Z(double v) => (float)(v * (0.94 + Rng.NextDouble() * 0.12));

    /// <summary>An MRZ character pitch within ±2 % of nominal, so 44 characters never overrun the page.</summary>
    public float Pitch(double nominal) => (float)(nominal * (0.98 + Rng.NextDouble() * 0.04));

    public static SKColor Rgb(uint rgb) => new((byte)(rgb >> 16), (byte)(rgb >> 8), (byte)rgb);

    // ---------- backgrounds ----------

    public void Fill(SKColor c)
    {
        using var p = new SKPaint { Color = c };
        Canvas.DrawRect(0, 0, W, H, p);
    }

    public void Gradient(SKColor a, SKColor b, bool vertical = false)
    {
        using var shader = SKShader.CreateLinearGradient(new SKPoint(0, 0), vertical ? new SKPoint(0, H) : new SKPoint(W, H * 0.3f),
            [a, b], SKShaderTileMode.Clamp);
        using var p = new SKPaint { Shader = shader };
        Canvas.DrawRect(0, 0, W, H, p);
    }

    public void RadialGlow(float cx, float cy, float r, SKColor centre)
    {
        using var shader = SKShader.CreateRadialGradient(new SKPoint(cx, cy), r, [centre, centre.WithAlpha(0)], SKShaderTileMode.Clamp);
        using var p = new SKPaint { Shader = shader };
        Canvas.DrawRect(0, 0, W, H, p);
    }

    /// <summary>Security-print look: families of phase-shifted sine curves (guilloche), drawn hair-thin.</summary>
    public void Guilloche(SKColor c, int curves, double amplitudeMm, double periodMm, double strokeMm = 0.08)
    {
        using var p = new SKPaint { Color = c, Style = SKPaintStyle.Stroke, StrokeWidth = (float)strokeMm, IsAntialias = true };
        var phase0 = Rng.NextDouble() * Math.PI * 2;
        for (var i = 0; i < curves; i++)
        {
            using var pb = new SKPathBuilder();
            var y0 = H * (i + 0.5) / curves;
            for (var x = 0.0; x <= W + 0.5; x += 0.5)
            {
                var y = y0 + amplitudeMm * Math.Sin(x / periodMm * Math.PI * 2 + phase0 + i * 0.45)
                           + amplitudeMm * 0.4 * Math.Sin(x / (periodMm * 0.37) + i * 0.9);
                if (x == 0) pb.MoveTo((float)x, (float)y); else pb.LineTo((float)x, (float)y);
            }
            using var path = pb.Detach();
            Canvas.DrawPath(path, p);
        }
    }

    /// <summary>A rosette of epicycloid-like loops, the other classic guilloche motif.</summary>
    public void Rosette(float cx, float cy, float r, SKColor c, int loops = 18)
    {
        using var p = new SKPaint { Color = c, Style = SKPaintStyle.Stroke, StrokeWidth = 0.07f, IsAntialias = true };
        for (var k = 0; k < 3; k++)
        {
            using var pb = new SKPathBuilder();
            var rr = r * (1 - k * 0.22);
            for (var t = 0.0; t <= Math.PI * 2 + 0.01; t += 0.01)
            {
                var rad = rr * (0.75 + 0.25 * Math.Cos(loops * t + k));
                var x = cx + rad * Math.Cos(t);
                var y = cy + rad * Math.Sin(t);
                if (t == 0) pb.MoveTo((float)x, (float)y); else pb.LineTo((float)x, (float)y);
            }
            using var path = pb.Detach();
            Canvas.DrawPath(path, p);
        }
    }

    public void Dots(SKColor c, double pitchMm)
    {
        using var p = new SKPaint { Color = c, IsAntialias = true };
        for (var y = pitchMm / 2; y < H; y += pitchMm)
            for (var x = pitchMm / 2 + (((int)(y / pitchMm)) % 2) * pitchMm / 2; x < W; x += pitchMm)
                Canvas.DrawCircle((float)x, (float)y, (float)(pitchMm * 0.12), p);
    }

    public void Band(float x, float y, float w, float h, SKColor c)
    {
        using var p = new SKPaint { Color = c, IsAntialias = true };
        Canvas.DrawRect(x, y, w, h, p);
    }

    public void Frame(float x, float y, float w, float h, SKColor c, float strokeMm = 0.2f, float radius = 0)
    {
        using var p = new SKPaint { Color = c, Style = SKPaintStyle.Stroke, StrokeWidth = strokeMm, IsAntialias = true };
        Canvas.DrawRoundRect(x, y, w, h, radius, radius, p);
    }

    public void Line(float x0, float y0, float x1, float y1, SKColor c, float strokeMm = 0.15f, bool dotted = false)
    {
        using var effect = dotted ? SKPathEffect.CreateDash([0.3f, 0.6f], 0) : null;
        using var p = new SKPaint { Color = c, Style = SKPaintStyle.Stroke, StrokeWidth = strokeMm, IsAntialias = true, PathEffect = effect };
        Canvas.DrawLine(x0, y0, x1, y1, p);
    }

    // ---------- text ----------

    /// <summary>Text with its baseline at <paramref name="y"/>; squeezed horizontally when it would pass
    /// <paramref name="maxWidth"/>, as card printers do with long names. Returns the drawn width.</summary>
    public float Text(string text, float x, float y, SKTypeface face, float sizeMm, SKColor color,
        SKTextAlign align = SKTextAlign.Left, float maxWidth = 0)
    {
        using var font = new SKFont(face, sizeMm) { Subpixel = true, Hinting = SKFontHinting.None, LinearMetrics = true, Edging = SKFontEdging.Antialias };
        using var p = new SKPaint { Color = color, IsAntialias = true };
        var width = font.MeasureText(text);
        if (maxWidth > 0 && width > maxWidth)
        {
            font.ScaleX = maxWidth / width;
            width = maxWidth;
        }
        Canvas.DrawText(text, x, y, align, font, p);
        return width;
    }

    public void Vertical(string text, float x, float y, SKTypeface face, float sizeMm, SKColor color)
    {
        Canvas.Save();
        Canvas.Translate(x, y);
        Canvas.RotateDegrees(-90);
        Text(text, 0, 0, face, sizeMm, color);
        Canvas.Restore();
    }

    /// <summary>A label and its value in one of the <see cref="LabelAt"/> arrangements. Returns the y below the pair.</summary>
    public float Field(float x, float y, string label, string value, LabelAt at, Style s, float maxWidth = 0)
    {
        var lx = J(x, 0.3);
        var ly = J(y, 0.25);
        switch (at)
        {
            case LabelAt.Above:
                Text(label, lx, ly + s.LabelMm, s.LabelFace, s.LabelMm, s.LabelColor, maxWidth: maxWidth);
                Text(value, lx, ly + s.LabelMm + 0.7f + s.ValueMm, s.ValueFace, s.ValueMm, s.ValueColor, maxWidth: maxWidth);
                return y + s.LabelMm + s.ValueMm + 1.4f;
            case LabelAt.Below:
                Text(value, lx, ly + s.ValueMm, s.ValueFace, s.ValueMm, s.ValueColor, maxWidth: maxWidth);
                Text(label, lx, ly + s.ValueMm + 0.6f + s.LabelMm, s.LabelFace, s.LabelMm, s.LabelColor, maxWidth: maxWidth);
                return y + s.LabelMm + s.ValueMm + 1.3f;
            case LabelAt.Left:
                Text(label, lx, ly + s.ValueMm, s.LabelFace, s.LabelMm, s.LabelColor, maxWidth: s.LabelColumnMm - 0.5f);
                Text(value, lx + s.LabelColumnMm, ly + s.ValueMm, s.ValueFace, s.ValueMm, s.ValueColor,
                    maxWidth: maxWidth > 0 ? maxWidth - s.LabelColumnMm : 0);
                return y + s.ValueMm + 1.2f;
            default:
                var lw = Text(label + " ", lx, ly + s.ValueMm, s.LabelFace, s.LabelMm, s.LabelColor);
                Text(value, lx + lw + 0.4f, ly + s.ValueMm, s.ValueFace, s.ValueMm, s.ValueColor,
                    maxWidth: maxWidth > 0 ? maxWidth - lw - 0.4f : 0);
                return y + s.ValueMm + 1.2f;
        }
    }

    // ---------- pictures ----------

    /// <summary>A neutral head-and-shoulders placeholder: no face, only the shapes a photo box has.</summary>
    public void Photo(float x, float y, float w, float h, SKColor backdrop, bool greyscale = false)
    {
        x = J(x, 0.3); y = J(y, 0.3);
        Canvas.Save();
        Canvas.ClipRect(new SKRect(x, y, x + w, y + h), antialias: true);
        using var bg = new SKPaint { Color = backdrop };
        Canvas.DrawRect(x, y, w, h, bg);
        var tone = greyscale ? new SKColor(110, 110, 110) : new SKColor((byte)Rng.Next(150, 215), (byte)Rng.Next(115, 170), (byte)Rng.Next(90, 140));
        var hair = greyscale ? new SKColor(50, 50, 50) : new SKColor((byte)Rng.Next(30, 120), (byte)Rng.Next(20, 80), (byte)Rng.Next(10, 50));
        var cloth = greyscale ? new SKColor(70, 70, 70) : new SKColor((byte)Rng.Next(20, 90), (byte)Rng.Next(20, 90), (byte)Rng.Next(40, 120));
        using var skin = new SKPaint { Color = tone, IsAntialias = true };
        using var hairP = new SKPaint { Color = hair, IsAntialias = true };
        using var clothP = new SKPaint { Color = cloth, IsAntialias = true };
        var cx = x + w / 2 + (float)(Rng.NextDouble() - 0.5) * w * 0.06f;
        Canvas.DrawOval(cx, y + h * 0.98f, w * 0.48f, h * 0.24f, clothP);
        Canvas.DrawRect(cx - w * 0.09f, y + h * 0.55f, w * 0.18f, h * 0.2f, skin);
        Canvas.DrawOval(cx, y + h * 0.36f, w * 0.25f, h * 0.23f, hairP);
        Canvas.DrawOval(cx, y + h * 0.42f, w * 0.21f, h * 0.22f, skin);
        Canvas.Restore();
    }

    /// <summary>
    /// The holder's signature: a cursive-like stroke whose shape depends on the name and the person's seed only, so the
    /// form and the document carry the same signature; <paramref name="wobble"/> varies it the way two signatures of
    /// one hand vary.
    /// </summary>
    public void Signature(float x, float y, float w, float h, SKColor ink, double wobble = 0.04) =>
        Signatures.Draw(Canvas, Person, personSeed, x, y, w, h, ink, Rng, wobble);

    public void Barcode(string text, float x, float y, float w, float h, SKColor color)
    {
        var modules = new ZXing.OneD.Code128Writer().encode(text);
        var m = w / modules.Length;
        using var p = new SKPaint { Color = color, IsAntialias = false };
        for (var i = 0; i < modules.Length; i++)
            if (modules[i]) Canvas.DrawRect(x + i * m, y, m, h, p);
    }

    /// <summary>MRZ in OCR-B at a fixed pitch per character (ICAO 9303-3 §4.3: 10 characters per 25.4 mm nominal),
    /// each glyph centred in its cell so the font's own advance does not change the line length.</summary>
    public void Mrz(IReadOnlyList<string> lines, float x, float y, float pitchMm, float lineGapMm, float sizeMm, SKColor color)
    {
        using var font = new SKFont(Faces.OcrB, sizeMm) { Subpixel = true, Hinting = SKFontHinting.None, LinearMetrics = true, Edging = SKFontEdging.Antialias };
        using var p = new SKPaint { Color = color, IsAntialias = true };
        for (var li = 0; li < lines.Count; li++)
            for (var ci = 0; ci < lines[li].Length; ci++)
                Canvas.DrawText(lines[li][ci].ToString(), x + (ci + 0.5f) * pitchMm, y + li * lineGapMm, SKTextAlign.Center, font, p);
    }

    /// <summary>The EU emblem as printed on licences: a blue rectangle, twelve stars, the country code.</summary>
    public void EuFlag(float x, float y, float w, float h, string code)
    {
        Band(x, y, w, h, Rgb(0x003399));
        using var star = new SKPaint { Color = Rgb(0xFFCC00), IsAntialias = true };
        var cx = x + w / 2; var cy = y + h * 0.4f; var r = Math.Min(w, h) * 0.28f;
        for (var i = 0; i < 12; i++)
        {
            var a = i * Math.PI / 6;
            Canvas.DrawCircle(cx + r * (float)Math.Cos(a), cy + r * (float)Math.Sin(a), Math.Min(w, h) * 0.045f, star);
        }
        Text(code, cx, y + h * 0.93f, Faces.SansBold, h * 0.3f, SKColors.White, SKTextAlign.Center);
    }

    public void Tricolore(float x, float y, float w, float h, bool vertical)
    {
        SKColor[] c = [Rgb(0x009246), SKColors.White, Rgb(0xCE2B37)];
        for (var i = 0; i < 3; i++)
            if (vertical) Band(x, y + i * h / 3, w, h / 3 + 0.01f, c[i]);
            else Band(x + i * w / 3, y, w / 3 + 0.01f, h, c[i]);
    }

    public void Stamp(float cx, float cy, float r, SKColor c, string text)
    {
        using var p = new SKPaint { Color = c.WithAlpha(150), Style = SKPaintStyle.Stroke, StrokeWidth = 0.25f, IsAntialias = true };
        Canvas.DrawCircle(cx, cy, r, p);
        Canvas.DrawCircle(cx, cy, r * 0.72f, p);
        Text(text, cx, cy + 0.6f, Faces.SansBold, r * 0.32f, c.WithAlpha(150), SKTextAlign.Center, r * 1.35f);
    }
}

/// <summary>Type sizes, faces and colours of labels and values in one family.</summary>
internal sealed record Style(
    SKTypeface LabelFace, float LabelMm, SKColor LabelColor, SKTypeface ValueFace, float ValueMm, SKColor ValueColor,
    float LabelColumnMm = 18);

/// <summary>ICAO 9303 machine readable zones built from the fields, with check digits from <see cref="Mrz.CheckDigit"/>.</summary>
internal static class MrzText
{
    /// <summary>ICAO 9303-3 §6: A–Z only; accented letters lose the accent; spaces and hyphens become fillers, apostrophes
    /// are omitted (D'AMBROSIO → DAMBROSIO).</summary>
    public static string Name(string s)
    {
        var sb = new System.Text.StringBuilder();
        foreach (var c in s.Normalize(System.Text.NormalizationForm.FormD).ToUpperInvariant())
        {
            if (c is >= 'A' and <= 'Z') sb.Append(c);
            else if (c is ' ' or '-') sb.Append('<');
        }
        return sb.ToString();
    }

    public static string Names(string surname, string given, int width) =>
        Pad((Name(surname) + "<<" + Name(given)), width);

    public static string Pad(string s, int width) => s.Length >= width ? s[..width] : s + new string('<', width - s.Length);

    private static string Yymmdd(DateOnly d) => d.ToString("yyMMdd", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>TD1 (ICAO 9303-5 §4.2): 3 lines × 30.</summary>
    public static IReadOnlyList<string> Td1(string code, string number, DateOnly birth, char sex, DateOnly expiry, string surname, string given)
    {
        var num = Pad(number, 9);
        var l1 = Pad($"{code}ITA{num}{Mrz.CheckDigit(num)}", 30);
        var b = Yymmdd(birth); var e = Yymmdd(expiry);
        var l2Head = $"{b}{Mrz.CheckDigit(b)}{sex}{e}{Mrz.CheckDigit(e)}ITA";
        var l2Body = Pad(l2Head, 29);
        var composite = l1[5..30] + l2Body[0..7] + l2Body[8..15] + l2Body[18..29];
        var l2 = l2Body + Mrz.CheckDigit(composite);
        return [l1, l2, Names(surname, given, 30)];
    }

    /// <summary>TD3 (ICAO 9303-4 §4.2): 2 lines × 44; the personal number is left empty, as on Italian passports.</summary>
    public static IReadOnlyList<string> Td3(string number, DateOnly birth, char sex, DateOnly expiry, string surname, string given)
    {
        var l1 = "P<ITA" + Names(surname, given, 39);
        var num = Pad(number, 9);
        var b = Yymmdd(birth); var e = Yymmdd(expiry);
        var personal = new string('<', 14);
        var l2Body = $"{num}{Mrz.CheckDigit(num)}ITA{b}{Mrz.CheckDigit(b)}{sex}{e}{Mrz.CheckDigit(e)}{personal}{Mrz.CheckDigit(personal)}";
        var composite = l2Body[0..10] + l2Body[13..20] + l2Body[21..43];
        return [l1, l2Body + Mrz.CheckDigit(composite)];
    }
}
