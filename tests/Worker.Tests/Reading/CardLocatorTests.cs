using OpenCvSharp;
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
