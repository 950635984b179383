using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace VerifyPipeline.Cases;

/// <summary>The two storage faults that are the service's, not the caller's (issue 11, "Faults to survive"): a store
/// briefly out of reach, and a disk (or database) that is full. Both are answered "retry later" on the request path
/// and retried by the job runner; neither may be reported as a bad file.</summary>
public static class StorageFaults
{
    // Linux errno ENOSPC 28 and EDQUOT 122 (.NET puts the raw errno in HResult for errors it has no class for);
    // Windows ERROR_HANDLE_DISK_FULL 0x27 and ERROR_DISK_FULL 0x70 (in the low 16 bits of the HRESULT).
    private const int Enospc = 28, Edquot = 122, ErrorHandleDiskFull = 0x27, ErrorDiskFull = 0x70;

    /// <summary>No space left: ENOSPC/EDQUOT on a file write, SQLITE_FULL (13), PostgreSQL disk_full (53100).</summary>
    public static bool IsDiskFull(Exception e) => e switch
    {
        SqliteException { SqliteErrorCode: 13 } => true,
        PostgresException { SqlState: "53100" } => true,
        IOException io when (io.HResult & 0xFFFF) is Enospc or Edquot or ErrorHandleDiskFull or ErrorDiskFull => true,
        _ => e.InnerException is { } inner && IsDiskFull(inner),
    };

    /// <summary>A store that is busy or restarting: SQLite BUSY (5) / LOCKED (6) after the busy timeout; PostgreSQL
    /// too many connections (53300), shutting down or starting up (57P01–57P03), a connection failure (class 08), or
    /// any error Npgsql marks transient (a broken or refused connection, a timeout).</summary>
    public static bool IsUnavailable(Exception e) => e switch
    {
        SqliteException { SqliteErrorCode: 5 or 6 } => true,
        PostgresException p when p.SqlState is "53300" or "57P01" or "57P02" or "57P03" || p.SqlState.StartsWith("08", StringComparison.Ordinal) => true,
        NpgsqlException { IsTransient: true } => true,
        DbException { IsTransient: true } => true,
        _ => e.InnerException is { } inner && IsUnavailable(inner),
    };
}
