using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using VerifyPipeline.Cases;

namespace VerifyPipeline.Ingest;

/// <summary>
/// The link of the notice sent to the PIN's holder on an approval (docs/signatures.md): <c>GET /pin/contestazione/{token}</c>
/// shows one button, «Non sono stato io»; only its <c>POST</c> acts (a mail scanner opening the link changes nothing).
/// The token is single-use and expires; a page for an unknown, used or expired token says only that the link is not
/// valid — nothing about the case, the PIN or the person. No API key: the token is the credential.
/// </summary>
public static class PinDispute
{
    public static IEndpointRouteBuilder MapPinDispute(this IEndpointRouteBuilder app)
    {
        app.MapGet("/pin/contestazione/{token}", (string token) => Page(PinNoticeTokens.LooksValid(token)
            ? $"""
               <p>Se non è stato lei a chiedere che il suo PIN INPS diventi dispositivo, lo confermi qui sotto: il PIN resterà
               (o tornerà) un PIN online e la richiesta sarà riesaminata da un supervisore.</p>
               <form method="post"><button type="submit">Non sono stato io</button></form>
               """
            : Invalid, PinNoticeTokens.LooksValid(token) ? 200 : 404))
            .AllowAnonymous().ExcludeFromDescription();
        app.MapPost("/pin/contestazione/{token}", async (string token, CaseStore store, CancellationToken ct) =>
        {
            using var requestPath = Database.RequestPath();
            var (outcome, _) = await store.DisputeAsync(token, ct);
            return outcome == DisputeOutcome.Disputed
                ? Page("<p>Grazie: la sua segnalazione è registrata. Il PIN non è dispositivo e la richiesta sarà riesaminata da un supervisore. " +
                       "Potrà essere contattato sui recapiti registrati con il PIN.</p>", 200)
                : Page(Invalid, outcome == DisputeOutcome.Expired ? 410 : 404);
        }).AllowAnonymous().DisableAntiforgery().ExcludeFromDescription();
        return app;
    }

    private const string Invalid = "<p>Questo collegamento non è valido, è già stato usato o è scaduto. Se non ha chiesto lei il PIN " +
                                   "dispositivo, chiami il Contact Center INPS.</p>";

    private static IResult Page(string body, int status) => Results.Content(
        $"""
         <!doctype html><html lang="it"><head><meta charset="utf-8"><meta name="robots" content="noindex">
         <meta name="referrer" content="no-referrer"><title>PIN INPS – segnalazione</title></head>
         <body><h1>PIN INPS: richiesta di PIN dispositivo</h1>{body}</body></html>
         """, "text/html; charset=utf-8", System.Text.Encoding.UTF8, status);
}
