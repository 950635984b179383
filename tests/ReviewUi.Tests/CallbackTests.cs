using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using VerifyPipeline.Cases;
using VerifyPipeline.Cases.Tests.Storage;
using VerifyPipeline.Rules;
using VerifyPipeline.ReviewUi.Tests.Review;

namespace VerifyPipeline.ReviewUi.Tests;

/// <summary>Callbacks to an API client (docs/callbacks.md) against a real HTTP receiver on loopback (Kestrel, started
/// here): written with each state change the client sees, signed, retried with the outbox's back-off while the receiver
/// is down, recognised by event id when delivered twice, dead-lettered and shown to the supervisor after the last try.</summary>
public sealed class CallbackTests : IDisposable
{
    private readonly TempDir _tmp = new();
    public void Dispose() => _tmp.Dispose();
    private const string Secret = "callback-secret-0123456789abcdef0123";
    private static readonly Actor Test = Actor.Machine("test");

    /// <summary>The client's side as docs/callbacks.md tells it to be written: check the signature and the timestamp,
    /// keep each event id once, answer 2xx. <see cref="FailFirstDeliveryOf"/> records an event and then answers 500 (an
    /// acknowledgement lost on the way back), so the same event comes again.</summary>
    private sealed class Receiver(int port, TimeProvider clock) : IAsyncDisposable
    {
        private LoopbackServer? _server;
        public readonly ConcurrentQueue<(string EventId, JsonElement Body, string Raw, string Timestamp, string Signature)> Deliveries = new();
        public readonly ConcurrentDictionary<string, JsonElement> Events = new();
        public int Duplicates, BadSignatures;
        public string? FailFirstDeliveryOf;
        public bool AlwaysUnavailable;

        public Task StartAsync() => (_server = new LoopbackServer(app => app.MapPost("/hook", async (HttpContext http) =>
            {
                if (AlwaysUnavailable) return Results.StatusCode(503);
                using var ms = new MemoryStream();
                await http.Request.Body.CopyToAsync(ms);
                var raw = ms.ToArray();
                var ts = http.Request.Headers[CallbackSignature.TimestampHeader].ToString();
                var sig = http.Request.Headers[CallbackSignature.SignatureHeader].ToString();
                if (!CallbackSignature.Verify(Secret, ts, sig, raw, clock.GetUtcNow(), TimeSpan.FromMinutes(5)))
                {
                    Interlocked.Increment(ref BadSignatures);
                    return Results.StatusCode(401);
                }
                var body = JsonDocument.Parse(raw).RootElement.Clone();
                var id = body.GetProperty("event_id").GetString()!;
                Assert.Equal(id, http.Request.Headers[CallbackSignature.EventIdHeader].ToString());
                Deliveries.Enqueue((id, body, Encoding.UTF8.GetString(raw), ts, sig));
                if (!Events.TryAdd(id, body)) Interlocked.Increment(ref Duplicates);
                if (id == FailFirstDeliveryOf && Deliveries.Count(d => d.EventId == id) == 1) return Results.StatusCode(500);
                return Results.Ok();
            }), port)).UpAsync();

        public async ValueTask DisposeAsync()
        {
            if (_server is not null) await _server.DisposeAsync();
        }
    }

    private static TestHost Host(string dir, int port, FakeTimeProvider clock, int maxAttempts) => ReviewFixture.Host("embedded", dir, new()
    {
        ["Ingest:Clients:portal:CallbackUrl"] = $"http://127.0.0.1:{port}/hook",
        ["Ingest:Clients:portal:CallbackSecret"] = Secret,
        ["Outbox:RetryBackoff"] = "00:01:00",
        ["Outbox:MaxAttempts"] = maxAttempts.ToString(),
    }, clock: clock);

    /// <summary>A portal case moved Received → Processing → Rejected through the store, as the pipeline would.</summary>
    private static async Task<string> RejectedCaseAsync(TestHost host)
    {
        var data = new RequestData("PIN-CB-0001", "RSSMRA80A01H501U", "Rossi", "Mario", new DateOnly(1980, 1, 1), "Roma", "mario.rossi@example.org", null,
            new DeclaredDocument("cie", "CA00000AA", null, null, new DateOnly(2031, 3, 1)));
        var request = new ConversionRequest(CaseStore.NewId(), "portal", DateTimeOffset.UtcNow, data);
        await host.Store.CreateRequestAsync(request);
        var (c, _) = await host.Store.CreateCaseAsync(new NewCase("portal", Channel.Portal, request.Id,
            new OriginalFile(new string('0', 64), "rossi-mario.pdf", 1, FileKind.Pdf), null, null));
        await host.Store.TransitionAsync(c.Id, [CaseState.Received], CaseState.Processing, "processing", Test, null);
        // a stage failing for good: parked for staff, the client still sees Processing (no event)
        await host.Store.MarkNeedsAttentionAsync(c.Id, "test failure", Test);
        await host.Store.TransitionAsync(c.Id, [CaseState.NeedsAttention], CaseState.Processing, "retried", Test, null);
        Assert.True(await host.Store.DecideAsync(c.Id, [CaseState.Processing], new DecisionOutcome(CaseState.Rejected, "reject", [ReasonCodes.PinNotEligible],
            "test", null, new OutboxDraft(data.Email, "Richiesta di PIN dispositivo non accolta", "Testo.")), Test));
        return c.Id;
    }

    private static async Task<List<OutboxMessage>> CallbacksAsync(TestHost host, string caseId) =>
        (await host.Store.GetOutboxAsync(caseId, unsentOnly: false)).Where(m => m.Kind == OutboxKinds.Callback).ToList();

    private static async Task<T> WaitFor<T>(Func<Task<T?>> probe, string what, int seconds = 30) where T : class
    {
        var until = DateTime.UtcNow.AddSeconds(seconds);
        while (DateTime.UtcNow < until)
        {
            if (await probe() is { } found) return found;
            await Task.Delay(100);
        }
        throw new TimeoutException($"Waited {seconds} s for {what}.");
    }

    [Fact]
    public async Task Callbacks_AreDeliveredSignedOncePerEvent_AfterTheReceiverWasDown_AndARedeliveryIsKnownByItsEventId()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var port = LoopbackServer.FreePort();
        await using var host = Host(_tmp.Path, port, clock, maxAttempts: 5);
        var caseId = await RejectedCaseAsync(host);

        // written with the state changes: Received, Processing, Rejected (NeedsAttention and back are not the client's)
        var queued = await CallbacksAsync(host, caseId);
        Assert.Equal(3, queued.Count);
        Assert.All(queued, m => Assert.Equal("portal", m.Recipient));

        // the receiver is down: every event fails once (connection refused) and waits for its back-off
        await WaitFor(async () => (await CallbacksAsync(host, caseId)).All(m => m is { Attempts: 1, ClaimedUntil: null, NextAttemptAt: not null }) ? "" : null,
            "a first failed attempt of each event");
        var failed = await CallbacksAsync(host, caseId);
        Assert.All(failed, m => { Assert.Null(m.SentAt); Assert.Null(m.DeadAt); Assert.Contains("HttpRequestException", m.LastError); });

        // it comes back; the rejection's acknowledgement is lost once, so that event is delivered a second time
        await using var receiver = new Receiver(port, clock) { FailFirstDeliveryOf = queued[2].DedupeKey };
        await receiver.StartAsync();
        clock.Advance(TimeSpan.FromMinutes(1));
        await WaitFor(async () => await CallbacksAsync(host, caseId) is var l && l.Count(m => m.SentAt is not null) == 2
            && l[2] is { Attempts: 2, ClaimedUntil: null } ? "" : null, "the first two delivered, the third answered 500");
        clock.Advance(TimeSpan.FromMinutes(2)); // the doubled back-off of the third
        var sent = await WaitFor(async () => await CallbacksAsync(host, caseId) is var l && l.All(m => m.SentAt is not null) ? l : null, "every event delivered");
        Assert.Equal(new[] { 2, 2, 3 }, sent.Select(m => m.Attempts));

        Assert.Equal(0, receiver.BadSignatures);
        Assert.Equal(1, receiver.Duplicates);
        Assert.Equal(3, receiver.Events.Count);
        var events = receiver.Events.Values.OrderBy(e => e.GetProperty("sequence").GetInt32()).ToList();
        Assert.Equal(new[] { "Received", "Processing", "Rejected" }, events.Select(e => e.GetProperty("state").GetString()));
        var rejected = events[2];
        Assert.Equal(caseId, rejected.GetProperty("case_id").GetString());
        Assert.Equal("reject", rejected.GetProperty("decision").GetString());
        Assert.Equal(new[] { ReasonCodes.PinNotEligible }, rejected.GetProperty("reasons").EnumerateArray().Select(r => r.GetString()));
        Assert.Equal("case.state_changed", rejected.GetProperty("type").GetString());
        Assert.Equal(JsonValueKind.Null, events[0].GetProperty("decision").ValueKind);
        // no personal data: not the name, the codice fiscale, the address or the file's name
        Assert.All(receiver.Deliveries, d => Assert.DoesNotMatch("(?i)rossi|mario|RSSMRA|example\\.org", d.Raw));

        // someone who recorded a delivery replays it later: the signature's timestamp is too old
        var old = receiver.Deliveries.First();
        clock.Advance(TimeSpan.FromMinutes(10));
        using var http = new HttpClient();
        using var replay = new HttpRequestMessage(HttpMethod.Post, $"http://127.0.0.1:{port}/hook") { Content = new StringContent(old.Raw, Encoding.UTF8, "application/json") };
        replay.Headers.Add(CallbackSignature.TimestampHeader, old.Timestamp);
        replay.Headers.Add(CallbackSignature.SignatureHeader, old.Signature);
        replay.Headers.Add(CallbackSignature.EventIdHeader, old.EventId);
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.SendAsync(replay)).StatusCode);
        Assert.Equal(1, receiver.BadSignatures);
    }

    [Fact]
    public async Task Callback_IsDeadLetteredAfterTheLastAttempt_AndListedForTheSupervisor()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var port = LoopbackServer.FreePort();
        await using var receiver = new Receiver(port, clock) { AlwaysUnavailable = true };
        await receiver.StartAsync();
        await using var host = Host(_tmp.Path, port, clock, maxAttempts: 2);
        var caseId = await RejectedCaseAsync(host);

        await WaitFor(async () => (await CallbacksAsync(host, caseId)).All(m => m is { Attempts: 1, ClaimedUntil: null }) ? "" : null, "attempt 1");
        clock.Advance(TimeSpan.FromMinutes(1));
        var dead = await WaitFor(async () => await CallbacksAsync(host, caseId) is var l && l.All(m => m.DeadAt is not null) ? l : null, "every event given up");
        Assert.All(dead, m => { Assert.Equal(2, m.Attempts); Assert.Null(m.SentAt); Assert.Contains("503", m.LastError); });

        var supervisor = await ReviewFixture.SignInAsync(host, "supervisore");
        var html = await supervisor.GetStringAsync("/supervision");
        Assert.Contains($"data-case=\"{caseId}\" data-kind=\"callback\"", html);
        Assert.Contains(dead[2].DedupeKey, html);
    }

    [Theory]
    [InlineData("http://portal.example.org/hook", Secret, "CallbackUrl")]
    [InlineData("https://portal.example.org/hook", "short", "CallbackSecret")]
    public void Host_RefusesToStart_WithAPlainHttpCallbackOffLoopback_OrAShortSecret(string url, string secret, string named)
    {
        using var host = new TestHost("embedded", _tmp.Path, new()
        {
            ["Ingest:Clients:portal:CallbackUrl"] = url,
            ["Ingest:Clients:portal:CallbackSecret"] = secret,
        });
        var e = Assert.ThrowsAny<Exception>(() => host.Services);
        Assert.Contains($"Ingest:Clients:<name>:{named}", e.ToString());
    }
}
