using VerifyPipeline.Cases;

namespace VerifyPipeline.Cases.Tests.Storage;

/// <summary>The same tests on both case databases: SQLite (embedded) and a real PostgreSQL (scaled).</summary>
public sealed class CaseStoreTests : IDisposable
{
    private readonly TempDir _tmp = new();
    public void Dispose() => _tmp.Dispose();

    public static TheoryData<string> Backends => new() { "sqlite", "postgres" };

    private static NewCase NewCase(string client = "portal", string? key = null, string sha = "ab01") =>
        new(client, Channel.Portal, null, new OriginalFile(sha.PadRight(64, '0'), "scan.pdf", 1234, FileKind.Pdf), key, null);

    [Theory, MemberData(nameof(Backends))]
    public async Task CreateCase_StartsReceivedWithOneEvent(string backend)
    {
        var store = await TestBackends.StoreAsync(backend, _tmp.Path);
        var (c, created) = await store.CreateCaseAsync(NewCase());
        Assert.True(created);
        Assert.Equal(CaseState.Received, c.State);
        var events = await store.GetEventsAsync(c.Id);
        Assert.Single(events);
        Assert.Equal("received", events[0].Kind);
        Assert.Equal(ActorKind.Machine, events[0].By.Kind);
    }

    [Theory, MemberData(nameof(Backends))]
    public async Task CreateCase_ReturnsSameCase_WhenIdempotencyKeyRepeatedConcurrently(string backend)
    {
        var store = await TestBackends.StoreAsync(backend, _tmp.Path);
        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Task.Run(() => store.CreateCaseAsync(NewCase(key: "k-1")))));
        Assert.Single(results.Select(r => r.Case.Id).Distinct());
        Assert.Equal(1, results.Count(r => r.Created));
        // the same key from another client is another case
        var (other, created) = await store.CreateCaseAsync(NewCase(client: "fax-gateway", key: "k-1"));
        Assert.True(created);
        Assert.NotEqual(results[0].Case.Id, other.Id);
    }

    [Theory, MemberData(nameof(Backends))]
    public async Task Transition_WritesOnce_WhenRunTwice(string backend)
    {
        var store = await TestBackends.StoreAsync(backend, _tmp.Path);
        var (c, _) = await store.CreateCaseAsync(NewCase());
        var machine = Actor.Machine("test");
        Assert.True(await store.TransitionAsync(c.Id, [CaseState.Received], CaseState.Processing, "processing", machine, null));
        Assert.False(await store.TransitionAsync(c.Id, [CaseState.Received], CaseState.Processing, "processing", machine, null));
        Assert.True(await store.SaveStageResultAsync(c.Id, "parts", new[] { new Part("scan.pdf", c.Original.Sha256, 1, FileKind.Pdf) }, "unpacked", machine, null));
        Assert.False(await store.SaveStageResultAsync(c.Id, "parts", new[] { new Part("other.pdf", c.Original.Sha256, 1, FileKind.Pdf) }, "unpacked", machine, null));
        var saved = await store.GetCaseAsync(c.Id);
        Assert.Equal("scan.pdf", Assert.Single(saved!.Parts!).Source);
        Assert.Equal(["received", "processing", "unpacked"], (await store.GetEventsAsync(c.Id)).Select(e => e.Kind));
    }

    [Theory, MemberData(nameof(Backends))]
    public async Task Transition_Throws_WhenMoveIsNotInTheStateMachine(string backend)
    {
        var store = await TestBackends.StoreAsync(backend, _tmp.Path);
        var (c, _) = await store.CreateCaseAsync(NewCase());
        await Assert.ThrowsAsync<CaseStateConflictException>(() =>
            store.TransitionAsync(c.Id, [CaseState.Received], CaseState.Approved, "decided", Actor.Machine("test"), null));
    }

    [Theory, MemberData(nameof(Backends))]
    public async Task Decide_MarksPinAndQueuesMessage_InOneTransaction(string backend)
    {
        var store = await TestBackends.StoreAsync(backend, _tmp.Path);
        await store.UpsertPinAsync(new Pin("PIN-0001", "RSSMRA80A01H501U", PinType.Online, false, DateTimeOffset.UtcNow));
        var (c, _) = await store.CreateCaseAsync(NewCase());
        await store.TransitionAsync(c.Id, [CaseState.Received], CaseState.Processing, "processing", Actor.Machine("t"), null);
        var ok = await store.DecideAsync(c.Id, [CaseState.Processing],
            new DecisionOutcome(CaseState.Approved, "approve", [], null, new PinConversion("PIN-0001", "RSSMRA80A01H501U"), new OutboxDraft("a@example.org", "s", "b")), Actor.Machine("t"));
        Assert.True(ok);
        Assert.Equal(PinType.Dispositivo, (await store.GetPinAsync("PIN-0001"))!.Type);
        Assert.Single(await store.GetOutboxAsync(c.Id, unsentOnly: true));
        Assert.Equal(CaseState.Approved, (await store.GetCaseAsync(c.Id))!.State);
        // a second run of the same decision writes nothing
        Assert.False(await store.DecideAsync(c.Id, [CaseState.Processing],
            new DecisionOutcome(CaseState.Approved, "approve", [], null, new PinConversion("PIN-0001", "RSSMRA80A01H501U"), new OutboxDraft("a@example.org", "s", "b")), Actor.Machine("t")));
        Assert.Single(await store.GetOutboxAsync(c.Id, unsentOnly: false));
    }

    [Theory, MemberData(nameof(Backends))]
    public async Task Decide_WritesNothing_WhenPinIsRevoked(string backend)
    {
        var store = await TestBackends.StoreAsync(backend, _tmp.Path);
        await store.UpsertPinAsync(new Pin("PIN-0002", "RSSMRA80A01H501U", PinType.Online, true, DateTimeOffset.UtcNow));
        var (c, _) = await store.CreateCaseAsync(NewCase());
        await store.TransitionAsync(c.Id, [CaseState.Received], CaseState.Processing, "processing", Actor.Machine("t"), null);
        await Assert.ThrowsAsync<PinChangedException>(() => store.DecideAsync(c.Id, [CaseState.Processing],
            new DecisionOutcome(CaseState.Approved, "approve", [], null, new PinConversion("PIN-0002", "RSSMRA80A01H501U"), new OutboxDraft("a@example.org", "s", "b")), Actor.Machine("t")));
        Assert.Equal(CaseState.Processing, (await store.GetCaseAsync(c.Id))!.State);
        Assert.Empty(await store.GetOutboxAsync(c.Id, unsentOnly: false));
        Assert.Equal(PinType.Online, (await store.GetPinAsync("PIN-0002"))!.Type);
    }

    [Theory, MemberData(nameof(Backends))]
    public async Task Decide_WritesNothing_WhenThePinIsHeldByAnotherCodiceFiscaleThanTheDecisionWasTakenAgainst(string backend)
    {
        var store = await TestBackends.StoreAsync(backend, _tmp.Path);
        await store.UpsertPinAsync(new Pin("PIN-0003", "PRSLEI62E22F205M", PinType.Online, false, DateTimeOffset.UtcNow));
        var (c, _) = await store.CreateCaseAsync(NewCase());
        await store.TransitionAsync(c.Id, [CaseState.Received], CaseState.Processing, "processing", Actor.Machine("t"), null);
        await Assert.ThrowsAsync<PinChangedException>(() => store.DecideAsync(c.Id, [CaseState.Processing],
            new DecisionOutcome(CaseState.Approved, "approve", [], null, new PinConversion("PIN-0003", "RSSMRA80A01H501U"), new OutboxDraft("a@example.org", "s", "b")), Actor.Machine("t")));
        Assert.Equal(CaseState.Processing, (await store.GetCaseAsync(c.Id))!.State);
        Assert.Empty(await store.GetOutboxAsync(c.Id, unsentOnly: false));
        Assert.Equal(PinType.Online, (await store.GetPinAsync("PIN-0003"))!.Type);
    }

    [Theory, MemberData(nameof(Backends))]
    public async Task ListCases_FiltersByClientChannelAndSince_NewestFirst(string backend)
    {
        var store = await TestBackends.StoreAsync(backend, _tmp.Path);
        var (a, _) = await store.CreateCaseAsync(NewCase(sha: "a1"));
        var cut = DateTimeOffset.UtcNow;
        await Task.Delay(20);
        var (b, _) = await store.CreateCaseAsync(NewCase(sha: "b1"));
        await store.CreateCaseAsync(NewCase(client: "other", sha: "c1"));
        Assert.Equal([b.Id, a.Id], (await store.ListCasesAsync("portal", null, null, 10)).Select(c => c.Id));
        Assert.Equal([b.Id], (await store.ListCasesAsync("portal", Channel.Portal, cut, 10)).Select(c => c.Id));
        Assert.Empty(await store.ListCasesAsync("portal", Channel.Fax, null, 10));
    }

    [Theory, MemberData(nameof(Backends))]
    public async Task MarkNeedsAttention_KeepsTheError(string backend)
    {
        var store = await TestBackends.StoreAsync(backend, _tmp.Path);
        var (c, _) = await store.CreateCaseAsync(NewCase());
        Assert.True(await store.MarkNeedsAttentionAsync(c.Id, "Pages failed: boom", Actor.Machine("t")));
        var saved = await store.GetCaseAsync(c.Id);
        Assert.Equal(CaseState.NeedsAttention, saved!.State);
        Assert.Equal("Pages failed: boom", saved.Error);
        Assert.Equal("failed", (await store.GetEventsAsync(c.Id)).Last().Kind);
    }
}
