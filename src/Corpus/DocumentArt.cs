using System.Globalization;
using SkiaSharp;
using VerifyPipeline.Cases.Forms;

namespace VerifyPipeline.Corpus;

/// <summary>
/// Draws the documents of a submission in millimetres, origin at the document's top-left corner, onto any canvas
/// transform (flat scan, perspective photo, fax resolution). Layouts follow the public descriptions of the documents
/// (field names and numbering, MRZ position and pitch); guilloches, holograms and security printing are only hinted.
/// </summary>
internal sealed class DocumentArt(IReadOnlyDictionary<string, Person> people, string hmacKey)
{
    public const float CardW = 85.6f, CardH = 53.98f, PassportW = 125f, PassportH = 88f, PaperIdW = 150f, PaperIdH = 105f;
    public const float A4W = 210f, A4H = 297f;

    /// <summary>ICAO 9303-3 §4.2: OCR-B size 1, 2.54 mm pitch (10 characters per inch), 4.23 mm line spacing (6 lines per inch).</summary>
    private const float MrzPitch = 2.54f, MrzLine = 4.23f;

    private static readonly SKColor Ink = new(0x15, 0x2A, 0x8A);
    private static readonly SKColor Print = new(0x1A, 0x1A, 0x1A);
    private static readonly SKColor LabelBlue = new(0x2B, 0x3F, 0x7A);
    private static readonly CultureInfo It = CultureInfo.GetCultureInfo("it-IT");

    private readonly CorpusFonts _f = CorpusFonts.Default;
    private readonly Dictionary<string, SignatureHand> _hands = [];

    public static SKSize SizeOf(string content, DocKind? kind) => content switch
    {
        "form" or "unrelated" => new SKSize(A4W, A4H),
        "passport_data" => new SKSize(PassportW, PassportH),
        _ when kind == DocKind.PaperId => new SKSize(PaperIdW, PaperIdH),
        _ => new SKSize(CardW, CardH),
    };

    public void Draw(SKCanvas c, PageItem item, PlannedDocument doc, int seed)
    {
        switch (item.Content)
        {
            case "form": DrawForm(c, doc.Form!); break;
            case "unrelated": DrawUnrelated(c, seed); break;
            case "passport_data": DrawPassport(c, doc.Id!); break;
            default:
                var id = doc.Id!;
                var front = item.Side == "front";
                switch (id.Kind)
                {
                    case DocKind.Cie: if (front) DrawCieFront(c, id); else DrawCieBack(c, id); break;
                    case DocKind.DrivingLicence: if (front) DrawLicenceFront(c, id); else DrawLicenceBack(c, id); break;
                    case DocKind.PaperId: if (front) DrawPaperIdInside(c, id); else DrawPaperIdOutside(c, id); break;
                    default: if (front) DrawHealthFront(c, id); else DrawHealthBack(c, id); break;
                }
                break;
        }
    }

    // ---------------- the request form, filled in by hand ----------------

    private void DrawForm(SKCanvas c, FormTruth form)
    {
        using (var paper = new SKPaint { Color = SKColors.White })
            c.DrawRect(0, 0, A4W, A4H, paper);
        if (form.PrintedPage is { } printed)
        {
            using var image = SKImage.FromEncodedData(printed) ?? throw new InvalidOperationException("The printed form is not an image.");
            c.DrawImage(image, new SKRect(0, 0, A4W, A4H), new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.Linear));
        }
        else FormRenderer.DrawPage(c, form.Request, new FormRenderOptions(hmacKey));
        Handwrite(c, FormLayout.Zone(FormZones.Residence).Rect, form.Residence, StableHash(form.Request.Id));
        Handwrite(c, FormLayout.Zone(FormZones.PlaceAndDate).Rect, form.PlaceAndDate, form.Request.Id.Length);
        if (form.Signature is { } s)
        {
            var r = FormLayout.Signature.Rect;
            Sign(c, new SKRect((float)r.Left + 4, (float)r.Top + 3, (float)r.Right - 10, (float)r.Bottom - 2), s);
        }
    }

    private void Handwrite(SKCanvas c, MmRect box, string text, int seed)
    {
        var rng = new Random(seed);
        using var font = Font(_f.Hand, 3.6f);
        var width = font.MeasureText(text);
        var avail = (float)box.Width - 3;
        if (width > avail) font.Size = 3.6f * avail / width;
        using var paint = new SKPaint { Color = Ink, IsAntialias = true };
        var x = (float)box.Left + 1.5f;
        var y = (float)box.Bottom - 2.2f;
        c.Save();
        c.RotateDegrees((float)(rng.NextDouble() - 0.5) * 2, x, y);
        foreach (var ch in text)
        {
            var s = ch.ToString();
            c.DrawText(s, x, y + (float)(rng.NextDouble() - 0.5) * 0.5f, SKTextAlign.Left, font, paint);
            x += font.MeasureText(s) * (0.97f + (float)rng.NextDouble() * 0.08f);
        }
        c.Restore();
    }

    private void Sign(SKCanvas c, SKRect box, SignatureSpec s)
    {
        // A random forgery is the forger's own hand; genuine and skilled forgeries have the shape of the owner.
        var shapeOwner = s.Kind == SignatureKind.RandomForgery ? s.WrittenBy : s.ShapeOf;
        if (!_hands.TryGetValue(shapeOwner, out var hand))
            _hands[shapeOwner] = hand = SignatureHand.FromSeed(people[shapeOwner].HandSeed);
        hand.Draw(c, box, s.Kind, s.VariationSeed, s.Kind == SignatureKind.Genuine ? Ink : new SKColor(0x10, 0x10, 0x30));
    }

    // ---------------- shared card furniture ----------------

    private void CardBase(SKCanvas c, float w, float h, SKColor a, SKColor b, SKColor guilloche, int seed)
    {
        c.ClipRoundRect(new SKRoundRect(new SKRect(0, 0, w, h), 3, 3), SKClipOperation.Intersect, antialias: true);
        using var bg = new SKPaint { IsAntialias = true };
        using (var shader = SKShader.CreateLinearGradient(new SKPoint(0, 0), new SKPoint(w, h), [a, b], SKShaderTileMode.Clamp))
        {
            bg.Shader = shader;
            c.DrawRoundRect(new SKRect(0, 0, w, h), 3, 3, bg);
        }
        var rng = new Random(seed);
        using var line = new SKPaint { Color = guilloche, IsAntialias = true, Style = SKPaintStyle.Stroke, StrokeWidth = 0.12f };
        for (var k = 0; k < 14; k++)
        {
            using var pb = new SKPathBuilder();
            var amp = 2 + (float)rng.NextDouble() * 4;
            var freq = 0.08f + (float)rng.NextDouble() * 0.12f;
            var y0 = h * k / 14f;
            var phase = (float)rng.NextDouble() * 6;
            pb.MoveTo(0, y0);
            for (var x = 1f; x <= w; x += 1f) pb.LineTo(x, y0 + amp * MathF.Sin(x * freq + phase));
            using var path = pb.Detach();
            c.DrawPath(path, line);
        }
        using var border = new SKPaint { Color = new SKColor(0, 0, 0, 60), IsAntialias = true, Style = SKPaintStyle.Stroke, StrokeWidth = 0.2f };
        c.DrawRoundRect(new SKRect(0, 0, w, h), 3, 3, border);
    }

    private static void Photo(SKCanvas c, SKRect r, Person p)
    {
        c.Save();
        c.ClipRect(r, SKClipOperation.Intersect, antialias: true);
        using var bg = new SKPaint { Color = new SKColor(0xD8, 0xDE, 0xE6), IsAntialias = true };
        c.DrawRect(r, bg);
        var tone = (byte)(150 + (p.HandSeed % 60));
        using var skin = new SKPaint { Color = new SKColor(tone, (byte)(tone - 25), (byte)(tone - 45)), IsAntialias = true };
        using var hair = new SKPaint { Color = new SKColor((byte)(40 + p.HandSeed % 90), (byte)(30 + p.HandSeed % 50), 20), IsAntialias = true };
        using var cloth = new SKPaint { Color = new SKColor(0x33, 0x3A, 0x48), IsAntialias = true };
        var cx = r.MidX;
        c.DrawOval(new SKRect(r.Left + r.Width * 0.05f, r.Top + r.Height * 0.72f, r.Right - r.Width * 0.05f, r.Bottom + r.Height * 0.35f), cloth);
        c.DrawRect(new SKRect(cx - r.Width * 0.1f, r.Top + r.Height * 0.55f, cx + r.Width * 0.1f, r.Top + r.Height * 0.78f), skin);
        c.DrawOval(new SKRect(cx - r.Width * 0.3f, r.Top + r.Height * 0.1f, cx + r.Width * 0.3f, r.Top + r.Height * 0.42f), hair);
        c.DrawOval(new SKRect(cx - r.Width * 0.25f, r.Top + r.Height * 0.17f, cx + r.Width * 0.25f, r.Top + r.Height * 0.64f), skin);
        c.Restore();
        using var frame = new SKPaint { Color = new SKColor(0, 0, 0, 40), Style = SKPaintStyle.Stroke, StrokeWidth = 0.15f };
        c.DrawRect(r, frame);
    }

    private void Label(SKCanvas c, string text, float x, float y, float size = 1.25f, SKColor? color = null)
    {
        using var font = Font(_f.Condensed, size);
        using var paint = new SKPaint { Color = color ?? LabelBlue, IsAntialias = true };
        c.DrawText(text, x, y, SKTextAlign.Left, font, paint);
    }

    private void Value(SKCanvas c, string text, float x, float y, float size = 2.3f, SKTypeface? face = null, SKColor? color = null, float maxWidth = 0)
    {
        using var font = Font(face ?? _f.Bold, size);
        if (maxWidth > 0)
        {
            var w = font.MeasureText(text);
            if (w > maxWidth) font.ScaleX = maxWidth / w;
        }
        using var paint = new SKPaint { Color = color ?? Print, IsAntialias = true };
        c.DrawText(text, x, y, SKTextAlign.Left, font, paint);
    }

    private void Text(SKCanvas c, string text, float x, float y, float size, SKTypeface face, SKColor color, SKTextAlign align = SKTextAlign.Left)
    {
        using var font = Font(face, size);
        using var paint = new SKPaint { Color = color, IsAntialias = true };
        c.DrawText(text, x, y, align, font, paint);
    }

    /// <summary>The MRZ in OCR-B, every character on the ICAO grid; <paramref name="bottom"/> is the baseline of the last line.</summary>
    private void MrzLines(SKCanvas c, IReadOnlyList<string> lines, float left, float bottom)
    {
        using var font = Font(_f.OcrB, 3.5f);
        using var paint = new SKPaint { Color = SKColors.Black, IsAntialias = true };
        for (var i = 0; i < lines.Count; i++)
        {
            var y = bottom - (lines.Count - 1 - i) * MrzLine;
            for (var k = 0; k < lines[i].Length; k++)
                c.DrawText(lines[i][k].ToString(), left + k * MrzPitch + MrzPitch / 2, y, SKTextAlign.Center, font, paint);
        }
    }

    private static void Barcode(SKCanvas c, string data, SKRect r)
    {
        var rng = new Random(StableHash(data));
        using var black = new SKPaint { Color = SKColors.Black };
        var x = r.Left;
        while (x < r.Right)
        {
            var w = 0.19f * (1 + rng.Next(3));
            if (rng.Next(2) == 0) c.DrawRect(x, r.Top, w, r.Height, black);
            x += w + 0.19f * (1 + rng.Next(2));
        }
    }

    /// <summary>Sizes here are millimetres, i.e. a few device units before the canvas scale: hinting would snap glyph
    /// advances to whole units and wreck the spacing, so outlines are unhinted with linear metrics.</summary>
    internal static SKFont Font(SKTypeface face, float sizeMm) => new(face, sizeMm)
    {
        Subpixel = true, Hinting = SKFontHinting.None, LinearMetrics = true, Edging = SKFontEdging.Antialias,
    };

    /// <summary>FNV-1a: string.GetHashCode is randomised per process, and the corpus must be the same on every run.</summary>
    internal static int StableHash(string s)
    {
        var h = 2166136261u;
        foreach (var ch in s) h = unchecked((h ^ ch) * 16777619u);
        return (int)(h & 0x7FFFFFFF);
    }

    private static string D(DateOnly d) => d.ToString("dd.MM.yyyy", CultureInfo.InvariantCulture);
    private static string Up(string s) => s.ToUpper(It);

    // ---------------- CIE ----------------

    private void DrawCieFront(SKCanvas c, IdDocument d)
    {
        var p = d.Holder;
        CardBase(c, CardW, CardH, new SKColor(0xE9, 0xEE, 0xF7), new SKColor(0xF7, 0xE6, 0xEA), new SKColor(0xB8, 0xC4, 0xDE), p.HandSeed);
        Text(c, "REPUBBLICA ITALIANA", 27, 5.2f, 2.6f, _f.Bold, LabelBlue);
        Text(c, "MINISTERO DELL'INTERNO", 27, 7.9f, 1.4f, _f.Condensed, LabelBlue);
        Text(c, "CARTA DI IDENTITÀ / IDENTITY CARD", 27, 10.6f, 1.8f, _f.CondensedBold, LabelBlue);
        Value(c, d.Number, 66, 5.2f, 2.6f, _f.Mono, new SKColor(0xC0, 0x10, 0x20));
        Photo(c, new SKRect(3.5f, 12.5f, 25f, 40f), p);
        float x = 27, y = 14.2f;
        Label(c, "COMUNE DI / MUNICIPALITY", x, y); Value(c, Up(d.IssuedBy.Replace("Comune di ", "")), x, y + 2.6f, 2f); y += 5.4f;
        Label(c, "COGNOME / SURNAME", x, y); Value(c, Up(p.Surname), x, y + 2.8f, 2.5f, maxWidth: 55); y += 5.6f;
        Label(c, "NOME / NAME", x, y); Value(c, Up(p.GivenNames), x, y + 2.8f, 2.5f, maxWidth: 55); y += 5.6f;
        Label(c, "LUOGO E DATA DI NASCITA / PLACE AND DATE OF BIRTH", x, y);
        Value(c, $"{Up(p.BirthPlaceDisplay)} {D(p.BirthDate)}", x, y + 2.6f, 2f, maxWidth: 55); y += 5.2f;
        Label(c, "SESSO / SEX", x, y); Value(c, p.Sex.ToString(), x, y + 2.6f, 2f);
        Label(c, "STATURA / HEIGHT", x + 14, y); Value(c, (p.HeightCm / 100.0).ToString("0.00", It), x + 14, y + 2.6f, 2f);
        Label(c, "CITTADINANZA / NATIONALITY", x + 30, y); Value(c, "ITA", x + 30, y + 2.6f, 2f); y += 5.2f;
        Label(c, "EMISSIONE / ISSUING", x, y); Value(c, D(d.IssueDate), x, y + 2.6f, 2f);
        Label(c, "SCADENZA / EXPIRY", x + 24, y); Value(c, D(d.ExpiryDate), x + 24, y + 2.6f, 2f);
        Label(c, "FIRMA DEL TITOLARE / HOLDER'S SIGNATURE", 3.5f, 44.2f, 1.1f);
        if (d.Signature is { } s) Sign(c, new SKRect(3.5f, 44.5f, 36f, 53f), s);
        Text(c, (StableHash(d.Number) % 900000 + 100000).ToString(CultureInfo.InvariantCulture), 80, 51.5f, 1.8f, _f.Mono, Print, SKTextAlign.Right);
    }

    private void DrawCieBack(SKCanvas c, IdDocument d)
    {
        var p = d.Holder;
        CardBase(c, CardW, CardH, new SKColor(0xF2, 0xEC, 0xF4), new SKColor(0xE6, 0xEE, 0xF6), new SKColor(0xC8, 0xC0, 0xDA), p.HandSeed + 1);
        Label(c, "CODICE FISCALE / FISCAL CODE", 4, 5);
        Value(c, p.CodiceFiscale, 4, 8.4f, 2.7f, _f.Mono);
        Barcode(c, p.CodiceFiscale, new SKRect(48, 2.5f, 82, 9f));
        Label(c, "INDIRIZZO DI RESIDENZA / RESIDENCE", 4, 12.5f);
        Value(c, Up(p.Residence), 4, 15.3f, 2f, maxWidth: 78);
        Label(c, "ESTREMI ATTO DI NASCITA / BIRTH CERTIFICATE", 4, 19.5f);
        Value(c, $"{p.HandSeed % 900 + 100:000} {1 + p.HandSeed % 3} A {p.BirthDate.Year}", 4, 22.3f, 2f);
        Label(c, "INDICAZIONI PER L'ESPATRIO / VALID FOR TRAVEL", 48, 19.5f);
        Value(c, "SÌ / YES", 48, 22.3f, 2f);
        using (var band = new SKPaint { Color = new SKColor(255, 255, 255, 150) })
            c.DrawRect(0, CardH - 17.5f, CardW, 17.5f, band);
        MrzLines(c, d.Mrz!, (CardW - 30 * MrzPitch) / 2, CardH - 3.2f);
    }

    // ---------------- passport data page (TD3) ----------------

    private void DrawPassport(SKCanvas c, IdDocument d)
    {
        var p = d.Holder;
        CardBase(c, PassportW, PassportH, new SKColor(0xEE, 0xF3, 0xE8), new SKColor(0xF6, 0xE9, 0xEE), new SKColor(0xC5, 0xD6, 0xC0), p.HandSeed + 2);
        Text(c, "REPUBBLICA ITALIANA", 40, 7, 3.4f, _f.SerifBold, LabelBlue);
        Text(c, "PASSAPORTO / PASSPORT / PASSEPORT", 40, 11.5f, 2.2f, _f.Condensed, LabelBlue);
        Photo(c, new SKRect(5, 15, 36, 55), p);
        float x = 40, y = 17;
        Label(c, "Tipo / Type", x, y, 1.5f); Value(c, "P", x, y + 3.2f, 2.8f);
        Label(c, "Codice / Code", x + 16, y, 1.5f); Value(c, "ITA", x + 16, y + 3.2f, 2.8f);
        Label(c, "Passaporto N. / Passport No.", x + 42, y, 1.5f); Value(c, d.Number, x + 42, y + 3.2f, 3f, _f.Mono, new SKColor(0xB0, 0x10, 0x20));
        y += 7;
        Label(c, "Cognome / Surname", x, y, 1.5f); Value(c, Up(p.Surname), x, y + 3.3f, 3f, maxWidth: 80); y += 7;
        Label(c, "Nome / Given names", x, y, 1.5f); Value(c, Up(p.GivenNames), x, y + 3.3f, 3f, maxWidth: 80); y += 7;
        Label(c, "Cittadinanza / Nationality", x, y, 1.5f); Value(c, "ITALIANA", x, y + 3.2f, 2.6f);
        Label(c, "Data di nascita / Date of birth", x + 42, y, 1.5f); Value(c, D(p.BirthDate), x + 42, y + 3.2f, 2.6f); y += 7;
        Label(c, "Sesso / Sex", x, y, 1.5f); Value(c, p.Sex.ToString(), x, y + 3.2f, 2.6f);
        Label(c, "Luogo di nascita / Place of birth", x + 16, y, 1.5f); Value(c, Up(p.BirthPlaceDisplay), x + 16, y + 3.2f, 2.6f, maxWidth: 65); y += 7;
        Label(c, "Data di rilascio / Date of issue", x, y, 1.5f); Value(c, D(d.IssueDate), x, y + 3.2f, 2.6f);
        Label(c, "Autorità / Authority", x + 42, y, 1.5f); Value(c, Up(d.IssuedBy), x + 42, y + 3.2f, 2.3f, maxWidth: 40); y += 7;
        Label(c, "Data di scadenza / Date of expiry", x, y, 1.5f); Value(c, D(d.ExpiryDate), x, y + 3.2f, 2.6f);
        Label(c, "Firma del titolare / Holder's signature", 5, 58, 1.4f);
        if (d.Signature is { } s) Sign(c, new SKRect(5, 58.5f, 38, 68), s);
        using (var band = new SKPaint { Color = new SKColor(255, 255, 255, 160) })
            c.DrawRect(0, PassportH - 14, PassportW, 14, band);
        MrzLines(c, d.Mrz!, (PassportW - 44 * MrzPitch) / 2, PassportH - 4f);
    }

    // ---------------- patente (EU model, Directive 2006/126/EC annex I) ----------------

    private void DrawLicenceFront(SKCanvas c, IdDocument d)
    {
        var p = d.Holder;
        CardBase(c, CardW, CardH, new SKColor(0xF7, 0xE4, 0xEA), new SKColor(0xE8, 0xEC, 0xF4), new SKColor(0xE0, 0xB8, 0xC8), p.HandSeed + 3);
        using (var flag = new SKPaint { Color = new SKColor(0x00, 0x33, 0x99) })
            c.DrawRect(3, 3, 12, 9, flag);
        using (var star = new SKPaint { Color = new SKColor(0xFF, 0xCC, 0x00), IsAntialias = true })
            for (var k = 0; k < 12; k++)
                c.DrawCircle(9 + 3 * MathF.Cos(k * MathF.PI / 6), 7.2f + 3 * MathF.Sin(k * MathF.PI / 6), 0.35f, star);
        Text(c, "I", 9, 11.4f, 1.6f, _f.Bold, SKColors.White, SKTextAlign.Center);
        Text(c, "PATENTE DI GUIDA", 48, 7, 3.6f, _f.Bold, new SKColor(0x8A, 0x1C, 0x3A), SKTextAlign.Center);
        Text(c, "REPUBBLICA ITALIANA", 48, 10.5f, 1.8f, _f.Condensed, new SKColor(0x8A, 0x1C, 0x3A), SKTextAlign.Center);
        Photo(c, new SKRect(3.5f, 14, 24, 41), p);
        float x = 27, y = 16;
        void Field(string n, string v, float size = 2.2f) { Label(c, n, x, y, 1.6f, Print); Value(c, v, x + 4.5f, y, size, maxWidth: 52); y += 4.1f; }
        Field("1.", Up(p.Surname));
        Field("2.", Up(p.GivenNames));
        Field("3.", $"{p.BirthDate:dd/MM/yy} {Up(p.BirthPlaceDisplay)}", 2f);
        Label(c, "4a.", x, y, 1.6f, Print); Value(c, d.IssueDate.ToString("dd/MM/yyyy", CultureInfo.InvariantCulture), x + 4.5f, y, 2f);
        Label(c, "4c.", x + 26, y, 1.6f, Print); Value(c, d.IssuedBy, x + 30.5f, y, 2f); y += 4.1f;
        Field("4b.", d.ExpiryDate.ToString("dd/MM/yyyy", CultureInfo.InvariantCulture), 2f);
        Field("5.", d.Number, 2.4f);
        Label(c, "7.", x, y + 2.5f, 1.6f, Print);
        if (d.Signature is { } s) Sign(c, new SKRect(x + 3, y - 1, x + 36, y + 6.5f), s);
        Label(c, "9.", x + 38, y + 2.5f, 1.6f, Print); Value(c, "AM/B1/B", x + 42, y + 2.5f, 2f);
    }

    private void DrawLicenceBack(SKCanvas c, IdDocument d)
    {
        CardBase(c, CardW, CardH, new SKColor(0xF4, 0xE8, 0xEE), new SKColor(0xEC, 0xEE, 0xF4), new SKColor(0xE0, 0xC0, 0xCC), d.Holder.HandSeed + 4);
        string[] cats = ["AM", "A1", "A2", "A", "B1", "B", "C1", "C", "D1", "D", "BE", "C1E", "CE", "D1E", "DE"];
        using var line = new SKPaint { Color = new SKColor(0x80, 0x40, 0x50), Style = SKPaintStyle.Stroke, StrokeWidth = 0.15f, IsAntialias = true };
        float top = 5, rowH = 2.9f, x0 = 3, x9 = 14, x10 = 32, x11 = 50, x12 = 68;
        Label(c, "9.", x0 + 2, top - 0.6f, 1.5f, Print); Label(c, "10.", x10 + 2, top - 0.6f, 1.5f, Print);
        Label(c, "11.", x11 + 2, top - 0.6f, 1.5f, Print); Label(c, "12.", x12 + 2, top - 0.6f, 1.5f, Print);
        for (var i = 0; i < cats.Length; i++)
        {
            var y = top + i * rowH;
            c.DrawLine(x0, y, CardW - 3, y, line);
            Value(c, cats[i], x0 + 1, y + rowH - 0.6f, 1.8f);
            if (cats[i] is "AM" or "B1" or "B")
            {
                Value(c, d.IssueDate.AddYears(-(d.IssueDate.Year % 7)).ToString("dd/MM/yy", CultureInfo.InvariantCulture), x10 + 1, y + rowH - 0.6f, 1.8f, _f.Mono);
                Value(c, d.ExpiryDate.ToString("dd/MM/yy", CultureInfo.InvariantCulture), x11 + 1, y + rowH - 0.6f, 1.8f, _f.Mono);
            }
        }
        c.DrawLine(x0, top + cats.Length * rowH, CardW - 3, top + cats.Length * rowH, line);
        foreach (var x in new[] { x9, x10, x11, x12 }) c.DrawLine(x, top, x, top + cats.Length * rowH, line);
        Label(c, "12.  01", x0, CardH - 2.5f, 1.6f, Print);
    }

    // ---------------- paper identity card (opened: inside and outside) ----------------

    private void DrawPaperIdInside(SKCanvas c, IdDocument d)
    {
        var p = d.Holder;
        using (var paper = new SKPaint { Color = new SKColor(0xEF, 0xE6, 0xCF), IsAntialias = true })
            c.DrawRect(0, 0, PaperIdW, PaperIdH, paper);
        using (var fold = new SKPaint { Color = new SKColor(0, 0, 0, 50), StrokeWidth = 0.3f, Style = SKPaintStyle.Stroke })
            c.DrawLine(PaperIdW / 2, 0, PaperIdW / 2, PaperIdH, fold);
        var green = new SKColor(0x2F, 0x5D, 0x3A);
        Text(c, "REPUBBLICA ITALIANA", 37.5f, 8, 3f, _f.SerifBold, green, SKTextAlign.Center);
        Text(c, "COMUNE DI " + Up(d.IssuedBy.Replace("Comune di ", "")), 37.5f, 13, 2.6f, _f.Serif, green, SKTextAlign.Center);
        Text(c, "CARTA D'IDENTITÀ", 37.5f, 19, 3.4f, _f.SerifBold, green, SKTextAlign.Center);
        Text(c, "N. " + d.Number[..2] + " " + d.Number[2..], 37.5f, 24, 3f, _f.Mono, new SKColor(0xA0, 0x10, 0x10), SKTextAlign.Center);
        float y = 32;
        void Row(string label, string value)
        {
            Text(c, label, 6, y, 2.3f, _f.Serif, green);
            Value(c, value, 30, y, 2.6f, _f.Mono, Print, 42);
            using var dots = new SKPaint { Color = new SKColor(0x2F, 0x5D, 0x3A, 120), StrokeWidth = 0.15f };
            c.DrawLine(29, y + 0.8f, 72, y + 0.8f, dots);
            y += 5.6f;
        }
        Row("Cognome", Up(p.Surname));
        Row("Nome", Up(p.GivenNames));
        Row("nato il", $"{p.BirthDate:dd/MM/yyyy}");
        Row("a", Up(p.BirthPlaceDisplay));
        Row("Cittadinanza", "ITALIANA");
        Row("Residenza", Up(p.Town));
        Row("Via", Up(p.Residence.Split(", ")[0]));
        Row("Stato civile", p.HandSeed % 2 == 0 ? "CONIUGAT" + (p.Sex == 'F' ? "A" : "O") : "CELIBE");
        Row("Professione", "IMPIEGAT" + (p.Sex == 'F' ? "A" : "O"));
        Text(c, "CONNOTATI E CONTRASSEGNI SALIENTI", 6, y + 1, 2f, _f.SerifBold, green); y += 6;
        Row("Statura", (p.HeightCm / 100.0).ToString("0.00", It));
        Row("Capelli", p.HandSeed % 3 == 0 ? "CASTANI" : "NERI");
        Photo(c, new SKRect(90, 8, 125, 52), p);
        Text(c, "Firma del titolare", 85, 62, 2.3f, _f.Serif, green);
        if (d.Signature is { } s) Sign(c, new SKRect(85, 63, 140, 76), s);
        using (var stamp = new SKPaint { Color = new SKColor(0x60, 0x30, 0x90, 110), Style = SKPaintStyle.Stroke, StrokeWidth = 0.5f, IsAntialias = true })
        {
            c.DrawCircle(95, 88, 9, stamp);
            c.DrawCircle(95, 88, 6.5f, stamp);
        }
        Text(c, $"{Up(d.IssuedBy.Replace("Comune di ", ""))}, li {d.IssueDate:dd/MM/yyyy}", 108, 86, 2.3f, _f.Mono, Print);
        Text(c, "IL SINDACO", 112, 95, 2.3f, _f.Serif, green);
    }

    private void DrawPaperIdOutside(SKCanvas c, IdDocument d)
    {
        using (var paper = new SKPaint { Color = new SKColor(0xE9, 0xDF, 0xC4), IsAntialias = true })
            c.DrawRect(0, 0, PaperIdW, PaperIdH, paper);
        using (var fold = new SKPaint { Color = new SKColor(0, 0, 0, 50), StrokeWidth = 0.3f, Style = SKPaintStyle.Stroke })
            c.DrawLine(PaperIdW / 2, 0, PaperIdW / 2, PaperIdH, fold);
        var green = new SKColor(0x2F, 0x5D, 0x3A);
        Text(c, "Impronta del dito", 8, 15, 2.3f, _f.Serif, green);
        Text(c, "indice sinistro", 8, 19, 2.3f, _f.Serif, green);
        using (var box = new SKPaint { Color = green, Style = SKPaintStyle.Stroke, StrokeWidth = 0.3f })
            c.DrawRect(8, 22, 22, 28, box);
        Text(c, "Valida per l'espatrio", 8, 62, 2.3f, _f.Serif, green);
        Text(c, "SCADENZA", 8, 76, 2.6f, _f.SerifBold, green);
        Value(c, d.ExpiryDate.ToString("dd/MM/yyyy", CultureInfo.InvariantCulture), 30, 76, 2.8f, _f.Mono);
        Text(c, "REPUBBLICA ITALIANA", 112.5f, 30, 3.4f, _f.SerifBold, green, SKTextAlign.Center);
        using (var emblem = new SKPaint { Color = green, Style = SKPaintStyle.Stroke, StrokeWidth = 0.6f, IsAntialias = true })
            c.DrawCircle(112.5f, 52, 11, emblem);
        Text(c, "CARTA D'IDENTITÀ", 112.5f, 78, 4f, _f.SerifBold, green, SKTextAlign.Center);
    }

    // ---------------- tessera sanitaria (not an identity document) ----------------

    private void DrawHealthFront(SKCanvas c, IdDocument d)
    {
        var p = d.Holder;
        CardBase(c, CardW, CardH, new SKColor(0xE4, 0xF1, 0xF6), new SKColor(0xF5, 0xF5, 0xE8), new SKColor(0xB0, 0xD0, 0xD8), p.HandSeed + 5);
        Text(c, "TESSERA SANITARIA", 4, 7, 3f, _f.Bold, new SKColor(0x1D, 0x5C, 0x2E));
        Text(c, "Ministero dell'Economia e delle Finanze", 4, 10.5f, 1.5f, _f.Condensed, Print);
        float x = 4, y = 16;
        void F(string l, string v) { Label(c, l, x, y, 1.4f); Value(c, v, x + 22, y, 2.2f, maxWidth: 55); y += 4.5f; }
        F("Codice fiscale", p.CodiceFiscale);
        F("Cognome", Up(p.Surname));
        F("Nome", Up(p.GivenNames));
        F("Luogo di nascita", Up(p.BirthPlaceName));
        F("Data di nascita", p.BirthDate.ToString("dd/MM/yyyy", CultureInfo.InvariantCulture));
        F("Data di scadenza", d.ExpiryDate.ToString("dd/MM/yyyy", CultureInfo.InvariantCulture));
        Barcode(c, p.CodiceFiscale, new SKRect(6, 44, 60, 50));
    }

    private void DrawHealthBack(SKCanvas c, IdDocument d)
    {
        CardBase(c, CardW, CardH, new SKColor(0xDD, 0xE6, 0xF6), new SKColor(0xEE, 0xEE, 0xF6), new SKColor(0xB8, 0xC4, 0xE0), d.Holder.HandSeed + 6);
        Text(c, "TESSERA EUROPEA DI ASSICURAZIONE MALATTIA", 4, 7, 1.9f, _f.Bold, LabelBlue);
        float y = 14;
        foreach (var (n, v) in new[] { ("3", Up(d.Holder.Surname)), ("4", Up(d.Holder.GivenNames)), ("5", d.Holder.BirthDate.ToString("dd/MM/yyyy", CultureInfo.InvariantCulture)),
                     ("6", d.Holder.CodiceFiscale), ("7", "80380 - SASN"), ("8", d.Number), ("9", d.ExpiryDate.ToString("dd/MM/yyyy", CultureInfo.InvariantCulture)) })
        {
            Label(c, n, 4, y, 1.6f, Print); Value(c, v, 9, y, 2f, maxWidth: 70); y += 5;
        }
    }

    // ---------------- an unrelated page (a bill) ----------------

    private void DrawUnrelated(SKCanvas c, int seed)
    {
        var rng = new Random(seed);
        using (var paper = new SKPaint { Color = SKColors.White })
            c.DrawRect(0, 0, A4W, A4H, paper);
        Text(c, "Fornitura energia elettrica — Bolletta", 20, 28, 6f, _f.Bold, Print);
        Text(c, $"Fattura n. 2026/{rng.Next(100000, 999999)} del {rng.Next(1, 28):00}/{rng.Next(1, 11):00}/2026", 20, 38, 4f, _f.Sans, Print);
        string[] words = ["consumo", "periodo", "importo", "kWh", "quota", "fissa", "energia", "oneri", "sistema", "IVA", "totale", "scadenza", "pagamento", "contatore", "lettura"];
        for (var l = 0; l < 30; l++)
        {
            var line = string.Join(' ', Enumerable.Range(0, rng.Next(6, 12)).Select(_ => words[rng.Next(words.Length)]));
            Text(c, line, 20, 55 + l * 6.2f, 3.6f, _f.Sans, Print);
        }
        Text(c, $"Totale da pagare € {rng.Next(40, 300)},{rng.Next(100):00}", 20, 255, 5.2f, _f.Bold, Print);
    }
}
