using System.Globalization;
using System.Text;
using QRCoder;
using SkiaSharp;

namespace VerifyPipeline.Cases.Forms;

/// <summary>How to issue a form. <paramref name="FormVersion"/> goes into the QR code and names the layout the reader
/// must use: leave it at <see cref="FormLayout.Version"/> unless you are testing. <paramref name="PrintedOn"/> is the
/// date shown in the header; by default the day the request was created (Italian time), so the same request always
/// gives the same page.</summary>
public sealed record FormRenderOptions(string HmacKey, string FormVersion = FormLayout.Version, DateOnly? PrintedOn = null);

/// <summary>
/// Draws the pre-filled request form "Richiesta di conversione del PIN online in PIN dispositivo" (one A4 page,
/// Italian) exactly on the zones of <see cref="FormLayout"/>: as a PDF for the citizen, as a PNG for the corpus.
/// Both come from the same drawing code in millimetre units.
/// </summary>
public static class FormRenderer
{
    public const string Title = "Richiesta di conversione del PIN online in PIN dispositivo";
    public const string FaxNumber = "800 803 164";

    /// <summary>Values are printed at 12 pt and never below 11 pt, so after a 204 × 98 dpi fax their capitals are
    /// still ~11 px high at 204 dpi after resampling (DESIGN: read back by OCR).</summary>
    public const float ValuePt = 12, MinValuePt = 11;

    /// <summary>The margin left and right of a value inside its box, in millimetres.</summary>
    public const float ValuePadMm = 1.5f;

    /// <summary>The narrowest advance, in em, of any character the API lets into a printed value, in any face a value
    /// may be printed in: Liberation Sans's apostrophe, 0.190 em, rounded down (FormRendererTests checks it against the fonts).</summary>
    public const double NarrowestAdvanceEm = 0.18;

    /// <summary>The most characters a value of the box <paramref name="zone"/> can have and still be printed whole:
    /// its inner width over the narrowest character at the smallest size. Any longer value could only be printed cut,
    /// so <c>POST /api/requests</c> refuses it (a shorter one that does not fit is printed up to "…").</summary>
    public static int MaxChars(string zone) =>
        (int)Math.Floor((FormLayout.Zone(zone).Rect.Width - 2 * ValuePadMm) / (MinValuePt * MmPerPt * NarrowestAdvanceEm));
    private const float LabelPt = 7, HeadingPt = 10, TitlePt = 15, HeaderPt = 8, DeclarationPt = 8.6f, InstructionsPt = 8.3f;
    private const double MmPerPt = 25.4 / 72;

    private static readonly HashSet<string> MonoZones =
    [
        FormZones.RequestId, FormZones.CodiceFiscale, FormZones.PinReference, FormZones.DocumentNumber,
        FormZones.BirthDate, FormZones.DocumentIssueDate, FormZones.DocumentExpiryDate,
    ];

    private static readonly string[] Declaration =
    [
        "Il/La sottoscritto/a, identificato/a dai dati delle sezioni 1 e 2, titolare del PIN online indicato, **CHIEDE** " +
        "la conversione del proprio PIN online in **PIN dispositivo**.",
        "A tal fine, consapevole delle sanzioni penali previste dall'art. 76 del D.P.R. 28 dicembre 2000, n. 445, in caso " +
        "di dichiarazioni mendaci, di formazione o uso di atti falsi, **DICHIARA** che i dati riportati nel presente modulo " +
        "sono veritieri e che il documento di identità indicato, allegato in copia fronte e retro, è in corso di validità.",
        "Prende atto che con la conversione i caratteri (numeri e lettere) che compongono il PIN restano invariati, che la " +
        "richiesta va presentata una sola volta, salvo revoca del PIN, e che l'esito sarà comunicato con un messaggio.",
        "I dati sono trattati ai sensi del Regolamento (UE) 2016/679 al solo fine di gestire la presente richiesta.",
    ];

    private static readonly string[] Instructions =
    [
        "1. Stampi il modulo su carta A4 in scala 100 %, senza scrivere sul codice QR né sui quadrati neri agli angoli.",
        "2. Scriva a mano residenza, luogo e data, e **firmi a mano** nel riquadro come sul documento di identità.",
        "3. Scansioni il modulo firmato insieme al documento di identità, **fronte e retro**, in cui sia visibile la firma.",
        "4. Invii **un solo file** con la procedura «Converti PIN»: più file vanno prima raccolti in un unico archivio (ad es. ZIP).",
        "5. Oppure invii modulo firmato e documento via fax al numero verde **" + FaxNumber + "**, o li consegni a una sede INPS.",
        "La richiesta è respinta se la documentazione è incompleta (manca il modulo o il documento), se il documento è " +
        "scaduto, se la firma sul modulo è diversa da quella sul documento o se i file sono illeggibili. L'esito è " +
        "comunicato di norma entro 1–2 giorni.",
    ];

    /// <summary>The QR text printed on the form of <paramref name="request"/>.</summary>
    public static string QrPayload(ConversionRequest request, FormRenderOptions options) =>
        FormQr.Encode(request.Id, request.Data.CodiceFiscale, options.FormVersion, options.HmacKey);

    /// <summary>The text printed in each <see cref="ZoneKind.Printed"/> zone (before any shortening to fit), keyed by
    /// zone name: what a reader should find there. Absent optional values are empty strings.</summary>
    public static IReadOnlyDictionary<string, string> PrintedValues(ConversionRequest request)
    {
        var d = request.Data;
        return new Dictionary<string, string>
        {
            [FormZones.RequestId] = Clean(request.Id),
            [FormZones.Surname] = Clean(d.Surname),
            [FormZones.GivenNames] = Clean(d.GivenNames),
            [FormZones.CodiceFiscale] = Clean(d.CodiceFiscale).ToUpperInvariant(),
            [FormZones.BirthDate] = Date(d.BirthDate),
            [FormZones.PinReference] = Clean(d.PinReference),
            [FormZones.BirthPlace] = Clean(d.BirthPlace),
            [FormZones.Phone] = Clean(d.Phone),
            [FormZones.Email] = Clean(d.Email),
            [FormZones.DocumentType] = DocumentTypeName(d.Document.Type),
            [FormZones.DocumentNumber] = Clean(d.Document.Number).ToUpperInvariant(),
            [FormZones.DocumentIssuedBy] = Clean(d.Document.IssuedBy),
            [FormZones.DocumentIssueDate] = d.Document.IssueDate is { } i ? Date(i) : "",
            [FormZones.DocumentExpiryDate] = Date(d.Document.ExpiryDate),
        };
    }

    /// <summary>The Italian name of a document type code of the API (<c>cie|passport|driving_licence|paper_id</c>).</summary>
    public static string DocumentTypeName(string type) => type.Trim().ToLowerInvariant() switch
    {
        "cie" => "Carta d'identità elettronica (CIE)",
        "passport" => "Passaporto",
        "driving_licence" => "Patente di guida",
        "paper_id" => "Carta d'identità cartacea",
        _ => Clean(type),
    };

    /// <summary>The form as a one-page A4 PDF (fonts embedded, text and QR as vectors).</summary>
    public static byte[] RenderPdf(ConversionRequest request, FormRenderOptions options, CancellationToken ct = default)
    {
        var page = Prepare(request, options);
        ct.ThrowIfCancellationRequested();
        using var stream = new MemoryStream();
        var metadata = new SKDocumentPdfMetadata
        {
            Title = Title,
            Subject = $"Richiesta {request.Id}",
            Creator = "VerifyPipeline",
            Producer = "VerifyPipeline (SkiaSharp)",
            Creation = request.CreatedAt.UtcDateTime,
            Modified = request.CreatedAt.UtcDateTime,
            RasterDpi = SKDocumentPdfMetadata.DefaultRasterDpi,
            EncodingQuality = SKDocumentPdfMetadata.DefaultEncodingQuality,
        };
        using (var doc = SKDocument.CreatePdf(stream, metadata))
        {
            var scale = (float)(72 / FormLayout.MmPerInch);
            var canvas = doc.BeginPage((float)(FormLayout.PageWidthMm * scale), (float)(FormLayout.PageHeightMm * scale));
            canvas.Scale(scale);
            Draw(canvas, page, ct);
            doc.EndPage();
            doc.Close();
        }
        return stream.ToArray();
    }

    /// <summary>The same page as a PNG raster at <paramref name="dpi"/> (square pixels, RGBA on white).</summary>
    public static byte[] RenderPng(ConversionRequest request, FormRenderOptions options, int dpi)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(dpi, 36);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(dpi, 1200);
        var page = Prepare(request, options);
        var (w, h) = FormLayout.PageSizePixels(dpi);
        using var surface = SKSurface.Create(new SKImageInfo(w, h, SKColorType.Rgba8888, SKAlphaType.Premul))
            ?? throw new InvalidOperationException($"could not allocate a {w}×{h} raster surface");
        var canvas = surface.Canvas;
        canvas.Clear(SKColors.White);
        canvas.Scale((float)(dpi / FormLayout.MmPerInch));
        Draw(canvas, page);
        canvas.Flush();
        using var image = surface.Snapshot();
        using var data = image.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }

    /// <summary>Draws the page onto <paramref name="canvas"/>, whose current transform must map millimetres of the sheet
    /// (origin top-left) to the device — any transform: the corpus generator draws the form skewed, in perspective or at
    /// fax resolution with no intermediate raster. Nothing is cleared: the caller paints the paper first.</summary>
    public static void DrawPage(SKCanvas canvas, ConversionRequest request, FormRenderOptions options)
    {
        ArgumentNullException.ThrowIfNull(canvas);
        Draw(canvas, Prepare(request, options));
    }

    // ---------- preparation: everything that can fail on bad input fails here, before any drawing ----------

    private sealed record PageContent(
        IReadOnlyDictionary<string, string> Values, string QrPayload, bool[,] QrModules, string Header);

    private static PageContent Prepare(ConversionRequest request, FormRenderOptions options)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(options);
        var payload = QrPayload(request, options);
        var printedOn = options.PrintedOn ?? ItalianDate(request.CreatedAt);
        var header = $"Modulo di richiesta · versione {options.FormVersion} · generato il {Date(printedOn)}";
        return new PageContent(PrintedValues(request), payload, QrModules(payload), header);
    }

    /// <summary>The QR symbol without its quiet zone, true = dark module.</summary>
    internal static bool[,] QrModules(string payload)
    {
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(payload, QRCodeGenerator.ECCLevel.Q, forceUtf8: false, utf8BOM: false,
            QRCodeGenerator.EciMode.Default, requestedVersion: FormLayout.QrVersion);
        var n = FormLayout.QrSymbolModules;
        var matrix = data.ModuleMatrix;
        var offset = (matrix.Count - n) / 2; // QRCoder includes its own quiet zone in the matrix
        if (offset < 0 || matrix.Count - 2 * offset != n)
            throw new InvalidOperationException($"QR matrix is {matrix.Count} modules, expected {n} plus a quiet zone");
        var modules = new bool[n, n];
        for (var y = 0; y < n; y++)
            for (var x = 0; x < n; x++)
                modules[y, x] = matrix[y + offset][x + offset];
        return modules;
    }

    // ---------- drawing, in millimetres ----------

    private static void Draw(SKCanvas canvas, PageContent page, CancellationToken ct = default)
    {
        var fonts = FormFonts.Default;
        using var black = new SKPaint { Color = SKColors.Black, IsAntialias = false, Style = SKPaintStyle.Fill };
        using var white = new SKPaint { Color = SKColors.White, IsAntialias = false, Style = SKPaintStyle.Fill };
        using var text = new SKPaint { Color = SKColors.Black, IsAntialias = true };
        using var grey = new SKPaint { Color = new SKColor(0x44, 0x44, 0x44), IsAntialias = true };
        using var boxLine = new SKPaint { Color = new SKColor(0x55, 0x55, 0x55), IsAntialias = true, Style = SKPaintStyle.Stroke, StrokeWidth = 0.25f };
        using var strongLine = new SKPaint { Color = SKColors.Black, IsAntialias = true, Style = SKPaintStyle.Stroke, StrokeWidth = 0.6f };

        foreach (var f in FormLayout.Fiducials) DrawFiducial(canvas, f.Rect, black, white);

        var header = FormLayout.Zone(FormZones.Header).Rect;
        using (var font = Font(fonts.Sans, HeaderPt))
            canvas.DrawText(page.Header, (float)header.Left, Baseline(header, font), SKTextAlign.Left, font, grey);

        DrawParagraphs(canvas, FormLayout.Zone(FormZones.Title), [Title], fonts.SansBold, fonts.SansBold, TitlePt, 1.2, 0, text);

        foreach (var zone in FormLayout.Zones)
        {
            ct.ThrowIfCancellationRequested();
            switch (zone.Kind)
            {
                case ZoneKind.Printed:
                case ZoneKind.Handwritten:
                case ZoneKind.Signature:
                    DrawBoxLabel(canvas, zone, fonts, grey);
                    canvas.DrawRect(ToSk(zone.Rect), zone.Kind == ZoneKind.Signature ? strongLine : boxLine);
                    if (zone.Kind == ZoneKind.Printed && page.Values.TryGetValue(zone.Name, out var value) && value.Length > 0)
                        DrawValue(canvas, zone, value, MonoZones.Contains(zone.Name) ? fonts.Mono : fonts.Sans, fonts.Narrow, text);
                    break;
                case ZoneKind.Text when zone.Name.StartsWith("heading_", StringComparison.Ordinal):
                    DrawHeading(canvas, zone, fonts.SansBold, text, black);
                    break;
            }
        }

        DrawParagraphs(canvas, FormLayout.Zone(FormZones.Declaration), Declaration, fonts.Sans, fonts.SansBold, DeclarationPt, 1.25, 1.0, text);
        DrawParagraphs(canvas, FormLayout.Zone(FormZones.Instructions), Instructions, fonts.Sans, fonts.SansBold, InstructionsPt, 1.25, 0.8, text);

        DrawQr(canvas, FormLayout.Qr.Rect, page.QrModules, black);
    }

    /// <summary>Concentric square marker: black ring, white ring, black core (see <see cref="FormLayout.FiducialSizeMm"/>).</summary>
    private static void DrawFiducial(SKCanvas canvas, MmRect r, SKPaint black, SKPaint white)
    {
        canvas.DrawRect(ToSk(r), black);
        canvas.DrawRect(ToSk(r.Inflate(-FormLayout.FiducialRingMm)), white);
        canvas.DrawRect(ToSk(r.Inflate(-FormLayout.FiducialRingMm - FormLayout.FiducialGapMm)), black);
    }

    private static void DrawQr(SKCanvas canvas, MmRect box, bool[,] modules, SKPaint black)
    {
        var m = (float)FormLayout.QrModuleMm;
        var x0 = (float)box.Left + FormLayout.QrQuietZoneModules * m;
        var y0 = (float)box.Top + FormLayout.QrQuietZoneModules * m;
        var n = modules.GetLength(0);
        // One path of horizontal runs, filled once without anti-aliasing: no hairline seams between modules.
        using var builder = new SKPathBuilder();
        for (var y = 0; y < n; y++)
        {
            var x = 0;
            while (x < n)
            {
                if (!modules[y, x]) { x++; continue; }
                var start = x;
                while (x < n && modules[y, x]) x++;
                builder.AddRect(new SKRect(x0 + start * m, y0 + y * m, x0 + x * m, y0 + (y + 1) * m), SKPathDirection.Clockwise);
            }
        }
        using var path = builder.Detach();
        canvas.DrawPath(path, black);
    }

    private static void DrawHeading(SKCanvas canvas, FormZone zone, SKTypeface bold, SKPaint text, SKPaint black)
    {
        using var font = Font(bold, HeadingPt);
        var r = zone.Rect;
        canvas.DrawText(zone.Label, (float)r.Left, (float)(r.Bottom - 1.2), SKTextAlign.Left, font, text);
        canvas.DrawRect(new SKRect((float)r.Left, (float)(r.Bottom - 0.5), (float)r.Right, (float)(r.Bottom - 0.2)), black);
    }

    private static void DrawBoxLabel(SKCanvas canvas, FormZone zone, FormFonts fonts, SKPaint grey)
    {
        var band = zone.LabelRect!.Value;
        using var font = Font(zone.Kind == ZoneKind.Signature ? fonts.SansBold : fonts.Sans, zone.Kind == ZoneKind.Signature ? 8 : LabelPt);
        canvas.DrawText(zone.Label, (float)band.Left + 0.3f, (float)(band.Bottom - 0.8), SKTextAlign.Left, font, grey);
    }

    /// <summary>A value in its box: 12 pt in the zone's face; if too wide, 11 pt; then the narrower Liberation Sans;
    /// as a last resort shortened with "…" (the reader compares such a value as a prefix).</summary>
    private static void DrawValue(SKCanvas canvas, FormZone zone, string value, SKTypeface face, SKTypeface narrow, SKPaint paint)
    {
        const float padMm = ValuePadMm;
        var width = (float)zone.Rect.Width - 2 * padMm;
        var candidates = new (SKTypeface Face, float Pt)[] { (face, ValuePt), (face, MinValuePt), (narrow, MinValuePt) };

        SKFont? chosen = null;
        var printable = false;
        foreach (var (f, pt) in candidates)
        {
            var font = Font(f, pt);
            if (!font.ContainsGlyphs(value)) { font.Dispose(); continue; }
            printable = true;
            chosen?.Dispose();
            chosen = font;
            if (font.MeasureText(value) <= width) break;
        }
        // The value stays out of the message: it is personal data, and exception messages end up in logs.
        if (!printable || chosen is null)
            throw new ArgumentException($"The value of '{zone.Name}' has characters the form's fonts cannot print.");

        using (chosen)
        {
            var shown = chosen.MeasureText(value) <= width ? value : Shortened(chosen, value, width);
            canvas.DrawText(shown, (float)zone.Rect.Left + padMm, Baseline(zone.Rect, chosen), SKTextAlign.Left, chosen, paint);
        }
    }

    /// <summary>The longest prefix of <paramref name="value"/> that fits <paramref name="width"/> with "…" after it, found
    /// by binary search: the width of prefix + "…" grows with the prefix (advances are not negative), so O(log n)
    /// measurements of at most n characters. Shortening one character per measurement was quadratic: a 40 000-character
    /// surname kept a core busy for 11 s per form (issue 11).</summary>
    private static string Shortened(SKFont font, string value, float width)
    {
        string Candidate(int length) => value[..length].TrimEnd() + "…";
        int lo = 0, hi = value.Length - 1;
        while (lo < hi)
        {
            var mid = lo + (hi - lo + 1) / 2;
            if (font.MeasureText(Candidate(mid)) <= width) lo = mid;
            else hi = mid - 1;
        }
        if (lo > 0 && char.IsHighSurrogate(value[lo - 1])) lo--; // never cut a character in half
        return Candidate(lo);
    }

    /// <summary>Word-wrapped paragraphs with <c>**bold**</c> runs. A text that does not fit its zone is a layout bug
    /// (the texts are fixed), so it throws rather than print over the next zone.</summary>
    private static void DrawParagraphs(SKCanvas canvas, FormZone zone, IEnumerable<string> paragraphs, SKTypeface regular,
        SKTypeface bold, float pt, double lineFactor, double paragraphGapMm, SKPaint paint)
    {
        using var fr = Font(regular, pt);
        using var fb = Font(bold, pt);
        var r = zone.Rect;
        var lineHeight = pt * MmPerPt * lineFactor;
        var y = r.Top + fr.Metrics.CapHeight + (lineHeight - pt * MmPerPt) / 2 + 0.3;
        var space = fr.MeasureText(" ");
        foreach (var paragraph in paragraphs)
        {
            var words = Words(paragraph);
            // Hanging indent for numbered items ("1. ...").
            var indent = paragraph.Length > 2 && char.IsAsciiDigit(paragraph[0]) && paragraph[1] == '.' ? fr.MeasureText("0. ") : 0f;
            var x = (float)r.Left;
            var lineStart = true;
            foreach (var word in words)
            {
                var w = word.Sum(p => (p.Bold ? fb : fr).MeasureText(p.Text));
                if (!lineStart && x + space + w > r.Right)
                {
                    y += lineHeight;
                    x = (float)r.Left + indent;
                    lineStart = true;
                }
                if (!lineStart) x += space;
                foreach (var piece in word)
                {
                    var f = piece.Bold ? fb : fr;
                    if (!f.ContainsGlyphs(piece.Text))
                        throw new InvalidOperationException($"form text of '{zone.Name}' has characters missing from the font: \"{piece.Text}\"");
                    canvas.DrawText(piece.Text, x, (float)y, SKTextAlign.Left, f, paint);
                    x += f.MeasureText(piece.Text);
                }
                lineStart = false;
            }
            y += lineHeight + paragraphGapMm;
        }
        var lastBaseline = y - lineHeight - paragraphGapMm;
        if (lastBaseline + fr.Metrics.Descent > r.Bottom)
            throw new InvalidOperationException($"form layout bug: the text of '{zone.Name}' does not fit its zone ({lastBaseline + fr.Metrics.Descent - r.Top:0.#} mm needed, {r.Height:0.#} mm available)");
    }

    private sealed record Piece(string Text, bool Bold);

    /// <summary>Splits text into words; a word is one or more pieces of one weight each ("**RETRO**," is two pieces).</summary>
    private static List<List<Piece>> Words(string text)
    {
        var words = new List<List<Piece>>();
        var current = new List<Piece>();
        var sb = new StringBuilder();
        var bold = false;
        void FlushPiece() { if (sb.Length > 0) { current.Add(new Piece(sb.ToString(), bold)); sb.Clear(); } }
        void FlushWord() { FlushPiece(); if (current.Count > 0) { words.Add(current); current = []; } }
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '*' && i + 1 < text.Length && text[i + 1] == '*') { FlushPiece(); bold = !bold; i++; }
            else if (text[i] == ' ') FlushWord();
            else sb.Append(text[i]);
        }
        FlushWord();
        return words;
    }

    private static SKFont Font(SKTypeface face, float pt) => new(face, (float)(pt * MmPerPt))
    {
        Subpixel = true,
        Hinting = SKFontHinting.None,
        Edging = SKFontEdging.Antialias,
    };

    /// <summary>Baseline that centres capital letters vertically in the rectangle.</summary>
    private static float Baseline(MmRect r, SKFont font) => (float)(r.CentreY + font.Metrics.CapHeight / 2);

    private static SKRect ToSk(MmRect r) => new((float)r.Left, (float)r.Top, (float)r.Right, (float)r.Bottom);

    private static string Date(DateOnly d) => d.ToString("dd/MM/yyyy", CultureInfo.InvariantCulture);

    /// <summary>Values as printed: Unicode NFC (a decomposed "í" would otherwise print as two glyphs), whitespace
    /// collapsed, control characters dropped.</summary>
    private static string Clean(string? s)
    {
        if (string.IsNullOrWhiteSpace(s)) return "";
        var n = s.Normalize(NormalizationForm.FormC);
        var sb = new StringBuilder(n.Length);
        foreach (var c in n)
        {
            if (char.IsWhiteSpace(c)) { if (sb.Length > 0 && sb[^1] != ' ') sb.Append(' '); }
            else if (!char.IsControl(c)) sb.Append(c);
        }
        return sb.ToString().TrimEnd();
    }

    private static DateOnly ItalianDate(DateTimeOffset at)
    {
        // A container without tzdata has no Europe/Rome: the UTC date is then at most one day off in the header.
        TimeZoneInfo.TryFindSystemTimeZoneById("Europe/Rome", out var rome);
        return DateOnly.FromDateTime(rome is null ? at.UtcDateTime : TimeZoneInfo.ConvertTime(at, rome).DateTime);
    }
}
