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
    public int Port { get; }
    public string BaseUrl => $"http://127.0.0.1:{Port}/v1/";
    private WebApplication? _app;

    private LoopbackPinService(int port) => Port = port;

    public static async Task<LoopbackPinService> StartAsync()
    {
        using var probe = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        var s = new LoopbackPinService(port);
        await s.UpAsync();
        return s;
    }

    public async Task UpAsync()
    {
        var b = WebApplication.CreateSlimBuilder();
        b.WebHost.UseUrls($"http://127.0.0.1:{Port}");
        b.Logging.ClearProviders();
        var app = b.Build();
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
        await app.StartAsync();
        _app = app;
    }

    private static IResult Converted(string reference, string caseId) => Results.Json(new { reference, status = "dispositivo", case_id = caseId }, Json);

    /// <summary>The service goes away: connections to its port are refused until <see cref="UpAsync"/>.</summary>
    public async Task DownAsync()
    {
        if (_app is null) return;
        await _app.StopAsync();
        await _app.DisposeAsync();
        _app = null;
    }

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public async ValueTask DisposeAsync() => await DownAsync();
}
