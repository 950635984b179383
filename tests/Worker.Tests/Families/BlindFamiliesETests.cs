using System.Text.RegularExpressions;
using OpenCvSharp;

namespace VerifyPipeline.Worker.Tests.Families;

// Inside the namespace: "Families" must bind to the generator's class, not to this test folder's namespace.
using VerifyPipeline.DocumentFamilies;
using VerifyPipeline.Rules.Identity;

/// <summary>
/// The blind held-out <c>-e</c> families (drawn 2026-12-03) are drawn right without running the reader on them: they
/// are exactly the held-out set, the CIE's Code 128 decodes (with ZXing) to the holder's codice fiscale, the MRZs carry
/// valid check digits, each family is deterministic by seed and draws every side at 12 px/mm, and their typefaces are
/// their own (no other family, nor the corpus generator, nor the form, uses them).
/// </summary>
public class BlindFamiliesETests
{
    private static readonly DateOnly AsOf = new(2026, 12, 3);
    private static readonly string[] Ids = ["cie-e", "passport-e", "licence-e", "paper-e"];

    public static TheoryData<string> BlindIds() => [.. Ids];

    [Fact]
    public void HeldOut_IsExactlyTheFourEFamilies_OnePerIdentityType()
    {
        Assert.Equal(Ids, Families.HeldOut.Select(f => f.Id));
        Assert.All(Ids, id => Assert.True(Families.Get(id).HeldOut, id));
        Assert.Equal(
            [DocumentTypes.Cie, DocumentTypes.Passport, DocumentTypes.DrivingLicence, DocumentTypes.PaperId],
            Families.HeldOut.Select(f => f.DocumentType));
        Assert.DoesNotContain(Families.Tuned, f => Ids.Contains(f.Id));
        Assert.All(Families.HeldOut, f => Assert.False(f.FollowsRealLayout));
    }

    [Fact]
    public void Sizes_AreId1ForCards_Td3ForThePassport_AndTheOpenBookletForThePaperCard()
    {
        foreach (var id in new[] { "cie-e", "licence-e" })
        {
            var f = Families.Get(id);
            Assert.Equal((85.6, 53.98), (f.WidthMm, f.HeightMm));
            Assert.Equal(["front", "back"], f.SideNames);
        }
        Assert.Equal((125.0, 88.0), (Families.Get("passport-e").WidthMm, Families.Get("passport-e").HeightMm));
        Assert.Equal((210.0, 74.0), (Families.Get("paper-e").WidthMm, Families.Get("paper-e").HeightMm));
        Assert.Equal(["outside", "inside"], Families.Get("paper-e").SideNames);
    }

    [Theory]
    [InlineData(3), InlineData(17), InlineData(40), InlineData(101), InlineData(977)]
    public void CieE_BackBarcode_DecodesToTheCodiceFiscale_AsDrawn(int seed)
    {
        var person = People.Make(seed);
        using var doc = Families.Draw(Families.Get("cie-e"), person, seed);

        using var drawn = Mat.FromImageData(doc.Side("back").EncodePng(), ImreadModes.Grayscale);
        Assert.Equal(person.CodiceFiscale, Code128.Decode(drawn));
    }

    /// <summary>As for cie-c and cie-d, ZXing on a whole A4 page of a 300 dpi scan misses some barcodes: the bar is
    /// that most scans keep it decodable.</summary>
    [Fact]
    public void CieE_BackBarcode_DecodesToTheCodiceFiscale_OnMostScans()
    {
        var decoded = 0;
        for (var seed = 1; seed <= 8; seed++)
        {
            var person = People.Make(seed);
            using var doc = Families.Draw(Families.Get("cie-e"), person, seed);
            var scan = Captures.Scan(doc, 300, SheetArrangement.SeparatePages, jpeg: false, seed);
            using var page = Mat.FromImageData(scan.Single(f => f.SidesByPage[0].Contains("back")).Bytes, ImreadModes.Grayscale);
            if (Code128.Decode(page) == person.CodiceFiscale) decoded++;
        }
        Assert.True(decoded >= 4, $"{decoded} of 8 scanned barcodes decoded");
    }

    [Theory]
    [InlineData("cie-e"), InlineData("passport-e")]
    public void Mrz_HasValidCheckDigits_AndTheDocumentFields(string id)
    {
        var family = Families.Get(id);
        for (var seed = 0; seed < 200; seed++)
        {
            var f = Families.Describe(family, People.Make(seed), seed);
            var mrz = Mrz.Parse(f.Mrz, AsOf);

            Assert.True(mrz.Valid, $"{string.Join("/", f.Mrz)}: {string.Join("; ", mrz.Errors)}");
            Assert.Equal(id == "cie-e" ? Mrz.Td1 : Mrz.Td3, mrz.Format);
            Assert.Equal(id == "cie-e" ? [30, 30, 30] : new[] { 44, 44 }, f.Mrz.Select(l => l.Length));
            Assert.Equal(f.DocumentNumber, mrz.Fields["document_number"]);
            Assert.Equal(f.BirthDate.ToString("yyyy-MM-dd"), mrz.Fields["birth_date"]);
            Assert.Equal(f.ExpiryDate.ToString("yyyy-MM-dd"), mrz.Fields["expiry_date"]);
            Assert.True(CodiceFiscale.IsValid(f.CodiceFiscale, AsOf), f.CodiceFiscale);
        }
    }

    [Theory]
    [MemberData(nameof(BlindIds))]
    public void Draw_GivesTheSameBytes_ForTheSameSeed_AndOthersForAnother(string id)
    {
        var family = Families.Get(id);
        using var a = Families.Draw(family, People.Make(8), 8);
        using var b = Families.Draw(family, People.Make(8), 8);
        using var c = Families.Draw(family, People.Make(8), 9);

        Assert.Equivalent(Families.Describe(family, People.Make(8), 8), a.Fields, strict: true);
        for (var i = 0; i < a.Sides.Count; i++)
        {
            Assert.Equal(a.Sides[i].EncodePng(), b.Sides[i].EncodePng());
            Assert.NotEqual(a.Sides[i].EncodePng(), c.Sides[i].EncodePng());
        }
    }

    [Theory]
    [MemberData(nameof(BlindIds))]
    public void Draw_RendersEverySide_At12PxPerMm(string id)
    {
        var family = Families.Get(id);
        for (var seed = 30; seed < 33; seed++)
        {
            using var doc = Families.Draw(family, People.Make(seed), seed);
            Assert.Equal(family.SideNames, doc.Sides.Select(s => s.Name));
            foreach (var side in doc.Sides)
            {
                Assert.Equal(12, side.PxPerMm);
                Assert.Equal((int)Math.Round(family.WidthMm * 12), side.Bitmap.Width);
                Assert.Equal((int)Math.Round(family.HeightMm * 12), side.Bitmap.Height);
                using var mat = Mat.FromImageData(side.EncodePng(), ImreadModes.Grayscale);
                using var dark = mat.LessThan(110);
                var ink = (double)Cv2.CountNonZero(dark) / mat.Total();
                Assert.True(ink > 0.002, $"{id} {side.Name} looks blank ({ink:P2} of pixels dark)");
            }
        }
    }

    /// <summary>Blindness in type: the -e drawers use only their own faces (the MRZ's OCR-B aside, which ICAO 9303
    /// prescribes), never another set's faces or the helpers that print in them, and no other drawer, the corpus
    /// generator or the form loads those faces' files.</summary>
    [Fact]
    public void BlindFamilies_UseTypefacesNoOtherFamilyNorTheCorpusNorTheFormUses()
    {
        var root = VerifyPipeline.Worker.Tests.Documents.TestFiles.RepoRoot;
        var blindDir = Path.Combine(root, "tools", "DocumentFamilies", "HeldOutE");
        var blind = Directory.GetFiles(blindDir, "*.cs");
        Assert.Equal(6, blind.Length);
        var foreignFace = new Regex(@"(?<![A-Za-z])(Faces|UrwFaces|FacesD)\.|\.(EuFlag|Stamp|Microtext|Emblem|RoundStamp|Typed|Handwritten|Micro)\(|PrintD\.");
        foreach (var file in blind)
            Assert.DoesNotMatch(foreignFace, File.ReadAllText(file));

        string[] ownFonts = ["/open-sans/", "/lato/", "/charis/", "/cabin/", "/inconsolata/", "/gentium-basic/"];
        var others = new[] { Path.Combine(root, "tools", "DocumentFamilies"), Path.Combine(root, "src", "Corpus"), Path.Combine(root, "src", "Cases") }
            .SelectMany(d => Directory.GetFiles(d, "*.cs", SearchOption.AllDirectories))
            .Where(f => !f.StartsWith(blindDir, StringComparison.Ordinal) && !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal));
        foreach (var file in others)
        {
            var text = File.ReadAllText(file);
            Assert.DoesNotContain(ownFonts, font => text.Contains(font, StringComparison.Ordinal));
        }
        var setup = File.ReadAllText(Path.Combine(root, "scripts", "setup.sh"));
        Assert.All(["fonts-open-sans", "fonts-lato", "fonts-sil-charis", "fonts-cabin", "fonts-inconsolata", "fonts-sil-gentium-basic"],
            pkg => Assert.Contains(pkg, setup));
    }
}
