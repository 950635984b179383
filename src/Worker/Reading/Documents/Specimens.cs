using OpenCvSharp;
using SkiaSharp;
using VerifyPipeline.Worker.Corpus;

namespace VerifyPipeline.Worker.Reading.Documents;

/// <summary>
/// Reference images of every document side (the role PRADO's specimen images play for a border officer), drawn by the
/// corpus's document art with a specimen holder and no signature, at the resolution the locator works at
/// (<see cref="LocatePxPerMm"/>): grey for scans and photos, thresholded as a fax machine does for faxes, each also
/// turned by 180° (upside-down pages). Built once per process (≈ 0.1 s).
/// </summary>
public sealed class Specimens : IDisposable
{
    public const double LocatePxPerMm = 2;

    public sealed record Template(DocumentLayout Layout, bool Turned, Mat Grey, Mat Bilevel);

    private static readonly Lazy<Specimens> Shared = new(() => new Specimens(), LazyThreadSafetyMode.ExecutionAndPublication);

    public static Specimens Default => Shared.Value;

    public IReadOnlyList<Template> Templates { get; }

    private Specimens()
    {
        var holder = People.Create(new Random(20240803), "specimen", new DateOnly(2026, 1, 1), 0, "ROSSI", 'F');
        var people = new Dictionary<string, Person> { [holder.Id] = holder };
        var art = new DocumentArt(people, "specimen-key-not-used-for-reading-00000000");
        var templates = new List<Template>();
        foreach (var layout in DocumentLayouts.All)
        {
            using var grey = Render(art, holder, layout, LocatePxPerMm);
            foreach (var turned in new[] { false, true })
            {
                var g = grey.Clone();
                if (turned) Cv2.Rotate(g, g, RotateFlags.Rotate180);
                using var b = new Mat();
                Cv2.Threshold(g, b, 165, 255, ThresholdTypes.Binary);
                templates.Add(new Template(layout, turned, Structure(g), Structure(b)));
                g.Dispose();
            }
        }
        Templates = templates;
    }

    /// <summary>What the locator compares: ink against its surroundings (the grey image subtracted from a 2 mm blur of
    /// itself, negatives cut), lightly smoothed. The card's tint, gradient and lighting drop out; what is left is where
    /// the print is — the layout, which is what tells a CIE front from a licence front from a back.</summary>
    public static Mat Structure(Mat grey, double pxPerMm = LocatePxPerMm)
    {
        using var f = new Mat();
        grey.ConvertTo(f, MatType.CV_32F);
        using var blurred = new Mat();
        Cv2.GaussianBlur(f, blurred, new Size(0, 0), 2 * pxPerMm);
        var hp = new Mat();
        Cv2.Subtract(blurred, f, hp);
        Cv2.Threshold(hp, hp, 0, 0, ThresholdTypes.Tozero);
        Cv2.GaussianBlur(hp, hp, new Size(0, 0), 0.5 * pxPerMm);
        return hp;
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

    public void Dispose()
    {
        foreach (var t in Templates) { t.Grey.Dispose(); t.Bilevel.Dispose(); }
    }
}
