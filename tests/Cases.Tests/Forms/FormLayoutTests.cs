using VerifyPipeline.Cases.Forms;

namespace VerifyPipeline.Cases.Tests.Forms;

public class FormLayoutTests
{
    [Fact]
    public void Zones_LieInsideThePage_WithTheirLabels()
    {
        var printable = FormLayout.Page.Inflate(-5); // office printers do not print the outer ~5 mm
        foreach (var z in FormLayout.Zones)
            Assert.True(printable.Contains(z.Footprint), $"{z.Name} {z.Footprint} is outside the printable area");
    }

    [Fact]
    public void Zones_DoNotOverlap_WithTheirLabels()
    {
        var zones = FormLayout.Zones;
        for (var i = 0; i < zones.Count; i++)
            for (var j = i + 1; j < zones.Count; j++)
                Assert.False(zones[i].Footprint.Intersects(zones[j].Footprint), $"{zones[i].Name} overlaps {zones[j].Name}");
    }

    [Fact]
    public void ZoneNames_AreUnique()
    {
        var names = FormLayout.Zones.Select(z => z.Name).ToList();
        Assert.Equal(names.Count, names.Distinct().Count());
    }

    [Fact]
    public void Fiducials_AreTheFourCorners_AndNothingIsCloserToACorner()
    {
        Assert.Equal(4, FormLayout.Fiducials.Count);
        var corners = new[] { (0.0, 0.0), (FormLayout.PageWidthMm, 0.0), (0.0, FormLayout.PageHeightMm), (FormLayout.PageWidthMm, FormLayout.PageHeightMm) };
        foreach (var (cx, cy) in corners)
        {
            var nearest = FormLayout.Zones.MinBy(z => Math.Abs(z.Rect.CentreX - cx) + Math.Abs(z.Rect.CentreY - cy))!;
            Assert.Equal(ZoneKind.Fiducial, nearest.Kind);
            Assert.True(Math.Abs(nearest.Rect.CentreX - cx) < 20 && Math.Abs(nearest.Rect.CentreY - cy) < 20, $"{nearest.Name} is not near corner ({cx},{cy})");
        }
        // A rectangle (not just a quadrilateral): the reader's homography is well conditioned.
        var tl = FormLayout.Zone(FormZones.FiducialTopLeft).Rect;
        var br = FormLayout.Zone(FormZones.FiducialBottomRight).Rect;
        Assert.Equal(tl.Top, FormLayout.Zone(FormZones.FiducialTopRight).Rect.Top);
        Assert.Equal(tl.Left, FormLayout.Zone(FormZones.FiducialBottomLeft).Rect.Left);
        Assert.True(br.CentreX - tl.CentreX > 180 && br.CentreY - tl.CentreY > 270);
    }

    [Fact]
    public void Qr_HasModulesOfAtLeastHalfAMillimetre_AndAFourModuleQuietZone()
    {
        Assert.True(FormLayout.QrModuleMm >= 0.5);
        Assert.True(FormLayout.QrQuietZoneModules >= 4);
        Assert.Equal(49, FormLayout.QrSymbolModules);
        Assert.Equal(57 * 0.8, FormLayout.Qr.Rect.Width, 6);
        Assert.Equal(FormLayout.Qr.Rect.Width, FormLayout.Qr.Rect.Height, 6);
    }

    [Fact]
    public void PrintedZones_AreExactlyTheValuesTheRendererPrints()
    {
        var printed = FormLayout.Zones.Where(z => z.Kind == ZoneKind.Printed).Select(z => z.Name).Order();
        var values = FormRenderer.PrintedValues(FormSamples.DAmico()).Keys.Order();
        Assert.Equal(printed, values);
    }

    [Fact]
    public void EveryRequiredBox_IsInTheLayout()
    {
        string[] required =
        [
            FormZones.Surname, FormZones.GivenNames, FormZones.CodiceFiscale, FormZones.BirthDate, FormZones.BirthPlace,
            FormZones.Residence, FormZones.Phone, FormZones.Email, FormZones.PinReference, FormZones.DocumentType,
            FormZones.DocumentNumber, FormZones.DocumentIssuedBy, FormZones.DocumentIssueDate, FormZones.DocumentExpiryDate,
            FormZones.PlaceAndDate, FormZones.Signature,
        ];
        foreach (var name in required)
            Assert.Contains(FormLayout.Boxes, z => z.Name == name);
        Assert.Equal(ZoneKind.Signature, FormLayout.Signature.Kind);
        Assert.True(FormLayout.Signature.Rect.Width >= 60 && FormLayout.Signature.Rect.Height >= 20);
    }

    [Fact]
    public void ToPixels_RoundsOutwards_AtSquareAndFaxResolutions()
    {
        var cf = FormLayout.Zone(FormZones.CodiceFiscale).Rect; // 20 mm, 91.5 mm, 83 × 8 mm
        Assert.Equal(new PixelRect(157, 720, 655, 64), cf.ToPixels(200)); // floor(157.5), floor(720.5), ceil(811.0), ceil(783.5)
        // Fax standard resolution: x floor(160.6) to ceil(827.2), y floor(353.0) to ceil(383.9).
        Assert.Equal(new PixelRect(160, 353, 668, 31), cf.ToPixels(204, 98));
        Assert.Equal((1687, 2339), FormLayout.PageSizePixels(204, 200));
        Assert.Equal((1687, 1146), FormLayout.PageSizePixels(204, 98));
    }
}
