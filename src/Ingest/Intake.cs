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

/// <summary>Receive (synchronous): size limit, magic-byte sniffing, SHA-256, the original stored content-addressed,
/// the case created in Received, the pipeline enqueued. No heavy work happens here.</summary>
public sealed class Intake(CaseStore store, IBlobStore blobs, IBackgroundJobClient jobs, IOptions<IngestOptions> options, ILogger<Intake> log)
{
    public long MaxUploadBytes => options.Value.MaxUploadBytes;

    public async Task<IntakeResult> ReceiveAsync(IncomingFile file, Stream content, CancellationToken ct)
    {
        var tmpDir = options.Value.TempFolder ?? Path.GetTempPath();
        Directory.CreateDirectory(tmpDir);
        var tmp = Path.Combine(tmpDir, "vp-intake-" + Guid.NewGuid().ToString("N"));
        try
        {
            var header = new byte[FileSniffer.HeaderBytes];
            int headerLength = 0;
            long total = 0;
            string sha;
            await using (var f = new FileStream(tmp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, FileOptions.Asynchronous))
            using (var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256))
            {
                var buffer = new byte[81920];
                int n;
                while ((n = await content.ReadAsync(buffer, ct)) > 0)
                {
                    total += n;
                    if (total > MaxUploadBytes)
                        return TooLarge();
                    if (headerLength < header.Length)
                    {
                        var take = Math.Min(n, header.Length - headerLength);
                        Array.Copy(buffer, 0, header, headerLength, take);
                        headerLength += take;
                    }
                    hash.AppendData(buffer, 0, n);
                    await f.WriteAsync(buffer.AsMemory(0, n), ct);
                }
                sha = Convert.ToHexStringLower(hash.GetHashAndReset());
            }
            if (total == 0)
                return new IntakeResult.Refused(415, ReasonCodes.UnreadableFile, "The file is empty (0 bytes). Send the scan of the signed form and of the identity document, front and back, as one PDF, image or archive.");
            var kind = FileSniffer.Sniff(header.AsSpan(0, headerLength));
            if (!FileSniffer.IsAcceptedUpload(kind))
                return new IntakeResult.Refused(415, ReasonCodes.UnreadableFile,
                    $"The file '{SafeName(file.FileName)}' is not a PDF, JPEG, PNG or TIFF image, nor a ZIP, RAR or 7z archive (judged by its content, not its name). Send one of those types.");

            var original = new OriginalFile(sha, SafeName(file.FileName), total, kind);
            if (file.IdempotencyKey is not null && await store.GetByIdempotencyKeyAsync(file.Client, file.IdempotencyKey, ct) is { } earlier)
                return earlier.Original.Sha256 == sha
                    ? new IntakeResult.Accepted(earlier, false)
                    : new IntakeResult.Refused(409, "IDEMPOTENCY_KEY_REUSED", "This Idempotency-Key was already used for a different file. Use a new key for a new file, or resend the same file.");

            await using (var f = new FileStream(tmp, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, FileOptions.Asynchronous | FileOptions.SequentialScan))
                await blobs.PutIfAbsentAsync(original.BlobKey, f, ct);

            var (@case, created) = await store.CreateCaseAsync(new NewCase(file.Client, file.Channel, file.RequestId, original, file.IdempotencyKey, file.SourceMeta), ct);
            if (created)
            {
                // If enqueueing fails the case stays Received and the stuck-case sweep picks it up: never lost.
                jobs.Enqueue<IPipelineEntry>(p => p.Resume(@case.Id, CancellationToken.None));
                using var _ = log.BeginScope("case {CaseId}", @case.Id);
                log.LogInformation("Case created from {Channel}: {Kind}, {Bytes} bytes", file.Channel, kind, total);
            }
            else if (@case.Original.Sha256 != sha)
                return new IntakeResult.Refused(409, "IDEMPOTENCY_KEY_REUSED", "This Idempotency-Key was already used for a different file. Use a new key for a new file, or resend the same file.");
            return new IntakeResult.Accepted(@case, created);
        }
        finally
        {
            try { File.Delete(tmp); } catch (IOException) { }
        }
    }

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
