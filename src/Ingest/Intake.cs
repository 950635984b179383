using System.Security.Cryptography;
using Hangfire;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using VerifyPipeline.Cases;
using VerifyPipeline.Rules;

namespace VerifyPipeline.Ingest;

/// <summary>One unit of work from every channel: the upload API and the fax inbox both hand the intake this record.</summary>
public sealed record IncomingFile(Channel Channel, string Client, string? RequestId, string FileName, string? IdempotencyKey, string? SourceMeta);

public abstract record IntakeResult
{
    public sealed record Accepted(Case Case, bool Created) : IntakeResult;
    /// <summary>A typed refusal: the HTTP status the API answers with, the reason code and a sentence a person can act on.</summary>
    public sealed record Refused(int Status, string ReasonCode, string Message) : IntakeResult;
}

/// <summary>The incoming bytes written once to a temp file while they were counted, hashed and sniffed. Disposing it
/// deletes the temp file unless the blob store took it over.</summary>
public sealed class BufferedFile(string path, string fileName, string sha256, long sizeBytes, FileKind kind) : IDisposable
{
    public string Path { get; } = path;
    public string FileName { get; } = fileName;
    public string Sha256 { get; } = sha256;
    public long SizeBytes { get; } = sizeBytes;
    public FileKind Kind { get; } = kind;
    public void Dispose() { try { File.Delete(Path); } catch (IOException) { } }
}

/// <summary>Receive (synchronous): size limit, magic-byte sniffing, SHA-256, the original stored content-addressed,
/// the case created in Received, the pipeline enqueued. No heavy work happens here: the bytes are written once, to
/// a temp file that the folder blob store then renames into place.</summary>
public sealed class Intake(CaseStore store, IBlobStore blobs, IBackgroundJobClient jobs, IOptions<IngestOptions> options, ILogger<Intake> log)
{
    public long MaxUploadBytes => options.Value.MaxUploadBytes;

    public async Task<IntakeResult> ReceiveAsync(IncomingFile file, Stream content, CancellationToken ct)
    {
        var (buffered, refused) = await BufferAsync(file.FileName, content, ct);
        if (refused is not null) return refused;
        using (buffered) return await AcceptAsync(file, buffered!, ct);
    }

    /// <summary>Reads the content once: counts it against the limit, hashes it, keeps its first bytes for sniffing.</summary>
    public async Task<(BufferedFile? File, IntakeResult.Refused? Refused)> BufferAsync(string? fileName, Stream content, CancellationToken ct)
    {
        var tmpDir = options.Value.TempFolder ?? System.IO.Path.GetTempPath();
        Directory.CreateDirectory(tmpDir);
        var tmp = System.IO.Path.Combine(tmpDir, "vp-intake-" + Guid.NewGuid().ToString("N"));
        var keep = false;
        try
        {
            var header = new byte[FileSniffer.HeaderBytes];
            int headerLength = 0;
            long total = 0;
            string sha;
            await using (var f = PrivateFiles.CreateNew(tmp, 1, FileOptions.Asynchronous))
            using (var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256))
            {
                var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(128 * 1024);
                try
                {
                    int n;
                    while ((n = await content.ReadAsync(buffer, ct)) > 0)
                    {
                        total += n;
                        if (total > MaxUploadBytes)
                            return (null, TooLarge());
                        if (headerLength < header.Length)
                        {
                            var take = Math.Min(n, header.Length - headerLength);
                            Array.Copy(buffer, 0, header, headerLength, take);
                            headerLength += take;
                        }
                        hash.AppendData(buffer, 0, n);
                        await f.WriteAsync(buffer.AsMemory(0, n), ct);
                    }
                }
                finally { System.Buffers.ArrayPool<byte>.Shared.Return(buffer); }
                sha = Convert.ToHexStringLower(hash.GetHashAndReset());
            }
            if (total == 0)
                return (null, new IntakeResult.Refused(415, ReasonCodes.UnreadableFile, "The file is empty (0 bytes). Send the scan of the signed form and of the identity document, front and back, as one PDF, image or archive."));
            var kind = FileSniffer.Sniff(header.AsSpan(0, headerLength));
            if (!FileSniffer.IsAcceptedUpload(kind))
                return (null, new IntakeResult.Refused(415, ReasonCodes.UnreadableFile,
                    $"The file '{SafeName(fileName)}' is not a PDF, JPEG, PNG or TIFF image, nor a ZIP, RAR or 7z archive (judged by its content, not its name). Send one of those types."));
            keep = true;
            return (new BufferedFile(tmp, SafeName(fileName), sha, total, kind), null);
        }
        finally
        {
            if (!keep) try { File.Delete(tmp); } catch (IOException) { }
        }
    }

    /// <summary>Stores the original (content-addressed, immutable) and creates the case, once per idempotency key.</summary>
    public async Task<IntakeResult> AcceptAsync(IncomingFile file, BufferedFile buffered, CancellationToken ct)
    {
        var original = new OriginalFile(buffered.Sha256, buffered.FileName, buffered.SizeBytes, buffered.Kind);
        // The case's trace starts here; the jobs enqueued below carry it on (Telemetry.TraceParentParameter).
        using var span = Telemetry.Source.StartActivity("case.receive", System.Diagnostics.ActivityKind.Server);
        span?.SetTag("vp.channel", file.Channel.ToString().ToLowerInvariant()).SetTag("vp.client", file.Client)
            .SetTag("vp.file_kind", original.Kind.ToString().ToLowerInvariant()).SetTag("vp.file_bytes", original.SizeBytes);
        if (file.IdempotencyKey is not null && await store.GetByIdempotencyKeyAsync(file.Client, file.RequestId, file.IdempotencyKey, ct) is { } earlier)
            return earlier.Original.Sha256 == buffered.Sha256 ? new IntakeResult.Accepted(earlier, false) : KeyReused();

        await blobs.PutFileIfAbsentAsync(original.BlobKey, buffered.Path, ct);

        // One conversion per PIN at a time (issue 15): while this request, or another request for the same PIN, has an open
        // case — received, being read, with a reviewer, waiting for the file a reviewer asked for — the file joins that case
        // (the history keeps both files) and is read and decided there, instead of opening a second case that could be
        // decided differently. A fax finds its request only when it is read: the pipeline merges it then (CaseStore.MergeCaseAsync).
        if (file.RequestId is not null && await JoinOpenCaseAsync(file, original, ct) is { } joined)
            return new IntakeResult.Accepted(joined, false);

        var (@case, created) = await store.CreateCaseAsync(new NewCase(file.Client, file.Channel, file.RequestId, original, file.IdempotencyKey, file.SourceMeta), ct);
        span?.SetTag(Telemetry.CaseIdTag, @case.Id).SetTag("vp.created", created);
        if (created)
        {
            // If enqueueing fails the case stays Received and the stuck-case sweep picks it up: never lost.
            jobs.Enqueue<IPipelineEntry>(p => p.Resume(@case.Id, CancellationToken.None));
            using var _ = log.BeginScope("case {CaseId}", @case.Id);
            log.LogInformation("Case created from {Channel}: {Kind}, {Bytes} bytes", file.Channel, original.Kind, original.SizeBytes);
        }
        else if (@case.Original.Sha256 != buffered.Sha256)
            return KeyReused();
        return new IntakeResult.Accepted(@case, created);
    }

    private async Task<Case?> JoinOpenCaseAsync(IncomingFile file, OriginalFile original, CancellationToken ct)
    {
        // A case decided between the look-up and the join is not joined: the next look-up finds another or none.
        for (var attempt = 0; attempt < 3; attempt++)
        {
            if (await store.FindOpenCaseForRequestAsync(file.RequestId!, ct: ct) is not { } open) return null;
            var outcome = await store.JoinFileAsync(open, new JoiningFile(original, file.Channel, file.Client, file.RequestId, file.IdempotencyKey, file.SourceMeta),
                Actor.Machine(file.Channel == Channel.Fax ? "fax-inbox" : "ingest"), ct);
            if (outcome == JoinOutcome.NotOpen) continue;
            using var _ = log.BeginScope("case {CaseId}", open);
            if (outcome == JoinOutcome.Joined)
            {
                jobs.Enqueue<IPipelineEntry>(p => p.Resume(open, CancellationToken.None));
                log.LogInformation("New file from {Channel} joined the open case: {Kind}, {Bytes} bytes", file.Channel, original.Kind, original.SizeBytes);
            }
            else log.LogInformation("The same file came again from {Channel}: the open case already has it", file.Channel);
            return await store.GetCaseAsync(open, ct);
        }
        return null;
    }

    private static IntakeResult.Refused KeyReused() => new(409, "IDEMPOTENCY_KEY_REUSED",
        "This Idempotency-Key was already used for a different file. Use a new key for a new file, or resend the same file.");

    private IntakeResult.Refused TooLarge() => new(413, ReasonCodes.UnreadableFile,
        $"The file is larger than the limit of {MaxUploadBytes / (1024 * 1024)} MB. Scan at 200–300 dpi in grey or black and white, or compress the images, and send it again.");

    /// <summary>Keeps only the last path segment and printable characters: the name is shown to people, never used as a path.</summary>
    public static string SafeName(string? name)
    {
        var n = Path.GetFileName((name ?? "").Replace('\\', '/'));
        n = new string(n.Where(ch => !char.IsControl(ch)).ToArray()).Trim();
        if (n.Length > 200) n = n[..200];
        return n.Length == 0 ? "file" : n;
    }
}
