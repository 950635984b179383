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
