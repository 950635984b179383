using OpenCvSharp;
using SkiaSharp;
using VerifyPipeline.Corpus;
using VerifyPipeline.Worker.Reading.Documents;

namespace VerifyPipeline.Cli;

/// <summary><c>verify specimens --out DIR</c>: draws the locator's specimen images (one PNG per side, grey, at the
/// locator's 2 px/mm) with the corpus's default document art and a specimen holder, to be committed under
/// src/Worker/Reading/Documents/Specimens/. The reader embeds the images as data; it never draws them, so no production
/// assembly depends on the generator.</summary>
public static class SpecimensCommand
{
    public static int Run(string[] args)
    {
        if (args.Length != 2 || args[0] != "--out") throw new UsageException("specimens needs --out DIR");
        var dir = args[1];
        Directory.CreateDirectory(dir);
        var holder = People.Create(new Random(20240803), "specimen", new DateOnly(2026, 1, 1), 0, "ROSSI", 'F');
        var art = new DocumentArt(new Dictionary<string, Person> { [holder.Id] = holder }, "specimen-key-not-used-for-reading-00000000");
        foreach (var layout in DocumentLayouts.All)
        {
            using var grey = Render(art, holder, layout, Specimens.LocatePxPerMm);
            Cv2.ImWrite(Path.Combine(dir, $"{layout.Specimen}.png"), grey);
        }
        Console.WriteLine($"{DocumentLayouts.All.Count} specimen images written to {dir}");
        return Commands.Ok;
    }

    /// <summary>One side of a specimen document of <paramref name="holder"/> drawn at <paramref name="pxPerMm"/> on white, as an 8-bit grey Mat.</summary>
    internal static Mat Render(DocumentArt art, Person holder, DocumentLayout layout, double pxPerMm)
    {
        var kind = layout.Specimen switch
        {
            SpecimenKind.CieFront or SpecimenKind.CieBack => DocKind.Cie,
            SpecimenKind.PassportData => DocKind.Passport,
            SpecimenKind.LicenceFront or SpecimenKind.LicenceBack => DocKind.DrivingLicence,
            SpecimenKind.PaperIdInside or SpecimenKind.PaperIdOutside => DocKind.PaperId,
            _ => DocKind.HealthCard,
        };
        return Render(art, IdDocuments.Create(new Random(7), kind, holder, new DateOnly(2026, 1, 1), false, null), layout, pxPerMm);
    }

    /// <summary>One side of <paramref name="doc"/> drawn at <paramref name="pxPerMm"/> on white, as an 8-bit grey Mat.</summary>
    internal static Mat Render(DocumentArt art, IdDocument doc, DocumentLayout layout, double pxPerMm)
    {
        var kind = doc.Kind;
        var content = kind == DocKind.Passport ? "passport_data" : layout.Side == Rules.Facts.DocumentSide.Front ? "id_front" : "id_back";
        var item = new PageItem(content, 0, layout.Side == Rules.Facts.DocumentSide.Front ? "front" : "back");
        int w = (int)Math.Round(layout.WidthMm * pxPerMm), h = (int)Math.Round(layout.HeightMm * pxPerMm);
        using var bitmap = new SKBitmap(new SKImageInfo(w, h, SKColorType.Bgra8888, SKAlphaType.Premul));
        using (var canvas = new SKCanvas(bitmap))
        {
            canvas.Clear(SKColors.White);
            canvas.Scale((float)pxPerMm);
            art.Draw(canvas, item, new PlannedDocument(CorpusPlanner.Snake(kind), null, doc), 1);
        }
        using var bgra = Mat.FromPixelData(h, w, MatType.CV_8UC4, bitmap.GetPixels(), bitmap.RowBytes);
        var grey = new Mat();
        Cv2.CvtColor(bgra, grey, ColorConversionCodes.BGRA2GRAY);
        return grey;
    }

}
