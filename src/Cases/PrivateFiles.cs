using System.Runtime.InteropServices;

namespace VerifyPipeline.Cases;

/// <summary>Everything the service writes holds personal data (scans, page images, messages, the case database, the
/// data-protection keys), so it is the service user's only (issue 11): folders 0700, files 0600. Two layers: the
/// process's umask is 077 (<see cref="RestrictProcess"/>: it covers what libraries create — SQLite's -wal/-shm files,
/// the key ring's XML, MimeKit's and the unpackers' files), and the places that *move* a file in (a fax renamed from
/// the gateway's inbox keeps the gateway's mode; an upload renamed into the blob folder) set the mode explicitly. A
/// link is never followed: chmod would change its target.</summary>
public static class PrivateFiles
{
    public const UnixFileMode FilePermissions = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    public const UnixFileMode FolderPermissions = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>umask 077 for this process: files are created 0600 and folders 0700 unless a mode is given. Called by
    /// each host at start (the review/ingest host and `verify worker`).</summary>
    public static void RestrictProcess()
    {
        if (OperatingSystem.IsLinux() || OperatingSystem.IsMacOS()) _ = Umask(0b000_111_111);
    }

    /// <summary>Creates the folder (and its missing parents) 0700, or sets an existing one to 0700. Only for folders the
    /// service owns (blobs, outbox, quarantine, keys, the database's folder): never for a shared one like /tmp.</summary>
    public static void EnsureFolder(string path)
    {
        if (OperatingSystem.IsWindows()) { Directory.CreateDirectory(path); return; }
        var dir = Directory.CreateDirectory(path, FolderPermissions);
        if (dir.LinkTarget is null && (dir.UnixFileMode & ~FolderPermissions) != 0) File.SetUnixFileMode(path, FolderPermissions);
    }

    /// <summary>Creates a folder of the service's own inside a possibly shared parent (a work folder under /tmp): 0700.</summary>
    public static void CreateFolder(string path)
    {
        if (OperatingSystem.IsWindows()) Directory.CreateDirectory(path);
        else Directory.CreateDirectory(path, FolderPermissions);
    }

    /// <summary>Sets a regular file to 0600 (a link or a missing file is left alone).</summary>
    public static void Restrict(string path)
    {
        if (OperatingSystem.IsWindows()) return;
        var f = new FileInfo(path);
        if (f.Exists && f.LinkTarget is null && (f.UnixFileMode & ~FilePermissions) != 0) File.SetUnixFileMode(path, FilePermissions);
    }

    /// <summary>A new file for writing, created 0600 whatever the umask.</summary>
    public static FileStream CreateNew(string path, int bufferSize, FileOptions options)
    {
        var o = new FileStreamOptions { Mode = System.IO.FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None, BufferSize = bufferSize, Options = options };
        if (!OperatingSystem.IsWindows()) o.UnixCreateMode = FilePermissions;
        return new FileStream(path, o);
    }

    [DllImport("libc", EntryPoint = "umask")]
    private static extern uint Umask(uint mask);
}
