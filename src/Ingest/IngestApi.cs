using System.ComponentModel.DataAnnotations;
using System.Text.Json;
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
        // A caller waits seconds, not half a minute, for SQLite's write lock; past it the answer is 503 + Retry-After.
        api.AddEndpointFilter(async (context, next) =>
        {
            using var _ = Database.RequestPath();
            return await next(context);
        });
        api.MapPost("/requests", CreateRequest).WithName("CreateRequest").Accepts<RequestBody>("application/json")
            .Produces<RequestCreated>(StatusCodes.Status201Created).ProducesProblem(400).ProducesProblem(413).ProducesProblem(415);
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

    /// <summary>The body is read here, not bound by the framework, so that its size is capped before it is parsed
    /// (<see cref="RequestFields.MaxBodyBytes"/>) and a malformed body is a problem naming the field, like invalid values.</summary>
    internal static async Task<IResult> CreateRequest(HttpContext http, CaseStore store, TimeProvider clock,
        IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json, CancellationToken ct)
    {
        if (!http.Request.HasJsonContentType())
            return Problems.Result(415, "INVALID_REQUEST", "Send the request data as JSON, with Content-Type: application/json.", "Unsupported media type");
        var tooLarge = Problems.Result(413, "INVALID_REQUEST",
            $"The request data must be at most {RequestFields.MaxBodyBytes / 1024} KiB of JSON: send only the documented fields.", "Request too large");
        if (http.Request.ContentLength > RequestFields.MaxBodyBytes) return tooLarge;
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size) size.MaxRequestBodySize = RequestFields.MaxBodyBytes;

        var bytes = new MemoryStream();
        try
        {
            var buffer = new byte[4096];
            int n;
            while ((n = await http.Request.Body.ReadAsync(buffer, ct)) > 0)
            {
                if (bytes.Length + n > RequestFields.MaxBodyBytes) return tooLarge;
                bytes.Write(buffer, 0, n);
            }
        }
        catch (BadHttpRequestException e) when (e.StatusCode == 413) { return tooLarge; }

        RequestBody? body;
        try { body = JsonSerializer.Deserialize<RequestBody>(bytes.GetBuffer().AsSpan(0, (int)bytes.Length), json.Value.SerializerOptions); }
        catch (JsonException e)
        {
            var field = e.Path is { Length: > 2 } path && path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : "body";
            return Invalid(new() { [field] = $"{field}: the JSON is malformed or has a value of the wrong type (dates are YYYY-MM-DD)." });
        }
        if (body is null) return Invalid(new() { ["body"] = "The body must be a JSON object with the request data." });

        var errors = Validate(body);
        if (errors.Count > 0) return Invalid(errors);
        var d = body.Document!;
        var data = new RequestData(body.PinReference!.Trim(), body.CodiceFiscale!.Trim().ToUpperInvariant(), body.Surname!.Trim(), body.GivenNames!.Trim(),
            body.BirthDate!.Value, body.BirthPlace?.Trim(), body.Email?.Trim(), body.Phone?.Trim(),
            new DeclaredDocument(d.Type!, d.Number!.Trim().ToUpperInvariant(), d.IssuedBy?.Trim(), d.IssueDate, d.ExpiryDate!.Value));
        var request = new ConversionRequest(CaseStore.NewId(), ApiKeyAuthentication.ClientOf(http.User), clock.GetUtcNow(), data);
        await store.CreateRequestAsync(request, ct);
        var formUrl = $"/api/requests/{request.Id}/form.pdf";
        return TypedResults.Created($"/api/requests/{request.Id}", new RequestCreated(request.Id, formUrl));
    }

    private static IResult Invalid(Dictionary<string, string> errors) =>
        TypedResults.Problem(detail: string.Join(" ", errors.Select(e => e.Value)), statusCode: 400, title: "Invalid request data",
            extensions: new Dictionary<string, object?> { ["reason_code"] = "INVALID_REQUEST", ["errors"] = errors });

    internal static Dictionary<string, string> Validate(RequestBody b)
    {
        var e = new Dictionary<string, string>();
        void Need(string field, string? v) { if (string.IsNullOrWhiteSpace(v)) e[field] = $"{field} is required."; }
        Need("pin_reference", b.PinReference);
        Need("codice_fiscale", b.CodiceFiscale);
        Need("surname", b.Surname);
        Need("given_names", b.GivenNames);
        if (b.BirthDate is null) e["birth_date"] = "birth_date is required (YYYY-MM-DD).";
        if (b.CodiceFiscale is { } cf && !string.IsNullOrWhiteSpace(cf) && (cf.Any(char.IsControl) || !CodiceFiscaleShape().IsMatch(cf.Trim().ToUpperInvariant())))
            e["codice_fiscale"] = "codice_fiscale must be 16 characters: 6 letters, 2 digits, a month letter, 2 digits, a place code and a check letter.";
        RequestFields.Check(e, "pin_reference", b.PinReference, RequestFields.FieldKind.Code, RequestFields.PinReferenceMax);
        RequestFields.Check(e, "surname", b.Surname, RequestFields.FieldKind.Name, RequestFields.SurnameMax);
        RequestFields.Check(e, "given_names", b.GivenNames, RequestFields.FieldKind.Name, RequestFields.GivenNamesMax);
        RequestFields.Check(e, "birth_place", b.BirthPlace, RequestFields.FieldKind.Place, RequestFields.BirthPlaceMax);
        RequestFields.Check(e, "email", b.Email, RequestFields.FieldKind.Email, RequestFields.EmailMax);
        RequestFields.Check(e, "phone", b.Phone, RequestFields.FieldKind.Phone, RequestFields.PhoneMax);
        if (b.Email is { Length: > 0 } mail && !IsDeliverableAddress(mail.Trim())) e["email"] = "email is not a valid e-mail address (one address, name@domain, no display name).";
        if (b.Document is not { } d) { e["document"] = "document is required (type, number, expiry_date)."; return e; }
        if (d.Type is null || !DocumentTypes.Contains(d.Type)) e["document.type"] = $"document.type must be one of {string.Join(", ", DocumentTypes)}.";
        Need("document.number", d.Number);
        RequestFields.Check(e, "document.number", d.Number, RequestFields.FieldKind.Code, RequestFields.DocumentNumberMax);
        RequestFields.Check(e, "document.issued_by", d.IssuedBy, RequestFields.FieldKind.Place, RequestFields.IssuedByMax);
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
        if (request.ErasedAt is not null) return RequestErased(id);
        var pdf = FormRenderer.RenderPdf(request, new FormRenderOptions(options.Value.HmacKey, PrintedOn: DateOnly.FromDateTime(request.CreatedAt.UtcDateTime)), ct);
        return TypedResults.File(pdf, "application/pdf", $"richiesta-pin-dispositivo-{id}.pdf");
    }

    /// <summary>The request's personal data were deleted (retention period passed, or the citizen asked): its form cannot
    /// be printed again and no file can be added to it (docs/data-retention.md).</summary>
    private static IResult RequestErased(string id) =>
        Problems.Result(410, "REQUEST_ERASED", $"The personal data of request {id} were erased (retention period or the citizen's request): create a new request with POST /api/requests.");

    // ---------- upload ----------

    public sealed record FileAccepted(string CaseId, string StatusUrl);

    public const int MaxIdempotencyKeyChars = 200;

    internal static async Task<IResult> UploadFile(string id, HttpContext http, CaseStore store, Intake intake, CancellationToken ct)
    {
        var client = ApiKeyAuthentication.ClientOf(http.User);
        var request = await store.GetRequestAsync(id, ct);
        if (request is null || request.Client != client)
            return Problems.Result(404, "REQUEST_NOT_FOUND", $"No request {id} was created with this API key. Create it first with POST /api/requests.");
        if (request.ErasedAt is not null) return RequestErased(id);
        if (http.Request.ContentLength is { } declared && declared > intake.MaxUploadBytes + 64 * 1024)
            return Problems.Result(413, ReasonCodes.UnreadableFile, $"The file is larger than the limit of {intake.MaxUploadBytes / (1024 * 1024)} MB. Scan at 200–300 dpi in grey or black and white, and send it again.");
        var keys = http.Request.Headers["Idempotency-Key"];
        var key = keys.Count == 0 ? null : keys.ToString();
        if (key is not null && (keys.Count > 1 || key.Trim().Length == 0 || key.Length > MaxIdempotencyKeyChars || key.Any(c => c is < ' ' or > '~')))
            return TypedResults.Problem(statusCode: 400, title: "Invalid request data",
                detail: $"The Idempotency-Key header, when sent, must be one value of 1 to {MaxIdempotencyKeyChars} visible ASCII characters (e.g. a UUID), not blank. Leave it out to upload without one.",
                extensions: new Dictionary<string, object?>
                {
                    ["reason_code"] = "INVALID_REQUEST",
                    ["errors"] = new Dictionary<string, string> { ["Idempotency-Key"] = $"Idempotency-Key must be 1 to {MaxIdempotencyKeyChars} visible ASCII characters, not blank." },
                });
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
        // A full disk is the service's fault, not the citizen's: it goes to the storage-fault handler (507 + Retry-After).
        catch (Exception e) when (e is InvalidDataException or BadHttpRequestException or IOException && !ct.IsCancellationRequested && !StorageFaults.IsDiskFull(e))
        {
            return Problems.Result(400, ReasonCodes.UnreadableFile, "The multipart body could not be read. Send exactly one file in the part named 'file'.");
        }
        finally { file?.Dispose(); }
    }

    // ---------- cases ----------

    internal static async Task<IResult> GetCase(string id, HttpContext http, CaseStore store, CancellationToken ct)
    {
        // A case a file of this client joined, or that a case of its was merged into (issue 15), answers too.
        var c = await store.GetCaseForClientAsync(id, ApiKeyAuthentication.ClientOf(http.User), ct);
        if (c is null)
            return Problems.Result(404, "CASE_NOT_FOUND", $"No case {id} was submitted with this API key.");
        return TypedResults.Ok(CaseView.From(c, await store.GetEventsAsync(c.Id, ct)));
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
        var c = await store.GetCaseForClientAsync(id, ApiKeyAuthentication.ClientOf(http.User), ct);
        if (c is null)
            return Problems.Result(404, "CASE_NOT_FOUND", $"No case {id} was submitted with this API key.");
        var page = c.Pages?.FirstOrDefault(p => p.Index == index);
        if (page is null)
            return Problems.Result(404, "PAGE_NOT_FOUND", $"Case {id} has no page {index}.");
        return TypedResults.Stream(await blobs.OpenReadAsync(page.BlobKey, ct), page.MediaType);
    }
}
