using OpenCvSharp;

namespace VerifyPipeline.Worker.Reading;

/// <summary>Whether a box holds handwriting: <see cref="Ratio"/> of ink pixels (darker than 60 % of the local paper) in
/// strokes of at least a speck's size, and the confidence of the verdict (1 far from the band, 0.5 inside it).</summary>
public sealed record InkRead(bool Present, double Confidence, double Ratio, int Strokes);

public static class Ink
{
    /// <summary>Signature boxes at 12 px/mm: an empty box (paper, guilloche, fax speckle, a frame remnant) measures
    /// < 0.2 % ink; the thinnest synthetic signature ≈ 1.5 %, real ones more. Between 0.3 % and 0.8 % nobody should
    /// decide without looking.</summary>
    public const double AbsentBelow = 0.003, PresentFrom = 0.008;

    public static InkRead Measure(Mat grey)
    {
        using var norm = Flatten(grey);
        using var ink = new Mat();
        Cv2.Threshold(norm, ink, 150, 255, ThresholdTypes.BinaryInv);
        // Straight rules (a box's frame, a card's printed line) are not handwriting: long thin runs are removed first.
        using (var lines = new Mat())
        using (var hk = Cv2.GetStructuringElement(MorphShapes.Rect, new Size(Math.Max(15, grey.Width / 4), 1)))
        {
            Cv2.MorphologyEx(ink, lines, MorphTypes.Open, hk);
            Cv2.Dilate(lines, lines, null, iterations: 2);
            Cv2.Subtract(ink, lines, ink);
        }
        using var labels = new Mat();
        using var stats = new Mat();
        using var centroids = new Mat();
        var n = Cv2.ConnectedComponentsWithStats(ink, labels, stats, centroids);
        long inkPixels = 0;
        var strokes = 0;
        var minArea = Math.Max(12, grey.Width * grey.Height / 4000);
        for (var i = 1; i < n; i++)
        {
            var area = stats.At<int>(i, (int)ConnectedComponentsTypes.Area);
            var w = stats.At<int>(i, (int)ConnectedComponentsTypes.Width);
            var h = stats.At<int>(i, (int)ConnectedComponentsTypes.Height);
            if (area < minArea) continue;
            // A straight frame remnant along the box: long and one stroke thin.
            if ((w > grey.Width * 0.8 && h < 6) || (h > grey.Height * 0.8 && w < 6)) continue;
            inkPixels += area;
            strokes++;
        }
        var ratio = (double)inkPixels / Math.Max(1, grey.Width * grey.Height);
        if (ratio >= PresentFrom) return new InkRead(true, Math.Min(1, 0.85 + ratio * 5), ratio, strokes);
        if (ratio < AbsentBelow) return new InkRead(false, 0.95, ratio, strokes);
        return new InkRead(ratio >= (AbsentBelow + PresentFrom) / 2, 0.5, ratio, strokes);
    }

    /// <summary>Whitens (paints with the local paper) every ink stroke lying wholly within the top <paramref name="topPx"/>
    /// or the bottom <paramref name="bottomPx"/> rows of <paramref name="grey"/>: the margin a comparison crop adds around
    /// a signature box. A signature that overflows its box crosses the box's edge and is kept whole; what lies wholly
    /// outside it is printed matter (a label, the field above, the card's edge) or a frame.</summary>
    public static void ClearMargins(Mat grey, int topPx, int bottomPx)
    {
        using var norm = Flatten(grey);
        using var ink = new Mat();
        Cv2.Threshold(norm, ink, 150, 255, ThresholdTypes.BinaryInv);
        using var labels = new Mat();
        using var stats = new Mat();
        using var centroids = new Mat();
        var n = Cv2.ConnectedComponentsWithStats(ink, labels, stats, centroids);
        var clear = new bool[n];
        var any = false;
        for (var i = 1; i < n; i++)
        {
            var top = stats.At<int>(i, (int)ConnectedComponentsTypes.Top);
            var bottom = top + stats.At<int>(i, (int)ConnectedComponentsTypes.Height);
            clear[i] = bottom <= topPx || top >= grey.Height - bottomPx;
            any |= clear[i];
        }
        if (!any) return;
        labels.GetArray(out int[] lab);
        var mask = new byte[lab.Length];
        for (var p = 0; p < lab.Length; p++) mask[p] = clear[lab[p]] ? (byte)255 : (byte)0;
        using var m = new Mat(grey.Rows, grey.Cols, MatType.CV_8UC1);
        m.SetArray(mask);
        Cv2.Dilate(m, m, null, iterations: 2);
        using var bg = new Mat();
        using (var k = Cv2.GetStructuringElement(MorphShapes.Rect, new Size(15, 15)))
            Cv2.Dilate(grey, bg, k);
        bg.CopyTo(grey, m);
    }

    /// <summary>Light print on a dark band (a coloured header, a dark table head: "DRIVING LICENCE · PATENTE DI GUIDA"
    /// white on red) turned into dark print on light paper, in place, so that flattening and OCR see it as they see the
    /// rest. A band is a solid dark area 1.5–15 mm tall, at least 15 mm and three times its height wide, holding light
    /// print; at the reading scale (10–12 px/mm) strokes of text are thinner than the 0.75 mm opening that finds bands,
    /// and a holder's photo or a table behind a photographed card is taller than any band. Returns how many were turned.</summary>
    public static int InvertDarkBands(Mat grey)
    {
        using var dark = new Mat();
        Cv2.Threshold(grey, dark, 128, 255, ThresholdTypes.BinaryInv);
        using (var open = Cv2.GetStructuringElement(MorphShapes.Ellipse, new Size(9, 9)))
            Cv2.MorphologyEx(dark, dark, MorphTypes.Open, open);
        using (var close = Cv2.GetStructuringElement(MorphShapes.Rect, new Size(25, 25)))
            Cv2.MorphologyEx(dark, dark, MorphTypes.Close, close);
        using var labels = new Mat();
        using var stats = new Mat();
        using var centroids = new Mat();
        var n = Cv2.ConnectedComponentsWithStats(dark, labels, stats, centroids);
        var turned = 0;
        for (var i = 1; i < n; i++)
        {
            var x = stats.At<int>(i, (int)ConnectedComponentsTypes.Left);
            var y = stats.At<int>(i, (int)ConnectedComponentsTypes.Top);
            var w = stats.At<int>(i, (int)ConnectedComponentsTypes.Width);
            var h = stats.At<int>(i, (int)ConnectedComponentsTypes.Height);
            var area = stats.At<int>(i, (int)ConnectedComponentsTypes.Area);
            if (h < 18 || h > 180 || w < 180 || w < 3 * h || area < 0.6 * w * h) continue;
            var rect = new Rect(x, y, w, h);
            using var mask = new Mat();
            using (var labelsHere = new Mat(labels, rect)) Cv2.Compare(labelsHere, new Scalar(i), mask, CmpTypes.EQ);
            using var region = new Mat(grey, rect);
            using var light = new Mat();
            Cv2.Threshold(region, light, 128, 255, ThresholdTypes.Binary);
            Cv2.BitwiseAnd(light, mask, light);
            var share = (double)Cv2.CountNonZero(light) / Math.Max(1, Cv2.CountNonZero(mask));
            if (share < 0.03 || share > 0.5) continue; // no print in it, or mostly light: not a band
            using var inverted = new Mat();
            Cv2.BitwiseNot(region, inverted);
            inverted.CopyTo(region, mask);
            turned++;
        }
        return turned;
    }

    /// <summary>The grey image divided by its paper (a max filter wider than a stroke): tinted cards, shadows and uneven
    /// light become white, ink stays dark.</summary>
    public static Mat Flatten(Mat grey)
    {
        using var bg = new Mat();
        using var k = Cv2.GetStructuringElement(MorphShapes.Rect, new Size(15, 15));
        Cv2.Dilate(grey, bg, k);
        Cv2.Blur(bg, bg, new Size(9, 9));
        var norm = new Mat();
        Cv2.Divide(grey, bg, norm, 255);
        return norm;
    }
}
