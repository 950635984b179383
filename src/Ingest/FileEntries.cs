using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace VerifyPipeline.Ingest;

/// <summary>What a directory entry is, judged without following it (lstat).</summary>
public enum EntryKind { Missing, Regular, Directory, Symlink, Fifo, Socket, CharDevice, BlockDevice, Other }

/// <summary>The type of a directory entry and a no-follow open, for folders other programs write into. .NET reports a
/// FIFO, a socket or a device as an ordinary file (<c>FileAttributes.Normal</c>, length 0), and opening a FIFO for
/// reading blocks until a writer appears; so on Linux the type comes from <c>statx(AT_SYMLINK_NOFOLLOW)</c> and files
/// are opened with <c>O_NOFOLLOW | O_NONBLOCK</c> and checked with <c>fstat</c> before a byte is read. Elsewhere only
/// links are recognised (<see cref="FileSystemInfo.LinkTarget"/>, <see cref="FileAttributes.ReparsePoint"/>).</summary>
public static class FileEntries
{
    public static EntryKind KindOf(string path)
    {
        if (Native.Available)
        {
            var mode = Native.StatMode(-100 /* AT_FDCWD */, path, Native.AtSymlinkNoFollow, out var errno);
            if (mode is null) return errno is 2 /* ENOENT */ or 20 /* ENOTDIR */ ? EntryKind.Missing
                : throw new IOException($"Cannot inspect a directory entry (errno {errno}).");
            return KindOfMode(mode.Value);
        }
        var info = new FileInfo(path);
        if (info.LinkTarget is not null || (info.Exists || Directory.Exists(path)) && info.Attributes.HasFlag(FileAttributes.ReparsePoint)) return EntryKind.Symlink;
        if (Directory.Exists(path)) return EntryKind.Directory;
        return info.Exists ? EntryKind.Regular : EntryKind.Missing;
    }

    /// <summary>Opens a regular file for reading without following a link and without blocking on a FIFO or device.</summary>
    /// <exception cref="NotRegularFileException">The entry is a link, a FIFO, a socket, a device or a directory.</exception>
    public static FileStream OpenRegularNoFollow(string path)
    {
        if (!Native.Available)
        {
            var kind = KindOf(path);
            if (kind != EntryKind.Regular && kind != EntryKind.Missing) throw new NotRegularFileException(kind);
            return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, FileOptions.SequentialScan);
        }
        var fd = Native.Open(path, Native.ORdOnly | Native.ONonBlock | Native.ONoFollow | Native.OCloExec);
        if (fd < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            if (errno == 2) throw new FileNotFoundException("The file vanished before it was opened.", path);
            if (errno is 40 /* ELOOP: the last component is a link */) throw new NotRegularFileException(EntryKind.Symlink);
            throw new IOException($"Cannot open the file (errno {errno}).");
        }
        var handle = new SafeFileHandle((IntPtr)fd, ownsHandle: true);
        try
        {
            var mode = Native.StatMode(fd, "", Native.AtEmptyPath, out var errno) ?? throw new IOException($"Cannot inspect an open file (errno {errno}).");
            if (KindOfMode(mode) is var k and not EntryKind.Regular) throw new NotRegularFileException(k);
            return new FileStream(handle, FileAccess.Read, 81920, isAsync: false);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <summary>Renames an entry of any kind without opening it. When the target is on another file system (a rename
    /// cannot cross it and a copy would open the entry), the entry is removed instead: a FIFO, socket, device or link
    /// holds no fax. Returns false in that case.</summary>
    public static bool MoveEntryWithoutOpening(string from, string to)
    {
        if (!Native.Available)
        {
            File.Move(from, to, overwrite: true);
            return true;
        }
        if (Native.Rename(from, to) == 0) return true;
        var errno = Marshal.GetLastPInvokeError();
        if (errno != 18 /* EXDEV */) throw new IOException($"Cannot move a directory entry (errno {errno}).");
        File.Delete(from);
        return false;
    }

    private static EntryKind KindOfMode(int mode) => (mode & 0xF000) switch
    {
        0x8000 => EntryKind.Regular,
        0x4000 => EntryKind.Directory,
        0xA000 => EntryKind.Symlink,
        0x1000 => EntryKind.Fifo,
        0xC000 => EntryKind.Socket,
        0x2000 => EntryKind.CharDevice,
        0x6000 => EntryKind.BlockDevice,
        _ => EntryKind.Other,
    };

    /// <summary>glibc ≥ 2.28 on x64 and arm64 (the platforms the hosts ship for). <c>struct statx</c> has one layout on
    /// every architecture (stx_mode is the 16-bit field at offset 28); <c>O_NOFOLLOW</c>'s value differs between them.</summary>
    private static class Native
    {
        public static readonly bool Available = OperatingSystem.IsLinux()
            && RuntimeInformation.ProcessArchitecture is Architecture.X64 or Architecture.Arm64;
        public const int AtSymlinkNoFollow = 0x100, AtEmptyPath = 0x1000;
        public const int ORdOnly = 0, ONonBlock = 0x800, OCloExec = 0x80000;
        public static readonly int ONoFollow = RuntimeInformation.ProcessArchitecture == Architecture.Arm64 ? 0x8000 : 0x20000;
        private const uint StatxType = 1;

        public static int? StatMode(int dirFd, string path, int flags, out int errno)
        {
            var buffer = new byte[256];
            if (StatX(dirFd, path, flags, StatxType, buffer) != 0)
            {
                errno = Marshal.GetLastPInvokeError();
                return null;
            }
            errno = 0;
            return BitConverter.ToUInt16(buffer, 28);
        }

        [DllImport("libc", EntryPoint = "statx", SetLastError = true)]
        private static extern int StatX(int dirFd, [MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags, uint mask, byte[] buffer);

        [DllImport("libc", EntryPoint = "open", SetLastError = true)]
        public static extern int Open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);

        [DllImport("libc", EntryPoint = "rename", SetLastError = true)]
        public static extern int Rename([MarshalAs(UnmanagedType.LPUTF8Str)] string from, [MarshalAs(UnmanagedType.LPUTF8Str)] string to);
    }
}

/// <summary>A directory entry that is not a regular file: it is never opened for reading.</summary>
public sealed class NotRegularFileException(EntryKind kind) : IOException($"Not a regular file: {kind}.")
{
    public EntryKind Kind { get; } = kind;
}
