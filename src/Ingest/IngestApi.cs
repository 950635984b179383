using System.ComponentModel.DataAnnotations;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;
using Microsoft.Extensions.Options;
using VerifyPipeline.Cases;
using VerifyPipeline.Cases.Forms;
using VerifyPipeline.Rules;

namespace VerifyPipeline.Ingest;

/// <summary>The portal and gateway API (DESIGN.md, contract): field names, status codes and shapes are fixed.</summary>
public static partial class IngestApi
{
    public static IEndpointRouteBuilder MapIngestApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api").RequireAuthorization(IngestServices.ApiClientPolicy).WithTags("Portal and gateway API");
        api.MapPost("/requests", CreateRequest).WithName("CreateRequest");
        api.MapGet("/requests/{id}/form.pdf", GetForm).WithName("GetForm");
        api.MapPost("/requests/{id}/file", UploadFile).WithName("UploadFile").DisableAntiforgery()
            .Accepts<IFormFile>("multipart/form-data");
        api.MapGet("/cases/{id}", GetCase).WithName("GetCase");
        api.MapGet("/cases", ListCases).WithName("ListCases");
        api.MapGet("/cases/{id}/pages/{index:int}", GetPageImage).WithName("GetPageImage");
        return app;
    }

    // ---------- requests ----------

    public sealed record DocumentBody(string? Type, string? Number, string? IssuedBy, DateOnly? IssueDate, DateOnly? ExpiryDate);
    public sealed record RequestBody(string? PinReference, string? CodiceFiscale, string? Surname, string? GivenNames, DateOnly? BirthDate,
        string? BirthPlace, string? Email, string? Phone, DocumentBody? Document);
    public sealed record RequestCreated(string Id, string FormUrl);

    public static readonly string[] DocumentTypes = ["cie", "passport", "driving_licence", "paper_id"];

    internal static async Task<Results<Created<RequestCreated>, ProblemHttpResult>> CreateRequest(
        RequestBody body, HttpContext http, CaseStore store, TimeProvider clock, CancellationToken ct)
    {
        var errors = Validate(body);
        if (errors.Count > 0)
            return TypedResults.Problem(detail: string.Join(" ", errors.Select(e => e.Value)), statusCode: 400, title: "Invalid request data",
                extensions: new Dictionary<string, object?> { ["reason_code"] = "INVALID_REQUEST", ["errors"] = errors });
        var d = body.Document!;
        var data = new RequestData(body.PinReference!.Trim(), body.CodiceFiscale!.Trim().ToUpperInvariant(), body.Surname!.Trim(), body.GivenNames!.Trim(),
            body.BirthDate!.Value, body.BirthPlace?.Trim(), body.Email?.Trim(), body.Phone?.Trim(),
            new DeclaredDocument(d.Type!, d.Number!.Trim().ToUpperInvariant(), d.IssuedBy?.Trim(), d.IssueDate, d.ExpiryDate!.Value));
        var request = new ConversionRequest(CaseStore.NewId(), ApiKeyAuthentication.ClientOf(http.User), clock.GetUtcNow(), data);
        await store.CreateRequestAsync(request, ct);
        var formUrl = $"/api/requests/{request.Id}/form.pdf";
        return TypedResults.Created($"/api/requests/{request.Id}", new RequestCreated(request.Id, formUrl));
    }

    internal static Dictionary<string, string> Validate(RequestBody b)
    {
        var e = new Dictionary<string, string>();
        void Need(string field, string? v) { if (string.IsNullOrWhiteSpace(v)) e[field] = $"{field} is required."; }
        Need("pin_reference", b.PinReference);
        Need("codice_fiscale", b.CodiceFiscale);
        Need("surname", b.Surname);
        Need("given_names", b.GivenNames);
        if (b.BirthDate is null) e["birth_date"] = "birth_date is required (YYYY-MM-DD).";
        if (b.CodiceFiscale is { } cf && !string.IsNullOrWhiteSpace(cf) && !CodiceFiscaleShape().IsMatch(cf.Trim().ToUpperInvariant()))
            e["codice_fiscale"] = "codice_fiscale must be 16 characters: 6 letters, 2 digits, a month letter, 2 digits, a place code and a check letter.";
        if (b.Email is { Length: > 0 } mail && !IsDeliverableAddress(mail.Trim())) e["email"] = "email is not a valid e-mail address (one address, name@domain, no display name).";
        if (b.Document is not { } d) { e["document"] = "document is required (type, number, expiry_date)."; return e; }
        if (d.Type is null || !DocumentTypes.Contains(d.Type)) e["document.type"] = $"document.type must be one of {string.Join(", ", DocumentTypes)}.";
        Need("document.number", d.Number);
        if (d.ExpiryDate is null) e["document.expiry_date"] = "document.expiry_date is required (YYYY-MM-DD).";
        if (d.IssueDate is { } i && d.ExpiryDate is { } x && i > x) e["document.issue_date"] = "document.issue_date is after document.expiry_date.";
        return e;
    }

    /// <summary>The address the outbox will hand to MimeKit must be one MimeKit parses, bare (no display name, no angle
    /// brackets): <see cref="EmailAddressAttribute"/> alone lets through addresses such as <c>mario rossi@example.org</c>
    /// that no message can be addressed to, and their letters would never leave.</summary>
    internal static bool IsDeliverableAddress(string mail) =>
        new EmailAddressAttribute().IsValid(mail)
        && MimeKit.MailboxAddress.TryParse(mail, out var mailbox)
        && string.Equals(mailbox.Address, mail, StringComparison.OrdinalIgnoreCase)
        && !string.IsNullOrEmpty(mailbox.Domain);

    [GeneratedRegex("^[A-Z]{6}[0-9LMNPQRSTUV]{2}[ABCDEHLMPRST][0-9LMNPQRSTUV]{2}[A-Z][0-9LMNPQRSTUV]{3}[A-Z]$")]
    private static partial Regex CodiceFiscaleShape();

    internal static async Task<IResult> GetForm(string id, HttpContext http, CaseStore store, IOptions<VerifyPipeline.Cases.Forms.FormOptions> options, CancellationToken ct)
    {
        var request = await store.GetRequestAsync(id, ct);
        if (request is null || request.Client != ApiKeyAuthentication.ClientOf(http.User))
            return Problems.Result(404, "REQUEST_NOT_FOUND", $"No request {id} was created with this API key.");
        var pdf = FormRenderer.RenderPdf(request, new FormRenderOptions(options.Value.HmacKey, PrintedOn: DateOnly.FromDateTime(request.CreatedAt.UtcDateTime)));
        return TypedResults.File(pdf, "application/pdf", $"richiesta-pin-dispositivo-{id}.pdf");
    }

    // ---------- upload ----------

    public sealed record FileAccepted(string CaseId, string StatusUrl);

    internal static async Task<IResult> UploadFile(string id, HttpContext http, CaseStore store, Intake intake, CancellationToken ct)
    {
        var client = ApiKeyAuthentication.ClientOf(http.User);
        var request = await store.GetRequestAsync(id, ct);
        if (request is null || request.Client != client)
            return Problems.Result(404, "REQUEST_NOT_FOUND", $"No request {id} was created with this API key. Create it first with POST /api/requests.");
        if (http.Request.ContentLength is { } declared && declared > intake.MaxUploadBytes + 64 * 1024)
            return Problems.Result(413, ReasonCodes.UnreadableFile, $"The file is larger than the limit of {intake.MaxUploadBytes / (1024 * 1024)} MB. Scan at 200–300 dpi in grey or black and white, and send it again.");
        var key = http.Request.Headers["Idempotency-Key"].FirstOrDefault();
        if (key is { Length: > 200 })
            return Problems.Result(400, "INVALID_IDEMPOTENCY_KEY", "The Idempotency-Key header must be at most 200 characters.");
        var boundary = http.Request.HasFormContentType && MediaTypeHeaderValue.TryParse(http.Request.ContentType, out var mediaType)
            ? HeaderUtilities.RemoveQuotes(mediaType.Boundary).Value : null;
        if (string.IsNullOrEmpty(boundary))
            return Problems.Result(400, ReasonCodes.UnreadableFile, "Send exactly one file as multipart/form-data in the part named 'file'.");
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
            size.MaxRequestBodySize = intake.MaxUploadBytes + 1024 * 1024; // room for the multipart framing of a file at the limit

        // The body is streamed section by section straight into the intake (one write of the bytes, no form buffering);
        // the case is created only once the whole body proved to hold exactly one file.
        BufferedFile? file = null;
        var files = 0;
        try
        {
            var reader = new MultipartReader(boundary, http.Request.Body) { HeadersCountLimit = 16, HeadersLengthLimit = 16 * 1024 };
            MultipartSection? section;
            while ((section = await reader.ReadNextSectionAsync(ct)) is not null)
            {
                if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var cd) || !cd.IsFileDisposition())
                {
                    await section.Body.CopyToAsync(Stream.Null, ct);
                    continue;
                }
                if (++files > 1 || cd.Name.Value != "file") break;
                var (buffered, refused) = await intake.BufferAsync(cd.FileNameStar.Value ?? cd.FileName.Value, section.Body, ct);
                if (refused is not null) return Problems.Result(refused.Status, refused.ReasonCode, refused.Message);
                file = buffered;
            }
            if (files != 1 || file is null)
                return Problems.Result(400, ReasonCodes.UnreadableFile,
                    $"Send exactly one file, in the part named 'file' (received {(files > 1 ? "more than one" : files == 1 ? "one in another part" : "none")}). Several documents must be bundled into one PDF or one archive (zip, rar, 7z).");
            var result = await intake.AcceptAsync(new IncomingFile(ApiKeyAuthentication.ChannelOf(http.User), client, id, file.FileName, key, null), file, ct);
            return result switch
            {
                IntakeResult.Accepted a => TypedResults.Accepted($"/api/cases/{a.Case.Id}", new FileAccepted(a.Case.Id, $"/api/cases/{a.Case.Id}")),
                IntakeResult.Refused r => Problems.Result(r.Status, r.ReasonCode, r.Message),
                _ => throw new InvalidOperationException(),
            };
        }
        catch (BadHttpRequestException e) when (e.StatusCode == 413)
        {
            return Problems.Result(413, ReasonCodes.UnreadableFile, $"The file is larger than the limit of {intake.MaxUploadBytes / (1024 * 1024)} MB.");
        }
        catch (Exception e) when (e is InvalidDataException or BadHttpRequestException or IOException && !ct.IsCancellationRequested)
        {
            return Problems.Result(400, ReasonCodes.UnreadableFile, "The multipart body could not be read. Send exactly one file in the part named 'file'.");
        }
        finally { file?.Dispose(); }
    }

    // ---------- cases ----------

    internal static async Task<IResult> GetCase(string id, HttpContext http, CaseStore store, CancellationToken ct)
    {
        var c = await store.GetCaseAsync(id, ct);
        if (c is null || c.Client != ApiKeyAuthentication.ClientOf(http.User))
            return Problems.Result(404, "CASE_NOT_FOUND", $"No case {id} was submitted with this API key.");
        return TypedResults.Ok(CaseView.From(c, await store.GetEventsAsync(id, ct)));
    }

    internal static async Task<IResult> ListCases(HttpContext http, CaseStore store, string? channel, string? since, int? limit, CancellationToken ct)
    {
        Channel? ch = null;
        if (channel is not null)
        {
            if (!Enum.TryParse<Channel>(channel, ignoreCase: true, out var parsed))
                return Problems.Result(400, "INVALID_QUERY", "channel must be 'portal' or 'fax'.");
            ch = parsed;
        }
        DateTimeOffset? from = null;
        if (since is not null)
        {
            if (!DateTimeOffset.TryParse(since, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var s))
                return Problems.Result(400, "INVALID_QUERY", "since must be an ISO 8601 date-time, e.g. 2026-11-23T10:00:00Z.");
            from = s;
        }
        var cases = await store.ListCasesAsync(ApiKeyAuthentication.ClientOf(http.User), ch, from, Math.Clamp(limit ?? 100, 1, 1000), ct);
        return TypedResults.Ok(cases.Select(c => CaseView.From(c, null)).ToList());
    }

    internal static async Task<IResult> GetPageImage(string id, int index, HttpContext http, CaseStore store, IBlobStore blobs, CancellationToken ct)
    {
        var c = await store.GetCaseAsync(id, ct);
        if (c is null || c.Client != ApiKeyAuthentication.ClientOf(http.User))
            return Problems.Result(404, "CASE_NOT_FOUND", $"No case {id} was submitted with this API key.");
        var page = c.Pages?.FirstOrDefault(p => p.Index == index);
        if (page is null)
            return Problems.Result(404, "PAGE_NOT_FOUND", $"Case {id} has no page {index}.");
        return TypedResults.Stream(await blobs.OpenReadAsync(page.BlobKey, ct), page.MediaType);
    }
}
