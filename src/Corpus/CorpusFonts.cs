using SkiaSharp;

namespace VerifyPipeline.Corpus;

/// <summary>Typefaces of the synthetic documents, loaded by file (the SkiaSharp native assets used have no fontconfig):
/// DejaVu and Liberation for printed text, OCR-B (Debian <c>fonts-ocr-b</c>, ISO 1073-2) for the MRZ, DejaVu Sans
/// Oblique standing in for handwriting.</summary>
internal sealed class CorpusFonts
{
    private const string DejaVu = "/usr/share/fonts/truetype/dejavu";
    private const string Liberation = "/usr/share/fonts/truetype/liberation2";
    public const string OcrBPath = "/usr/share/fonts/opentype/ocr-b/OCRB.otf";

    public SKTypeface Sans { get; } = Load(Path.Combine(DejaVu, "DejaVuSans.ttf"), "fonts-dejavu-core");
    public SKTypeface Bold { get; } = Load(Path.Combine(DejaVu, "DejaVuSans-Bold.ttf"), "fonts-dejavu-core");
    public SKTypeface Condensed { get; } = Load(Path.Combine(DejaVu, "DejaVuSansCondensed.ttf"), "fonts-dejavu-core");
    public SKTypeface CondensedBold { get; } = Load(Path.Combine(DejaVu, "DejaVuSansCondensed-Bold.ttf"), "fonts-dejavu-core");
    public SKTypeface Mono { get; } = Load(Path.Combine(DejaVu, "DejaVuSansMono.ttf"), "fonts-dejavu-core");
    public SKTypeface Hand { get; } = Load(Path.Combine(DejaVu, "DejaVuSans-Oblique.ttf"), "fonts-dejavu-core");
    public SKTypeface Serif { get; } = Load(Path.Combine(Liberation, "LiberationSerif-Regular.ttf"), "fonts-liberation2");
    public SKTypeface SerifBold { get; } = Load(Path.Combine(Liberation, "LiberationSerif-Bold.ttf"), "fonts-liberation2");
    public SKTypeface OcrB { get; } = Load(OcrBPath, "fonts-ocr-b");

    private static readonly Lazy<CorpusFonts> Instance = new(() => new CorpusFonts());

    public static CorpusFonts Default => Instance.Value;

    private static SKTypeface Load(string path, string package)
    {
        if (!File.Exists(path))
            throw new FileNotFoundException($"The corpus generator needs the font file {path}: install the Debian package '{package}' (scripts/setup.sh does).", path);
        return SKTypeface.FromFile(path) ?? throw new InvalidOperationException($"The font file {path} could not be loaded; reinstall '{package}'.");
    }
}
