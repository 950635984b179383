using System.Text.Json;
using OpenCvSharp;
using UglyToad.PdfPig;

namespace VerifyPipeline.Worker.Tests.Families;

// Inside the namespace: "Families" must bind to the generator's class, not to this test folder's namespace.
using VerifyPipeline.DocumentFamilies;
using VerifyPipeline.Rules.Identity;

/// <summary>The independent document generator is sound: valid check digits and codes, every family draws, the same
/// seed gives the same bytes, fax files decode at fax resolution. (Reader accuracy on it is measured elsewhere.)</summary>
public class DocumentFamiliesTests
{
    private static readonly DateOnly AsOf = new(2026, 12, 1);

    public static TheoryData<string> FamilyIds()
    {
        var data = new TheoryData<string>();
        foreach (var f in Families.All) data.Add(f.Id);
        return data;
    }

    [Fact]
    public void All_HasThreeFamiliesPerIdentityType_OneAfterTheRealLayout()
    {
        foreach (var type in new[] { DocumentTypes.Cie, DocumentTypes.Passport, DocumentTypes.DrivingLicence, DocumentTypes.PaperId })
        {
            var families = Families.OfType(type).ToList();
            Assert.True(families.Count >= 3, $"{type}: {families.Count} families");
            Assert.Single(families, f => f.FollowsRealLayout);
        }
        Assert.Single(Families.OfType(DocumentTypes.HealthCard));
        Assert.Equal(Families.All.Count, Families.All.Select(f => f.Id).Distinct().Count());
    }

    [Fact]
    public void HeldOut_IsTheBlindEFamilies_AndTheCAndDFamiliesCountAsTuned()
    {
        // Session 4 tuned the reader on the -c families and session 5 (2026-12-02) on the -d ones: both count as tuned.
        // The -e families were drawn blind on 2026-12-03 and are the held-out set.
        Assert.Equal(["cie-e", "passport-e", "licence-e", "paper-e"], Families.HeldOut.Select(f => f.Id));
        Assert.Equal(Families.All.Where(f => !f.HeldOut), Families.Tuned);
        Assert.Subset(Families.Tuned.Select(f => f.Id).ToHashSet(),
            new HashSet<string> { "cie-c", "passport-c", "licence-c", "paper-c", "cie-d", "passport-d", "licence-d", "paper-d" });
    }

    [Theory]
    [MemberData(nameof(FamilyIds))]
    public void Draw_RendersEverySide_ForEveryFamily(string id)
    {
        var family = Families.Get(id);
        using var doc = Families.Draw(family, People.Make(11), 11);

        Assert.Equal(family.SideNames, doc.Sides.Select(s => s.Name));
        foreach (var side in doc.Sides)
        {
            Assert.Equal((int)Math.Round(family.WidthMm * Families.PxPerMm), side.Bitmap.Width);
            using var mat = Mat.FromImageData(side.EncodePng(), ImreadModes.Grayscale);
            using var dark = mat.LessThan(110);
            var ink = (double)Cv2.CountNonZero(dark) / mat.Total();
            Assert.True(ink > 0.002, $"{id} {side.Name} looks blank ({ink:P2} of pixels dark)");
        }
    }

    [Theory]
    [MemberData(nameof(FamilyIds))]
    public void Draw_GivesValidTruth_ForEveryFamily(string id)
    {
        var family = Families.Get(id);
        for (var seed = 0; seed < 200; seed++)
        {
            var fields = Families.Describe(family, People.Make(seed), seed);

            Assert.True(CodiceFiscale.IsValid(fields.CodiceFiscale, AsOf), fields.CodiceFiscale);
            Assert.Matches(family.DocumentType switch
            {
                DocumentTypes.Cie => "^[A-Z]{2}[0-9]{5}[A-Z]{2}$",
                DocumentTypes.Passport or DocumentTypes.PaperId => "^[A-Z]{2}[0-9]{7}$",
                DocumentTypes.DrivingLicence => "^U1[A-Z]{3}[0-9]{4}[A-Z]$",
                _ => "^[0-9]{20}$",
            }, fields.DocumentNumber);
            Assert.True(fields.ExpiryDate > fields.IssueDate);
        }
    }

    [Theory]
    [InlineData("cie-real"), InlineData("cie-a"), InlineData("cie-b")]
    [InlineData("passport-real"), InlineData("passport-a"), InlineData("passport-b")]
    [InlineData("cie-c"), InlineData("passport-c")]
    [InlineData("cie-d"), InlineData("passport-d")]
    [InlineData("cie-e"), InlineData("passport-e")]
    public void Mrz_HasValidCheckDigits_AndTheDocumentFields(string id)
    {
        var family = Families.Get(id);
        for (var seed = 0; seed < 200; seed++)
        {
            var f = Families.Describe(family, People.Make(seed), seed);

            var mrz = Mrz.Parse(f.Mrz, AsOf);

            Assert.True(mrz.Valid, $"{string.Join("/", f.Mrz)}: {string.Join("; ", mrz.Errors)}");
            Assert.Equal(family.DocumentType == DocumentTypes.Cie ? Mrz.Td1 : Mrz.Td3, mrz.Format);
            Assert.Equal(family.DocumentType == DocumentTypes.Cie ? "CI" : "P", mrz.Fields["document_code"]);
            Assert.Equal("ITA", mrz.Fields["issuing_state"]);
            Assert.Equal(f.DocumentNumber, mrz.Fields["document_number"]);
            Assert.Equal(f.BirthDate.ToString("yyyy-MM-dd"), mrz.Fields["birth_date"]);
            Assert.Equal(f.ExpiryDate.ToString("yyyy-MM-dd"), mrz.Fields["expiry_date"]);
            Assert.Equal(f.Sex, mrz.Fields["sex"]);
            Assert.Equal(f.Surname.Replace("'", ""), mrz.Fields["surname"]);
        }
    }

    [Fact]
    public void Draw_GivesTheSameBytes_ForTheSameSeed()
    {
        var family = Families.Get("cie-real");
        using var a = Families.Draw(family, People.Make(5), 5);
        using var b = Families.Draw(family, People.Make(5), 5);
        using var c = Families.Draw(family, People.Make(5), 6);

        Assert.Equivalent(a.Fields, b.Fields, strict: true);
        Assert.Equivalent(Families.Describe(family, People.Make(5), 5), a.Fields, strict: true);
        Assert.Equal(a.Sides[0].EncodePng(), b.Sides[0].EncodePng());
        Assert.Equal(Captures.Scan150(a, 9)[0].Bytes, Captures.Scan150(b, 9)[0].Bytes);
        Assert.NotEqual(a.Sides[0].EncodePng(), c.Sides[0].EncodePng());
    }

    [Theory]
    [InlineData(FaxMode.Fine, true, 2292)]
    [InlineData(FaxMode.Standard, false, 1146)]
    public void Fax_DecodesWithOpenCv_AtFaxResolution(FaxMode mode, bool g4, int rows)
    {
        using var doc = Families.Draw(Families.Get("licence-real"), People.Make(3), 3);

        var fax = Captures.Fax(doc, mode, g4, 3);

        using var page = Mat.FromImageData(fax.Bytes, ImreadModes.Grayscale);
        Assert.Equal(Captures.FaxWidthPx, page.Cols);
        Assert.Equal(rows, page.Rows);
        Assert.Equal(mode == FaxMode.Fine ? 196 : 98, fax.DpiY);
        Assert.InRange(Cv2.CountNonZero(page.LessThan(128)), 2000, page.Rows * page.Cols / 4);
    }

    [Fact]
    public void Submission_Pdf_HoldsTheFormThenTheDocumentPages()
    {
        var person = People.Make(21);
        using var doc = Families.Draw(Families.Get("paper-real"), person, 21);

        var pdf = Submissions.Build(doc, person, SubmissionKind.Pdf, 21);

        using var read = PdfDocument.Open(pdf.Bytes);
        Assert.Equal(1 + pdf.Label.Sides.Select(s => s.Page).Distinct().Count(), read.NumberOfPages);
        Assert.Equal(1, pdf.Label.FormPage);
        Assert.Equal(["outside", "inside"], pdf.Label.Sides.Select(s => s.Side));
        Assert.Equal(doc.Fields.CodiceFiscale, pdf.Label.Request!.Data.CodiceFiscale);
    }

    [Fact]
    public void WriteSamples_WritesEveryLabelledFile()
    {
        var dir = Path.Combine(Path.GetTempPath(), $"families-{Guid.NewGuid():N}");
        try
        {
            var labels = Families.WriteSamples(dir, 4, ["health-card-a"]);

            using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "labels.json")));
            Assert.Equal(labels.Count, json.RootElement.GetArrayLength());
            Assert.Contains(labels, l => l.Capture == "phone-front");
            Assert.Contains(labels, l => l.Capture == "submission_fax");
            Assert.All(labels, l => Assert.True(new FileInfo(Path.Combine(dir, l.File)).Length > 1000, l.File));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>Independence is the point of the generator: it must not draw on the reader's or the corpus
    /// generator's geometry, so it may not reference the Worker.</summary>
    [Fact]
    public void Generator_DoesNotReferenceTheWorker()
    {
        string[] reader = [typeof(Worker.Reading.SubmissionReader).Assembly.GetName().Name!, typeof(VerifyPipeline.Corpus.CorpusGenerator).Assembly.GetName().Name!];
        Assert.DoesNotContain(typeof(Families).Assembly.GetReferencedAssemblies(), a => reader.Contains(a.Name));
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "VerifyPipeline.sln"))) dir = dir.Parent;
        Assert.NotNull(dir);
        var project = File.ReadAllText(Path.Combine(dir.FullName, "tools", "DocumentFamilies", "DocumentFamilies.csproj"));
        Assert.DoesNotContain(project.Split('\n'), l => l.Contains("ProjectReference", StringComparison.Ordinal) && (l.Contains("Worker", StringComparison.Ordinal) || l.Contains("Corpus", StringComparison.Ordinal)));
    }
}
