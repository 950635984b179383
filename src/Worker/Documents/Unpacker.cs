using System.Buffers.Binary;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using SharpCompress.Archives;
using SharpCompress.Common;
using SharpCompress.Readers;
using VerifyPipeline.Cases;

namespace VerifyPipeline.Worker.Documents;

/// <summary>Limits for one unpack, shared by the original archive and everything nested in it.
/// <see cref="MaxDepth"/> counts archive levels: 2 = the original archive plus one nested archive.</summary>
public sealed record UnpackBudget(
    long MaxTotalBytes = 256L * 1024 * 1024,
    long MaxEntryBytes = 64L * 1024 * 1024,
    int MaxEntries = 64,
    int MaxDepth = 2,
    double MaxCompressionRatio = 200);

/// <summary>One leaf file: a PDF or image, either the input itself or written under the work dir.
/// <c>Source</c> is the original name then the sanitised entry path, e.g. <c>bundle.zip/scans/page1.pdf</c>.</summary>
public sealed record ExtractedFile(string Source, string Path, long SizeBytes, FileKind Kind, string Sha256);

/// <summary>The leaf files plus what was left out and why (skipped entries, unsafe names, links).</summary>
public sealed record UnpackResult(IReadOnlyList<ExtractedFile> Files, IReadOnlyList<string> Notes);

/// <summary>Turns the one uploaded file into its leaf documents. Archives are read with SharpCompress, whose
/// declared sizes are not trusted (shared/reference): budgets are enforced on the bytes actually read, entry
/// names are only ever used for display, and every file written gets a generated name inside <c>workDir</c>.</summary>
public static class Unpacker
{
    /// <summary>Below this many output bytes the compression ratio is not checked: tiny archives of tiny text
    /// entries reach ratios above 200 legitimately and cost nothing.</summary>
    private const long RatioFloorBytes = 1024 * 1024;

    private const int BufferBytes = 81920;

    public static UnpackResult Unpack(string path, string displayName, FileKind kind, UnpackBudget budget, string workDir, CancellationToken ct)
    {
        var run = new Run(budget, workDir, ct);
        if (kind == FileKind.Unknown && IsTar(path)) kind = FileKind.Tar;
        if (!FileSniffer.IsArchive(kind))
        {
            if (kind == FileKind.Unknown) RejectSplitZip(path, displayName);
            if (!IsDocument(kind))
                throw BadInputException.Unreadable(
                    $"The file '{displayName}' is not a PDF, a JPEG, PNG or TIFF image, or a ZIP, RAR or 7z archive: send the documents in one of these formats.");
            return new UnpackResult([Describe(path, displayName, kind)], []);
        }
        Directory.CreateDirectory(workDir);
        run.UnpackArchive(path, displayName, kind, depth: 1);
        if (run.Files.Count == 0)
            throw BadInputException.Unreadable(
                $"The archive '{displayName}' contains no PDF or image (JPEG, PNG, TIFF): send the scanned documents themselves."
                + (run.Notes.Count > 0 ? " " + string.Join(" ", run.Notes) : ""));
        return new UnpackResult(run.Files, run.Notes);
    }

    public static bool IsDocument(FileKind kind) => kind is FileKind.Pdf or FileKind.Jpeg or FileKind.Png or FileKind.Tiff;

    /// <summary>Makes an archive entry's path safe to show and to log: forward slashes, no empty, <c>.</c> or
    /// <c>..</c> segments, no root or drive letter, no control characters. The result is never used as a
    /// file-system path (extracted files get generated names) but it ends up in reports and on screen.</summary>
    public static string SanitiseEntryPath(string? key)
    {
        if (string.IsNullOrEmpty(key)) return "";
        var sb = new StringBuilder(key.Length);
        foreach (var c in key)
            sb.Append(c switch
            {
                '\\' => '/',
                ':' => '_',
                _ when char.IsControl(c) => '_',
                _ when c is '\u202E' or '\u202D' or '\u200E' or '\u200F' => '_', // bidi overrides disguise extensions
                _ => c,
            });
        var segments = sb.ToString().Split('/', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(s => s is not ("." or ".."))
            .Select(s => s.Trim('.', ' ') is { Length: > 0 } t ? t : "_")
            .ToList();
        // "C:" in the first segment has become "C_" above; a lone drive segment carries no information.
        if (segments.Count > 1 && segments[0].Length == 2 && char.IsAsciiLetter(segments[0][0]) && segments[0][1] == '_')
            segments.RemoveAt(0);
        var joined = string.Join('/', segments);
        return joined.Length <= 200 ? joined : joined[..100] + "…" + joined[^99..];
    }

    private static ExtractedFile Describe(string path, string source, FileKind kind)
    {
        using var fs = File.OpenRead(path);
        var hash = Convert.ToHexStringLower(SHA256.HashData(fs));
        return new ExtractedFile(source, path, fs.Length, kind, hash);
    }

    private sealed class Run(UnpackBudget budget, string workDir, CancellationToken ct)
    {
        public readonly List<ExtractedFile> Files = [];
        public readonly List<string> Notes = [];
        private int _entries;
        private long _totalBytes;
        private int _nextFile;

        public void UnpackArchive(string path, string displayName, FileKind kind, int depth)
        {
            if (kind == FileKind.Gzip)
            {
                UnpackGzip(path, displayName, depth);
                return;
            }
            if (kind == FileKind.Zip) RejectSplitZip(path, displayName);
            long archiveBytes = BytesOf(path);
            long producedHere = 0;

            using var fs = File.OpenRead(path);
            IArchive archive;
            try
            {
                archive = ArchiveFactory.OpenArchive(fs, new ReaderOptions { LeaveStreamOpen = true });
            }
            catch (Exception e) when (IsLibraryFailure(e))
            {
                throw Classify(e, displayName);
            }
            using (archive)
            {
                bool sequential;
                try
                {
                    if (archive.Type == ArchiveType.Rar && !archive.IsComplete)
                        throw SplitArchive(displayName);
                    sequential = archive.IsSolid || archive.Type == ArchiveType.SevenZip;
                }
                catch (Exception e) when (IsLibraryFailure(e))
                {
                    throw Classify(e, displayName);
                }

                if (sequential)
                {
                    // Solid archives (and 7z) decode in order; random access would re-decode from the start for each entry.
                    IReader reader;
                    try { reader = archive.ExtractAllEntries(); }
                    catch (Exception e) when (IsLibraryFailure(e)) { throw Classify(e, displayName); }
                    using (reader)
                    {
                        while (true)
                        {
                            bool more;
                            try { more = reader.MoveToNextEntry(); }
                            catch (Exception e) when (IsLibraryFailure(e)) { throw Classify(e, displayName); }
                            if (!more) break;
                            Entry(reader.Entry, reader.OpenEntryStream, archive.Type, displayName, depth, archiveBytes, ref producedHere, drainSkipped: true);
                        }
                    }
                }
                else
                {
                    List<IArchiveEntry> entries;
                    try { entries = archive.Entries.Take(budget.MaxEntries * 4 + 16).ToList(); }
                    catch (Exception e) when (IsLibraryFailure(e)) { throw Classify(e, displayName); }
                    foreach (var entry in entries)
                        Entry(entry, entry.OpenEntryStream, archive.Type, displayName, depth, archiveBytes, ref producedHere, drainSkipped: false);
                }
            }
        }

        private void Entry(IEntry entry, Func<Stream> open, ArchiveType type, string archiveName, int depth,
            long archiveBytes, ref long producedHere, bool drainSkipped)
        {
            ct.ThrowIfCancellationRequested();
            string key, safe;
            bool isDirectory, isLink, encrypted, split;
            try
            {
                key = entry.Key ?? "";
                isDirectory = entry.IsDirectory;
                isLink = !string.IsNullOrEmpty(entry.LinkTarget)
                    || type == ArchiveType.Zip && entry.Attrib is int a && ((a >> 16) & 0xF000) == 0xA000; // S_IFLNK in the Unix mode bits
                encrypted = entry.IsEncrypted;
                split = entry.IsSplitAfter || type == ArchiveType.Rar && entry.VolumeIndexFirst > 0;
            }
            catch (Exception e) when (IsLibraryFailure(e))
            {
                throw Classify(e, archiveName);
            }
            if (isDirectory) return;
            safe = SanitiseEntryPath(key);
            if (safe.Length == 0) safe = $"entry-{_entries + 1}";
            var source = $"{archiveName}/{safe}";
            if (safe != key.Replace('\\', '/'))
                Notes.Add($"The entry name '{Printable(key)}' was unsafe and is shown as '{safe}'.");
            if (isLink)
            {
                Notes.Add($"Skipped '{source}': it is a link, not a file.");
                return;
            }
            if (++_entries > budget.MaxEntries)
                throw BadInputException.Unreadable(
                    $"The archive '{archiveName}' holds more than {budget.MaxEntries} files: send only the documents requested.");
            if (encrypted)
                throw PasswordProtected(source);
            if (split)
                throw SplitArchive(archiveName);

            Stream input;
            try { input = open(); }
            catch (Exception e) when (IsLibraryFailure(e)) { throw Classify(e, source); }
            using (input)
            {
                var head = new byte[FileSniffer.HeaderBytes];
                int headLength = ReadLibrary(input, head, source);
                var kind = FileSniffer.Sniff(head.AsSpan(0, headLength));
                if (kind == FileKind.Unknown && IsTarHeader(head.AsSpan(0, headLength))) kind = FileKind.Tar;
                bool nested = FileSniffer.IsArchive(kind);
                if (!nested && !IsDocument(kind))
                {
                    Notes.Add($"Skipped '{source}': not a PDF or an image.");
                    if (drainSkipped)
                        Copy(input, head.AsSpan(0, headLength), null, source, archiveBytes, ref producedHere);
                    return;
                }
                if (nested && depth + 1 > budget.MaxDepth)
                    throw BadInputException.Unreadable(
                        $"The archive entry '{source}' is itself an archive inside an archive: more than one level of nesting is not accepted; send the documents in one archive.");

                var target = System.IO.Path.Combine(workDir, $"part-{++_nextFile:D4}.bin");
                long size;
                string sha;
                using (var output = new FileStream(target, FileMode.CreateNew, FileAccess.Write, FileShare.None, BufferBytes))
                using (var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256))
                {
                    size = Copy(input, head.AsSpan(0, headLength), (output, hash), source, archiveBytes, ref producedHere);
                    sha = Convert.ToHexStringLower(hash.GetHashAndReset());
                }
                if (nested)
                {
                    UnpackArchive(target, source, kind, depth + 1);
                    File.Delete(target);
                }
                else
                {
                    Files.Add(new ExtractedFile(source, target, size, kind, sha));
                }
            }
        }

        /// <summary>The size of the file's content: FileInfo.Length of a symbolic link is the link's own few bytes, which
        /// made every archive reached through a link look like a compression bomb.</summary>
        private static long BytesOf(string path)
        {
            using var f = File.OpenRead(path);
            return f.Length;
        }

        /// <summary>Gzip holds one stream. A tar inside it is the same archive (tar.gz), not a nested level.</summary>
        private void UnpackGzip(string path, string displayName, int depth)
        {
            long archiveBytes = BytesOf(path);
            long producedHere = 0;
            var inner = displayName.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? displayName[..^3]
                : displayName.EndsWith(".tgz", StringComparison.OrdinalIgnoreCase) ? displayName[..^4] + ".tar"
                : displayName + ".content";
            var innerName = System.IO.Path.GetFileName(inner);
            var target = System.IO.Path.Combine(workDir, $"part-{++_nextFile:D4}.bin");
            var source = $"{displayName}/{innerName}";
            string sha;
            long size;
            using (var fs = File.OpenRead(path))
            using (var gz = new GZipStream(fs, CompressionMode.Decompress))
            using (var output = new FileStream(target, FileMode.CreateNew, FileAccess.Write, FileShare.None, BufferBytes))
            using (var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256))
            {
                if (++_entries > budget.MaxEntries)
                    throw BadInputException.Unreadable($"The archive '{displayName}' holds more than {budget.MaxEntries} files: send only the documents requested.");
                size = Copy(gz, [], (output, hash), source, archiveBytes, ref producedHere);
                sha = Convert.ToHexStringLower(hash.GetHashAndReset());
            }
            Span<byte> head = stackalloc byte[FileSniffer.HeaderBytes];
            int n;
            using (var f = File.OpenRead(target)) n = f.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
            var kind = FileSniffer.Sniff(head[..n]);
            if (kind == FileKind.Unknown && IsTarHeader(head[..n])) kind = FileKind.Tar;
            if (kind == FileKind.Tar)
            {
                _entries--; // the tar's own entries are what count
                UnpackArchive(target, displayName, kind, depth);
                File.Delete(target);
            }
            else if (FileSniffer.IsArchive(kind))
            {
                if (depth + 1 > budget.MaxDepth)
                    throw BadInputException.Unreadable(
                        $"The archive entry '{source}' is itself an archive inside an archive: more than one level of nesting is not accepted; send the documents in one archive.");
                UnpackArchive(target, source, kind, depth + 1);
                File.Delete(target);
            }
            else if (IsDocument(kind))
            {
                Files.Add(new ExtractedFile(source, target, size, kind, sha));
            }
            else
            {
                Notes.Add($"Skipped '{source}': not a PDF or an image.");
                File.Delete(target);
            }
        }

        /// <summary>Copies <paramref name="input"/> (after the already-read <paramref name="head"/>) while counting the
        /// real bytes against every budget. Read failures are the archive's fault (bad input); write failures are ours
        /// (disk) and propagate unchanged. <paramref name="sink"/> null = read and discard.</summary>
        private long Copy(Stream input, ReadOnlySpan<byte> head, (Stream Output, IncrementalHash Hash)? sink,
            string source, long archiveBytes, ref long producedHere)
        {
            long size = 0;
            var buffer = new byte[BufferBytes];
            int n = head.Length;
            head.CopyTo(buffer);
            while (true)
            {
                if (n > 0)
                {
                    size += n;
                    _totalBytes += n;
                    producedHere += n;
                    if (size > budget.MaxEntryBytes)
                        throw BadInputException.Unreadable(
                            $"The archive entry '{source}' is larger than {Mib(budget.MaxEntryBytes)} once unpacked: send a smaller scan.");
                    if (_totalBytes > budget.MaxTotalBytes)
                        throw BadInputException.Unreadable(
                            $"The archive unpacks to more than {Mib(budget.MaxTotalBytes)}: send fewer or smaller files.");
                    if (producedHere > RatioFloorBytes && producedHere > budget.MaxCompressionRatio * Math.Max(archiveBytes, 1))
                        throw BadInputException.Unreadable(
                            $"The archive entry '{source}' expands more than {budget.MaxCompressionRatio:0} times its compressed size, which documents never do: send the documents without this content.");
                    if (sink is var (output, hash))
                    {
                        output.Write(buffer, 0, n);
                        hash.AppendData(buffer, 0, n);
                    }
                }
                ct.ThrowIfCancellationRequested();
                n = ReadLibrary(input, buffer, source, max: BufferBytes);
                if (n == 0) return size;
            }
        }

        /// <summary>Fills as much of <paramref name="buffer"/> as the stream gives (up to <paramref name="max"/>).</summary>
        private static int ReadLibrary(Stream input, byte[] buffer, string source, int max = -1)
        {
            int want = max < 0 ? buffer.Length : max;
            try
            {
                return input.ReadAtLeast(buffer.AsSpan(0, want), want, throwOnEndOfStream: false);
            }
            catch (Exception e) when (IsLibraryFailure(e))
            {
                throw Classify(e, source);
            }
        }
    }

    /// <summary>SharpCompress and the BCL decoders report bad input with many exception types, including
    /// IndexOutOfRange and NullReference on malformed headers (Infozip spanned zip). Everything they throw
    /// while reading is the input's fault; only cancellation and our own rejection pass through.</summary>
    private static bool IsLibraryFailure(Exception e) => e is not (OperationCanceledException or BadInputException or OutOfMemoryException);

    private static BadInputException Classify(Exception e, string name)
    {
        if (e is SharpCompress.Common.CryptographicException or System.Security.Cryptography.CryptographicException || e.Message.Contains("password", StringComparison.OrdinalIgnoreCase)
            || e.Message.Contains("encrypt", StringComparison.OrdinalIgnoreCase))
            return BadInputException.Unreadable($"The archive '{name}' is password-protected: send the file without a password.", e);
        if (e is IncompleteArchiveException || e.Message.Contains("volume", StringComparison.OrdinalIgnoreCase))
            return BadInputException.Unreadable(
                $"The archive '{name}' is incomplete or damaged (it may be one part of a split archive): send one complete file.", e);
        return BadInputException.Unreadable(
            $"The archive '{name}' is damaged or incomplete and cannot be read ({e.GetType().Name}): if it was split into parts, send one complete file; otherwise create the archive again.", e);
    }

    private static BadInputException PasswordProtected(string name, Exception? inner = null) => BadInputException.Unreadable(
        $"The archive entry '{name}' is password-protected: send the file without a password.", inner);

    private static BadInputException SplitArchive(string name) => BadInputException.Unreadable(
        $"The archive '{name}' is one part of a split (multi-volume) archive and the other parts are missing: send one file that is not split.");

    /// <summary>A spanned zip (PKWARE APPNOTE §8.5) starts with the spanning signature or its end record names a
    /// disk other than 0; SharpCompress fails on such parts with unrelated errors, so they are recognised here.</summary>
    private static void RejectSplitZip(string path, string displayName)
    {
        using var fs = File.OpenRead(path);
        Span<byte> start = stackalloc byte[4];
        if (fs.ReadAtLeast(start, 4, throwOnEndOfStream: false) == 4 && start.SequenceEqual(new byte[] { 0x50, 0x4B, 0x07, 0x08 }))
            throw SplitArchive(displayName);
        int tailLength = (int)Math.Min(fs.Length, 22 + 65535);
        var tail = new byte[tailLength];
        fs.Seek(-tailLength, SeekOrigin.End);
        fs.ReadExactly(tail);
        for (int i = tailLength - 22; i >= 0; i--)
        {
            if (tail[i] != 0x50 || BinaryPrimitives.ReadUInt32LittleEndian(tail.AsSpan(i)) != 0x06054B50) continue;
            var thisDisk = BinaryPrimitives.ReadUInt16LittleEndian(tail.AsSpan(i + 4));
            var cdDisk = BinaryPrimitives.ReadUInt16LittleEndian(tail.AsSpan(i + 6));
            // 0xFFFF means "see the zip64 record"; treat only plain non-zero numbers as evidence.
            if (thisDisk is > 0 and < 0xFFFF || cdDisk is > 0 and < 0xFFFF) throw SplitArchive(displayName);
            return;
        }
    }

    /// <summary>Old (v7 / pre-POSIX) tar headers have no "ustar" magic, which is all <see cref="FileSniffer"/> looks
    /// for; the header checksum (POSIX.1 ustar §10.1.1: byte sum with the checksum field as spaces) identifies them.</summary>
    internal static bool IsTarHeader(ReadOnlySpan<byte> h)
    {
        if (h.Length < 512 || h[0] == 0) return false;
        var field = h.Slice(148, 8);
        long stored = 0;
        int digits = 0;
        foreach (var c in field)
        {
            if (c is (byte)' ' or 0) { if (digits > 0) break; continue; }
            if (c is < (byte)'0' or > (byte)'7') return false;
            stored = stored * 8 + (c - '0');
            digits++;
        }
        if (digits == 0) return false;
        long sum = 0;
        for (int i = 0; i < 512; i++) sum += i is >= 148 and < 156 ? ' ' : h[i];
        return sum == stored;
    }

    private static bool IsTar(string path)
    {
        Span<byte> head = stackalloc byte[512];
        using var fs = File.OpenRead(path);
        return IsTarHeader(head[..fs.ReadAtLeast(head, 512, throwOnEndOfStream: false)]);
    }

    private static string Printable(string s) => new(s.Select(c => char.IsControl(c) ? '?' : c).Take(200).ToArray());

    private static string Mib(long bytes) => $"{bytes / (1024 * 1024)} MiB";
}
