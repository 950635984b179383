using System.Diagnostics;
using VerifyPipeline.Rules;
using VerifyPipeline.Worker.Documents;
using Xunit.Abstractions;

namespace VerifyPipeline.Worker.Tests.Documents;

/// <summary>Every file of the third-party hostile and valid test material (../shared/testdata/real: archives,
/// fax TIFFs, PDFs — LICENSE, MANIFEST and expected-output text files included) gets a definite outcome within
/// the time budget: pages, or a <see cref="BadInputException"/> with UNREADABLE_FILE — never another exception,
/// a crash or a hang. Where the folder's MANIFEST.tsv states what a file is, the outcome is asserted exactly.
/// One class per folder so that xunit runs the folders in parallel.</summary>
public sealed class RealArchivesTests(ITestOutputHelper output)
{
    public static TheoryData<string> Files() => new(RealTestData.FileList("01_archives_sharpcompress"));

    [Theory]
    [MemberData(nameof(Files))]
    public Task ReadAll_GivesPagesOrUnreadableFile_WithinTimeBudget(string relative) => RealTestData.CheckAsync(relative, output);
}

public sealed class RealFaxTiffTests(ITestOutputHelper output)
{
    public static TheoryData<string> Files() => new(RealTestData.FileList("02_fax_tiff"));

    [Theory]
    [MemberData(nameof(Files))]
    public Task ReadAll_GivesPagesOrUnreadableFile_WithinTimeBudget(string relative) => RealTestData.CheckAsync(relative, output);
}

public sealed class RealPdfTests(ITestOutputHelper output)
{
    public static TheoryData<string> Files() => new(RealTestData.FileList("05_pdf"));

    [Theory]
    [MemberData(nameof(Files))]
    public Task ReadAll_GivesPagesOrUnreadableFile_WithinTimeBudget(string relative) => RealTestData.CheckAsync(relative, output);

    [Fact]
    public void FileList_FindsEveryFolder()
    {
        Assert.True(RealTestData.FileList("01_archives_sharpcompress").Count >= 90);
        Assert.True(RealTestData.FileList("02_fax_tiff").Count >= 50);
        Assert.True(RealTestData.FileList("05_pdf").Count >= 240);
    }
}

internal static class RealTestData
{
    private static readonly TimeSpan PerFile = TimeSpan.FromSeconds(30);

    /// <summary>The production budgets. The per-page time was lowered to 10 s here to keep the suite short, but since
    /// issue 11 the two 9000×9000 px pages (ocrmypdf__enormous, ocrmypdf__multipage) are rendered rather than refused,
    /// and decoding their 243 MB of RGB took 8–11 s on the 2 shared, loaded cores: with 10 s their outcome depended on
    /// the load. The one file that hits the limit (a decompression bomb poppler never finishes) is rejected either way.</summary>
    private static readonly PageBudget Budget = new();

    public static List<string> FileList(string folder) =>
        Directory.GetFiles(TestFiles.Real(folder), "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(TestFiles.Real(""), f))
            .Order(StringComparer.Ordinal)
            .ToList();

    public static async Task CheckAsync(string relative, ITestOutputHelper output)
    {
        using var temp = new TempDir();
        using var cts = new CancellationTokenSource(PerFile);
        var sw = Stopwatch.StartNew();
        var run = Task.Run(() => TestFiles.ReadAll(TestFiles.Real(relative), temp.Path, cts.Token, pages: Budget));
        Outcome outcome;
        try
        {
            var pages = await run.WaitAsync(PerFile + TimeSpan.FromSeconds(5));
            outcome = new Outcome(pages.Count, null);
        }
        catch (BadInputException e)
        {
            Assert.Equal(ReasonCodes.UnreadableFile, e.ReasonCode);
            outcome = new Outcome(0, e.Message);
        }
        sw.Stop();
        output.WriteLine($"{relative}\t{sw.ElapsedMilliseconds} ms\t{outcome}");
        if (Environment.GetEnvironmentVariable("VERIFY_SURVEY") is { Length: > 0 } survey)
            lock (PerFileLock) File.AppendAllText(survey, $"{relative}\t{sw.ElapsedMilliseconds}\t{outcome.Pages}\t{outcome.Error}\n");

        Assert.True(sw.Elapsed < PerFile, $"{relative} took {sw.Elapsed}");
        Assert.True(outcome.Pages > 0 || outcome.Error is not null);
        if (Expected.Table.TryGetValue(Path.GetFileName(relative), out var expected))
            expected.Check(outcome, relative);
    }

    private static readonly object PerFileLock = new();

    internal sealed record Outcome(int Pages, string? Error)
    {
        public override string ToString() => Error is null ? $"{Pages} page(s)" : $"UNREADABLE_FILE: {Error}";
    }

    /// <summary>What MANIFEST.tsv says (or, for the ambiguous files, what we decided and why).</summary>
    internal abstract record Expect
    {
        public abstract void Check(Outcome o, string file);
    }

    internal sealed record Pages(int Count) : Expect
    {
        public override void Check(Outcome o, string file)
        {
            Assert.True(o.Error is null, $"{file}: expected {Count} page(s), got {o}");
            Assert.Equal(Count, o.Pages);
        }
    }

    internal sealed record Unreadable(string MessagePart) : Expect
    {
        public override void Check(Outcome o, string file)
        {
            Assert.True(o.Error is not null, $"{file}: expected UNREADABLE_FILE ({MessagePart}), got {o}");
            Assert.Contains(MessagePart, o.Error, StringComparison.OrdinalIgnoreCase);
        }
    }

    private static class Expected
    {
        private const string Password = "password-protected";
        private const string Split = "split";
        private const string NotDocument = "not a PDF";
        private const string NoDocument = "contains no PDF or image";

        /// <summary>Files whose manifest leaves the outcome open (policy, or readers disagree): our decision, asserted.</summary>
        public static readonly Dictionary<string, (Expect Expect, string Why)> Decided = new()
        {
            ["ocrmypdf__enormous.pdf"] = (new Pages(1),
                "a 9000×9000 px embedded image (81 MP, within 4× the 80 MP page budget) on a 76 cm page: rendered at 200 dpi (6000×6000 px), noted as downscaled"),
            ["ocrmypdf__multipage.pdf"] = (new Pages(6),
                "page 2 is the same 9000×9000 px image as ocrmypdf__enormous.pdf: that page is rendered smaller, the other five are read as they are (issue 11)"),
            ["pdfjs__pr6531_2.pdf"] = (new Pages(1),
                "user password set but owner password empty: PdfPig (like qpdf 11.3) opens it with the empty password"),
            ["pdfjs__encrypted-attachment.pdf"] = (new Unreadable(Password),
                "only the attachment is encrypted, but PdfPig refuses the document without its password; rejecting is safe"),
            ["pdfjs__issue15893_reduced.pdf"] = (new Unreadable(Password),
                "broken xref + /Encrypt: PdfPig reports encryption (qpdf reconstructs it as unencrypted); rejecting is safe"),
            ["qpdf__bad-encryption-length.pdf"] = (new Unreadable(Password),
                "encryption dictionary without a valid /Length: PdfPig cannot derive the key"),
            ["TarCorrupted.tar"] = (new Unreadable("damaged"),
                "truncated tar: SharpCompress fails on open, so the two readable entries are not salvaged"),
            ["false.positive.tar"] = (new Unreadable(NotDocument), "neither FileSniffer nor the tar header checksum takes it for a tar"),
            ["pillow__total-pages-zero.tif"] = (new Pages(3),
                "the manifest says 2 pages, but libtiff's tiffinfo lists 3 directories (all 1728×2156, SubfileType page)"),
            ["Tar.tar.gz"] = (new Pages(1), "gzip → tar (same archive level) → one JPEG"),
            ["Tar.ContainsRar.tar"] = (new Pages(1),
                "a v7 tar without the ustar magic FileSniffer looks for; the Unpacker recognises it by its header checksum"),
            ["pdfpig__stackoverflow_error.pdf"] = (new Unreadable(NotDocument),
                "it starts with '<<<<' and has no '%PDF-' header, so it is not taken for a PDF (rejected either way)"),
            ["pdfpig__pages-indirect-to-null.pdf"] = (new Unreadable("damaged"),
                "PdfPig (lenient) finds one empty page but poppler cannot open the file at all; an empty page has nothing to read"),
            ["qpdf__many-nulls.pdf"] = (new Unreadable("damaged"), "as above: PdfPig sees an empty page, poppler reports 0 pages"),
            ["qpdf__bad40.pdf"] = (new Unreadable("damaged"), "as above: poppler cannot find the trailer, PdfPig's page has no content"),
        };

        public static readonly Dictionary<string, Expect> Table = Build();

        private static Dictionary<string, Expect> Build()
        {
            var t = new Dictionary<string, Expect>(StringComparer.Ordinal);

            // 01_archives: the standard SharpCompress payload is exe/test.exe, jpg/test.jpg, тест.txt → the one JPEG is the page.
            foreach (var f in new[] { "7Zip.BCJ2.7z", "7Zip.LZMA.7z", "7Zip.LZMA2.7z", "7Zip.PPMd.7z", "7Zip.solid.7z", "7Zip.nonsolid.7z",
                         "7Zip.ZSTD.7z", "Rar.rar", "Rar.solid.rar", "Rar15.rar", "Rar2.rar", "Rar4.rar", "Rar5.rar", "Rar5.solid.rar",
                         "Rar5.comment.rar", "Rar5.crc_blake2.rar", "Zip.deflate.zip", "Zip.deflate64.zip", "Zip.implode.zip", "Zip.lzma.zip",
                         "Zip.none.zip", "Zip.ppmd.zip", "Zip.bzip2.zip", "Zip.zip64.zip", "Rar.test_invalid_exttime.rar",
                         "Tar.ContainsRar.tar" /* nested: the RAR's JPEG */, "Rar.jpeg.jpg" /* polyglot: sniffed as the JPEG it is */ })
                t[f] = new Pages(1);
            foreach (var f in new[] { "7Zip.LZMA.Aes.7z", "7Zip.LZMA2.Aes.7z", "7Zip.encryptedFiles.7z", "Rar.Encrypted.rar",
                         "Rar.encrypted_filesAndHeader.rar", "Rar.encrypted_filesOnly.rar", "Rar5.encrypted_filesAndHeader.rar",
                         "Rar5.encrypted_filesOnly.rar", "Zip.deflate.WinzipAES.zip", "Zip.deflate.WinzipAES2.zip", "Zip.deflate.pkware.zip",
                         "Zip.lzma.WinzipAES.zip", "Zip.none.encrypted.zip", "zipcrypto.zip",
                         "Zip.zstd.WinzipAES.mixed.zip" /* partly encrypted: any encrypted entry rejects the archive */ })
                t[f] = new Unreadable(Password);
            for (int i = 1; i <= 6; i++)
            {
                t[$"Rar.multi.part0{i}.rar"] = new Unreadable(Split);
                t[$"Rar5.multi.part0{i}.rar"] = new Unreadable(Split);
                t[$"Rar.EncryptedParts.part0{i}.rar"] = new Unreadable(Password);
            }
            t["Infozip.nocomp.multi.z01"] = new Unreadable(Split);
            t["7Zip.BZip2.split.001"] = new Unreadable(Split); // first raw part of a 7z: the end header lies in the missing parts
            for (int i = 2; i <= 7; i++) t[$"7Zip.BZip2.split.00{i}"] = new Unreadable(NotDocument);
            // 64 MiB of zeros: the 7z (solid, read in order) trips the ratio budget; in the zip and rar the entry is
            // sniffed as not a document and never decompressed further.
            t["Large.7z"] = new Unreadable("expands more than");
            t["Large.rar"] = new Unreadable(NoDocument);
            t["Large.zip"] = new Unreadable(NoDocument);
            foreach (var f in new[] { "Zip.Evil.zip", "Issue_685.zip", "test_477.zip", "Zip.LongComment.zip", "Zip.UnicodePathExtra.zip",
                         "Zip.badlocalextra.zip", "Zip.lzma.empty.zip", "Zip.uncompressed.zip", "Zip.zip64.compressedonly.zip",
                         "PrePostHeaders.zip", "7Zip.EmptyStream.7z", "7Zip.Tar.tar.7z" /* the tar holds no document */ })
                t[f] = new Unreadable(NoDocument);
            t["Rar.malformed_512byte.rar"] = new Unreadable("damaged");
            t["bad-1-lzma2-7.xz"] = new Unreadable(NotDocument); // xz is not an accepted format
            t["Infozip.nocomp.multi.zip"] = new Unreadable(Split); // last volume: starts mid-data, end record names disk 1

            // 02_fax_tiff: page counts from the manifest (Pillow's n_frames, libtiff's directory counts).
            t["pillow__g4-multi.tiff"] = new Pages(3);
            t["pillow__multipage.tiff"] = new Pages(3);
            t["pillow__multipage_out_of_order.tiff"] = new Pages(3);
            t["pillow__multipage-lastframe.tif"] = new Pages(1);
            t["pillow__multipage_single_frame_loop.tiff"] = new Pages(1);
            t["pillow__multipage_multiple_frame_loop.tiff"] = new Pages(2);
            t["libtiff__test_ifd_loop_to_self.tif"] = new Pages(1);
            t["libtiff__test_ifd_loop_to_first.tif"] = new Pages(2);
            t["libtiff__test_two_ifds.tif"] = new Pages(2);
            foreach (var f in new[] { "pillow__pport_g4.tif", "pillow__hopper_g4.tif", "pillow__hopper_g4_500.tif", "pillow__g4-fillorder-test.tif",
                         "pillow__g4_orientation_1.tif", "pillow__g4_orientation_3.tif", "pillow__g4_orientation_6.tif",
                         "pillow__g4_orientation_8.tif", "libtiff__testfax4.tiff", "libtiff__testfax3_bug54_1dnoEOL.tif",
                         "libtiff__testfax3_bug_513.tiff", "libtiff__ref_o-testfax4.tiff", "libtiff__ref_o-testfax3_bug54_1dnoEOL.tiff",
                         "libtiff__ref_o-testfax3_bug_513.tiff", "libtiff__miniswhite-1c-1b.tiff", "commonsimaging__1pagefax.tif",
                         "commonsimaging__DSC_0307_small_CCITT_T_4_1D_fill.tiff", "commonsimaging__DSC_0307_small_CCITT_T_4_1D_no_fill.tiff",
                         "commonsimaging__DSC_0307_small_CCITT_T_4_2D_fill.tiff", "commonsimaging__DSC_0307_small_CCITT_T_4_2D_no_fill.tiff",
                         "commonsimaging__DSC_0307_small_CCITT_T_6.tiff", "pillow__g4-fillorder-test.png" })
                t[f] = new Pages(1);
            t["pillow__seek_too_large.tif"] = new Unreadable(NotDocument); // "II+": BigTIFF, not an accepted type
            foreach (var f in new[] { "pillow__oom-225817ca0f8c663be7ab4b9e717b02c661e66834.tif", "pillow__tiff_overflow_rows_per_strip.tif",
                         "pillow__libtiff_segfault.tif", "pillow__crash-2020-10-test.tif", "pillow__crash-0c7e0e8e11ce787078f00b5b0ca409a167f070e0.tif",
                         "pillow__crash-86214e58da443d2b80820cff9677a38a33dcbbca.tif", "pillow__crash-0da013a13571cc8eb457a39fee8db18f8a3c7127.tif",
                         "pillow__crash-74d2a78403a5a59db1fb0a2b8735ac068a75f6e3.tif" })
                t[f] = new Unreadable("damaged");
            t["libtiff__miniswhite-1c-1b.g3"] = new Unreadable(NotDocument); // raw fax stream, no TIFF header: not accepted

            // 05_pdf/encrypted: a user password is needed → rejected; an empty user password opens.
            foreach (var f in new[] { "pdfpig__encrypted-password-is-password.pdf", "qpdf__enc-R2_V1_U-view_O-master.pdf",
                         "qpdf__enc-R3_V2_U-view_O-master.pdf", "qpdf__enc-XI-R6_V5_U-view_O-master.pdf", "qpdf__encrypted-40-bit-R3.pdf",
                         "pdfjs__pr6531_1.pdf", "pdfjs__issue6010_1.pdf", "pdfjs__issue6010_2.pdf", "pdfjs__issue21579.pdf",
                         "pdfjs__saslprep-r6.pdf", "pdfjs__bug1782186.pdf", "pdfjs__issue3371.pdf" })
                t[f] = new Unreadable(Password);
            foreach (var (f, pages) in new[] { ("pdfpig__string_encryption_key.pdf", 1), ("pdfpig__r4_aes_empty_string.pdf", 1),
                         ("pdfpig__r4_aesv2_no_length.pdf", 1), ("pdfpig__test-bom-encrypted.pdf", 1), ("qpdf__enc-XI-R6_V5_O-master.pdf", 30),
                         ("qpdf__V4-aes.pdf", 30), ("qpdf__encrypted-with-images.pdf", 2), ("pdfjs__empty_protected.pdf", 1) })
                t[f] = new Pages(pages);

            // 05_pdf/scanned_image: pages as the manifest counts them.
            foreach (var (f, pages) in new[] { ("pdfjs__ccitt_EndOfBlock_false.pdf", 1), ("passporteye__pdf-with-jpg.pdf", 1),
                         ("passporteye__pdf-with-png.pdf", 1), ("passporteye__pdf-with-pngjpg.pdf", 1), ("passporteye__pdf-with-none.pdf", 1),
                         ("qpdf__fax-decode-parms.pdf", 10), ("ocrmypdf__linn.pdf", 1), ("ocrmypdf__ccitt.pdf", 1), ("ocrmypdf__skew.pdf", 1),
                         ("ocrmypdf__rotated_skew.pdf", 1), ("ocrmypdf__cardinal.pdf", 4), ("ocrmypdf__jbig2.pdf", 1), ("ocrmypdf__c02-22.pdf", 1),
                         ("ocrmypdf__francais.pdf", 1), ("ocrmypdf__2400dpi.pdf", 1), ("ocrmypdf__aspect.pdf", 1), ("ocrmypdf__graph_ocred.pdf", 1) })
                t[f] = new Pages(pages);
            t["passporteye__pdf-with-xxx.tex"] = new Unreadable(NotDocument);

            // 05_pdf/malformed: the ones the manifest says must open, and the bombs.
            foreach (var (f, pages) in new[] { ("pdfpig__invalid-xref-loop.pdf", 1), ("pdfpig__B17-2000-transportation-fuels.pdf", 1),
                         ("pdfpig__xref-with-no-whitespace.pdf", 3), ("pdfpig__pages-indirect-to-null.pdf", 1), ("pdfpig__pages-kids-not-page.pdf", 1),
                         ("pdfpig__issue_1286.pdf", 1), ("pdfpig__invalid-operator.pdf", 1), ("pdfjs__xref_command_missing.pdf", 1),
                         ("pdfjs__helloworld-bad.pdf", 1), ("pdfjs__scan-bad.pdf", 1), ("ocrmypdf__no_contents.pdf", 1), ("ocrmypdf__kcs.pdf", 1) })
                t[f] = new Pages(pages);
            t["ocrmypdf__hugemono.pdf"] = new Unreadable("MP limit");
            t["ocrmypdf__invalid.pdf"] = new Unreadable("damaged");
            t["pdfpig__GHOSTSCRIPT-691770-0.pdf"] = new Unreadable("took longer than"); // poppler never finishes the bomb: killed
            t["pdfpig__StackOverflow_Issue_1122.pdf"] = new Unreadable("damaged");
            t["pdfpig__SpookyPass.pdf"] = new Unreadable("damaged");

            foreach (var (f, e) in Decided) t[f] = e.Expect;
            return t;
        }

    }
}
