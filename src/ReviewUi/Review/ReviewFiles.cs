using VerifyPipeline.Cases;
using VerifyPipeline.Decisions;

namespace VerifyPipeline.ReviewUi.Review;

/// <summary>Page images and the original file, for people who work cases only. URLs carry the case id and a page
/// number (no names, no file names); answers are never cached, so nothing stays behind after signing out.</summary>
public static class ReviewFiles
{
    public static void Map(WebApplication app)
    {
        var files = app.MapGroup("/cases/{id}").RequireAuthorization(ReviewPolicies.CaseWork).ExcludeFromDescription();
        files.MapGet("/pages/{index:int}", PageImage);
        files.MapGet("/original", Original);
        files.MapGet("/signatures/{which:regex(^(form|document)$)}", SignatureCrop);
    }

    /// <summary>The form's or the document's signature crop the Read stage kept (blob key in the report).</summary>
    private static async Task<IResult> SignatureCrop(string id, string which, HttpContext http, CaseStore store, IBlobStore blobs, CancellationToken ct)
    {
        var c = await store.GetCaseAsync(id, ct);
        if (CaseReport.Parse(c?.Report)?.SignatureCrops?.GetValueOrDefault(which) is not { } blobKey) return Results.NotFound();
        NoStore(http);
        return Results.Stream(await blobs.OpenReadAsync(blobKey, ct), "image/png");
    }

    private static async Task<IResult> PageImage(string id, int index, HttpContext http, CaseStore store, IBlobStore blobs, CancellationToken ct)
    {
        var page = (await store.GetCaseAsync(id, ct))?.Pages?.FirstOrDefault(p => p.Index == index);
        if (page is null) return Results.NotFound();
        NoStore(http);
        return Results.Stream(await blobs.OpenReadAsync(page.BlobKey, ct), page.MediaType);
    }

    /// <summary>The file as received, downloaded under a neutral name; each download is an audit event.</summary>
    private static async Task<IResult> Original(string id, HttpContext http, CaseStore store, IBlobStore blobs, CancellationToken ct)
    {
        var c = await store.GetCaseAsync(id, ct);
        if (c is null) return Results.NotFound();
        // Deleted by the retention purge or an erasure: the decision's record stays, the file does not.
        if (c.Retention.OriginalPurgedAt is not null) return Results.StatusCode(StatusCodes.Status410Gone);
        await store.AppendAuditEventAsync(id, "original_viewed", Actor.Person(http.User.Identity!.Name!), null, ct);
        NoStore(http);
        var ext = c.Original.Kind switch
        {
            FileKind.Pdf => "pdf", FileKind.Jpeg => "jpg", FileKind.Png => "png", FileKind.Tiff => "tif", FileKind.Zip => "zip",
            FileKind.Rar => "rar", FileKind.SevenZip => "7z", FileKind.Tar => "tar", FileKind.Gzip => "gz", _ => "bin",
        };
        return Results.Stream(await blobs.OpenReadAsync(c.Original.BlobKey, ct), "application/octet-stream", $"pratica-{c.Id}.{ext}");
    }

    private static void NoStore(HttpContext http)
    {
        http.Response.Headers.CacheControl = "no-store";
        http.Response.Headers.XContentTypeOptions = "nosniff";
    }
}
