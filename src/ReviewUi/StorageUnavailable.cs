using System.Data.Common;
using Microsoft.AspNetCore.Diagnostics;

namespace VerifyPipeline.ReviewUi;

/// <summary>A database or blob store that is briefly out of reach (connections used up, a restart, a timeout) answers
/// 503 with Retry-After instead of a bare 500: the portal and the fax gateway retry, the file is not lost (nothing was
/// accepted), and the operator sees one warning line naming the store rather than a stack trace per request.</summary>
internal sealed class StorageUnavailable(ILogger<StorageUnavailable> log) : IExceptionHandler
{
    public const int RetryAfterSeconds = 5;

    public static bool IsTransient(Exception e) => e switch
    {
        DbException { IsTransient: true } => true,
        Azure.RequestFailedException { Status: 0 or 408 or 429 or >= 500 } => true,
        TimeoutException or HttpRequestException => true,
        _ => e.InnerException is { } inner && IsTransient(inner),
    };

    public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception e, CancellationToken ct)
    {
        if (!IsTransient(e) || http.Response.HasStarted) return false;
        log.LogWarning("Storage unavailable, answered 503: {Type}: {Message}", e.GetType().Name, e.Message);
        http.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        http.Response.Headers.RetryAfter = RetryAfterSeconds.ToString();
        await Results.Problem(statusCode: 503, title: "Service briefly unavailable",
            detail: $"Storage is busy or restarting; nothing was accepted. Send the same request again in {RetryAfterSeconds} seconds (with the same Idempotency-Key).",
            extensions: new Dictionary<string, object?> { ["reason_code"] = "SERVICE_UNAVAILABLE" }).ExecuteAsync(http);
        return true;
    }
}
