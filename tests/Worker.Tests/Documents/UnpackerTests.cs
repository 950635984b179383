using System.Diagnostics;
using System.IO.Compression;
using VerifyPipeline.Cases;
using VerifyPipeline.Rules;
using VerifyPipeline.Worker.Documents;

namespace VerifyPipeline.Worker.Tests.Documents;

public sealed class UnpackerTests : IDisposable
{
    private readonly TempDir _temp = new();
    private string WorkDir => _temp.File("work");

    public void Dispose() => _temp.Dispose();

    /// <summary>A minimal PDF header: the Unpacker only sniffs, it does not parse.</summary>
    private static readonly byte[] PdfBytes = "%PDF-1.4\n% test\n"u8.ToArray();

    [Theory]
    [InlineData("scans/page1.pdf", "scans/page1.pdf")]
    [InlineData("../../etc/passwd.pdf", "etc/passwd.pdf")]
    [InlineData("..\\..\\..\\Temp\\evil.pdf", "Temp/evil.pdf")]
    [InlineData("/abs/path/x.pdf", "abs/path/x.pdf")]
    [InlineData("C:\\Windows\\x.pdf", "Windows/x.pdf")]
    [InlineData("a/./b//c.pdf", "a/b/c.pdf")]
    [InlineData("bad\u0001name\n.pdf", "bad_name_.pdf")]
    [InlineData("invoice\u202Efdp.exe", "invoice_fdp.exe")]
    [InlineData("..", "")]
    [InlineData("", "")]
    public void SanitiseEntryPath_RemovesTraversalRootsDrivesAndControlCharacters(string key, string expected)
    {
        Assert.Equal(expected, Unpacker.SanitiseEntryPath(key));
    }

    [Fact]
    public void Unpack_ReturnsTheInputItself_WhenNotAnArchive()
    {
        var pdf = _temp.File("scan.pdf");
        File.WriteAllBytes(pdf, PdfBytes);

        var result = Unpacker.Unpack(pdf, "scan.pdf", FileKind.Pdf, new UnpackBudget(), WorkDir, default);

        var file = Assert.Single(result.Files);
        Assert.Equal(("scan.pdf", pdf, FileKind.Pdf, PdfBytes.Length), (file.Source, file.Path, file.Kind, (int)file.SizeBytes));
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(PdfBytes)), file.Sha256);
    }

    [Fact]
    public void Unpack_MeasuresTheArchiveNotTheLink_WhenTheArchiveIsReachedThroughASymbolicLink()
    {
        var zip = MakeZip("bundle.zip", ("scan.pdf", PdfBytes), ("page.png", Png1x1));
        var link = _temp.File("link.zip");
        File.CreateSymbolicLink(link, zip);

        var result = Unpacker.Unpack(link, "link.zip", FileKind.Zip, new UnpackBudget(), WorkDir, default);

        Assert.Equal(["link.zip/scan.pdf", "link.zip/page.png"], result.Files.Select(f => f.Source));
    }

    [Fact]
    public void Unpack_WritesGeneratedNamesInsideWorkDir_WhenEntryPathsTraverse()
    {
        var zip = MakeZip("bundle.zip", ("../../outside.pdf", PdfBytes), ("/abs/scan.png", Png1x1), ("notes.txt", "hello"u8.ToArray()));

        var result = Unpacker.Unpack(zip, "bundle.zip", FileKind.Zip, new UnpackBudget(), WorkDir, default);

        Assert.Equal(["bundle.zip/outside.pdf", "bundle.zip/abs/scan.png"], result.Files.Select(f => f.Source));
        Assert.All(result.Files, f => Assert.Equal(Path.GetFullPath(WorkDir), Path.GetDirectoryName(Path.GetFullPath(f.Path))));
        Assert.All(result.Files, f => Assert.StartsWith("part-", Path.GetFileName(f.Path)));
        Assert.Equal([FileKind.Pdf, FileKind.Png], result.Files.Select(f => f.Kind));
        Assert.False(File.Exists(Path.Combine(_temp.Path, "..", "outside.pdf")));
        Assert.Contains(result.Notes, n => n.Contains("notes.txt") && n.Contains("not a PDF"));
        Assert.Contains(result.Notes, n => n.Contains("unsafe"));
    }

    [Fact]
    public void Unpack_RejectsQuicklyWithoutWritingIt_WhenAnEntryIsA300MiBBomb()
    {
        // 300 MiB of zeros after a PDF header compresses to ~300 KB: the ratio budget stops it after ~60 MB at most.
        var zip = _temp.File("bomb.zip");
        using (var archive = ZipFile.Open(zip, ZipArchiveMode.Create))
        using (var entry = archive.CreateEntry("scan.pdf", CompressionLevel.SmallestSize).Open())
        {
            entry.Write(PdfBytes);
            var zeros = new byte[1024 * 1024];
            for (int i = 0; i < 300; i++) entry.Write(zeros);
        }
        var sw = Stopwatch.StartNew();

        var e = Assert.Throws<BadInputException>(() => Unpacker.Unpack(zip, "bomb.zip", FileKind.Zip, new UnpackBudget(), WorkDir, default));

        Assert.Equal(ReasonCodes.UnreadableFile, e.ReasonCode);
        Assert.Contains("expands more than 200 times", e.Message);
        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(10), $"took {sw.Elapsed}");
        long written = Directory.GetFiles(WorkDir).Sum(f => new FileInfo(f).Length);
        Assert.True(written < 70L * 1024 * 1024, $"wrote {written} bytes");
    }

    [Fact]
    public void Unpack_Rejects_WhenAnEntryIsOverTheEntryBudget()
    {
        var big = new byte[3 * 1024 * 1024];
        Random.Shared.NextBytes(big); // incompressible: only the size budget can stop it
        PdfBytes.CopyTo(big, 0);
        var zip = MakeZip("big.zip", ("big.pdf", big));

        var e = Assert.Throws<BadInputException>(() =>
            Unpacker.Unpack(zip, "big.zip", FileKind.Zip, new UnpackBudget(MaxEntryBytes: 2 * 1024 * 1024), WorkDir, default));

        Assert.Contains("larger than 2 MiB", e.Message);
    }

    [Fact]
    public void Unpack_Rejects_WhenTheTotalIsOverBudget()
    {
        var part = new byte[1024 * 1024];
        Random.Shared.NextBytes(part);
        PdfBytes.CopyTo(part, 0);
        var zip = MakeZip("many.zip", ("a.pdf", part), ("b.pdf", part), ("c.pdf", part));

        var e = Assert.Throws<BadInputException>(() =>
            Unpacker.Unpack(zip, "many.zip", FileKind.Zip, new UnpackBudget(MaxTotalBytes: 2 * 1024 * 1024 + 100), WorkDir, default));

        Assert.Contains("more than 2 MiB", e.Message);
    }

    [Fact]
    public void Unpack_Rejects_WhenThereAreMoreEntriesThanAllowed()
    {
        var zip = MakeZip("lots.zip", Enumerable.Range(0, 5).Select(i => ($"p{i}.pdf", PdfBytes)).ToArray());

        var e = Assert.Throws<BadInputException>(() =>
            Unpacker.Unpack(zip, "lots.zip", FileKind.Zip, new UnpackBudget(MaxEntries: 4), WorkDir, default));

        Assert.Contains("more than 4 files", e.Message);
    }

    [Fact]
    public void Unpack_ReadsOneNestedLevel_AndNamesTheSourceThroughIt()
    {
        var inner = MakeZip("inner.zip", ("scan.pdf", PdfBytes));
        var outer = MakeZip("outer.zip", ("docs/inner.zip", File.ReadAllBytes(inner)), ("front.png", Png1x1));

        var result = Unpacker.Unpack(outer, "outer.zip", FileKind.Zip, new UnpackBudget(), WorkDir, default);

        Assert.Equal(["outer.zip/docs/inner.zip/scan.pdf", "outer.zip/front.png"], result.Files.Select(f => f.Source));
        Assert.All(result.Files, f => Assert.True(File.Exists(f.Path)));
    }

    [Fact]
    public void Unpack_Rejects_WhenArchivesNestTwoLevelsDeep()
    {
        var innermost = MakeZip("c.zip", ("scan.pdf", PdfBytes));
        var middle = MakeZip("b.zip", ("c.zip", File.ReadAllBytes(innermost)));
        var outer = MakeZip("a.zip", ("b.zip", File.ReadAllBytes(middle)));

        var e = Assert.Throws<BadInputException>(() => Unpacker.Unpack(outer, "a.zip", FileKind.Zip, new UnpackBudget(), WorkDir, default));

        Assert.Equal(ReasonCodes.UnreadableFile, e.ReasonCode);
        Assert.Contains("'a.zip/b.zip/c.zip'", e.Message);
        Assert.Contains("more than one level of nesting", e.Message);
    }

    [Fact]
    public void Unpack_SkipsSymlinksWithANote()
    {
        var zip = _temp.File("links.zip");
        using (var archive = ZipFile.Open(zip, ZipArchiveMode.Create))
        {
            var link = archive.CreateEntry("link.pdf");
            link.ExternalAttributes = unchecked((int)0xA1FF0000); // S_IFLNK | 0777 in the Unix mode bits
            using (var s = link.Open()) s.Write("/etc/passwd"u8);
            using (var s = archive.CreateEntry("scan.pdf").Open()) s.Write(PdfBytes);
        }

        var result = Unpacker.Unpack(zip, "links.zip", FileKind.Zip, new UnpackBudget(), WorkDir, default);

        Assert.Equal(["links.zip/scan.pdf"], result.Files.Select(f => f.Source));
        Assert.Contains(result.Notes, n => n.Contains("link.pdf") && n.Contains("link"));
    }

    [Fact]
    public void Unpack_Rejects_WhenTheArchiveHoldsNoDocument()
    {
        var zip = MakeZip("text.zip", ("readme.txt", "hello"u8.ToArray()));

        var e = Assert.Throws<BadInputException>(() => Unpacker.Unpack(zip, "text.zip", FileKind.Zip, new UnpackBudget(), WorkDir, default));

        Assert.Contains("contains no PDF or image", e.Message);
    }

    [Theory]
    [InlineData("01_archives_sharpcompress/Zip.deflate.WinzipAES.zip")]
    [InlineData("01_archives_sharpcompress/zipcrypto.zip")]
    [InlineData("01_archives_sharpcompress/7Zip.LZMA2.Aes.7z")]
    [InlineData("01_archives_sharpcompress/Rar5.encrypted_filesAndHeader.rar")]
    [InlineData("01_archives_sharpcompress/Rar.encrypted_filesOnly.rar")]
    public void Unpack_RejectsAsPasswordProtected_WhenEntriesOrHeadersAreEncrypted(string relative)
    {
        var path = TestFiles.Real(relative);

        var e = Assert.Throws<BadInputException>(() =>
            Unpacker.Unpack(path, Path.GetFileName(path), TestFiles.Sniff(path), new UnpackBudget(), WorkDir, default));

        Assert.Equal(ReasonCodes.UnreadableFile, e.ReasonCode);
        Assert.Contains("password-protected: send the file without a password", e.Message);
    }

    [Fact]
    public void Unpack_RejectsAsSplit_WhenOnlyOneVolumeIsSent()
    {
        // Opened from a stream, never by path: SharpCompress would otherwise pick up sibling parts from the folder.
        var path = TestFiles.Real("01_archives_sharpcompress/Rar5.multi.part01.rar");

        var e = Assert.Throws<BadInputException>(() =>
            Unpacker.Unpack(path, "Rar5.multi.part01.rar", FileKind.Rar, new UnpackBudget(), WorkDir, default));

        Assert.Contains("split", e.Message);
    }

    [Fact]
    public void Unpack_ReadsTheJpeg_FromTheStandardSharpCompressPayload()
    {
        var path = TestFiles.Real("01_archives_sharpcompress/Rar5.solid.rar");

        var result = Unpacker.Unpack(path, "Rar5.solid.rar", FileKind.Rar, new UnpackBudget(), WorkDir, default);

        var jpeg = Assert.Single(result.Files);
        Assert.Equal(("Rar5.solid.rar/jpg/test.jpg", FileKind.Jpeg, 40372L), (jpeg.Source, jpeg.Kind, jpeg.SizeBytes));
        Assert.Equal(2, result.Notes.Count(n => n.StartsWith("Skipped")));
    }

    [Fact]
    public void Unpack_HonoursCancellation()
    {
        var zip = MakeZip("a.zip", ("scan.pdf", PdfBytes));
        using var cts = new CancellationTokenSource();
        cts.Cancel();

        Assert.ThrowsAny<OperationCanceledException>(() => Unpacker.Unpack(zip, "a.zip", FileKind.Zip, new UnpackBudget(), WorkDir, cts.Token));
    }

    private string MakeZip(string name, params (string Name, byte[] Bytes)[] entries)
    {
        var path = _temp.File(name);
        using var archive = ZipFile.Open(path, ZipArchiveMode.Create);
        foreach (var (entryName, bytes) in entries)
        {
            using var s = archive.CreateEntry(entryName).Open();
            s.Write(bytes);
        }
        return path;
    }

    private static readonly byte[] Png1x1 = Convert.FromBase64String(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAAAAAA6fptVAAAACklEQVR4nGP4DwABAQEAWk1v8QAAAABJRU5ErkJggg==");
}
