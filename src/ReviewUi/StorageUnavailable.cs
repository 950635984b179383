using System.Data.Common;
using Microsoft.AspNetCore.Diagnostics;
using VerifyPipeline.Cases;

namespace VerifyPipeline.ReviewUi;

/// <summary>A database or blob store that is briefly out of reach (connections used up, a restart, a timeout, SQLite's
/// write lock held past the request path's short wait) answers 503 with Retry-After instead of a bare 500; a full disk
/// or database answers 507 with Retry-After (issue 11). Either way the portal and the fax gateway retry, the file is not
/// lost (nothing was accepted), the caller is told it is the service's fault, and the operator sees one warning line
/// naming the store rather than a stack trace per request.</summary>
internal sealed class StorageUnavailable(ILogger<StorageUnavailable> log) : IExceptionHandler
{
    public const int RetryAfterSeconds = 5;
    /// <summary>Space comes back when an operator frees it: a longer wait than for a lock or a restart.</summary>
    public const int DiskFullRetryAfterSeconds = 60;

    public static bool IsTransient(Exception e) => StorageFaults.IsUnavailable(e) || e switch
    {
        DbException { IsTransient: true } => true,
        Azure.RequestFailedException { Status: 0 or 408 or 429 or >= 500 } => true,
        TimeoutException or HttpRequestException => true,
        _ => e.InnerException is { } inner && IsTransient(inner),
    };

    public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception e, CancellationToken ct)
    {
        if (http.Response.HasStarted) return false;
        if (StorageFaults.IsDiskFull(e))
        {
            log.LogWarning("Storage full, answered 507: {Type}: {Message}", e.GetType().Name, e.Message);
            await Answer(http, StatusCodes.Status507InsufficientStorage, DiskFullRetryAfterSeconds, "STORAGE_FULL", "Service storage full",
                $"The service has run out of storage space: this is our fault, not a problem with your file, and nothing was accepted. Send the same request again in {DiskFullRetryAfterSeconds} seconds or later (with the same Idempotency-Key).");
            return true;
        }
        if (!IsTransient(e)) return false;
        log.LogWarning("Storage unavailable, answered 503: {Type}: {Message}", e.GetType().Name, e.Message);
        await Answer(http, StatusCodes.Status503ServiceUnavailable, RetryAfterSeconds, "SERVICE_UNAVAILABLE", "Service briefly unavailable",
            $"Storage is busy or restarting; nothing was accepted. Send the same request again in {RetryAfterSeconds} seconds (with the same Idempotency-Key).");
        return true;
    }

    private static async Task Answer(HttpContext http, int status, int retryAfter, string reasonCode, string title, string detail)
    {
        http.Response.StatusCode = status;
        http.Response.Headers.RetryAfter = retryAfter.ToString();
        await Results.Problem(statusCode: status, title: title, detail: detail,
            extensions: new Dictionary<string, object?> { ["reason_code"] = reasonCode }).ExecuteAsync(http);
    }
}
