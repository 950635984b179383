namespace VerifyPipeline.Cases;

public enum FileKind { Unknown, Pdf, Jpeg, Png, Tiff, Zip, Rar, SevenZip, Tar, Gzip }

/// <summary>Recognises the accepted types by their magic bytes, never by name or declared content type.</summary>
public static class FileSniffer
{
    public const int HeaderBytes = 512;

    /// <summary>The signatures at fixed offsets decide first; only a file that has none is searched for a "%PDF-" further
    /// in. Searching first (issue 11) read a zip that stores a PDF uncompressed as a PDF: its first entry's bytes, "%PDF-"
    /// included, are within the first 512.</summary>
    public static FileKind Sniff(ReadOnlySpan<byte> h)
    {
        if (h.Length >= 5 && h[..5].SequenceEqual("%PDF-"u8)) return FileKind.Pdf;
        if (h.Length >= 3 && h[0] == 0xFF && h[1] == 0xD8 && h[2] == 0xFF) return FileKind.Jpeg;
        if (h.Length >= 8 && h[..8].SequenceEqual(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A })) return FileKind.Png;
        if (h.Length >= 4 && (h[..4].SequenceEqual("II*\0"u8) || h[..4].SequenceEqual("MM\0*"u8))) return FileKind.Tiff;
        if (h.Length >= 4 && h[0] == 0x50 && h[1] == 0x4B && h[2] is 0x03 or 0x05 or 0x07 && h[3] is 0x04 or 0x06 or 0x08) return FileKind.Zip;
        if (h.Length >= 6 && h[..6].SequenceEqual("Rar!\x1A\x07"u8)) return FileKind.Rar;
        if (h.Length >= 6 && h[..6].SequenceEqual(new byte[] { 0x37, 0x7A, 0xBC, 0xAF, 0x27, 0x1C })) return FileKind.SevenZip;
        if (h.Length >= 2 && h[0] == 0x1F && h[1] == 0x8B) return FileKind.Gzip;
        if (h.Length >= 262 && h.Slice(257, 5).SequenceEqual("ustar"u8)) return FileKind.Tar;
        // Some producers put junk before %PDF- (PDF 1.7 §7.5.2 tolerates up to 1024 bytes in readers).
        if (h.IndexOf("%PDF-"u8) is >= 0 and < 1024) return FileKind.Pdf;
        return FileKind.Unknown;
    }

    public static bool IsArchive(FileKind k) => k is FileKind.Zip or FileKind.Rar or FileKind.SevenZip or FileKind.Tar or FileKind.Gzip;

    /// <summary>What the portal may upload as the one file (DESIGN.md: PDF, JPEG, PNG, TIFF, ZIP, RAR, 7z).</summary>
    public static bool IsAcceptedUpload(FileKind k) => k is FileKind.Pdf or FileKind.Jpeg or FileKind.Png or FileKind.Tiff
        or FileKind.Zip or FileKind.Rar or FileKind.SevenZip;

    public static string MediaType(FileKind k) => k switch
    {
        FileKind.Pdf => "application/pdf",
        FileKind.Jpeg => "image/jpeg",
        FileKind.Png => "image/png",
        FileKind.Tiff => "image/tiff",
        FileKind.Zip => "application/zip",
        FileKind.Rar => "application/vnd.rar",
        FileKind.SevenZip => "application/x-7z-compressed",
        FileKind.Tar => "application/x-tar",
        FileKind.Gzip => "application/gzip",
        _ => "application/octet-stream",
    };
}
