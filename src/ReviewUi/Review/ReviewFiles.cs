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
        files.MapGet("/files/{fileNo:int}", FileOf);
        files.MapGet("/files/{fileNo:int}/pages/{index:int}", PreviousFilePage);
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
        return Results.Stream(await blobs.OpenReadAsync(c.Original.BlobKey, ct), "application/octet-stream", $"pratica-{c.Id}.{Extension(c.Original.Kind)}");
    }

    /// <summary>Any file the case received (issue 15: a second file joined it; the previous one stays available), downloaded
    /// like the original and audited with its number.</summary>
    private static async Task<IResult> FileOf(string id, int fileNo, HttpContext http, CaseStore store, IBlobStore blobs, CancellationToken ct)
    {
        var c = await store.GetCaseAsync(id, ct);
        if (c is null) return Results.NotFound();
        if (c.Retention.OriginalPurgedAt is not null) return Results.StatusCode(StatusCodes.Status410Gone);
        var file = (await store.GetFilesAsync(c, ct)).FirstOrDefault(f => f.FileNo == fileNo);
        if (file is null) return Results.NotFound();
        await store.AppendAuditEventAsync(id, "original_viewed", Actor.Person(http.User.Identity!.Name!), $"file {fileNo}", ct);
        NoStore(http);
        return Results.Stream(await blobs.OpenReadAsync(file.File.BlobKey, ct), "application/octet-stream", $"pratica-{c.Id}-file{fileNo}.{Extension(file.File.Kind)}");
    }

    /// <summary>A page image read from a previous file of the case (kept when a newer file replaced it).</summary>
    private static async Task<IResult> PreviousFilePage(string id, int fileNo, int index, HttpContext http, CaseStore store, IBlobStore blobs, CancellationToken ct)
    {
        var c = await store.GetCaseAsync(id, ct);
        if (c is null) return Results.NotFound();
        var page = (await store.GetFilesAsync(c, ct)).FirstOrDefault(f => f.FileNo == fileNo)?.Pages?.FirstOrDefault(p => p.Index == index);
        if (page is null || c.Retention.ImagesPurgedAt is not null) return Results.NotFound();
        NoStore(http);
        return Results.Stream(await blobs.OpenReadAsync(page.BlobKey, ct), page.MediaType);
    }

    private static string Extension(FileKind kind) => kind switch
    {
        FileKind.Pdf => "pdf", FileKind.Jpeg => "jpg", FileKind.Png => "png", FileKind.Tiff => "tif", FileKind.Zip => "zip",
        FileKind.Rar => "rar", FileKind.SevenZip => "7z", FileKind.Tar => "tar", FileKind.Gzip => "gz", _ => "bin",
    };

    private static void NoStore(HttpContext http)
    {
        http.Response.Headers.CacheControl = "no-store";
        http.Response.Headers.XContentTypeOptions = "nosniff";
    }
}
