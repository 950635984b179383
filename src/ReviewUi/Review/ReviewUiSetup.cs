using System.Reflection;
using System.Security.Claims;
using Hangfire;
using Hangfire.Dashboard;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using VerifyPipeline.Cases;

namespace VerifyPipeline.ReviewUi.Review;

public static class Roles
{
    public const string Reviewer = "reviewer";
    public const string Supervisor = "supervisor";
    public const string Admin = "admin";
}

/// <summary>Who may do what. Reviewers and supervisors work cases (and see their documents); supervisors and admins
/// see the figures; only admins see the job dashboard. Admins do not see citizens' documents: least privilege.</summary>
public static class ReviewPolicies
{
    public const string CaseWork = "CaseWork";
    public const string Supervision = "Supervision";
    public const string Admin = "Admin";
}

public static class ReviewUiSetup
{
    public const string OidcScheme = "oidc";

    /// <summary>The review UI: cookie sign-in (local accounts; OpenID Connect when configured), role policies, Razor Pages
    /// with anti-forgery on every form, and the review desk. The API keeps its own scheme and answers 401 problems.</summary>
    public static WebApplicationBuilder AddReviewUi(this WebApplicationBuilder builder)
    {
        var s = builder.Services;
        var securePolicy = TransportSecurity.CookiePolicy(builder.Configuration, builder.Environment);
        s.AddOptions<ReviewOptions>()
            .Validate(o => o.SignIn.PermitsPerAddress > 0 && o.SignIn.PermitsPerUser > 0 && o.SignIn.PermitWindow > TimeSpan.Zero,
                "Review:SignIn:PermitsPerAddress, PermitsPerUser and PermitWindow must be positive.")
            .Validate(o => o.SignIn.BackoffAfterFailures > 0 && o.SignIn.FirstBackoff > TimeSpan.Zero && o.SignIn.MaxBackoff >= o.SignIn.FirstBackoff,
                "Review:SignIn:BackoffAfterFailures and FirstBackoff must be positive, and MaxBackoff at least FirstBackoff.")
            .Validate(o => o.ClaimDuration > TimeSpan.Zero && o.SessionIdleTimeout > TimeSpan.Zero, "Review:ClaimDuration and Review:SessionIdleTimeout must be positive.")
            .Validate(o => o.DeadlineWarning <= o.Deadline, "Review:DeadlineWarning must not be after Review:Deadline.")
            .Validate(o => o.SearchWindow is >= 100 and <= 1_000_000, "Review:SearchWindow must be between 100 and 1000000 requests.");

        var auth = s.AddAuthentication(o =>
        {
            // People sign in with a cookie; the API's endpoints name their own scheme (ApiKey) in their policy, so an API
            // call without a key is still challenged by that scheme: 401 problem+json, never a redirect to the sign-in page.
            o.DefaultScheme = CookieAuthenticationDefaults.AuthenticationScheme;
        }).AddCookie(o =>
        {
            o.Cookie.Name = "vp_revisione";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Lax;
            o.Cookie.SecurePolicy = securePolicy;
            o.LoginPath = "/login";
            o.LogoutPath = "/logout";
            o.ReturnUrlParameter = "returnUrl";
            o.SlidingExpiration = true;
            o.EventsType = typeof(ReviewSessions);
        });
        s.AddSingleton<ReviewSessions>();
        s.AddAntiforgery(o => o.Cookie.SecurePolicy = securePolicy);
        s.Configure<CookieTempDataProviderOptions>(o => o.Cookie.SecurePolicy = securePolicy);
        s.AddRateLimiter(_ => { });
        s.AddOptions<RateLimiterOptions>().Configure<IOptions<ReviewOptions>, ILoggerFactory>((o, review, logs) => SignInLimits.Configure(o, review.Value.SignIn, logs));
        s.AddOptions<CookieAuthenticationOptions>(CookieAuthenticationDefaults.AuthenticationScheme)
            .Configure<IOptions<ReviewOptions>>((o, review) => o.ExpireTimeSpan = review.Value.SessionIdleTimeout);

        var oidc = builder.Configuration.GetSection($"{ReviewOptions.Section}:OpenIdConnect").Get<OpenIdConnectSettings>() ?? new();
        if (!string.IsNullOrWhiteSpace(oidc.Authority)) auth.AddOpenIdConnect(OidcScheme, oidc.DisplayName, o => OpenIdConnectSignIn.Configure(o, oidc));

        s.AddAuthorizationBuilder()
            .AddPolicy(ReviewPolicies.CaseWork, p => p.RequireRole(Roles.Reviewer, Roles.Supervisor))
            .AddPolicy(ReviewPolicies.Supervision, p => p.RequireRole(Roles.Supervisor, Roles.Admin))
            .AddPolicy(ReviewPolicies.Admin, p => p.RequireRole(Roles.Admin));

        s.AddRazorPages(o => o.Conventions.ConfigureFilter(new SecurityHeadersFilter()));
        // Italian text as UTF-8 characters, not numeric entities (still HTML-encoded where it must be).
        s.AddWebEncoders(o => o.TextEncoderSettings = new System.Text.Encodings.Web.TextEncoderSettings(System.Text.Unicode.UnicodeRanges.All));
        s.AddSingleton<LocalAccounts>();
        s.AddSingleton<ReviewQueue>();
        s.AddSingleton<ReviewDesk>();
        s.AddSingleton<ReviewSearch>();
        s.AddSingleton<SignatureLane>();
        s.AddSingleton<SupervisorFigures>();
        return builder;
    }

    /// <summary>Pages over HTTPS when cookies are Secure, and the sign-in rate limit; before authentication, so a flood of
    /// attempts costs no database or hash work.</summary>
    public static WebApplication UseReviewSignInLimits(this WebApplication app)
    {
        if (TransportSecurity.CookiePolicy(app.Configuration, app.Environment) == CookieSecurePolicy.Always) app.Use(TransportSecurity.RequireHttpsForPagesAsync);
        app.Use(SignInLimits.ReadUserNameAsync);
        app.UseRateLimiter();
        return app;
    }

    public static WebApplication MapReviewUi(this WebApplication app)
    {
        app.MapRazorPages();
        app.MapGet("/", (HttpContext http) => Results.Redirect(
            http.User.IsInRole(Roles.Reviewer) || http.User.IsInRole(Roles.Supervisor) ? "/queue"
            : http.User.IsInRole(Roles.Admin) ? "/supervision" : "/login")).ExcludeFromDescription();
        app.MapGet("/assets/{name}", Asset).ExcludeFromDescription();
        ReviewFiles.Map(app);
        // Keeps a signed-in session alive (the "Resta collegato" of the expiry warning): every authenticated request
        // renews the server-side session; this one does nothing else.
        app.MapGet("/session/alive", () => Results.NoContent()).RequireAuthorization().ExcludeFromDescription();
        // Hangfire's configuration (its log provider, bound to this host's logger factory) is applied when
        // IGlobalConfiguration is first resolved; the storage must not be created before that, or it logs through a
        // previous host's disposed factory (several hosts in one test process).
        app.Services.GetRequiredService<IGlobalConfiguration>();
        app.MapHangfireDashboard("/hangfire", new DashboardOptions
        {
            Authorization = [new AdminOnlyDashboard()],
            AppPath = "/supervision",
            DashboardTitle = "VerifyPipeline — lavori in corso",
        }, app.Services.GetRequiredService<JobStorage>()).RequireAuthorization(ReviewPolicies.Admin);
        return app;
    }

    private static readonly Assembly Self = typeof(ReviewUiSetup).Assembly;

    /// <summary>The stylesheet and script, embedded in the assembly (so the content root does not matter).</summary>
    private static IResult Asset(string name)
    {
        var type = Path.GetExtension(name) switch { ".css" => "text/css; charset=utf-8", ".js" => "text/javascript; charset=utf-8", _ => null };
        var stream = type is null ? null : Self.GetManifestResourceStream("review/" + name);
        return stream is null ? Results.NotFound() : Results.Stream(stream, type);
    }
}

/// <summary>Every UI page: no framing, no sniffing, scripts and styles only from this origin, no caching of pages that
/// carry personal data.</summary>
internal sealed class SecurityHeadersFilter : IAsyncPageFilter
{
    public Task OnPageHandlerSelectionAsync(PageHandlerSelectedContext context) => Task.CompletedTask;

    public Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        var h = context.HttpContext.Response.Headers;
        h.ContentSecurityPolicy = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
        h.XContentTypeOptions = "nosniff";
        h["Referrer-Policy"] = "no-referrer";
        // The same value anti-forgery insists on for pages with forms (it warns when it has to override another).
        h.CacheControl = "no-cache, no-store";
        h.Pragma = "no-cache";
        return next();
    }
}

/// <summary>The Hangfire dashboard checks the role itself too, in case the endpoint's policy is ever lost.</summary>
internal sealed class AdminOnlyDashboard : IDashboardAuthorizationFilter
{
    public bool Authorize(DashboardContext context) => context.GetHttpContext().User.IsInRole(Roles.Admin);
}

/// <summary>A signed-in user without the role a page needs gets 403 and a page that says so, not a redirect.</summary>
internal static class DeniedPage
{
    public static Task WriteAsync(HttpContext http)
    {
        http.Response.StatusCode = StatusCodes.Status403Forbidden;
        http.Response.ContentType = "text/html; charset=utf-8";
        http.Response.Headers.CacheControl = "no-store";
        return http.Response.WriteAsync("""
            <!doctype html><html lang="it"><head><meta charset="utf-8"><title>Accesso negato</title>
            <link rel="stylesheet" href="/assets/review.css"></head>
            <body class="denied"><main><h1>Accesso negato</h1>
            <p>Il suo ruolo non consente di aprire questa pagina.</p><p><a href="/">Torna all'inizio</a></p></main></body></html>
            """);
    }
}

/// <summary>OpenID Connect (production): authorization code with PKCE; the provider's roles or groups are mapped to
/// reviewer / supervisor / admin by configuration, and a user with none of them is refused.</summary>
internal static class OpenIdConnectSignIn
{
    public static void Configure(OpenIdConnectOptions o, OpenIdConnectSettings settings)
    {
        o.Authority = settings.Authority;
        o.ClientId = settings.ClientId;
        o.ClientSecret = settings.ClientSecret;
        o.ResponseType = "code";
        o.UsePkce = true;
        o.SaveTokens = false;
        o.MapInboundClaims = false;
        o.GetClaimsFromUserInfoEndpoint = true;
        o.SignInScheme = CookieAuthenticationDefaults.AuthenticationScheme;
        o.CallbackPath = "/signin-oidc";
        o.SignedOutCallbackPath = "/signout-callback-oidc";
        o.Scope.Add("profile");
        o.Events.OnTokenValidated = ctx =>
        {
            var p = ctx.Principal!;
            var role = p.FindAll(settings.RoleClaim).Select(c => settings.RoleMap.GetValueOrDefault(c.Value))
                .Where(r => r is Roles.Reviewer or Roles.Supervisor or Roles.Admin)
                .OrderBy(r => r switch { Roles.Admin => 0, Roles.Supervisor => 1, _ => 2 }).FirstOrDefault();
            if (role is null)
            {
                ctx.Fail("The identity provider gave this user no role mapped in Review:OpenIdConnect:RoleMap.");
                return Task.CompletedTask;
            }
            var name = p.FindFirst("preferred_username")?.Value ?? p.FindFirst("sub")!.Value;
            ctx.Principal = LocalAccounts.Principal(name, role, OidcSchemeName);
            return Task.CompletedTask;
        };
        o.Events.OnRemoteFailure = ctx =>
        {
            ctx.Response.Redirect("/login?sso=failed");
            ctx.HandleResponse();
            return Task.CompletedTask;
        };
    }

    private const string OidcSchemeName = ReviewUiSetup.OidcScheme;
}
