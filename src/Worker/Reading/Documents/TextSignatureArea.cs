using OpenCvSharp;
using VerifyPipeline.Rules.Facts;

namespace VerifyPipeline.Worker.Reading.Documents;

/// <summary>The holder's signature found beside its printed label on a side read by its text: the crop (only the
/// signature's strokes on white), its ink, and how it was found (for the reviewer).</summary>
public sealed record TextSignature(Mat Crop, InkRead Ink, string How);

public static partial class TextDocumentReader
{
    /// <summary>
    /// The holder's signature on a document of any layout, found the way a person finds it: by its label — FIRMA
    /// (del titolare), SIGNATURE (holder's / of bearer), or a licence's field number 7 — and the handwriting nearest to it,
    /// above, below or beside. Handwriting is ink the OCR did not read as printed words: taller than the page's text,
    /// a thin stroke (a photo or a block of print is dense), not a straight rule. Nothing here knows where a layout puts
    /// it; with no label, or no such ink near one, nothing is found and a person looks (never "no signature").
    /// </summary>
    /// <param name="work">The page flattened (paper white), where text was read.</param>
    /// <param name="plain">The same page before flattening: a photo's dark areas are dark there.</param>
    internal static TextSignature? SignatureNear(Mat work, Mat plain, List<Word> words, DocumentKind kind)
    {
        var confident = words.Where(w => w.Conf >= 0.3).ToList();
        var anchors = confident.Where(w => Like(w.Norm, "FIRMA") || Like(w.Norm, "SIGNATURE") || Like(w.Norm, "SIGNATURA")
            || kind == DocumentKind.DrivingLicence && SevenLabel().IsMatch(w.Raw.Trim())).ToList();
        // The page's text height: the median of confident words' boxes (a signature is several times taller).
        var heights = words.Where(w => w.Conf >= 0.6 && Letters(w.Norm).Length >= 2).Select(w => w.Box.Height).Order().ToList();
        if (heights.Count == 0 && anchors.Count == 0) return null;
        var th = heights.Count > 0 ? heights[heights.Count / 2] : anchors.Select(a => a.Box.Height).Max();
        if (th < 6) return null;

        using var ink = new Mat();
        Cv2.Threshold(work, ink, 150, 255, ThresholdTypes.BinaryInv);
        // Printed words are not handwriting: every box the OCR read with confidence as text of the page's size is cleared.
        // (A title is larger than the text; a signature the OCR turned into letters is read with little confidence.)
        foreach (var w in words.Where(w => w.Conf >= 0.55 && w.Norm.Length >= 2 && w.Box.Height <= 2 * th
                     || w.Conf >= 0.75 && Letters(w.Norm).Length >= 3 || anchors.Contains(w)))
            Cv2.Rectangle(ink, new Rect(w.Box.X - 1, w.Box.Y - 1, w.Box.Width + 2, w.Box.Height + 2), Scalar.Black, -1);
        // Straight rules (a box's frame, an underline) are not handwriting either.
        using (var lines = new Mat())
        using (var hk = Cv2.GetStructuringElement(MorphShapes.Rect, new Size(Math.Max(15, 8 * th), 1)))
        {
            Cv2.MorphologyEx(ink, lines, MorphTypes.Open, hk);
            Cv2.Dilate(lines, lines, null, iterations: 2);
            Cv2.Subtract(ink, lines, ink);
        }
        using var joined = new Mat();
        using (var k = Cv2.GetStructuringElement(MorphShapes.Ellipse, new Size(Math.Max(3, th / 3) | 1, Math.Max(3, th / 3) | 1)))
            Cv2.Dilate(ink, joined, k);
        using var labels = new Mat();
        using var stats = new Mat();
        using var centroids = new Mat();
        var n = Cv2.ConnectedComponentsWithStats(joined, labels, stats, centroids);
        var boxes = new Rect[n];
        var density = new double[n];
        var onPaper = new bool[n];
        using var dark = new Mat();
        Cv2.Threshold(plain, dark, 110, 255, ThresholdTypes.BinaryInv);
        for (var i = 1; i < n; i++)
        {
            boxes[i] = new Rect(stats.At<int>(i, 0), stats.At<int>(i, 1), stats.At<int>(i, 2), stats.At<int>(i, 3));
            using var roi = new Mat(ink, boxes[i]);
            var inkPixels = Cv2.CountNonZero(roi);
            density[i] = (double)inkPixels / Math.Max(1, boxes[i].Width * boxes[i].Height);
            // Handwriting lies on paper: what is dark before flattening is its strokes and little else. A photo's face or
            // clothes are dark areas whose flattened outline only looks like a stroke.
            using var darkRoi = new Mat(dark, boxes[i]);
            onPaper[i] = Cv2.CountNonZero(darkRoi) <= 1.6 * inkPixels + th * th;
        }
        bool Handwriting(int i) => boxes[i].Height >= 1.2 * th && boxes[i].Width >= 2 * th && boxes[i].Height <= 10 * th
            && boxes[i].Width <= 45 * th && density[i] <= 0.3 && onPaper[i];
        static double Gap(Rect a, Rect b) => Math.Sqrt(Math.Pow(Math.Max(0, Math.Max(a.X - b.Right, b.X - a.Right)), 2)
            + Math.Pow(Math.Max(0, Math.Max(a.Y - b.Bottom, b.Y - a.Bottom)), 2));

        if (Environment.GetEnvironmentVariable("VERIFY_SIGNATURE_DEBUG") is { Length: > 0 })
            Console.Error.WriteLine($"handwriting-like th {th}: " + string.Join(" ", Enumerable.Range(1, n - 1).Where(i => boxes[i].Height >= 1.2 * th && boxes[i].Width >= 2 * th)
                .Select(i => $"[{boxes[i].X},{boxes[i].Y} {boxes[i].Width}x{boxes[i].Height} d{density[i]:0.00}{(onPaper[i] ? "" : " photo")}{(Handwriting(i) ? " HW" : "")}]")));
        // The handwriting nearest to a label, within six text heights of it.
        var best = -1; var bestGap = double.MaxValue; Word? anchor = null;
        foreach (var a in anchors)
        {
            var ab = new Rect(a.Box.X, a.Box.Y, a.Box.Width, a.Box.Height);
            for (var i = 1; i < n; i++)
            {
                if (!Handwriting(i)) continue;
                var g = Gap(ab, boxes[i]);
                if (g <= 6 * th && g < bestGap) { best = i; bestGap = g; anchor = a; }
            }
        }
        // No label read (a small or crossed label escapes the OCR): the page's one clear piece of handwriting, the widest
        // when there are several, within the document's print. A wrong pick (a stamp, an emblem) only scores low.
        if (best < 0 && heights.Count > 0)
        {
            var printed = words.Where(w => w.Conf >= 0.6).Select(w => new Rect(w.Box.X, w.Box.Y, w.Box.Width, w.Box.Height)).ToList();
            var area = printed.Aggregate((a, b) => a | b);
            area.Inflate(30 * th, 30 * th); // a card's photo and signature may lie beyond its last printed word
            for (var i = 1; i < n; i++)
                if (Handwriting(i) && boxes[i].Width >= 2.5 * boxes[i].Height && boxes[i].Height >= 2.5 * th && (area & boxes[i]).Width > 0
                    && (best < 0 || boxes[i].Width > boxes[best].Width))
                    best = i;
        }
        if (best < 0) return null;
        // A signature lifts the pen: the strokes close to the chosen one (an initial, a flourish, a dot) are its too.
        var chosen = new HashSet<int> { best };
        var union = boxes[best];
        for (var grew = true; grew;)
        {
            grew = false;
            for (var i = 1; i < n; i++)
            {
                if (chosen.Contains(i) || density[i] > 0.45 || boxes[i].Height > 10 * th) continue;
                if (Gap(union, boxes[i]) > 1.5 * th) continue;
                // A small mark joins only from within the signature's extent (a dot, a detached letter); one beside it is
                // print (a field number, the end of a label).
                var small = boxes[i].Height < 1.5 * th;
                var cx = boxes[i].X + boxes[i].Width / 2; var cy = boxes[i].Y + boxes[i].Height / 2;
                if (small && !(cx > union.X && cx < union.Right && cy > union.Y && cy < union.Bottom)) continue;
                var merged = union | boxes[i];
                if (merged.Width > 50 * th || merged.Height > 12 * th) continue;
                chosen.Add(i); union = merged; grew = true;
            }
        }
        var pad = Math.Max(2, th / 2);
        var cut = new Rect(Math.Max(0, union.X - pad), Math.Max(0, union.Y - pad), 0, 0);
        cut.Width = Math.Min(work.Width, union.Right + pad) - cut.X;
        cut.Height = Math.Min(work.Height, union.Bottom + pad) - cut.Y;

        // The crop keeps the chosen strokes as printed (grey levels) and whitens everything else in the rectangle.
        labels.GetArray(out int[] lab);
        var keep = new byte[cut.Width * cut.Height];
        for (var y = 0; y < cut.Height; y++)
            for (var x = 0; x < cut.Width; x++)
                if (chosen.Contains(lab[(cut.Y + y) * work.Width + cut.X + x])) keep[y * cut.Width + x] = 255;
        using var keepMask = new Mat(cut.Height, cut.Width, MatType.CV_8UC1);
        keepMask.SetArray(keep);
        using var strokes = new Mat(ink, cut);
        Cv2.BitwiseAnd(keepMask, strokes, keepMask);
        Cv2.Dilate(keepMask, keepMask, null); // the strokes' grey edges with them
        var crop = new Mat(cut.Height, cut.Width, MatType.CV_8UC1, Scalar.White);
        using (var src = new Mat(work, cut))
            src.CopyTo(crop, keepMask);
        var measured = Ink.Measure(crop);
        if (anchor is null)
            return new TextSignature(crop, measured, $"signature: the page's widest handwriting, no label read ({union.Width}×{union.Height} px, text {th} px)");
        var where = union.Y >= anchor.Bottom ? "below" : union.Bottom <= anchor.Box.Y ? "above" : union.X >= anchor.Right ? "right of" : "beside";
        return new TextSignature(crop, measured, $"signature {where} the label '{anchor.Raw}' ({union.Width}×{union.Height} px, text {th} px)");
    }

    /// <summary>A licence's field 7 (the holder's signature): "7", "7.", "(7)".</summary>
    [System.Text.RegularExpressions.GeneratedRegex(@"^\(?7(?:\.|\)|\.\))?$")]
    private static partial System.Text.RegularExpressions.Regex SevenLabel();
}
