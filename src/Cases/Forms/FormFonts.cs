using SkiaSharp;

namespace VerifyPipeline.Cases.Forms;

/// <summary>Thrown when a font file the form needs is not installed.</summary>
public sealed class FormFontMissingException(string message) : Exception(message);

/// <summary>
/// The form's typefaces, loaded by file: the SkiaSharp native assets used here have no fontconfig, so nothing is
/// found by family name. DejaVu Sans (large x-height, distinct I/l/1 and O/0 in the mono face) for everything;
/// Liberation Sans, narrower, only when a long value would otherwise not fit its box.
/// </summary>
internal sealed class FormFonts
{
    public const string DejaVuDir = "/usr/share/fonts/truetype/dejavu";
    public const string LiberationDir = "/usr/share/fonts/truetype/liberation2";

    public SKTypeface Sans { get; }
    public SKTypeface SansBold { get; }
    public SKTypeface Mono { get; }
    public SKTypeface Narrow { get; }

    private FormFonts()
    {
        Sans = Load(DejaVuDir, "DejaVuSans.ttf", "fonts-dejavu-core");
        SansBold = Load(DejaVuDir, "DejaVuSans-Bold.ttf", "fonts-dejavu-core");
        Mono = Load(DejaVuDir, "DejaVuSansMono.ttf", "fonts-dejavu-core");
        Narrow = Load(LiberationDir, "LiberationSans-Regular.ttf", "fonts-liberation2");
    }

    private static readonly Lazy<FormFonts> Instance = new(() => new FormFonts());

    /// <summary>The loaded fonts (typefaces are immutable and shared between threads).</summary>
    public static FormFonts Default => Instance.Value;

    private static SKTypeface Load(string dir, string file, string debianPackage)
    {
        var path = Path.Combine(dir, file);
        if (!File.Exists(path))
            throw new FormFontMissingException(
                $"The request form needs the font file {path}, which is missing. Install the Debian package " +
                $"'{debianPackage}' (apt-get install {debianPackage}); the form uses fonts-dejavu-core and fonts-liberation2.");
        return SKTypeface.FromFile(path)
            ?? throw new FormFontMissingException($"The font file {path} could not be loaded (corrupt?). Reinstall the Debian package '{debianPackage}'.");
    }
}
