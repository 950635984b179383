using System.Globalization;
using System.IO.Compression;
using System.Text;
using BitMiracle.LibTiff.Classic;
using SkiaSharp;

namespace VerifyPipeline.Corpus;

/// <summary>The containers citizens' devices produce, written byte-for-byte deterministically (no clock, no random ids).</summary>
internal static class FileWriters
{
    /// <summary>Fixed timestamp for zip entries (DOS time has no time zone; a fixed value keeps the bytes stable).</summary>
    private static readonly DateTime EntryTime = new(2026, 11, 20, 10, 0, 0, DateTimeKind.Unspecified);

    /// <summary>An image-only PDF as scanner software writes it: one page per image, each a JPEG (DCTDecode) drawn over
    /// the whole page. Page size from the resolution; photos (no resolution) are placed at 150 dpi.</summary>
    public static byte[] Pdf(IReadOnlyList<RenderedPage> pages)
    {
        using var ms = new MemoryStream();
        var offsets = new List<long>();
        void Raw(string s) { var b = Encoding.ASCII.GetBytes(s); ms.Write(b); }
        void Begin(int id) { while (offsets.Count < id) offsets.Add(0); offsets[id - 1] = ms.Position; Raw($"{id} 0 obj\n"); }

        Raw("%PDF-1.4\n");
        ms.Write([(byte)'%', 0xE2, 0xE3, 0xCF, 0xD3, (byte)'\n']); // binary marker (PDF 32000-1 §7.5.2)
        var n = pages.Count;
        // Objects: 1 catalog, 2 pages, then per page: page, content, image.
        Begin(1); Raw("<< /Type /Catalog /Pages 2 0 R >>\nendobj\n");
        Begin(2);
        Raw("<< /Type /Pages /Count " + n + " /Kids [" + string.Join(' ', Enumerable.Range(0, n).Select(i => $"{3 + 3 * i} 0 R")) + "] >>\nendobj\n");
        for (var i = 0; i < n; i++)
        {
            var p = pages[i];
            var jpeg = p.Jpeg ?? throw new InvalidOperationException("a PDF page needs a JPEG");
            double dpiX = p.DpiX > 0 ? p.DpiX : 150, dpiY = p.DpiY > 0 ? p.DpiY : 150;
            var wPt = (p.Width * 72.0 / dpiX).ToString("0.###", CultureInfo.InvariantCulture);
            var hPt = (p.Height * 72.0 / dpiY).ToString("0.###", CultureInfo.InvariantCulture);
            int pageId = 3 + 3 * i, contentId = pageId + 1, imageId = pageId + 2;
            Begin(pageId);
            Raw($"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {wPt} {hPt}] /Resources << /XObject << /Im0 {imageId} 0 R >> >> /Contents {contentId} 0 R >>\nendobj\n");
            var content = $"q {wPt} 0 0 {hPt} 0 0 cm /Im0 Do Q\n";
            Begin(contentId);
            Raw($"<< /Length {content.Length} >>\nstream\n{content}endstream\nendobj\n");
            Begin(imageId);
            Raw($"<< /Type /XObject /Subtype /Image /Width {p.Width} /Height {p.Height} /ColorSpace /DeviceRGB /BitsPerComponent 8 /Filter /DCTDecode /Length {jpeg.Length} >>\nstream\n");
            ms.Write(jpeg);
            Raw("\nendstream\nendobj\n");
        }
        var xref = ms.Position;
        Raw($"xref\n0 {offsets.Count + 1}\n0000000000 65535 f \n");
        foreach (var o in offsets) Raw($"{o:D10} 00000 n \n");
        Raw($"trailer\n<< /Size {offsets.Count + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n");
        return ms.ToArray();
    }

    /// <summary>A multi-page fax TIFF: 1 bit per pixel, MinIsWhite, CCITT T.4 (G3, 1-D) or T.6 (G4), the fax
    /// resolution in the X/YResolution tags, one strip per page, Page N of M.</summary>
    public static byte[] FaxTiff(IReadOnlyList<RenderedPage> pages, bool g4)
    {
        using var ms = new MemoryStream();
        using (var tiff = Tiff.ClientOpen("fax.tif", "w", ms, new TiffStream())
                          ?? throw new InvalidOperationException("LibTiff could not open a memory stream for writing"))
        {
            for (var i = 0; i < pages.Count; i++)
            {
                var p = pages[i];
                var bits = p.Bilevel ?? throw new InvalidOperationException("a fax page needs a bilevel raster");
                tiff.SetField(TiffTag.SUBFILETYPE, FileType.PAGE);
                tiff.SetField(TiffTag.IMAGEWIDTH, p.Width);
                tiff.SetField(TiffTag.IMAGELENGTH, p.Height);
                tiff.SetField(TiffTag.BITSPERSAMPLE, 1);
                tiff.SetField(TiffTag.SAMPLESPERPIXEL, 1);
                tiff.SetField(TiffTag.PHOTOMETRIC, Photometric.MINISWHITE);
                tiff.SetField(TiffTag.FILLORDER, FillOrder.MSB2LSB);
                tiff.SetField(TiffTag.COMPRESSION, g4 ? Compression.CCITTFAX4 : Compression.CCITTFAX3);
                if (!g4) tiff.SetField(TiffTag.GROUP3OPTIONS, Group3Opt.FILLBITS);
                tiff.SetField(TiffTag.XRESOLUTION, (double)p.DpiX);
                tiff.SetField(TiffTag.YRESOLUTION, (double)p.DpiY);
                tiff.SetField(TiffTag.RESOLUTIONUNIT, ResUnit.INCH);
                tiff.SetField(TiffTag.ROWSPERSTRIP, p.Height);
                tiff.SetField(TiffTag.PAGENUMBER, i, pages.Count);
                var stride = (p.Width + 7) / 8;
                var row = new byte[stride];
                for (var y = 0; y < p.Height; y++)
                {
                    Array.Copy(bits, y * stride, row, 0, stride);
                    if (!tiff.WriteScanline(row, y)) throw new InvalidOperationException($"LibTiff failed writing row {y} of page {i + 1}");
                }
                tiff.WriteDirectory();
            }
        }
        return ms.ToArray();
    }

    public static byte[] Png(RenderedPage page)
    {
        using var image = SKImage.FromEncodedData(page.Jpeg!) ?? throw new InvalidOperationException("JPEG did not decode");
        using var data = image.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }

    public static byte[] Zip(IReadOnlyList<(string Name, byte[] Bytes)> entries)
    {
        using var ms = new MemoryStream();
        using (var zip = new ZipArchive(ms, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, bytes) in entries)
            {
                var entry = zip.CreateEntry(name, name.EndsWith(".jpg", StringComparison.OrdinalIgnoreCase) ? CompressionLevel.NoCompression : CompressionLevel.Optimal);
                entry.LastWriteTime = new DateTimeOffset(EntryTime, TimeSpan.Zero);
                using var s = entry.Open();
                s.Write(bytes);
            }
        }
        return ms.ToArray();
    }

    /// <summary>A zip whose entries are encrypted with the traditional PKWARE cipher (APPNOTE 6.1 "ZipCrypto"), stored:
    /// what "protect with a password" gives in common archivers. The password is random and not kept.</summary>
    public static byte[] EncryptedZip(IReadOnlyList<(string Name, byte[] Bytes)> entries, Random rng)
    {
        var password = Encoding.ASCII.GetBytes($"pw{rng.Next():x8}");
        using var ms = new MemoryStream();
        using var w = new BinaryWriter(ms);
        var central = new List<(string Name, uint Crc, uint Size, uint Offset)>();
        const ushort Time = (10 << 11), Date = ((2026 - 1980) << 9) | (11 << 5) | 20;
        foreach (var (name, data) in entries)
        {
            var crc = Crc32(data);
            var keys = new ZipCryptoKeys(password);
            var header = new byte[12];
            rng.NextBytes(header);
            header[11] = (byte)(crc >> 24);
            var cipher = new byte[12 + data.Length];
            for (var i = 0; i < 12; i++) cipher[i] = keys.Encrypt(header[i]);
            for (var i = 0; i < data.Length; i++) cipher[12 + i] = keys.Encrypt(data[i]);
            var nameBytes = Encoding.UTF8.GetBytes(name);
            var offset = (uint)ms.Position;
            w.Write(0x04034b50u); w.Write((ushort)20); w.Write((ushort)1); w.Write((ushort)0); w.Write(Time); w.Write(Date);
            w.Write(crc); w.Write((uint)cipher.Length); w.Write((uint)data.Length); w.Write((ushort)nameBytes.Length); w.Write((ushort)0);
            w.Write(nameBytes); w.Write(cipher);
            central.Add((name, crc, (uint)data.Length, offset));
        }
        var cdStart = (uint)ms.Position;
        foreach (var (name, crc, size, offset) in central)
        {
            var nameBytes = Encoding.UTF8.GetBytes(name);
            w.Write(0x02014b50u); w.Write((ushort)20); w.Write((ushort)20); w.Write((ushort)1); w.Write((ushort)0); w.Write(Time); w.Write(Date);
            w.Write(crc); w.Write(size + 12); w.Write(size); w.Write((ushort)nameBytes.Length); w.Write((ushort)0); w.Write((ushort)0);
            w.Write((ushort)0); w.Write((ushort)0); w.Write(0u); w.Write(offset); w.Write(nameBytes);
        }
        var cdSize = (uint)ms.Position - cdStart;
        w.Write(0x06054b50u); w.Write((ushort)0); w.Write((ushort)0); w.Write((ushort)central.Count); w.Write((ushort)central.Count);
        w.Write(cdSize); w.Write(cdStart); w.Write((ushort)0);
        w.Flush();
        return ms.ToArray();
    }

    private sealed class ZipCryptoKeys
    {
        private uint _k0 = 0x12345678, _k1 = 0x23456789, _k2 = 0x34567890;

        public ZipCryptoKeys(byte[] password) { foreach (var b in password) Update(b); }

        public byte Encrypt(byte plain)
        {
            var t = (ushort)(_k2 | 2);
            var c = (byte)(plain ^ (byte)((t * (t ^ 1)) >> 8));
            Update(plain);
            return c;
        }

        private void Update(byte b)
        {
            _k0 = CrcByte(_k0, b);
            _k1 = unchecked((_k1 + (_k0 & 0xFF)) * 134775813 + 1);
            _k2 = CrcByte(_k2, (byte)(_k1 >> 24));
        }
    }

    private static readonly uint[] CrcTable = Enumerable.Range(0, 256).Select(n =>
    {
        var c = (uint)n;
        for (var k = 0; k < 8; k++) c = (c & 1) != 0 ? 0xEDB88320 ^ (c >> 1) : c >> 1;
        return c;
    }).ToArray();

    private static uint CrcByte(uint crc, byte b) => CrcTable[(crc ^ b) & 0xFF] ^ (crc >> 8);

    private static uint Crc32(byte[] data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data) crc = CrcByte(crc, b);
        return crc ^ 0xFFFFFFFFu;
    }
}
