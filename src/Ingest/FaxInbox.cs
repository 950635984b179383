using System.Text.Json;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using VerifyPipeline.Cases;

namespace VerifyPipeline.Ingest;

/// <summary>The fax gateway's drop folder. A file is taken only after its size and modification time stop changing
/// (the gateway may still be writing it), claimed by an atomic rename into <c>.claimed/</c>, stored, and only then
/// removed. Files left in <c>.claimed/</c> by a crash are taken first at the next start, under the same claim name,
/// which is also the case's idempotency key: a retaken fax never makes a second case. Files that cannot be taken
/// go to the quarantine folder with a <c>.reason.txt</c>.</summary>
public sealed class FaxInbox(Intake intake, IOptions<FaxInboxOptions> options, IHostEnvironment env, TimeProvider clock, ILogger<FaxInbox> log)
    : BackgroundService
{
    private readonly Dictionary<string, (long Size, DateTime Mtime, DateTimeOffset Since)> _seen = new();
    private FaxInboxOptions O => options.Value;
    private string Inbox => Path.GetFullPath(Path.Combine(env.ContentRootPath, O.Folder));
    private string Claimed => Path.Combine(Inbox, ".claimed");
    private string Quarantine => Path.GetFullPath(Path.Combine(env.ContentRootPath, O.QuarantineFolder));

    protected override async Task ExecuteAsync(CancellationToken stop)
    {
        if (!O.Enabled) return;
        Directory.CreateDirectory(Inbox);
        Directory.CreateDirectory(Claimed);
        Directory.CreateDirectory(Quarantine);
        log.LogInformation("Watching fax inbox {Inbox}", Inbox);
        using var timer = new PeriodicTimer(O.PollInterval);
        do
        {
            try { await ScanOnceAsync(stop); }
            catch (OperationCanceledException) when (stop.IsCancellationRequested) { break; }
            catch (Exception e) { log.LogError(e, "Fax inbox scan failed; retrying at the next poll"); }
        } while (await timer.WaitForNextTickAsync(stop).ConfigureAwait(false));
    }

    /// <summary>One pass: first files a crash left claimed, then stable new files.</summary>
    public async Task ScanOnceAsync(CancellationToken ct)
    {
        foreach (var claimed in Directory.EnumerateFiles(Claimed).Where(f => !IsSidecar(f)).ToList())
            await TakeAsync(claimed, ct);

        var now = clock.GetUtcNow();
        var present = new HashSet<string>();
        foreach (var path in Directory.EnumerateFiles(Inbox))
        {
            var name = Path.GetFileName(path);
            if (name.StartsWith('.') || name.EndsWith(".tmp", StringComparison.OrdinalIgnoreCase) || name.EndsWith(".part", StringComparison.OrdinalIgnoreCase))
                continue; // conventional names for files still being written
            present.Add(path);
            FileInfo fi;
            try { fi = new FileInfo(path); if (!fi.Exists) continue; } catch (IOException) { continue; }
            var stamp = (fi.Length, fi.LastWriteTimeUtc);
            if (!_seen.TryGetValue(path, out var s) || s.Size != stamp.Length || s.Mtime != stamp.LastWriteTimeUtc)
            {
                _seen[path] = (stamp.Length, stamp.LastWriteTimeUtc, now);
                continue;
            }
            if (now - s.Since < O.StableFor) continue;
            if (IsSidecar(path))
            {
                if (FaxFor(path) is null && now - s.Since >= O.OrphanSidecarAfter)
                    MoveToQuarantine(path, "A sidecar .json arrived without a fax file beside it.");
                continue;
            }
            _seen.Remove(path);
            var claimedPath = Claim(path);
            if (claimedPath is not null) await TakeAsync(claimedPath, ct);
        }
        foreach (var gone in _seen.Keys.Where(k => !present.Contains(k)).ToList()) _seen.Remove(gone);
    }

    private static bool IsSidecar(string path) => path.EndsWith(".json", StringComparison.OrdinalIgnoreCase);

    private string? FaxFor(string sidecar)
    {
        var stem = Path.Combine(Path.GetDirectoryName(sidecar)!, Path.GetFileNameWithoutExtension(sidecar));
        if (File.Exists(stem)) return stem;                                      // fax001.tif.json
        return Directory.EnumerateFiles(Path.GetDirectoryName(sidecar)!, Path.GetFileName(stem) + ".*")
            .FirstOrDefault(f => !IsSidecar(f));                                   // fax001.json
    }

    private static IEnumerable<string> SidecarsOf(string fax)
    {
        var dir = Path.GetDirectoryName(fax)!;
        yield return fax + ".json";
        yield return Path.Combine(dir, Path.GetFileNameWithoutExtension(fax) + ".json");
    }

    /// <summary>Atomic rename into .claimed/ under a unique name: a second watcher (another process) loses the race cleanly.</summary>
    private string? Claim(string path)
    {
        var token = $"{clock.GetUtcNow():yyyyMMddTHHmmssfff}-{Guid.NewGuid():N}";
        var target = Path.Combine(Claimed, $"{token}__{Path.GetFileName(path)}");
        try
        {
            foreach (var sidecar in SidecarsOf(path).Where(File.Exists))
                File.Move(sidecar, target + ".json");
            File.Move(path, target);
            return target;
        }
        catch (FileNotFoundException) { return null; }
        catch (IOException e) { log.LogWarning("Could not claim a fax file: {Error}", e.Message); return null; }
    }

    private async Task TakeAsync(string claimedPath, CancellationToken ct)
    {
        var claimName = Path.GetFileName(claimedPath);
        var originalName = claimName.Contains("__") ? claimName[(claimName.IndexOf("__", StringComparison.Ordinal) + 2)..] : claimName;
        string? meta = null;
        var sidecar = claimedPath + ".json";
        if (File.Exists(sidecar))
        {
            var text = await File.ReadAllTextAsync(sidecar, ct);
            try { using var _ = JsonDocument.Parse(text); meta = text; }
            catch (JsonException) { meta = JsonSerializer.Serialize(new { unparsed_sidecar = text.Length > 4000 ? text[..4000] : text }); }
        }
        IntakeResult result;
        await using (var f = new FileStream(claimedPath, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, FileOptions.Asynchronous | FileOptions.SequentialScan))
            result = await intake.ReceiveAsync(new IncomingFile(Channel.Fax, O.Client, null, originalName, "fax:" + claimName, meta), f, ct);
        switch (result)
        {
            case IntakeResult.Accepted a:
                using (log.BeginScope("case {CaseId}", a.Case.Id))
                    log.LogInformation("Fax taken ({Created})", a.Created ? "new case" : "case already existed");
                File.Delete(claimedPath);
                if (File.Exists(sidecar)) File.Delete(sidecar);
                break;
            case IntakeResult.Refused r:
                MoveToQuarantine(claimedPath, $"{r.ReasonCode}: {r.Message}", originalName);
                if (File.Exists(sidecar)) File.Move(sidecar, Path.Combine(Quarantine, Path.GetFileName(sidecar)), overwrite: true);
                break;
        }
    }

    private void MoveToQuarantine(string path, string reason, string? displayName = null)
    {
        var target = Path.Combine(Quarantine, Path.GetFileName(path));
        File.Move(path, target, overwrite: true);
        File.WriteAllText(target + ".reason.txt",
            $"{displayName ?? Path.GetFileName(path)}\n{clock.GetUtcNow():O}\n{reason}\n");
        log.LogWarning("Fax file quarantined: {Reason}", reason);
    }
}
