using System.Net;
using System.Text;
using Microsoft.Extensions.Options;
using VerifyPipeline.Cases;

namespace VerifyPipeline.Worker.Pipeline;

/// <summary>Posts <see cref="OutboxKinds.Callback"/> messages (a <see cref="CaseStateEvent"/>) to the client's
/// <c>CallbackUrl</c>, signed (<see cref="CallbackSignature"/>) at each attempt with the time of that attempt. Any 2xx
/// answer delivers it; anything else, a timeout or a refused connection is retried by the outbox with its back-off
/// and dead-lettered after the last attempt (docs/callbacks.md). The outbox's retries are the only ones: durable,
/// counted, visible to the supervisor — a second layer of in-process retries would multiply attempts and hold the claim.</summary>
public sealed class CallbackSender(IHttpClientFactory http, IOptionsMonitor<CallbackOptions> options, TimeProvider clock) : IOutboxSender
{
    public const string HttpClientName = "callbacks";

    public bool Handles(string kind) => kind == OutboxKinds.Callback;

    /// <summary>410 Gone: the client says this URL will never take events again.</summary>
    public bool IsPermanent(Exception e) => e is HttpRequestException { StatusCode: HttpStatusCode.Gone };

    public async Task SendAsync(OutboxMessage m, CancellationToken ct)
    {
        var client = m.Recipient ?? throw new PermanentDeliveryFailure("The callback names no API client.");
        var o = options.CurrentValue;
        if (!o.Clients.TryGetValue(client, out var target) || string.IsNullOrWhiteSpace(target.CallbackUrl) || string.IsNullOrEmpty(target.CallbackSecret))
            throw new PermanentDeliveryFailure($"API client '{client}' has no CallbackUrl and CallbackSecret configured any more (Ingest:Clients:{client}).");
        var body = Encoding.UTF8.GetBytes(m.Body);
        var timestamp = clock.GetUtcNow().ToUnixTimeSeconds();
        using var request = new HttpRequestMessage(HttpMethod.Post, target.CallbackUrl)
        {
            Content = new ByteArrayContent(body) { Headers = { ContentType = new("application/json") { CharSet = "utf-8" } } },
        };
        request.Headers.Add(CallbackSignature.EventIdHeader, m.DedupeKey);
        request.Headers.Add(CallbackSignature.TimestampHeader, timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.Add(CallbackSignature.SignatureHeader, CallbackSignature.Sign(target.CallbackSecret, timestamp, body));
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(o.CallbackTimeout);
        HttpResponseMessage response;
        try { response = await http.CreateClient(HttpClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token); }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new TimeoutException($"{client}'s callback URL did not answer within {o.CallbackTimeout.TotalSeconds:0.#} s.");
        }
        using (response)
        {
            if (!response.IsSuccessStatusCode)
                throw new HttpRequestException($"{client}'s callback URL answered {(int)response.StatusCode} {response.ReasonPhrase}.", null, response.StatusCode);
        }
    }
}
