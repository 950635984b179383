using OpenCvSharp;
using VerifyPipeline.Worker.Reading;

namespace VerifyPipeline.Worker.Tests.Reading;

/// <summary>The margin a comparison crop adds around a signature box: what lies wholly in it is printed matter and is
/// cleared, a stroke that crosses into the box is the signature's and stays whole.</summary>
public sealed class InkTests
{
    [Fact]
    public void ClearMargins_RemovesPrintWhollyInTheMargin_KeepsAStrokeCrossingIntoTheBox()
    {
        // 400 × 140 px, margins of 20 px at the top and the bottom; a tinted paper as on a card.
        using var crop = new Mat(140, 400, MatType.CV_8UC1, Scalar.All(225));
        Cv2.PutText(crop, "LABEL TEXT", new Point(10, 14), HersheyFonts.HersheySimplex, 0.4, Scalar.All(40), 1);
        Cv2.Line(crop, new Point(0, 134), new Point(399, 134), Scalar.All(30), 3);
        Cv2.Line(crop, new Point(200, 4), new Point(230, 110), Scalar.All(30), 4); // a tall letter overflowing the box

        Ink.ClearMargins(crop, 20, 20);

        Assert.True(Dark(crop, new Rect(10, 2, 120, 16)) == 0, "the label wholly above the box is cleared");
        Assert.True(Dark(crop, new Rect(0, 130, 180, 8)) == 0, "the edge wholly below the box is cleared");
        Assert.True(Dark(crop, new Rect(195, 2, 20, 16)) > 20, "the stroke's part above the box is kept");
        Assert.True(Dark(crop, new Rect(205, 40, 30, 60)) > 100, "the stroke inside the box is kept");
    }

    private static int Dark(Mat grey, Rect r)
    {
        using var roi = new Mat(grey, r);
        using var bin = new Mat();
        Cv2.Threshold(roi, bin, 120, 255, ThresholdTypes.BinaryInv);
        return Cv2.CountNonZero(bin);
    }
}
