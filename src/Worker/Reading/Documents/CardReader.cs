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
        foreach (var zone in layout.Fields)
        {
            ct.ThrowIfCancellationRequested();
            using var crop = Cut(side.Card, zone.Rect);
            if (crop.Empty()) continue;
            using var flat = Ink.Flatten(crop);
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

    /// <summary>Median height of the glyph-sized dark components of a flattened line (pixels at 12 px/mm).</summary>
    private static double? TextHeight(Mat flat)
    {
        using var bin = new Mat();
        Cv2.Threshold(flat, bin, 150, 255, ThresholdTypes.BinaryInv);
        using var labels = new Mat();
        using var stats = new Mat();
        using var centroids = new Mat();
        var n = Cv2.ConnectedComponentsWithStats(bin, labels, stats, centroids);
        var hs = new List<int>();
        for (var i = 1; i < n; i++)
        {
            var h = stats.At<int>(i, (int)ConnectedComponentsTypes.Height);
            var a = stats.At<int>(i, (int)ConnectedComponentsTypes.Area);
            if (h >= 8 && a >= 20 && h < flat.Height - 2) hs.Add(h);
        }
        return hs.Count < 2 ? null : hs.Order().ElementAt(hs.Count / 2);
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
                var cf = DigitsWhereDigits(t.Replace(" ", "", StringComparison.Ordinal));
                return Rules.Identity.CodiceFiscale.IsValid(cf, DateOnly.FromDateTime(DateTime.UtcNow)) ? (cf, true) : (null, false);
            case "number":
                var n = t.Replace(" ", "", StringComparison.Ordinal);
                return n.Length is >= 6 and <= 12 ? (n, true) : (n.Length == 0 ? null : n, false);
            case "name":
                var name = Regex.Replace(t, " {2,}", " ");
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

    /// <summary>A codice fiscale's digit positions (7, 8, 10, 11, 13–15; omocodia letters allowed there are L M N P Q R S T U V)
    /// cannot hold O, I, Z, B: those are OCR confusions of 0, 1, 2, 8. Position 9 (month) and the letters stay.</summary>
    internal static string DigitsWhereDigits(string cf)
    {
        if (cf.Length != 16) return cf;
        var chars = cf.ToCharArray();
        foreach (var i in new[] { 6, 7, 9, 10, 12, 13, 14 })
            chars[i] = chars[i] switch { 'O' or 'D' => '0', 'I' => '1', 'Z' => '2', 'B' => '8', 'G' => '6', _ => chars[i] };
        return new string(chars);
    }

    [GeneratedRegex(@"(\d{1,2})[./](\d{1,2})[./](\d{4})")]
    private static partial Regex DateText();
}
