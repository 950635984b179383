using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using VerifyPipeline.Cases;
using VerifyPipeline.Cases.Pins;

namespace VerifyPipeline.ReviewUi.Tests.Pins;

/// <summary>A PIN service on loopback that keeps the contract of docs/pin-service.md (INPS's is not ours to run in a
/// test): a real Kestrel server on a port of its own, which a test can stop ("down for a while") and start again on the
/// same port with the same PINs. It counts the calls it answered and the conversions it made.</summary>
public sealed class LoopbackPinService : IAsyncDisposable
{
    public const string ApiKey = "test-pin-service-key-0123456789";
    public ConcurrentDictionary<string, Pin> Pins { get; } = new();
    /// <summary>Case id → PIN converted for it (idempotency by case id).</summary>
    public ConcurrentDictionary<string, string> ConvertedFor { get; } = new();
    public int Conversions;
    public int MarkCalls;
    public int Port => _server.Port;
    public string BaseUrl => $"{_server.Url}/v1/";
    private readonly LoopbackServer _server;

    private LoopbackPinService() => _server = new LoopbackServer(Map);

    public static async Task<LoopbackPinService> StartAsync()
    {
        var s = new LoopbackPinService();
        await s.UpAsync();
        return s;
    }

    public Task UpAsync() => _server.UpAsync();

    /// <summary>The service goes away: connections to its port are refused until <see cref="UpAsync"/>.</summary>
    public Task DownAsync() => _server.DownAsync();

    private void Map(WebApplication app)
    {
        app.Use(async (ctx, next) =>
        {
            if (ctx.Request.Headers["X-Api-Key"] != ApiKey) { ctx.Response.StatusCode = 401; return; }
            await next(ctx);
        });
        app.MapGet("/v1/pins/{reference}", (string reference) =>
            Pins.TryGetValue(reference, out var p) ? Results.Json(HttpPinDirectory.PinRecord.From(p), Json) : Results.NotFound());
        app.MapPost("/v1/pins/{reference}/dispositivo", async (string reference, HttpRequest request) =>
        {
            Interlocked.Increment(ref MarkCalls);
            var body = await JsonSerializer.DeserializeAsync<JsonElement>(request.Body);
            var caseId = request.Headers["Idempotency-Key"].ToString();
            if (caseId != body.GetProperty("case_id").GetString()) return Results.BadRequest();
            lock (Pins)
            {
                if (ConvertedFor.TryGetValue(caseId, out var done))
                    return done == reference ? Converted(reference, caseId) : Results.Conflict(new { reason = "case_id_used_for_another_pin" });
                if (!Pins.TryGetValue(reference, out var p)) return Results.NotFound(new { reason = "unknown_pin" });
                if (p.Revoked) return Results.Conflict(new { reason = "revoked" });
                if (p.Type == PinType.Dispositivo) return Results.Conflict(new { reason = "already_dispositivo" });
                if (p.CodiceFiscale != body.GetProperty("holder_codice_fiscale").GetString()) return Results.Conflict(new { reason = "holder_mismatch" });
                Pins[reference] = p with { Type = PinType.Dispositivo, UpdatedAt = DateTimeOffset.UtcNow };
                ConvertedFor[caseId] = reference;
                Interlocked.Increment(ref Conversions);
                return Converted(reference, caseId);
            }
        });
    }

    private static IResult Converted(string reference, string caseId) => Results.Json(new { reference, status = "dispositivo", case_id = caseId }, Json);

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public ValueTask DisposeAsync() => _server.DisposeAsync();
}
