using OpenCvSharp;
using VerifyPipeline.Worker.Reading;
using VerifyPipeline.Worker.Reading.Documents;

namespace VerifyPipeline.Worker.Tests.Reading;

public sealed class CardLocatorTests
{
    [Fact]
    public void Correlation_EqualsMatchTemplatesCCoeffNormed_WhenTheMapsHaveOneSize()
    {
        var templates = Specimens.Default.Templates;
        var compared = 0;
        foreach (var a in templates)
            foreach (var b in templates.Where(b => b.Grey.Size() == a.Grey.Size()))
            {
                using var map = new Mat();
                Cv2.MatchTemplate(a.Grey, b.Bilevel, map, TemplateMatchModes.CCoeffNormed);
                Assert.Equal(map.At<float>(0, 0), CardLocator.Correlation(a.Grey, b.Bilevel), 4);
                compared++;
            }
        Assert.True(compared > 50, $"{compared} pairs");
    }
}

/// <summary>The print around a photographed form (<see cref="CardLocator.PrintOutside"/>): a bare table has none, so the rest
/// of the photo is not read for nothing; a card beside the sheet has hundreds of mm², so it is read.</summary>
public sealed class PrintAroundAPhotographedFormTests
{
    private static (Mat Photo, Point2f[] Sheet) Table(bool withCard)
    {
        // A 12 px/mm photo: a grey table with a light gradient and grain, a white A4 sheet turned a little, printed lines on it.
        const int w = 3600, h = 4000;
        var pixels = new byte[w * h];
        for (var y = 0; y < h; y++) Array.Fill(pixels, (byte)(110 + 40 * y / h), y * w, w);
        var photo = Mat.FromPixelData(h, w, MatType.CV_8UC1, pixels).Clone();
        using (var grain = new Mat(photo.Size(), MatType.CV_8UC1))
        {
            Cv2.Randn(grain, Scalar.All(0), Scalar.All(4));
            Cv2.Add(photo, grain, photo);
        }
        var sheet = new[] { new Point2f(300, 200), new Point2f(2800, 260), new Point2f(2730, 3800), new Point2f(230, 3740) };
        Cv2.FillConvexPoly(photo, sheet.Select(p => new Point((int)p.X, (int)p.Y)).ToArray(), Scalar.All(245));
        for (var y = 400; y < 3500; y += 60) Cv2.Line(photo, new Point(500, y), new Point(2500, y + 40), Scalar.All(30), 3);
        if (withCard)
        {
            // An ID-1 card (85.6 × 54 mm = 1027 × 648 px) on the table right of the sheet, its text as short strokes.
            Cv2.Rectangle(photo, new Rect(2900, 1500, 648, 1027), Scalar.All(225), -1);
            for (var y = 1560; y < 2480; y += 45)
                for (var x = 2930; x < 3500; x += 70) Cv2.Line(photo, new Point(x, y), new Point(x + 40, y), Scalar.All(40), 4);
        }
        return (photo, sheet);
    }

    [Fact]
    public void ABareTable_HasNoPrintAroundTheSheet()
    {
        var (photo, sheet) = Table(withCard: false);
        using (photo) Assert.True(CardLocator.PrintOutside(photo, sheet, 12) < SubmissionReader.UnplacedPrintMm2, "a bare table counted as print");
    }

    [Fact]
    public void ACardBesideTheSheet_IsPrintAroundIt()
    {
        var (photo, sheet) = Table(withCard: true);
        using (photo) Assert.True(CardLocator.PrintOutside(photo, sheet, 12) > 2 * SubmissionReader.UnplacedPrintMm2);
    }
}
