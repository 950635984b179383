using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using OpenCvSharp;
using VerifyPipeline.Cases.Forms;
using VerifyPipeline.Worker.Reading.Mrz;
using VerifyPipeline.Worker.Reading.Ocr;

namespace VerifyPipeline.Worker.Reading.Documents;

/// <summary>A field as read: the OCR text, the value parsed from it (null when it does not parse), and the confidence
/// (Tesseract's mean word confidence, lowered when the text does not have the field's shape).</summary>
public sealed record FieldRead(string Name, string Raw, string? Value, double Confidence, MmRect Zone);

/// <summary>Everything read from one located side.</summary>
public sealed record SideRead(
    int Page, DocumentLayout Layout, double Score, string How, IReadOnlyList<FieldRead> Fields, MrzImageRead? Mrz,
    InkRead? Signature, Mat? SignatureCrop, double SourcePxPerMm, double? TextHeightPx) : IDisposable
{
    public FieldRead? Field(string name) => Fields.FirstOrDefault(f => f.Name == name);

    public void Dispose() => SignatureCrop?.Dispose();
}

/// <summary>
/// Reads a straightened side by its layout: each field zone cut out, its paper flattened, OCR'd by Tesseract as one line
/// with the field's character set (zone OCR: ≈ 20–40 ms a field instead of seconds for a page); the MRZ by the OCR-B
/// reader on its band; the holder's signature box measured for ink and kept as a crop for the comparison.
/// </summary>
public static partial class CardReader
{
    private const string Upper = "ABCDEFGHIJKLMNOPQRSTUVWXYZÀÈÉÌÒÙ' -";

    public static SideRead Read(int page, LocatedSide side, OcrEngine ocr, DateOnly asOf, CancellationToken ct = default)
    {
        var layout = side.Layout;
        var fields = new List<FieldRead>();
        var heights = new List<double>();
        if (Environment.GetEnvironmentVariable("VERIFY_READ_DUMP") is { Length: > 0 } cardDump)
        {
            Directory.CreateDirectory(cardDump);
            Cv2.ImWrite(Path.Combine(cardDump, $"p{page}-{layout.Specimen}.png"), side.Card);
        }
        foreach (var zone in layout.Fields)
        {
            ct.ThrowIfCancellationRequested();
            using var crop = Cut(side.Card, zone.Rect);
            if (crop.Empty()) continue;
            using var whole = Ink.Flatten(crop);
            // Names only: a speck there becomes a trailing letter nothing can catch; in codes, numbers and dates a
            // fragment of a glyph (a Q's tail, a fax's broken 0) is worth more than the dust (measured: Q read as O).
            if (zone.Format == "name") RemoveSpecks(whole);
            // The code's zone has slack on every side for placement errors; only its line is read (the label above
            // and the card's edge read as letters).
            using var flat = zone.Format == "cf" ? new Mat(whole, TextBand(whole)).Clone() : whole.Clone();
            if (Environment.GetEnvironmentVariable("VERIFY_READ_DUMP") is { Length: > 0 } dump)
            {
                Directory.CreateDirectory(dump);
                Cv2.ImWrite(Path.Combine(dump, $"p{page}-{layout.Specimen}-{zone.Name}.png"), crop);
            }
            if (TextHeight(flat) is { } h) heights.Add(h * side.SourcePxPerMm / CardLocator.CardPxPerMm);
            ocr.SetWhitelist(zone.Format switch
            {
                "date" => "0123456789./",
                "sex" => "MF",
                "cf" or "number" => "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 ",
                "name" => Upper,
                _ => null,
            });
            ocr.SetImage(flat.Data, flat.Width, flat.Height, (int)flat.Step(), (int)Math.Round(CardLocator.CardPxPerMm * 25.4));
            var text = ocr.Read(null, Ocr.PageSegMode.SingleLine);
            var raw = text.Text.Trim();
            var (value, shapeOk) = zone.Format == "number" ? ParseNumber(layout, raw) : Parse(zone.Format, raw);
            var confidence = text.MeanConfidence / 100.0 * (shapeOk ? 1 : 0.5);
            var scored = zone is { Format: "text", Name: "birth" } ? "birth" : zone.Format;
            if (shapeOk && scored is "date" or "number" or "name" or "birth" && ValueConfidence(ocr, scored, raw, value) is { } own)
                confidence = own;
            if (zone.Format == "cf" && value is null)
            {
                var again = ReadCodiceFiscaleAgain(ocr, flat, raw, text.MeanConfidence / 100.0);
                (raw, value) = (again.Raw, again.Value);
                if (again.Value is not null) confidence = again.Confidence;
            }
            fields.Add(new FieldRead(zone.Name, raw, value, Math.Round(confidence, 3), zone.Rect));
        }
        ocr.SetWhitelist(null);

        MrzImageRead? mrz = null;
        if (layout.Mrz is { } mz)
        {
            using var band = Cut(side.Card, mz);
            mrz = MrzImageReader.Read(band, asOf, TimeSpan.FromSeconds(1));
        }

        InkRead? ink = null;
        Mat? signature = null;
        if (layout.Signature is { } sr)
        {
            using (var box = Cut(side.Card, sr))
                ink = Ink.Measure(box);
            // The comparison's crop adds 1.5 mm above and below the box: signatures overflow their box and the card is
            // located to about a millimetre, so the box alone cut off tall letters and tails (genuine pairs lost score).
            // What lies wholly in that margin (the label, the field above, the card's edge) is cleared; a stroke that
            // crosses into the box is the signature's.
            var top = Math.Min(1.5, sr.Y);
            signature = Cut(side.Card, new MmRect(sr.X, sr.Y - top, sr.Width, sr.Height + top + 1.5));
            var s = CardLocator.CardPxPerMm;
            Ink.ClearMargins(signature, (int)((top + 0.5) * s), (int)(2.0 * s));
        }
        double? textHeight = heights.Count == 0 ? null : Math.Round(heights.Order().ElementAt(heights.Count / 2), 1);
        return new SideRead(page, layout, side.Score, side.How, fields, mrz, ink, signature, side.SourcePxPerMm, textHeight);
    }

    internal static Mat Cut(Mat card, MmRect mm)
    {
        var s = CardLocator.CardPxPerMm;
        var x = Math.Clamp((int)(mm.X * s), 0, card.Width - 1);
        var y = Math.Clamp((int)(mm.Y * s), 0, card.Height - 1);
        var w = Math.Clamp((int)(mm.Width * s), 1, card.Width - x);
        var h = Math.Clamp((int)(mm.Height * s), 1, card.Height - y);
        return new Mat(card, new Rect(x, y, w, h)).Clone();
    }

    /// <summary>A codice fiscale read again after the first reading did not validate: the readings (joined for the
    /// report), the value accepted from them (null when none is) and its confidence.</summary>
    internal sealed record CfRead(string Raw, string? Value, double Confidence);

    /// <summary>
    /// Below <see cref="Rules.Thresholds.MinFieldConfidence"/> (0.80): a code that took one substitution is shown to the
    /// reviewer but never relied upon by a rule — the check character makes a wrong one unlikely, not impossible.
    /// </summary>
    private const double SubstitutedCfConfidence = 0.6;

    /// <summary>
    /// Tesseract's mean confidence covers every word of the line: a stray mark beside a value that parses (a fax's speck
    /// read as "." or "0" after "05/07/2037", an apostrophe after a surname) drags a sure value under the rules' threshold
    /// — measured on faxed licences: expiry dates read right at 0.43–0.47. When the line holds more than the value, the
    /// value's own characters are scored: the lowest of their symbol confidences (one more recognition of the same
    /// image, only then). A misread character inside the value still lowers it. Null when the line is only the value or the value is not found again —
    /// except for a document number, always scored by its characters: Tesseract's word confidence of an exact licence
    /// number on a fax was 0.42–0.65, while each of the three numbers misread among the corpus's 91 CIE and licence faxes
    /// had a character under 0.20 (`verify eval`, 2026-12-02).
    /// </summary>
    internal static double? ValueConfidence(OcrEngine ocr, string format, string raw, string? value)
    {
        var compact = new string(raw.Where(c => !char.IsWhiteSpace(c)).ToArray());
        var onlyValue = format switch
        {
            "date" => DateText().Match(compact) is { Success: true } dm && dm.Length == compact.Length,
            "name" => value is not null && compact == value.Replace(" ", "", StringComparison.Ordinal),
            _ => false, // the birth line holds a place besides its date; a number: see above
        };
        if (onlyValue || value is null) return null;
        var symbols = ocr.ReadSymbols(Ocr.PageSegMode.SingleLine);
        var joined = string.Concat(symbols.Select(x => x.Text));
        int start, length;
        if (format == "date")
        {
            if (DateText().Match(joined) is not { Success: true } m) return null;
            (start, length) = (m.Index, m.Length);
        }
        else if (format == "birth")
        {
            // The licence's field 3 and the CIE's birth line: "dd/MM/yy PLACE (PR)"; the rules use only the date.
            if (BirthDateText().Match(joined) is not { Success: true } m) return null;
            (start, length) = (m.Index, m.Length);
        }
        else if (format == "name")
        {
            start = joined.IndexOf(value.Replace(" ", "", StringComparison.Ordinal), StringComparison.Ordinal);
            if (start < 0) return null;
            length = value.Replace(" ", "", StringComparison.Ordinal).Length;
        }
        else
        {
            // The number's characters are the line's letters and digits, in one run (ParseNumber drops the rest).
            var run = Regex.Match(joined, "[A-Z0-9]{6,}");
            if (!run.Success || run.Length != value.Length) return null;
            (start, length) = (run.Index, run.Length);
        }
        // Symbols are usually one character each; map character offsets back to symbols.
        var confidences = new List<double>();
        var at = 0;
        foreach (var symbol in symbols)
        {
            if (at + symbol.Text.Length > start && at < start + length) confidences.Add(symbol.Confidence);
            at += symbol.Text.Length;
        }
        // The least sure character, as Tesseract's word confidence is: one doubtful digit makes the value doubtful.
        return confidences.Count == 0 ? null : Math.Round(confidences.Min() / 100.0, 3);
    }

    /// <summary>
    /// Reads the code's line again, prepared otherwise, and a character at a time, then lets
    /// <see cref="CfCandidates.Pick"/> decide. Only called when the first read has no valid code, so a clean capture
    /// pays nothing; stops as soon as two readings validate as the same code. Order: the preparations that gave the
    /// right code most often on the corpus's faxes and photos first (thickened, thickened and enlarged, cells).
    /// </summary>
    private static CfRead ReadCodiceFiscaleAgain(OcrEngine ocr, Mat flat, string firstRaw, double firstConfidence)
    {
        var log = Environment.GetEnvironmentVariable("VERIFY_CF_LOG") is { Length: > 0 };
        var raws = new List<string> { firstRaw };
        var confidences = new List<double> { firstConfidence };
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        if (log) Console.Error.WriteLine($"cfr\tfirst\t{firstRaw}\t{firstConfidence}");
        var cells = new List<string>();
        string[]? cellAlternatives = null;
        foreach (var (name, read) in CfReadings(ocr, flat))
        {
            var (text, confidence, alternatives) = read();
            if (text is null) continue;
            raws.Add(text);
            confidences.Add(confidence);
            if (alternatives is not null)
            {
                cells.Add(text);
                cellAlternatives = cellAlternatives is null ? alternatives : cellAlternatives.Zip(alternatives, (a, b) => a + b).ToArray();
            }
            if (log) Console.Error.WriteLine($"cfr\t{name}\t{text}\t{confidence}\t{string.Join(",", alternatives ?? [])}");
            if (!log && CfCandidates.Pick(raws, [], null, today) is { Confirmed: true, Code: { } early })
                return new CfRead(string.Join(" | ", raws), early, Agreeing(early));
        }
        var pick = CfCandidates.Pick(raws, cells, cellAlternatives, today);
        var accepted = pick.Code is null ? 0 : pick.Confirmed ? Agreeing(pick.Code) : SubstitutedCfConfidence;
        return new CfRead(string.Join(" | ", raws), pick.Code, accepted);

        // A confirmed code: the best confidence of the readings that gave it.
        double Agreeing(string code) => raws.Select((r, i) => (r, i)).Where(x => CfCandidates.Repair(x.r) == code).Max(x => confidences[x.i]);
    }

    /// <summary>The readings of the code's line after the first, each run only when asked for: name, then text (null
    /// when none), mean confidence 0–1 and, for a cell reading, the alternatives per position (null for a line).</summary>
    private static IEnumerable<(string Name, Func<(string? Text, double Confidence, string[]? Alternatives)> Read)> CfReadings(OcrEngine ocr, Mat flat)
    {
        (string?, double, string[]?) Line(Mat m, double scale)
        {
            ocr.SetImage(m.Data, m.Width, m.Height, (int)m.Step(), (int)Math.Round(CardLocator.CardPxPerMm * 25.4 * scale));
            var t = ocr.Read(null, Ocr.PageSegMode.SingleLine);
            return (t.Text.Trim(), t.MeanConfidence / 100.0, null);
        }
        (string?, double, string[]?) Cells(Mat m, double scale) =>
            ReadCfByCells(ocr, m, CardLocator.CardPxPerMm * scale) is { } c ? (c.Text, c.Confidence, c.Alternatives) : (null, 0, null);

        // Thin strokes of a light typeface broken by a fax's thresholding: thickened by a 2×2 minimum.
        using var k = Cv2.GetStructuringElement(MorphShapes.Rect, new Size(2, 2));
        using var thick = new Mat();
        Cv2.Erode(flat, thick, k);
        yield return ("thick", () => Line(thick, 1));
        using var bigThick = new Mat();
        Cv2.Resize(thick, bigThick, new Size(flat.Width * 2, flat.Height * 2), 0, 0, InterpolationFlags.Linear);
        Cv2.GaussianBlur(bigThick, bigThick, new Size(3, 3), 0);
        yield return ("big-thick", () => Line(bigThick, 2));
        yield return ("cells", () => Cells(flat, 1));
        using var big = new Mat();
        Cv2.Resize(flat, big, new Size(flat.Width * 2, flat.Height * 2), 0, 0, InterpolationFlags.Cubic);
        yield return ("big", () => Line(big, 2));
        // More cell readings (enlarged and smoothed; thickened): their agreement on the body is what lets the check
        // character be changed (CfCandidates.Pick).
        using var bigSmooth = new Mat();
        Cv2.Resize(flat, bigSmooth, new Size(flat.Width * 2, flat.Height * 2), 0, 0, InterpolationFlags.Linear);
        Cv2.GaussianBlur(bigSmooth, bigSmooth, new Size(5, 5), 0);
        yield return ("big-smooth-cells", () => Cells(bigSmooth, 2));
        yield return ("thick-cells", () => Cells(thick, 1));
        yield return ("big-smooth", () => Line(bigSmooth, 2));
        using var smooth = new Mat();
        Cv2.GaussianBlur(flat, smooth, new Size(3, 3), 0);
        yield return ("smooth", () => Line(smooth, 1));
    }

    /// <summary>
    /// The code read a character at a time: the CIE prints it in a monospaced face, so its 16 glyphs sit at a fixed
    /// pitch between the first glyph's left and the last one's right. The 16 cells are laid apart on white and read as
    /// one line, symbol by symbol; each cell's symbol is the most confident LSTM choice its position can hold
    /// (<see cref="CfCandidates.Allowed"/>), which a plain line reading cannot be told (it reads the thin L of a fax as
    /// "I " and merges or splits glyphs; Tesseract's single-character mode mostly returned nothing). Null when the line
    /// does not look like 16 glyphs.
    /// </summary>
    private static CellsRead? ReadCfByCells(OcrEngine ocr, Mat flat, double pxPerMm = CardLocator.CardPxPerMm)
    {
        var glyphs = Glyphs(flat);
        if (glyphs.Count < 8) return null;
        var h = glyphs.Select(b => b.Height).Order().ElementAt(glyphs.Count / 2);
        glyphs = glyphs.Where(b => b.Height >= 0.6 * h).ToList();
        var left = glyphs.Min(b => b.X);
        var right = glyphs.Max(b => b.Right);
        var w = glyphs.Select(b => b.Width).Order().ElementAt(glyphs.Count / 2);
        var pitch = (right - left - w) / 15.0;
        // Monospaced capitals are about 0.6 em wide and as tall as 0.7 em: a pitch far from the glyphs' height is not 16 glyphs.
        if (pitch < 0.5 * h || pitch > 1.2 * h) return null;
        // The cells laid side by side with a gap of half a glyph between them, on white: one line, 16 separate glyphs.
        var gap = Math.Max(6, h / 2);
        var cellW = (int)Math.Ceiling(pitch);
        using var line = new Mat(flat.Height + 2 * gap, 16 * (cellW + gap) + gap, MatType.CV_8UC1, Scalar.White);
        for (var i = 0; i < 16; i++)
        {
            var x0 = Math.Clamp((int)Math.Round(left + i * pitch + w / 2.0 - pitch / 2.0), 0, flat.Width - 1);
            var x1 = Math.Clamp(x0 + cellW, x0 + 1, flat.Width);
            using var cell = new Mat(flat, new Rect(x0, 0, x1 - x0, flat.Height));
            using var slot = new Mat(line, new Rect(gap + i * (cellW + gap), gap, x1 - x0, flat.Height));
            cell.CopyTo(slot);
        }
        if (Environment.GetEnvironmentVariable("VERIFY_READ_DUMP") is { Length: > 0 } dump) Cv2.ImWrite(Path.Combine(dump, "cf-cells.png"), line);
        ocr.SetImage(line.Data, line.Width, line.Height, (int)line.Step(), (int)Math.Round(pxPerMm * 25.4));
        var symbols = ocr.ReadSymbols(Ocr.PageSegMode.SingleLine);
        if (symbols.Count == 0) return null;
        var confidence = symbols.Average(s => s.Confidence) / 100.0;
        // Each cell takes the symbols centred in it (the LSTM sometimes splits a glyph in two, or sees none); of their
        // choices the most confident one its position can hold is the reading, the others it can hold the alternatives.
        var chosen = new char[16];
        var alternatives = new string[16];
        for (var i = 0; i < 16; i++)
        {
            var (from, to) = (gap + i * (cellW + gap) - gap / 2, gap + i * (cellW + gap) + cellW + gap / 2);
            var allowed = CfCandidates.Allowed(i);
            var inCell = symbols.Where(s => s.Box.X + s.Box.Width / 2 is var cx && cx >= from && cx < to).ToList();
            var fitting = inCell.SelectMany(s => s.Choices.Prepend((s.Text, s.Confidence)))
                .Where(c => c.Text.Length == 1 && allowed.Contains(c.Text[0]))
                .OrderByDescending(c => c.Confidence).DistinctBy(c => c.Text).ToList();
            // Nothing it can hold: the symbol as read, for CfCandidates.Repair to settle (a 0 where a letter belongs).
            var best = inCell.OrderByDescending(s => s.Confidence).FirstOrDefault(s => s.Text.Length == 1);
            chosen[i] = fitting.Count > 0 ? fitting[0].Text[0] : best?.Text[0] ?? '?';
            // The LSTM lists most shapes at well under 1 %: only a real contender (≥ 5 %) may be substituted, each
            // further candidate being one more chance for a misread code to validate.
            alternatives[i] = string.Concat(fitting.Skip(1).Where(c => c.Confidence >= 5).Select(c => c.Text));
        }
        return new CellsRead(new string(chosen), alternatives, confidence);
    }

    /// <summary>The code read cell by cell: the text ('?' where nothing fitting was seen), per position the other
    /// characters Tesseract weighed that the position can hold, the mean symbol confidence (0–1).</summary>
    private sealed record CellsRead(string Text, string[] Alternatives, double Confidence);


    /// <summary>The rows and columns of a flattened zone holding its line of text: the components as tall as the line's
    /// median glyph and level with it, padded by half a glyph left and right, a quarter above and below. A label's smaller print above or below and stray dots
    /// are left out. The whole zone when no glyphs are seen.</summary>
    internal static Rect TextBand(Mat flat)
    {
        var all = new Rect(0, 0, flat.Width, flat.Height);
        var boxes = Glyphs(flat);
        if (boxes.Count < 2) return all;
        var h = boxes.Select(b => b.Height).Order().ElementAt(boxes.Count / 2);
        var line = boxes.Where(b => b.Height >= 0.6 * h && b.Height <= 1.6 * h).ToList();
        var cy = line.Select(b => b.Y + b.Height / 2.0).Order().ElementAt(line.Count / 2);
        line = line.Where(b => Math.Abs(b.Y + b.Height / 2.0 - cy) < 0.5 * h).ToList();
        if (line.Count == 0) return all;
        // A quarter glyph above and below: a label's baseline can be as close as half a glyph (the CIE's code).
        var (padX, padY) = (Math.Max(4, h / 2), Math.Max(4, h / 4));
        var x0 = Math.Max(0, line.Min(b => b.X) - padX);
        var y0 = Math.Max(0, line.Min(b => b.Y) - padY);
        var x1 = Math.Min(flat.Width, line.Max(b => b.Right) + padX);
        var y1 = Math.Min(flat.Height, line.Max(b => b.Bottom) + padY);
        return new Rect(x0, y0, x1 - x0, y1 - y0);
    }

    /// <summary>Bounding boxes of the glyph-sized dark components of a flattened zone (at least 8 px tall, 12 px/mm).</summary>
    private static List<Rect> Glyphs(Mat flat)
    {
        using var bin = new Mat();
        Cv2.Threshold(flat, bin, 150, 255, ThresholdTypes.BinaryInv);
        using var labels = new Mat();
        using var stats = new Mat();
        using var centroids = new Mat();
        var n = Cv2.ConnectedComponentsWithStats(bin, labels, stats, centroids);
        var boxes = new List<Rect>();
        for (var i = 1; i < n; i++)
        {
            var r = new Rect(stats.At<int>(i, 0), stats.At<int>(i, 1), stats.At<int>(i, 2), stats.At<int>(i, 3));
            if (r.Height >= 8 && stats.At<int>(i, 4) >= 20 && r.Height < flat.Height - 2) boxes.Add(r);
        }
        return boxes;
    }

    /// <summary>Whitens isolated dark specks (≤ 12 px and ≤ 4 px tall at 12 px/mm, i.e. under 0.35 mm, with no larger
    /// ink within 3 px): a fax's dithered background and scanner dust, which Tesseract reads as trailing letters
    /// ("COLOMBO I"). A fragment beside a glyph (a Q's tail, a broken stroke of a fax) stays; print is larger anyway
    /// (an apostrophe or an accent of 2 mm capitals covers ≥ 20 px).</summary>
    internal static void RemoveSpecks(Mat flat)
    {
        using var bin = new Mat();
        Cv2.Threshold(flat, bin, 150, 255, ThresholdTypes.BinaryInv);
        using var labels = new Mat();
        using var stats = new Mat();
        using var centroids = new Mat();
        var n = Cv2.ConnectedComponentsWithStats(bin, labels, stats, centroids, PixelConnectivity.Connectivity8);
        bool IsSpeck(int i) => stats.At<int>(i, 4) <= 12 && stats.At<int>(i, 3) <= 4;
        var specks = Enumerable.Range(1, n - 1).Where(IsSpeck).ToList();
        if (specks.Count == 0) return;
        Rect Box(int i) => new(stats.At<int>(i, 0), stats.At<int>(i, 1), stats.At<int>(i, 2), stats.At<int>(i, 3));
        // Paints component i, within its box, with a value.
        void Paint(Mat image, int i, double value)
        {
            using var part = new Mat(labels, Box(i));
            using var mask = new Mat();
            Cv2.Compare(part, i, mask, CmpTypes.EQ);
            using var roi = new Mat(image, Box(i));
            roi.SetTo(value, mask);
        }
        using var large = bin.Clone();
        foreach (var i in specks) Paint(large, i, 0);
        using var near = new Mat();
        using var k = Cv2.GetStructuringElement(MorphShapes.Rect, new Size(7, 7));
        Cv2.Dilate(large, near, k);
        foreach (var i in specks)
        {
            using var nearby = new Mat(near, Box(i));
            if (Cv2.CountNonZero(nearby) == 0) Paint(flat, i, 255);
        }
    }

    /// <summary>Median height of the glyph-sized dark components of a flattened line (pixels at 12 px/mm).</summary>
    private static double? TextHeight(Mat flat)
    {
        var hs = Glyphs(flat).Select(r => r.Height).Order().ToList();
        return hs.Count < 2 ? null : hs[hs.Count / 2];
    }

    /// <summary>The value of a field's text and whether the text has the field's shape.</summary>
    internal static (string? Value, bool ShapeOk) Parse(string format, string raw)
    {
        var t = raw.Replace('\n', ' ').Trim();
        switch (format)
        {
            case "date":
                var m = DateText().Match(t);
                if (!m.Success) return (null, false);
                var ok = DateOnly.TryParseExact($"{m.Groups[1].Value.PadLeft(2, '0')}.{m.Groups[2].Value.PadLeft(2, '0')}.{m.Groups[3].Value}",
                    "dd.MM.yyyy", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d);
                return ok ? (d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), true) : (null, false);
            case "sex":
                return t is "M" or "F" ? (t, true) : (null, false);
            case "cf":
                // A code whose check character does not hold is known to be misread: no value (the raw text stays in the report).
                var cf = CfCandidates.Repair(t);
                return CfCandidates.IsPlausible(cf, DateOnly.FromDateTime(DateTime.UtcNow)) ? (cf, true) : (null, false);
            case "number":
                var n = t.Replace(" ", "", StringComparison.Ordinal);
                return n.Length is >= 6 and <= 12 ? (n, true) : (n.Length == 0 ? null : n, false);
            case "name":
                // A name neither begins nor ends with an apostrophe or a hyphen (D'ANGELO, not D'): at the ends they are
                // specks of the card's print read as punctuation (measured on faxes: "FERRI '").
                var name = Regex.Replace(t, " {2,}", " ").Trim(' ', '\'', '-');
                return name.Length >= 2 && name.All(c => Upper.Contains(c)) ? (name, true) : (name.Length == 0 ? null : name, false);
            default:
                return (t.Length == 0 ? null : t, t.Length > 0);
        }
    }

    /// <summary>The document numbers' published patterns (L = letter, D = digit): CIE LLDDDDDLL, passport LLDDDDDDD,
    /// licence LLDDDDDDDL, paper card LLDDDDDDD. A read of the right length has the usual confusions (O/0, I/1, S/5, B/8,
    /// Z/2, G/6) put right by position; any other length does not have the shape.</summary>
    internal static (string? Value, bool ShapeOk) ParseNumber(DocumentLayout layout, string raw)
    {
        var t = new string(raw.Where(char.IsLetterOrDigit).ToArray()).ToUpperInvariant();
        var pattern = layout.Kind switch
        {
            Rules.Facts.DocumentKind.Cie => "LLDDDDDLL",
            Rules.Facts.DocumentKind.Passport => "LLDDDDDDD",
            Rules.Facts.DocumentKind.DrivingLicence => "LLDDDDDDDL",
            Rules.Facts.DocumentKind.PaperId => "LLDDDDDDD",
            _ => null,
        };
        if (t.Length == 0) return (null, false);
        if (pattern is null || t.Length != pattern.Length) return (t, false);
        var chars = t.ToCharArray();
        for (var i = 0; i < chars.Length; i++)
            chars[i] = pattern[i] == 'D'
                ? chars[i] switch { 'O' or 'D' or 'Q' => '0', 'I' or 'L' => '1', 'Z' => '2', 'S' => '5', 'B' => '8', 'G' => '6', _ => chars[i] }
                : chars[i] switch { '0' => 'O', '1' => 'I', '2' => 'Z', '5' => 'S', '8' => 'B', '6' => 'G', _ => chars[i] };
        var fixedText = new string(chars);
        var ok = fixedText.Select((c, i) => pattern[i] == 'D' ? char.IsDigit(c) : char.IsLetter(c)).All(b => b);
        return (fixedText, ok);
    }

    [GeneratedRegex(@"(\d{1,2})[./](\d{1,2})[./](\d{4})")]
    private static partial Regex DateText();

    [GeneratedRegex(@"\d{2}[./]\d{2}[./](\d{4}|\d{2})")]
    private static partial Regex BirthDateText();
}
