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
