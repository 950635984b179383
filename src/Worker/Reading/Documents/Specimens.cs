using System.Reflection;
using OpenCvSharp;

namespace VerifyPipeline.Worker.Reading.Documents;

/// <summary>
/// Reference images of document sides (the role PRADO's specimen images play for a border officer) at the resolution the
/// locator works at (<see cref="LocatePxPerMm"/>): grey for scans and photos, thresholded as a fax machine does for
/// faxes, each also turned by 180° (upside-down pages). They are data, not code: PNG files embedded in this assembly
/// (Reading/Documents/Specimens/, one per <see cref="SpecimenKind"/>; `verify specimens --out DIR` redraws them). They
/// let the locator place sides of the layouts they show quickly and read them by zones; a side they do not place, or
/// place without its print confirming it, is read by its text (<see cref="TextDocumentReader"/>) — a layout is never
/// a condition for reading. Built once per process.
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
        var templates = new List<Template>();
        foreach (var layout in DocumentLayouts.All)
        {
            using var grey = Load(layout.Specimen);
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

    /// <summary>The embedded specimen image of one side, 8-bit grey at <see cref="LocatePxPerMm"/>.</summary>
    public static Mat Load(SpecimenKind kind)
    {
        var name = $"VerifyPipeline.Worker.Reading.Documents.Specimens.{kind}.png";
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"The specimen image {name} is not embedded in the assembly.");
        using var ms = new MemoryStream();
        stream.CopyTo(ms);
        var grey = Cv2.ImDecode(ms.ToArray(), ImreadModes.Grayscale);
        if (grey.Empty()) throw new InvalidOperationException($"The specimen image {name} does not decode.");
        return grey;
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

    public void Dispose()
    {
        foreach (var t in Templates) { t.Grey.Dispose(); t.Bilevel.Dispose(); }
    }
}
