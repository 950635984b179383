using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;
using VerifyPipeline.Cases;
using VerifyPipeline.Cases.Pins;
using VerifyPipeline.Cases.Tests.Storage;
using VerifyPipeline.Worker.Pipeline;

namespace VerifyPipeline.ReviewUi.Tests.Pins;

/// <summary>The HTTP adapter of the PIN directory against a real HTTP server on loopback (docs/pin-service.md): look-up by
/// reference, and "mark dispositivo" written with the decision and delivered by the outbox — through the service being
/// down for a while, a repeated delivery and a decision recorded twice, the case stays approved and the PIN is converted
/// exactly once.</summary>
public sealed class PinDirectoryHttpTests : IDisposable
{
    private readonly TempDir _tmp = new();
    public void Dispose() => _tmp.Dispose();
    private static readonly Actor Test = Actor.Machine("test");
    private const string Holder = "RSSMRA80A01H501U";

    private static TestHost Host(string dir, LoopbackPinService service, FakeTimeProvider clock) => new("embedded", dir, new()
    {
        ["PinDirectory:Mode"] = "Http", ["PinDirectory:BaseUrl"] = service.BaseUrl, ["PinDirectory:ApiKey"] = LoopbackPinService.ApiKey,
        ["PinDirectory:RetryAttempts"] = "2", ["PinDirectory:RetryDelay"] = "00:00:00", ["PinDirectory:AttemptTimeout"] = "00:00:05",
        // the test runs each delivery pass itself, on its clock
        ["Outbox:PollInterval"] = "01:00:00", ["Outbox:RetryBackoff"] = "00:01:00",
    }, clock: clock);

    private static async Task<string> ProcessingCaseAsync(TestHost host, string pin)
    {
        var data = new RequestData(pin, Holder, "Rossi", "Mario", new DateOnly(1980, 1, 1), "Roma", "mario.rossi@example.org", null,
            new DeclaredDocument("cie", "CA00000AA", null, null, new DateOnly(2031, 3, 1)));
        var request = new ConversionRequest(CaseStore.NewId(), "portal", DateTimeOffset.UtcNow, data);
        await host.Store.CreateRequestAsync(request);
        var (c, _) = await host.Store.CreateCaseAsync(new NewCase("portal", Channel.Portal, request.Id,
            new OriginalFile(new string('0', 64), "scan.pdf", 1, FileKind.Pdf), null, null));
        await host.Store.TransitionAsync(c.Id, [CaseState.Received], CaseState.Processing, "processing", Test, null);
        return c.Id;
    }

    private static DecisionOutcome Approval(PinConversion conversion) =>
        new(CaseState.Approved, "approve", [], "test", conversion, new OutboxDraft("mario.rossi@example.org", "PIN dispositivo", "Testo."));

    private static async Task<OutboxMessage> PinMarkAsync(TestHost host, string caseId) =>
        Assert.Single(await host.Store.GetOutboxAsync(caseId, unsentOnly: false), m => m.Kind == OutboxKinds.PinMark);

    [Fact]
    public async Task MarkDispositivo_IsDeliveredOnceThroughTheOutbox_WhenTheServiceIsDownForAWhile()
    {
        await using var service = await LoopbackPinService.StartAsync();
        service.Pins["PIN-HTTP-0001"] = new Pin("PIN-HTTP-0001", Holder, PinType.Online, false, DateTimeOffset.UtcNow, "mario.rossi@example.org", "+39 06 1234567");
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var host = Host(_tmp.Path, service, clock);
        var directory = host.Services.GetRequiredService<IPinDirectory>();
        var delivery = host.Services.GetServices<IHostedService>().OfType<OutboxDelivery>().Single();

        // look-up by reference, with the registered contacts; an unknown PIN is null
        var pin = await Assert.IsType<HttpPinDirectory>(directory).FindAsync("PIN-HTTP-0001");
        Assert.Equal((Holder, PinType.Online, false, "mario.rossi@example.org", "+39 06 1234567"),
            (pin!.CodiceFiscale, pin.Type, pin.Revoked, pin.RegisteredEmail, pin.RegisteredPhone));
        Assert.Null(await directory.FindAsync("PIN-HTTP-NONE"));

        // the decision is recorded with its conversion queued in the same transaction; the service is not called yet
        var caseId = await ProcessingCaseAsync(host, "PIN-HTTP-0001");
        Assert.True(await host.Store.DecideAsync(caseId, [CaseState.Processing], Approval(directory.ConversionFor(pin)), Test));
        Assert.Equal(0, service.MarkCalls);
        // recorded twice (a retried job): no second decision, no second order
        Assert.False(await host.Store.DecideAsync(caseId, [CaseState.Processing], Approval(directory.ConversionFor(pin)), Test));

        // the service goes down: each pass fails (after the client's own retries), is counted and backed off
        await service.DownAsync();
        await delivery.DeliverPendingAsync(CancellationToken.None);
        var failed = await PinMarkAsync(host, caseId);
        Assert.Equal((1, (DateTimeOffset?)null, (DateTimeOffset?)null), (failed.Attempts, failed.SentAt, failed.DeadAt));
        Assert.NotNull(failed.LastError);
        clock.Advance(delivery.Backoff(1));
        await delivery.DeliverPendingAsync(CancellationToken.None);
        Assert.Equal(2, (await PinMarkAsync(host, caseId)).Attempts);
        Assert.Null((await PinMarkAsync(host, caseId)).SentAt);

        // it comes back: the next pass after the back-off delivers, and the PIN is dispositivo
        await service.UpAsync();
        clock.Advance(delivery.Backoff(2));
        await delivery.DeliverPendingAsync(CancellationToken.None);
        var sent = await PinMarkAsync(host, caseId);
        Assert.NotNull(sent.SentAt);
        Assert.Equal(3, sent.Attempts);
        Assert.Equal(PinType.Dispositivo, service.Pins["PIN-HTTP-0001"].Type);

        // a worker that crashed after the service answered but before it recorded the delivery sends again: same case id,
        // nothing converted twice; further passes send nothing
        var sender = host.Services.GetServices<IOutboxSender>().OfType<PinMarkSender>().Single();
        await sender.SendAsync(sent, CancellationToken.None);
        clock.Advance(TimeSpan.FromHours(2));
        await delivery.DeliverPendingAsync(CancellationToken.None);
        Assert.Equal(1, service.Conversions);
        Assert.Equal(2, service.MarkCalls);
        Assert.Equal(CaseState.Approved, (await host.Store.GetCaseAsync(caseId))!.State);
        Assert.Single(await host.Store.GetOutboxAsync(caseId, unsentOnly: false), m => m.Kind == OutboxKinds.PinMark);
        Assert.Equal(PinType.Dispositivo, (await directory.FindAsync("PIN-HTTP-0001"))!.Type);
    }

    [Fact]
    public async Task MarkDispositivo_IsGivenUpAtOnceAndShownToTheSupervisor_WhenTheServiceRefusesIt()
    {
        await using var service = await LoopbackPinService.StartAsync();
        var pin = new Pin("PIN-HTTP-0002", Holder, PinType.Online, false, DateTimeOffset.UtcNow);
        service.Pins[pin.PinReference] = pin;
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var host = Host(_tmp.Path, service, clock);
        var directory = host.Services.GetRequiredService<IPinDirectory>();
        var delivery = host.Services.GetServices<IHostedService>().OfType<OutboxDelivery>().Single();
        var caseId = await ProcessingCaseAsync(host, pin.PinReference);
        Assert.True(await host.Store.DecideAsync(caseId, [CaseState.Processing], Approval(directory.ConversionFor(pin)), Test));

        service.Pins[pin.PinReference] = pin with { Revoked = true }; // revoked at INPS between the decision and the delivery
        await delivery.DeliverPendingAsync(CancellationToken.None);

        var dead = await PinMarkAsync(host, caseId);
        Assert.Equal(1, dead.Attempts);
        Assert.NotNull(dead.DeadAt);
        Assert.Contains("409 revoked", dead.LastError);
        Assert.Contains(await host.Store.ListDeadOutboxAsync(10), d => d.CaseId == caseId && d.Kind == OutboxKinds.PinMark);
        Assert.Equal(0, service.Conversions);
    }

    [Fact]
    public async Task Host_RefusesToStart_WhenModeIsHttpWithoutBaseUrl()
    {
        await using var host = new TestHost("embedded", _tmp.Path, new() { ["PinDirectory:Mode"] = "Http" });
        var e = Assert.ThrowsAny<Exception>(() => host.Services);
        Assert.Contains("PinDirectory:BaseUrl", e.ToString());
    }
}
