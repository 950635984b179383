using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using VerifyPipeline.Cases;

namespace VerifyPipeline.Ingest;

/// <summary>`X-Api-Key` → the client it belongs to. Keys are compared in constant time.</summary>
public sealed class ApiKeyAuthentication(
    IOptionsMonitor<AuthenticationSchemeOptions> schemeOptions, ILoggerFactory logger, UrlEncoder encoder, IOptions<IngestOptions> ingest)
    : AuthenticationHandler<AuthenticationSchemeOptions>(schemeOptions, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string Header = "X-Api-Key";
    public const string ChannelClaim = "vp:channel";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!Request.Headers.TryGetValue(Header, out var values) || values.Count != 1 || string.IsNullOrEmpty(values[0]))
            return Task.FromResult(AuthenticateResult.NoResult());
        var presented = Encoding.UTF8.GetBytes(values[0]!);
        foreach (var (name, client) in ingest.Value.Clients)
        {
            if (CryptographicOperations.FixedTimeEquals(presented, Encoding.UTF8.GetBytes(client.Key)))
            {
                var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, name), new Claim(ChannelClaim, client.Channel.ToString())], SchemeName);
                return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
            }
        }
        return Task.FromResult(AuthenticateResult.Fail("Unknown API key."));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties) =>
        Problems.Write(Context, StatusCodes.Status401Unauthorized, "UNAUTHORIZED",
            Request.Headers.ContainsKey(Header)
                ? "The X-Api-Key header does not match any client. Check the key configured for your client."
                : "Send your client's API key in the X-Api-Key header.");

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        Problems.Write(Context, StatusCodes.Status403Forbidden, "FORBIDDEN", "This API key may not use this endpoint.");

    public static string ClientOf(ClaimsPrincipal user) => user.Identity?.Name ?? throw new InvalidOperationException("No API client on an authorised request.");
    public static Channel ChannelOf(ClaimsPrincipal user) => Enum.Parse<Channel>(user.FindFirstValue(ChannelClaim)!);
}

public static class Problems
{
    /// <summary>A problem-details answer naming the reason code (DESIGN.md: problem bodies name the reason code).</summary>
    public static IResult Result(int status, string reasonCode, string detail, string? title = null) =>
        Results.Problem(detail: detail, statusCode: status, title: title ?? TitleOf(status), extensions: new Dictionary<string, object?> { ["reason_code"] = reasonCode });

    public static Task Write(HttpContext http, int status, string reasonCode, string detail) =>
        Result(status, reasonCode, detail).ExecuteAsync(http);

    private static string TitleOf(int status) => status switch
    {
        400 => "Bad request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not found",
        409 => "Conflict",
        413 => "File too large",
        415 => "Unsupported file type",
        _ => "Error",
    };
}
