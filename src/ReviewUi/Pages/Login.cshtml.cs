using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using VerifyPipeline.ReviewUi.Review;

namespace VerifyPipeline.ReviewUi.Pages;

[AllowAnonymous]
public sealed class LoginModel(LocalAccounts accounts, ILogger<LoginModel> log) : PageModel
{
    public string? Error { get; private set; }
    public string? UserName { get; private set; }
    public string ReturnUrl { get; private set; } = "/";
    public bool Sso => accounts.OpenIdConnectEnabled;
    public string SsoName => accounts.OpenIdConnectName;

    public void OnGet(string? returnUrl, string? sso)
    {
        ReturnUrl = Safe(returnUrl);
        if (sso == "failed") Error = "L'accesso tramite il sistema di identità non è riuscito o il suo utente non ha un ruolo per la revisione.";
    }

    public async Task<IActionResult> OnPostAsync(string? user, string? password, string? returnUrl, CancellationToken ct)
    {
        ReturnUrl = Safe(returnUrl);
        UserName = user;
        switch (await accounts.VerifyAsync(user, password, ct))
        {
            case LocalAccounts.SignedIn s:
                // The session's server-side record is written by ReviewSessions.SigningIn (for OpenID Connect too).
                await HttpContext.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, s.Principal,
                    new AuthenticationProperties { IsPersistent = false, AllowRefresh = true });
                log.LogInformation("Sign-in of {User}", s.Principal.Identity!.Name);
                return LocalRedirect(ReturnUrl);
            case LocalAccounts.LockedOut l:
                log.LogWarning("Sign-in refused: too many failures for one user name");
                var minutes = Math.Max(1, (int)Math.Ceiling(l.RetryAfter.TotalMinutes));
                Error = $"Troppi tentativi non riusciti per questo utente: riprovi tra {minutes} {(minutes == 1 ? "minuto" : "minuti")}.";
                Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(l.RetryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
                break;
            default:
                log.LogInformation("Sign-in refused: wrong user name or password");
                Error = "Utente o password non corretti.";
                break;
        }
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        return Page();
    }

    public IActionResult OnPostSso(string? returnUrl) =>
        Sso ? Challenge(new AuthenticationProperties { RedirectUri = Safe(returnUrl) }, ReviewUiSetup.OidcScheme) : NotFound();

    private string Safe(string? url) => !string.IsNullOrEmpty(url) && Url.IsLocalUrl(url) ? url : "/";
}
