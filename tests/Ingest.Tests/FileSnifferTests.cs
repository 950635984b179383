using System.IO.Compression;
using System.Text;
using VerifyPipeline.Cases;

namespace VerifyPipeline.Ingest.Tests;

public sealed class FileSnifferTests
{
    private static readonly byte[] Pdf = Encoding.ASCII.GetBytes("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n");

    private static byte[] Archive(CompressionLevel level)
    {
        using var ms = new MemoryStream();
        using (var zip = new ZipArchive(ms, ZipArchiveMode.Create, leaveOpen: true))
        using (var entry = zip.CreateEntry("modulo.pdf", level).Open())
            entry.Write(Pdf);
        return ms.ToArray();
    }

    private static FileKind Sniff(byte[] file) => FileSniffer.Sniff(file.AsSpan(0, Math.Min(file.Length, FileSniffer.HeaderBytes)));

    /// <summary>Issue 11: a zip storing a PDF uncompressed has "%PDF-" 40 bytes in; the lenient search ran first and
    /// called it a PDF, so the archive was never unpacked.</summary>
    [Fact]
    public void Sniff_IsZip_WhenAStoredZipHoldsAPdf()
    {
        var zip = Archive(CompressionLevel.NoCompression);
        Assert.InRange(zip.AsSpan().IndexOf("%PDF-"u8), 1, FileSniffer.HeaderBytes - 5);
        Assert.Equal(FileKind.Zip, Sniff(zip));
        Assert.Equal(FileKind.Zip, Sniff(Archive(CompressionLevel.Optimal)));
    }

    [Fact]
    public void Sniff_IsPdf_WhenJunkPrecedesThePdfHeader() =>
        Assert.Equal(FileKind.Pdf, Sniff([.. Encoding.ASCII.GetBytes("\r\nMIME-junk from a mail gateway\r\n"), .. Pdf]));

    [Fact]
    public void Sniff_IsPdf_WhenTheFileStartsWithPdfHeader() => Assert.Equal(FileKind.Pdf, Sniff(Pdf));
}
