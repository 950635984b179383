using System.Globalization;
using System.Net;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using VerifyPipeline.Cases;

namespace VerifyPipeline.ReviewUi.Review;

/// <summary>ASP.NET Core's rate limiter on the sign-in POST (issue 11): each attempt costs a PBKDF2 check, so attempts are
/// capped per client address (IPv6 by its /64, as one machine usually holds a whole one) and per user name, each in a
/// fixed window of Review:SignIn:PermitWindow; beyond that the answer is 429 with Retry-After and a page in Italian. The
/// counters live in this process (they guard its CPU); the backoff per user name that matters across hosts and
/// restarts is in the database (<see cref="LocalAccounts"/>).</summary>
public static class SignInLimits
{
    private const string UserItem = "vp.sign-in-user";
    private const long MaxFormBytes = 16 * 1024;

    public static bool IsSignIn(HttpContext http) =>
        HttpMethods.IsPost(http.Request.Method) && http.Request.Path.Equals("/login", StringComparison.OrdinalIgnoreCase);

    public static void Configure(RateLimiterOptions o, SignInOptions signIn, ILoggerFactory logs)
    {
        var log = logs.CreateLogger(typeof(SignInLimits).FullName!);
        FixedWindowRateLimiterOptions Window(int permits) => new()
        {
            PermitLimit = permits, Window = signIn.PermitWindow, QueueLimit = 0, AutoReplenishment = true,
        };
        o.GlobalLimiter = PartitionedRateLimiter.CreateChained(
            PartitionedRateLimiter.Create<HttpContext, string>(http => IsSignIn(http)
                ? RateLimitPartition.GetFixedWindowLimiter("address:" + AddressKey(http.Connection.RemoteIpAddress), _ => Window(signIn.PermitsPerAddress))
                : RateLimitPartition.GetNoLimiter("")),
            PartitionedRateLimiter.Create<HttpContext, string>(http => IsSignIn(http)
                ? RateLimitPartition.GetFixedWindowLimiter("user:" + (http.Items[UserItem] as string ?? ""), _ => Window(signIn.PermitsPerUser))
                : RateLimitPartition.GetNoLimiter("")));
        o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
        o.OnRejected = (ctx, ct) =>
        {
            var wait = ctx.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : signIn.PermitWindow;
            var seconds = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
            log.LogWarning("Sign-in attempt refused by the rate limit (per address or per user name), retry after {Seconds} s", seconds);
            return new ValueTask(TooManyAttemptsPage.WriteAsync(ctx.HttpContext, seconds));
        };
    }

    /// <summary>Reads the sign-in form before the rate limiter runs (its partitioner cannot wait for the body), so the
    /// user name can choose the partition; Razor Pages reuses the form read here. Oversized bodies are refused.</summary>
    public static async Task ReadUserNameAsync(HttpContext http, RequestDelegate next)
    {
        if (IsSignIn(http) && http.Request.HasFormContentType)
        {
            if (http.Request.ContentLength > MaxFormBytes)
            {
                http.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
                return;
            }
            var form = await http.Request.ReadFormAsync(http.RequestAborted);
            http.Items[UserItem] = LocalAccounts.Key(form["user"]);
        }
        await next(http);
    }

    public static string AddressKey(IPAddress? address)
    {
        if (address is null) return "unknown";
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        if (address.AddressFamily != System.Net.Sockets.AddressFamily.InterNetworkV6) return address.ToString();
        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes) + "/64";
    }
}

/// <summary>The 429 answer of the sign-in rate limit: a page in Italian that says how long to wait.</summary>
internal static class TooManyAttemptsPage
{
    public static async Task WriteAsync(HttpContext http, int seconds)
    {
        http.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        http.Response.Headers.CacheControl = "no-store";
        http.Response.ContentType = "text/html; charset=utf-8";
        var wait = seconds < 120 ? $"{seconds} secondi" : $"{(seconds + 59) / 60} minuti";
        await http.Response.WriteAsync($"""
            <!doctype html><html lang="it"><head><meta charset="utf-8"><title>Troppi tentativi di accesso</title>
            <link rel="stylesheet" href="/assets/review.css"></head>
            <body class="login"><main><section class="login-box"><h1>Troppi tentativi di accesso</h1>
            <p class="error" role="alert" data-testid="login-error">Troppi tentativi di accesso da questo indirizzo o per questo utente: riprovi tra {wait}.</p>
            <p><a href="/login">Torna alla pagina di accesso</a></p></section></main></body></html>
            """);
    }
}

/// <summary>Sessions checked on the server (issue 11): signing in writes a random session id into the cookie and a
/// <c>review_sessions</c> row; every request with the cookie must find its row unexpired (the row slides with
/// Review:SessionIdleTimeout like the cookie); signing out deletes the row, so a cookie copied before sign-out is worth
/// nothing after it, on every host sharing the database.</summary>
public sealed class ReviewSessions(CaseStore store, IOptionsMonitor<ReviewOptions> options, ILogger<ReviewSessions> log) : CookieAuthenticationEvents
{
    public const string SessionClaim = "vp_sid";

    public override async Task SigningIn(CookieSigningInContext context)
    {
        var identity = (ClaimsIdentity)context.Principal!.Identity!;
        foreach (var old in identity.FindAll(SessionClaim).ToList()) identity.RemoveClaim(old);
        var id = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        identity.AddClaim(new Claim(SessionClaim, id));
        await store.CreateReviewSessionAsync(id, identity.Name!, options.CurrentValue.SessionIdleTimeout, context.HttpContext.RequestAborted);
    }

    public override async Task ValidatePrincipal(CookieValidatePrincipalContext context)
    {
        var id = context.Principal?.FindFirst(SessionClaim)?.Value;
        var user = context.Principal?.Identity?.Name;
        if (id is not null && user is not null
            && await store.TouchReviewSessionAsync(id, user, options.CurrentValue.SessionIdleTimeout, context.HttpContext.RequestAborted))
            return;
        log.LogInformation("Session cookie refused: its session ended (signed out, expired, or issued before server-side sessions)");
        context.RejectPrincipal();
        await context.HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
    }

    public override async Task SigningOut(CookieSigningOutContext context)
    {
        if (context.HttpContext.User.FindFirst(SessionClaim)?.Value is { } id)
            await store.DeleteReviewSessionAsync(id, context.HttpContext.RequestAborted);
    }

    public override Task RedirectToAccessDenied(RedirectContext<CookieAuthenticationOptions> context) => DeniedPage.WriteAsync(context.HttpContext);
}

/// <summary>Whether cookies must say Secure. Behind a TLS proxy (any host not on loopback) they must; ./run.sh serves
/// plain http on 127.0.0.1, where a Secure cookie would never come back, so a host that listens on loopback only (or
/// runs in Development) sends them on the request's scheme. Review:SecureCookie overrides.</summary>
public static class TransportSecurity
{
    public static bool ListensOnLoopbackOnly(IConfiguration config)
    {
        var urls = (config["urls"] ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Concat(config.GetSection("Kestrel:Endpoints").GetChildren().Select(e => e["Url"] ?? "*")).ToList();
        // ASPNETCORE_HTTP_PORTS / HTTPS_PORTS bind every interface.
        if (urls.Count == 0 || !string.IsNullOrEmpty(config["http_ports"]) || !string.IsNullOrEmpty(config["https_ports"])) return false;
        return urls.All(u => Uri.TryCreate(u.Replace("*", "any-host").Replace("+", "any-host"), UriKind.Absolute, out var uri)
            && (uri.Host == "localhost" || (IPAddress.TryParse(uri.Host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip))));
    }

    /// <summary>With Secure cookies, a page reached over plain HTTP could not keep anyone signed in (the browser drops the
    /// cookie; anti-forgery refuses to run): such requests get a page that says to use HTTPS, and the log names the
    /// settings to fix, instead of a sign-in that silently fails. The API and health checks are not concerned.</summary>
    public static async Task RequireHttpsForPagesAsync(HttpContext http, RequestDelegate next)
    {
        var path = http.Request.Path;
        if (http.Request.IsHttps || path.StartsWithSegments("/api") || path.StartsWithSegments("/health") || path.StartsWithSegments("/openapi"))
        {
            await next(http);
            return;
        }
        http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(TransportSecurity).FullName!).LogWarning(
            "Review page requested over plain HTTP while cookies are Secure: serve it through a TLS proxy named in Hosting:KnownProxies " +
            "or Hosting:KnownNetworks (so that X-Forwarded-Proto is believed), or set Review:SecureCookie=SameAsRequest");
        http.Response.StatusCode = StatusCodes.Status403Forbidden;
        http.Response.ContentType = "text/html; charset=utf-8";
        http.Response.Headers.CacheControl = "no-store";
        await http.Response.WriteAsync("""
            <!doctype html><html lang="it"><head><meta charset="utf-8"><title>Serve HTTPS</title></head>
            <body><main><h1>Connessione non protetta</h1>
            <p>La revisione si apre solo tramite HTTPS. Usi l'indirizzo https:// fornito dall'amministratore.</p></main></body></html>
            """);
    }

    public static CookieSecurePolicy CookiePolicy(IConfiguration config, IHostEnvironment env) =>
        config.GetValue($"{ReviewOptions.Section}:SecureCookie", SecureCookieMode.Auto) switch
        {
            SecureCookieMode.Always => CookieSecurePolicy.Always,
            SecureCookieMode.SameAsRequest => CookieSecurePolicy.SameAsRequest,
            _ => env.IsDevelopment() || ListensOnLoopbackOnly(config) ? CookieSecurePolicy.SameAsRequest : CookieSecurePolicy.Always,
        };
}
