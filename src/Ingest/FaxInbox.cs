using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using VerifyPipeline.Cases;

namespace VerifyPipeline.Ingest;

/// <summary>The fax gateway's drop folder. Only regular files are taken, and no link is ever followed: a FIFO, socket,
/// device or symbolic link is moved to the quarantine folder, unopened, with a <c>.reason.txt</c>. A file is taken only
/// after its size and modification time stop changing (the gateway may still be writing it), claimed by an atomic
/// rename into <c>.claimed/</c> under a generated name (the original name, which may be as long as the file system
/// allows, is kept beside it and in the case's source metadata), stored, and only then removed. Files left in
/// <c>.claimed/</c> by a crash are taken first at the next start, under the same claim name, which is also the case's
/// idempotency key: a retaken fax never makes a second case. Temporary names (<c>.</c> prefix, <c>.tmp</c>,
/// <c>.part</c>) are waited for up to <see cref="FaxInboxOptions.AbandonedAfter"/>. Files that cannot be taken go to
/// the quarantine folder with a <c>.reason.txt</c>; a file still in the inbox <see cref="FaxInboxOptions.AlertAfter"/> after this watcher first saw it
/// raises the alert (one warning, the supervisor page, <c>/health/ready</c> degraded). Each entry is handled on its
/// own: a failure on one is logged (once) and the others are still taken.</summary>
public sealed class FaxInbox(Intake intake, CaseStore store, IOptions<FaxInboxOptions> options, IHostEnvironment env, TimeProvider clock, ILogger<FaxInbox> log,
    PipelineMetrics? metrics = null)
    : BackgroundService
{
    private const int MaxNameBytes = 255;
    private const int MaxSidecarBytes = 64 * 1024;
    private const string NameSuffix = ".name", ReasonSuffix = ".reason.txt";

    private sealed class Sighting(long size, DateTime mtime, DateTimeOffset now)
    {
        public long Size = size;
        public DateTime Mtime = mtime;
        public DateTimeOffset FirstSeen = now;
        public DateTimeOffset UnchangedSince = now;
        public bool Alerted;
        public string? LastError;
    }

    private readonly Dictionary<string, Sighting> _seen = new();
    private FaxInboxStatus? _saved;
    private FaxInboxOptions O => options.Value;
    private string Inbox => Path.GetFullPath(Path.Combine(env.ContentRootPath, O.Folder));
    private string Claimed => Path.Combine(Inbox, ".claimed");
    private string Quarantine => Path.GetFullPath(Path.Combine(env.ContentRootPath, O.QuarantineFolder));

    /// <summary>When this watcher started, last finished a pass, and what it found stuck (for the health check).</summary>
    public DateTimeOffset? StartedAt { get; private set; }
    public DateTimeOffset? LastPassAt { get; private set; }
    /// <summary>When the watcher last finished an entry or a pass: a pass taking many large faxes is slow but moving.</summary>
    public DateTimeOffset? LastProgressAt { get; private set; }
    public FaxInboxStatus? Status { get; private set; }
    /// <summary>Entries seen but not yet taken or quarantined at the end of the last pass (still being written, waiting to be stable, failing).</summary>
    public int WaitingFiles { get; private set; }
    public bool Enabled => O.Enabled;

    protected override async Task ExecuteAsync(CancellationToken stop)
    {
        if (!O.Enabled) return;
        if (metrics is not null) metrics.FaxInboxWaiting = () => WaitingFiles;
        // The inbox belongs to the fax gateway too (it writes there): its mode is the deployment's. What the service
        // takes out of it is private: claimed files and quarantine 0700/0600 (docs/data-retention.md).
        Directory.CreateDirectory(Inbox);
        PrivateFiles.EnsureFolder(Claimed);
        PrivateFiles.EnsureFolder(Quarantine);
        StartedAt = clock.GetUtcNow();
        log.LogInformation("Watching fax inbox {Inbox}", Inbox);
        using var timer = new PeriodicTimer(O.PollInterval);
        do
        {
            try { await ScanOnceAsync(stop); }
            catch (OperationCanceledException) when (stop.IsCancellationRequested) { break; }
            catch (Exception e) { log.LogError(e, "Fax inbox scan failed; retrying at the next poll"); }
        } while (await timer.WaitForNextTickAsync(stop).ConfigureAwait(false));
    }

    /// <summary>One pass: first files a crash left claimed, then the inbox's entries; then the alert.</summary>
    public async Task ScanOnceAsync(CancellationToken ct)
    {
        var present = new HashSet<string>();
        PrivateFiles.EnsureFolder(Claimed); // removed by hand while running: made again rather than failing every pass
        foreach (var path in Directory.EnumerateFileSystemEntries(Claimed).ToList())
        {
            if (path.EndsWith(NameSuffix, StringComparison.Ordinal) || IsSidecar(path))
            {
                await OneEntryAsync(path, () => { DropOrphanClaimFile(path); return Task.CompletedTask; }, ct);
                continue;
            }
            present.Add(path);
            await OneEntryAsync(path, () => TakeAsync(path, ct), ct);
        }
        foreach (var path in Directory.EnumerateFileSystemEntries(Inbox).ToList())
        {
            present.Add(path);
            await OneEntryAsync(path, () => ConsiderAsync(path, ct), ct);
        }
        foreach (var gone in _seen.Keys.Where(k => !present.Contains(k)).ToList()) _seen.Remove(gone);
        await ReportAsync(ct);
    }

    /// <summary>Runs the handling of one entry so that whatever it throws stops only that entry, logged once per error.</summary>
    private async Task OneEntryAsync(string path, Func<Task> handle, CancellationToken ct)
    {
        try
        {
            await handle();
            LastProgressAt = clock.GetUtcNow();
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested) { throw; }
        catch (Exception e)
        {
            var s = _seen.TryGetValue(path, out var known) ? known : _seen[path] = new Sighting(-1, default, clock.GetUtcNow());
            if (s.LastError == e.Message) return;
            s.LastError = e.Message;
            log.LogWarning("A fax inbox entry could not be handled; it is tried again at each poll, other files are still taken: {Error}", e.Message);
        }
    }

    private async Task ConsiderAsync(string path, CancellationToken ct)
    {
        var kind = FileEntries.KindOf(path);
        if (kind is EntryKind.Missing or EntryKind.Directory) return; // .claimed/, or a folder: not ours to look into
        if (kind != EntryKind.Regular)
        {
            QuarantineEntry(path, kind);
            return;
        }
        var now = clock.GetUtcNow();
        FileInfo fi;
        try { fi = new FileInfo(path); if (!fi.Exists) return; } catch (IOException) { return; }
        var s = Sight(path, fi.Length, fi.LastWriteTimeUtc, now);
        var name = Path.GetFileName(path);
        if (IsTemporaryName(name))
        {
            // Measured from what this watcher saw, not from the file's time: a copy that keeps the source's time (cp -p,
            // rsync -t: its temporary file gets the old time before its final rename) would look abandoned at once.
            var unchangedFor = now - s.UnchangedSince;
            if (unchangedFor >= O.AbandonedAfter)
                MoveToQuarantine(path, null, name,
                    $"ABANDONED: a temporary name ('.' prefix, '.tmp' or '.part': still being written) unchanged for {unchangedFor:c}, " +
                    $"longer than Ingest:FaxInbox:AbandonedAfter ({O.AbandonedAfter:c}). The sender never completed it; send the fax again.");
            return;
        }
        if (now - s.UnchangedSince < O.StableFor) return;
        if (IsSidecar(path))
        {
            if (FaxFor(path) is null && now - s.UnchangedSince >= O.OrphanSidecarAfter)
                MoveToQuarantine(path, null, name, "A sidecar .json arrived without a fax file beside it.");
            return;
        }
        var claimedPath = Claim(path, name);
        if (claimedPath is null) return;
        _seen.Remove(path);
        await TakeAsync(claimedPath, ct);
    }

    private Sighting Sight(string path, long size, DateTime mtime, DateTimeOffset now)
    {
        if (!_seen.TryGetValue(path, out var s)) return _seen[path] = new Sighting(size, mtime, now);
        if (s.Size != size || s.Mtime != mtime) (s.Size, s.Mtime, s.UnchangedSince) = (size, mtime, now);
        return s;
    }

    private static bool IsTemporaryName(string name) =>
        name.StartsWith('.') || name.EndsWith(".tmp", StringComparison.OrdinalIgnoreCase) || name.EndsWith(".part", StringComparison.OrdinalIgnoreCase);

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

    /// <summary>A claim name made here, never from the sender's name (which may be 255 bytes long already): a time stamp,
    /// a random part and a short extension for people looking at the folder.</summary>
    private string NewToken(string originalName)
    {
        var ext = Path.GetExtension(originalName);
        if (ext.Length > 10 || !ext.Skip(1).All(char.IsAsciiLetterOrDigit)) ext = "";
        return $"{clock.GetUtcNow():yyyyMMddTHHmmssfff}-{Guid.NewGuid():N}{ext.ToLowerInvariant()}";
    }

    /// <summary>Atomic rename into .claimed/ under a unique generated name: a second watcher (another process) loses the
    /// race cleanly. The original name is written beside the claim first, so a crash at any point keeps it.</summary>
    private string? Claim(string path, string originalName)
    {
        var target = Path.Combine(Claimed, NewToken(originalName));
        File.WriteAllText(target + NameSuffix, originalName, Encoding.UTF8);
        var movedSidecars = new List<string>();
        try
        {
            foreach (var sidecar in SidecarsOf(path).Where(p => FileEntries.KindOf(p) == EntryKind.Regular))
            {
                File.Move(sidecar, target + ".json");
                movedSidecars.Add(sidecar);
            }
            File.Move(path, target);
            PrivateFiles.Restrict(target);
            return target;
        }
        catch (IOException e)
        {
            foreach (var sidecar in movedSidecars)
                try { File.Move(target + ".json", sidecar); } catch (IOException) { }
            File.Delete(target + NameSuffix);
            if (e is FileNotFoundException) return null; // another watcher took it
            throw;
        }
    }

    private async Task TakeAsync(string claimedPath, CancellationToken ct)
    {
        var kind = FileEntries.KindOf(claimedPath);
        if (kind is EntryKind.Missing or EntryKind.Directory) return;
        var claimName = Path.GetFileName(claimedPath);
        var originalName = OriginalNameOf(claimedPath);
        if (kind != EntryKind.Regular)
        {
            QuarantineEntry(claimedPath, kind, originalName);
            return;
        }
        var sidecar = claimedPath + ".json";
        var meta = SourceMeta(await ReadSidecarAsync(sidecar, ct), originalName);
        IntakeResult result;
        try
        {
            await using var f = FileEntries.OpenRegularNoFollow(claimedPath);
            result = await intake.ReceiveAsync(new IncomingFile(Channel.Fax, O.Client, null, originalName, "fax:" + claimName, meta), f, ct);
        }
        catch (NotRegularFileException e)
        {
            QuarantineEntry(claimedPath, e.Kind, originalName);
            return;
        }
        catch (FileNotFoundException) { return; }
        switch (result)
        {
            case IntakeResult.Accepted a:
                using (log.BeginScope("case {CaseId}", a.Case.Id))
                    log.LogInformation("Fax taken ({Created})", a.Created ? "new case" : "case already existed");
                File.Delete(claimedPath);
                File.Delete(sidecar);
                File.Delete(claimedPath + NameSuffix);
                break;
            case IntakeResult.Refused r:
                var quarantined = MoveToQuarantine(claimedPath, claimName, originalName, $"{r.ReasonCode}: {r.Message}");
                if (File.Exists(sidecar)) { File.Move(sidecar, quarantined + ".json", overwrite: true); PrivateFiles.Restrict(quarantined + ".json"); }
                File.Delete(claimedPath + NameSuffix);
                break;
        }
        _seen.Remove(claimedPath);
    }

    /// <summary>The name the file had in the inbox: written beside the claim, or (claims made before names were
    /// generated) after the <c>__</c> of the claim name.</summary>
    private static string OriginalNameOf(string claimedPath)
    {
        if (FileEntries.KindOf(claimedPath + NameSuffix) == EntryKind.Regular)
            return File.ReadAllText(claimedPath + NameSuffix, Encoding.UTF8);
        var claimName = Path.GetFileName(claimedPath);
        var cut = claimName.IndexOf("__", StringComparison.Ordinal);
        return cut >= 0 ? claimName[(cut + 2)..] : claimName;
    }

    /// <summary>The gateway's sidecar (a regular file only, never followed) as text, or null.</summary>
    private static async Task<string?> ReadSidecarAsync(string sidecar, CancellationToken ct)
    {
        if (FileEntries.KindOf(sidecar) != EntryKind.Regular) return null;
        await using var f = FileEntries.OpenRegularNoFollow(sidecar);
        var buffer = new byte[MaxSidecarBytes];
        var n = await f.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, ct);
        return Encoding.UTF8.GetString(buffer, 0, n);
    }

    /// <summary>The case's source metadata: the gateway's sidecar object (or its text when it is not a JSON object) and
    /// the name the file had in the inbox, whole (the case's file name is shortened for display).</summary>
    private static string SourceMeta(string? sidecarText, string originalName)
    {
        JsonObject meta;
        try { meta = sidecarText is null ? new JsonObject() : JsonNode.Parse(sidecarText) as JsonObject ?? new JsonObject { ["sidecar"] = JsonNode.Parse(sidecarText) }; }
        catch (JsonException) { meta = new JsonObject { ["unparsed_sidecar"] = sidecarText!.Length > 4000 ? sidecarText[..4000] : sidecarText }; }
        meta["original_name"] = originalName;
        return meta.ToJsonString();
    }

    /// <summary>A .name or .json left in .claimed/ without its fax (a crash inside <see cref="Claim"/>) is cleared after
    /// <see cref="FaxInboxOptions.OrphanSidecarAfter"/>: the name is dropped, a sidecar quarantined.</summary>
    private void DropOrphanClaimFile(string path)
    {
        var fax = path[..^(path.EndsWith(NameSuffix, StringComparison.Ordinal) ? NameSuffix.Length : ".json".Length)];
        if (FileEntries.KindOf(fax) != EntryKind.Missing) return;
        var info = new FileInfo(path);
        if (!info.Exists || clock.GetUtcNow() - new DateTimeOffset(info.LastWriteTimeUtc, TimeSpan.Zero) < O.OrphanSidecarAfter) return;
        if (path.EndsWith(NameSuffix, StringComparison.Ordinal)) File.Delete(path);
        else MoveToQuarantine(path, null, Path.GetFileName(path), "A sidecar .json was left claimed without its fax (a crash while claiming).");
    }

    /// <summary>A FIFO, socket, device or link: renamed into quarantine without being opened (opening a FIFO blocks,
    /// following a link reads what the sender had no right to give).</summary>
    private void QuarantineEntry(string path, EntryKind kind, string? originalName = null)
    {
        var name = originalName ?? Path.GetFileName(path);
        string? target = null;
        if (kind == EntryKind.Symlink)
            try { target = new FileInfo(path).LinkTarget; } catch (IOException) { }
        var reason = $"NOT_A_REGULAR_FILE: the entry is a {kind switch
        {
            EntryKind.Symlink => "symbolic link" + (target is null ? "" : $" to {target}"),
            EntryKind.Fifo => "FIFO (named pipe)",
            EntryKind.Socket => "socket",
            EntryKind.CharDevice or EntryKind.BlockDevice => "device",
            _ => "special file",
        }}. The fax inbox takes regular files only and never follows links; it was not opened.";
        var to = Path.Combine(Quarantine, QuarantineName(NewToken(name), name));
        var moved = FileEntries.MoveEntryWithoutOpening(path, to);
        WriteReason(to, name, moved ? reason : reason + " The quarantine folder is on another file system, so the entry was removed instead.");
        _seen.Remove(path);
        log.LogWarning("Fax inbox entry quarantined: not a regular file ({Kind})", kind);
    }

    /// <summary>Moves a regular file to quarantine with its reason; returns where it went.</summary>
    private string MoveToQuarantine(string path, string? token, string displayName, string reason)
    {
        var target = Path.Combine(Quarantine, QuarantineName(token ?? NewToken(displayName), displayName));
        File.Move(path, target, overwrite: true);
        PrivateFiles.Restrict(target);
        WriteReason(target, displayName, reason);
        _seen.Remove(path);
        log.LogWarning("Fax file quarantined: {Reason}", reason);
        return target;
    }

    /// <summary><c>TOKEN__NAME</c> when it and its reason file fit a file name, else the token alone (the name is in the reason).</summary>
    private static string QuarantineName(string token, string originalName)
    {
        var friendly = $"{token}__{originalName}";
        return Encoding.UTF8.GetByteCount(friendly + ReasonSuffix) <= MaxNameBytes ? friendly : token;
    }

    private void WriteReason(string quarantined, string displayName, string reason)
    {
        File.WriteAllText(quarantined + ReasonSuffix, $"{displayName}\n{clock.GetUtcNow():O}\n{reason}\n");
        PrivateFiles.Restrict(quarantined + ReasonSuffix);
    }

    /// <summary>Counts the files still here after <see cref="FaxInboxOptions.AlertAfter"/>, warns once for each, and keeps
    /// the count in the database for the supervisor page (written when it changes, and every minute as a sign of life).</summary>
    private async Task ReportAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var stuck = new List<DateTimeOffset>();
        foreach (var s in _seen.Values)
        {
            var since = s.FirstSeen;
            if (now - since < O.AlertAfter) continue;
            stuck.Add(since);
            if (s.Alerted) continue;
            s.Alerted = true;
            log.LogWarning("A file has been in the fax inbox {Inbox} for {Age:c} without being taken (Ingest:FaxInbox:AlertAfter {AlertAfter:c}){Error}",
                Inbox, now - since, O.AlertAfter, s.LastError is null ? "" : $": {s.LastError}");
        }
        var status = new FaxInboxStatus(Inbox, stuck.Count, stuck.Count == 0 ? null : stuck.Min(), now);
        Status = status;
        WaitingFiles = _seen.Count;
        LastPassAt = LastProgressAt = now;
        if (_saved is null || _saved.StuckFiles != status.StuckFiles || _saved.OldestSince != status.OldestSince || now - _saved.CheckedAt >= TimeSpan.FromMinutes(1))
        {
            await store.SaveFaxInboxStatusAsync(status, ct);
            _saved = status;
        }
    }
}
