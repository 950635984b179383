using OpenCvSharp;
using SkiaSharp;
using VerifyPipeline.Cli;
using VerifyPipeline.Rules.Identity;
using VerifyPipeline.Worker.Reading.Mrz;
using VerifyPipeline.Worker.Tests.Documents;

namespace VerifyPipeline.Worker.Tests.Reading;

/// <summary>MRZ from images: real specimens of 03_mrz with the text the MANIFEST gives, a real photo with no text given
/// (valid as a whole), a non-document, and synthetic OCR-B zones under rotation, blur and noise.</summary>
public sealed class MrzImageReaderTests
{
    private static readonly DateOnly AsOf = ReadingBench.MrzAsOf;

    [Theory]
    [InlineData("images_passporteye/tests__passport-td3.png")]
    [InlineData("images_passporteye/tests__passport-td2.png")]
    [InlineData("images_arg0s1080_mrz/passports_Czech_Republic.png")]
    [InlineData("images_arg0s1080_mrz/other_TD2_ICAO_Example.png")]
    public void ReadsTheZoneTheManifestGives(string file)
    {
        var expected = ReadingBench.MrzManifest(TestFiles.Real("03_mrz/MANIFEST.tsv"))[file]!;
        var r = MrzImageReader.Read(TestFiles.Real("03_mrz/" + file), AsOf);

        Assert.True(r.Valid, string.Join("|", r.Lines));
        Assert.Equal(expected, r.Correction!.Text);
        Assert.InRange(r.Seconds, 0, 5);
    }

    [Theory]
    [InlineData("images_passporteye/testdata__100_pass-ltu.jpg", "TD3", "BASANAVICIENE")]
    [InlineData("images_passporteye/testdata__53_id-d.jpg", "TD1", "MUSTERMANN")]
    public void ReadsARealPhotoValidAsAWhole(string file, string format, string surname)
    {
        var r = MrzImageReader.Read(TestFiles.Real("03_mrz/" + file), AsOf);

        Assert.True(r.Valid, string.Join("|", r.Lines));
        Assert.Equal(format, r.Result!.Format);
        Assert.Equal(surname, r.Result.Fields["surname"]);
    }

    [Theory]
    [InlineData("ITA", true)]
    [InlineData("GBR", true)]
    [InlineData("D<<", true)]
    [InlineData("UTO", true)]
    [InlineData("GDR", false)]
    [InlineData("EQY", false)]
    public void KnowsTheStateCodes(string code, bool known) => Assert.Equal(known, StateCodes.IsKnown(code));

    [Fact]
    public void FindsNoValidZone_InANonDocument()
    {
        var r = MrzImageReader.Read(TestFiles.Real("03_mrz/images_passporteye/tests__pacman.png"), AsOf);
        Assert.False(r.Valid);
    }

    [Theory]
    [InlineData(0.0, 0.0, 0)]
    [InlineData(2.5, 1.0, 8)]
    [InlineData(-4.0, 1.5, 14)]
    public void ReadsASyntheticTd1Zone(double angle, double blur, int noise)
    {
        string[] lines = ["I<ITACA12345AB", "850101", "F300101", "ROSSI<BIANCHI<<MARIA<GRAZIA<<<"];
        lines[0] = (lines[0] + Mrz.CheckDigit(lines[0][5..])).PadRight(30, '<');
        var l2 = lines[1] + Mrz.CheckDigit(lines[1]) + lines[2][..1] + lines[2][1..] + Mrz.CheckDigit(lines[2][1..]) + "ITA";
        l2 = l2.PadRight(29, '<');
        lines = [lines[0], l2 + Mrz.CheckDigit(lines[0][5..30] + l2[..7] + l2[8..15] + l2[18..29]), lines[3]];
        Assert.True(Mrz.Parse(lines, AsOf).Valid);

        using var img = RenderCardBack(lines, angle, blur, noise, seed: noise);
        var r = MrzImageReader.Read(img, AsOf);

        Assert.True(r.Valid, string.Join("|", r.Lines));
        Assert.Equal(string.Join('\n', lines), r.Correction!.Text);
    }

    /// <summary>A card back at 300 dpi (85.6 × 54 mm) with some printed text and the TD1 zone on the ICAO grid.</summary>
    internal static Mat RenderCardBack(IReadOnlyList<string> mrz, double angle, double blur, int noise, int seed)
    {
        const float mm = 300f / 25.4f;
        int w = (int)(85.6f * mm), h = (int)(54f * mm);
        using var bmp = new SKBitmap(new SKImageInfo(w + 200, h + 200, SKColorType.Gray8, SKAlphaType.Opaque));
        using (var c = new SKCanvas(bmp))
        {
            c.Clear(new SKColor(90, 90, 90));
            using var card = new SKPaint { Color = new SKColor(235, 235, 235) };
            c.DrawRect(100, 100, w, h, card);
            using var ocrb = SKTypeface.FromFile(OcrBGlyphs.FontPath);
            using var sans = SKTypeface.FromFile("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf");
            using var ink = new SKPaint { Color = SKColors.Black, IsAntialias = true };
            using var small = new SKFont(sans, 2.2f * mm);
            c.DrawText("CODICE FISCALE  RSSMGR85A41H501Z", 100 + 5 * mm, 100 + 8 * mm, SKTextAlign.Left, small, ink);
            c.DrawText("INDIRIZZO DI RESIDENZA  VIA ROMA 1, MILANO", 100 + 5 * mm, 100 + 13 * mm, SKTextAlign.Left, small, ink);
            using var font = new SKFont(ocrb, 3.2f * mm);
            var left = 100 + (85.6f - 30 * 2.54f) / 2 * mm;
            for (var i = 0; i < mrz.Count; i++)
                for (var k = 0; k < mrz[i].Length; k++)
                    c.DrawText(mrz[i][k].ToString(), left + (k + 0.5f) * 2.54f * mm, 100 + (54f - 3.2f - (2 - i) * 4.23f) * mm,
                        SKTextAlign.Center, font, ink);
        }
        var mat = Mat.FromPixelData(bmp.Height, bmp.Width, MatType.CV_8UC1, bmp.GetPixels()).Clone();
        using var rot = Cv2.GetRotationMatrix2D(new Point2f(mat.Width / 2f, mat.Height / 2f), angle, 1);
        Cv2.WarpAffine(mat, mat, rot, mat.Size(), InterpolationFlags.Linear, BorderTypes.Replicate);
        if (blur > 0) Cv2.GaussianBlur(mat, mat, new Size(0, 0), blur);
        if (noise > 0)
        {
            var rnd = new Random(seed);
            var px = new byte[mat.Rows * mat.Cols];
            System.Runtime.InteropServices.Marshal.Copy(mat.Data, px, 0, px.Length);
            for (var i = 0; i < px.Length; i++)
            {
                // Box–Muller: Gaussian noise of the given standard deviation.
                var g = Math.Sqrt(-2 * Math.Log(1 - rnd.NextDouble())) * Math.Cos(2 * Math.PI * rnd.NextDouble());
                px[i] = (byte)Math.Clamp(px[i] + g * noise, 0, 255);
            }
            System.Runtime.InteropServices.Marshal.Copy(px, 0, mat.Data, px.Length);
        }
        return mat;
    }
}
