using System.ComponentModel.DataAnnotations;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace VerifyPipeline.Cases.Pins;

/// <summary>The PIN directory is INPS's, not ours: this port is all the pipeline and the review desk know of it — the
/// look-up of a PIN by its reference (holder, status, registered contacts) and how a decision marks it dispositivo.
/// Two adapters: <see cref="LocalPinDirectory"/> (the local table: embedded mode, the demo, fed by <c>verify pins import</c>)
/// and <see cref="HttpPinDirectory"/> (the PIN service, docs/pin-service.md). <c>PinDirectory:Mode</c> chooses.</summary>
public interface IPinDirectory
{
    /// <summary>The PIN, or null when the directory does not know it. Throws when the directory cannot be asked (a
    /// transient fault: the stage is retried).</summary>
    Task<Pin?> FindAsync(string pinReference, CancellationToken ct = default);

    /// <summary>How a decision taken against <paramref name="pin"/> marks it dispositivo: written in the decision's
    /// transaction by <see cref="CaseStore.DecideAsync"/> — the local row updated, or the service's call put in the outbox.</summary>
    PinConversion ConversionFor(Pin pin);
}

public enum PinDirectoryMode { Local, Http }

public sealed class PinDirectoryOptions
{
    public const string Section = "PinDirectory";
    /// <summary>Local: the <c>pins</c> table of the case database. Http: the PIN service at <see cref="BaseUrl"/>.</summary>
    public PinDirectoryMode Mode { get; set; } = PinDirectoryMode.Local;
    /// <summary>The PIN service's root, e.g. <c>https://pin.example.invalid/v1/</c> (required with Mode Http).</summary>
    public string? BaseUrl { get; set; }
    /// <summary>Sent as <c>X-Api-Key</c> when set.</summary>
    public string? ApiKey { get; set; }
    /// <summary>One HTTP attempt's time limit.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(10);
    /// <summary>Retries of one call inside the HTTP client (Microsoft.Extensions.Http.Resilience, exponential back-off
    /// from <see cref="RetryDelay"/>); a conversion still undelivered after them is retried by the outbox.</summary>
    [Range(1, 10)] public int RetryAttempts { get; set; } = 3;
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>What is wrong with these options (null when nothing): checked at start.</summary>
    public static string? Problem(PinDirectoryOptions o) =>
        o.Mode == PinDirectoryMode.Http && !(Uri.TryCreate(o.BaseUrl, UriKind.Absolute, out var u) && u.Scheme is "http" or "https") ? "PinDirectory:BaseUrl"
        : o.AttemptTimeout <= TimeSpan.Zero ? "PinDirectory:AttemptTimeout"
        : o.RetryDelay < TimeSpan.Zero ? "PinDirectory:RetryDelay"
        : null;
}

/// <summary>The local table (<c>pins</c> in the case database). A decision updates the row in its own transaction,
/// only while the PIN is still online, not revoked and the holder's (else <see cref="PinChangedException"/>).</summary>
public sealed class LocalPinDirectory(CaseStore store) : IPinDirectory
{
    public Task<Pin?> FindAsync(string pinReference, CancellationToken ct = default) => store.GetPinAsync(pinReference, ct);
    public PinConversion ConversionFor(Pin pin) => new(pin.PinReference, pin.CodiceFiscale, PinMarking.LocalTable);
}

/// <summary>The PIN service refused a conversion for good (unknown PIN, not online, revoked, another holder): sending it
/// again cannot help; the outbox gives it up at once and shows it to the supervisor.</summary>
public sealed class PinMarkRefusedException(string message) : Exception(message);

/// <summary>The PIN service over HTTP (contract: docs/pin-service.md). Calls go through the standard resilience handler
/// (retries with back-off, attempt and total timeouts, circuit breaker). "Mark dispositivo" is never called from a
/// decision directly: the decision writes a <see cref="PinMarkOrder"/> to the outbox, whose sender calls
/// <see cref="MarkDispositivoAsync"/> until it succeeds — the service is idempotent by case id, so a retry after a lost
/// answer or a crash marks the PIN once.</summary>
public sealed class HttpPinDirectory(HttpClient http) : IPinDirectory
{
    internal static JsonSerializerOptions Json => WireJson.Options;

    public async Task<Pin?> FindAsync(string pinReference, CancellationToken ct = default)
    {
        EnsureConfigured();
        using var r = await http.GetAsync($"pins/{Uri.EscapeDataString(pinReference)}", ct);
        if (r.StatusCode == HttpStatusCode.NotFound) return null;
        if (!r.IsSuccessStatusCode) throw new HttpRequestException($"PIN service: GET pins/{{reference}} answered {(int)r.StatusCode}.", null, r.StatusCode);
        var body = await r.Content.ReadFromJsonAsync<PinRecord>(Json, ct)
            ?? throw new HttpRequestException("PIN service: GET pins/{reference} answered an empty body.");
        return body.ToPin() ?? throw new HttpRequestException($"PIN service: GET pins/{{reference}} answered an unknown status '{body.Status}'.");
    }

    public PinConversion ConversionFor(Pin pin) => new(pin.PinReference, pin.CodiceFiscale, PinMarking.Outbox);

    /// <summary>Asks the service to mark the PIN dispositivo for this case. Returns when it is (now or by an earlier call for
    /// the same case); throws <see cref="PinMarkRefusedException"/> when the service refuses for good, anything else when
    /// it could not be reached or failed (the outbox tries again later).</summary>
    public async Task MarkDispositivoAsync(PinMarkOrder order, CancellationToken ct = default)
    {
        if (http.BaseAddress is null)
            throw new PinMarkRefusedException("PinDirectory:BaseUrl is not configured in this deployment: the PIN cannot be marked dispositivo here.");
        using var request = new HttpRequestMessage(HttpMethod.Post, $"pins/{Uri.EscapeDataString(order.PinReference)}/dispositivo")
        {
            Content = JsonContent.Create(new { case_id = order.CaseId, holder_codice_fiscale = order.HolderCodiceFiscale }),
        };
        request.Headers.Add("Idempotency-Key", order.CaseId);
        using var r = await http.SendAsync(request, ct);
        if (r.IsSuccessStatusCode) return;
        if (r.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Conflict or HttpStatusCode.UnprocessableEntity)
        {
            var reason = await ReasonAsync(r, ct);
            throw new PinMarkRefusedException($"The PIN service refused to mark the PIN dispositivo ({(int)r.StatusCode} {reason}): the PIN changed since the decision; a person must look at the case.");
        }
        throw new HttpRequestException($"PIN service: POST pins/{{reference}}/dispositivo answered {(int)r.StatusCode}.", null, r.StatusCode);
    }

    private static async Task<string> ReasonAsync(HttpResponseMessage r, CancellationToken ct)
    {
        try { return (await r.Content.ReadFromJsonAsync<JsonElement>(ct)).TryGetProperty("reason", out var v) ? v.GetString() ?? "" : ""; }
        catch (Exception e) when (e is JsonException or NotSupportedException or InvalidOperationException) { return ""; }
    }

    private void EnsureConfigured()
    {
        if (http.BaseAddress is null) throw new InvalidOperationException("PinDirectory:BaseUrl is not configured: the PIN service cannot be asked.");
    }

    /// <summary>The look-up's answer (docs/pin-service.md).</summary>
    public sealed record PinRecord(string Reference, string CodiceFiscale, string Status, string? Email, string? Phone, DateTimeOffset? UpdatedAt)
    {
        public Pin? ToPin() => Status switch
        {
            "online" => new Pin(Reference, CodiceFiscale, PinType.Online, false, UpdatedAt ?? default, Email, Phone),
            "dispositivo" => new Pin(Reference, CodiceFiscale, PinType.Dispositivo, false, UpdatedAt ?? default, Email, Phone),
            "revoked" => new Pin(Reference, CodiceFiscale, PinType.Online, true, UpdatedAt ?? default, Email, Phone),
            _ => null,
        };

        public static PinRecord From(Pin p) => new(p.PinReference, p.CodiceFiscale, p.Status, p.RegisteredEmail, p.RegisteredPhone, p.UpdatedAt);
    }
}

/// <summary>The outbox message of kind <see cref="OutboxKinds.PinMark"/>: which PIN to mark dispositivo, for which case,
/// against which holder. One per case (dedupe key ''), so a decision recorded twice cannot queue two.</summary>
public sealed record PinMarkOrder(string CaseId, string PinReference, string HolderCodiceFiscale)
{
    public static OutboxItem ToOutbox(string caseId, PinConversion pin) => new(OutboxKinds.PinMark, "", null,
        "PIN dispositivo", JsonSerializer.Serialize(new PinMarkOrder(caseId, pin.PinReference, pin.HolderCodiceFiscale), HttpPinDirectory.Json));

    public static PinMarkOrder From(OutboxMessage m) => JsonSerializer.Deserialize<PinMarkOrder>(m.Body, HttpPinDirectory.Json)
        ?? throw new PinMarkRefusedException($"Outbox message {m.Id} is not a PIN mark order.");
}
