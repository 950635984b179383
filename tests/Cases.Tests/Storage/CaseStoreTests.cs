using Microsoft.Extensions.Time.Testing;
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

    /// <summary>Issue 11: a key is scoped to the request it was sent for; a database made before (one key per client,
    /// index ux_cases_idempotency) is migrated in place and its portal cases keep answering their key and request.</summary>
    [Theory, MemberData(nameof(Backends))]
    public async Task Migrate_ScopesIdempotencyKeysToTheRequest_OnADatabaseMadeBefore(string backend)
    {
        var store = await TestBackends.StoreAsync(backend, _tmp.Path);
        foreach (var id in new[] { "req-a", "req-b" })
            await store.CreateRequestAsync(Forms.FormSamples.DAmico() with { Id = id });
        await using (var c = await store.Database.OpenAsync())
            await c.ExecAsync(null, """
                drop index ux_cases_idempotency_scope;
                alter table cases drop column idempotency_scope;
                create unique index ux_cases_idempotency on cases(client, idempotency_key);
                """, default);
        var (old, _) = await store.CreateCaseAsyncBeforeMigration(NewCase(key: "k-old") with { RequestId = "req-a" });

        await store.Database.MigrateAsync();
        await store.Database.MigrateAsync(); // and again, as every host does at start

        var (a, createdA) = await store.CreateCaseAsync(NewCase(key: "k-1") with { RequestId = "req-a" });
        var (b, createdB) = await store.CreateCaseAsync(NewCase(key: "k-1") with { RequestId = "req-b" });
        var (again, createdAgain) = await store.CreateCaseAsync(NewCase(key: "k-1") with { RequestId = "req-a" });
        Assert.True(createdA && createdB && !createdAgain);
        Assert.NotEqual(a.Id, b.Id);
        Assert.Equal(a.Id, again.Id);
        Assert.Equal(old, (await store.GetByIdempotencyKeyAsync("portal", "req-a", "k-old"))?.Id); // a retry after the upgrade finds its case
        Assert.Null(await store.GetByIdempotencyKeyAsync("portal", "req-b", "k-old"));
    }

    [Theory, MemberData(nameof(Backends))]
    public async Task ClaimResume_ResumesACaseOncePerStuckAfter_HoweverManySweepersAsk(string backend)
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var store = new CaseStore((await TestBackends.StoreAsync(backend, _tmp.Path)).Database, clock);
        var (c, _) = await store.CreateCaseAsync(NewCase());
        var stuckAfter = TimeSpan.FromMinutes(10);
        // one sweep pass: the candidates, each claimed (the sweep enqueues what it claims)
        async Task<IReadOnlyList<string>> Pass()
        {
            var before = clock.GetUtcNow() - stuckAfter;
            var claimed = new List<string>();
            foreach (var id in await store.ListUnfinishedAsync(before))
                if (await store.ClaimResumeAsync(id, before)) claimed.Add(id);
            return claimed;
        }
        Assert.Empty(await Pass()); // just received

        clock.Advance(stuckAfter);
        // four workers sweeping at once (or one restarted four times): one of them resumes it
        var passes = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(Pass)));
        Assert.Equal([c.Id], passes.SelectMany(p => p));
        clock.Advance(TimeSpan.FromMinutes(1)); // the next pass: resumed a minute ago, so not again
        Assert.Empty(await Pass());
        clock.Advance(stuckAfter); // still untouched a StuckAfter after that resume: resumed again
        Assert.Equal([c.Id], await Pass());
        Assert.Equal(["received"], (await store.GetEventsAsync(c.Id)).Select(e => e.Kind)); // a resume is no event of the case
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
    public async Task Decide_QueuesThePinMarkInTheOutbox_AndLeavesTheLocalTable_WhenThePinServiceMarksIt(string backend)
    {
        var store = await TestBackends.StoreAsync(backend, _tmp.Path);
        await store.UpsertPinAsync(new Pin("PIN-0003", "RSSMRA80A01H501U", PinType.Online, false, DateTimeOffset.UtcNow));
        var (c, _) = await store.CreateCaseAsync(NewCase());
        await store.TransitionAsync(c.Id, [CaseState.Received], CaseState.Processing, "processing", Actor.Machine("t"), null);
        var outcome = new DecisionOutcome(CaseState.Approved, "approve", [], null, new PinConversion("PIN-0003", "RSSMRA80A01H501U", PinMarking.Outbox),
            new OutboxDraft("a@example.org", "s", "b"));
        Assert.True(await store.DecideAsync(c.Id, [CaseState.Processing], outcome, Actor.Machine("t")));
        Assert.False(await store.DecideAsync(c.Id, [CaseState.Processing], outcome, Actor.Machine("t")));

        var messages = await store.GetOutboxAsync(c.Id, unsentOnly: true);
        Assert.Equal([OutboxKinds.Letter, OutboxKinds.PinMark], messages.Select(m => m.Kind).Order(StringComparer.Ordinal));
        var order = VerifyPipeline.Cases.Pins.PinMarkOrder.From(messages.Single(m => m.Kind == OutboxKinds.PinMark));
        Assert.Equal((c.Id, "PIN-0003", "RSSMRA80A01H501U"), (order.CaseId, order.PinReference, order.HolderCodiceFiscale));
        Assert.Equal(PinType.Online, (await store.GetPinAsync("PIN-0003"))!.Type); // the service converts it, not this table
    }

    [Theory, MemberData(nameof(Backends))]
    public async Task ImportPins_AddsChangesAndLeaves_WithTheRegisteredContacts(string backend)
    {
        var store = await TestBackends.StoreAsync(backend, _tmp.Path);
        var online = new Pin("PIN-0004", "RSSMRA80A01H501U", PinType.Online, false, default, "mario.rossi@example.org", "+39 06 1234567");
        var revoked = new Pin("PIN-0005", "BNCLRA75M41F205A", PinType.Online, true, default);
        var first = await store.ImportPinsAsync([(2, online), (3, revoked)]);
        Assert.Equal([PinImportOutcome.Added, PinImportOutcome.Added], first.Select(l => l.Outcome));
        Assert.All(await store.ImportPinsAsync([(2, online), (3, revoked)]), l => Assert.Equal(PinImportOutcome.Unchanged, l.Outcome));

        var changed = Assert.Single(await store.ImportPinsAsync([(2, online with { RegisteredEmail = null, Type = PinType.Dispositivo })]));
        Assert.Equal(PinImportOutcome.Changed, changed.Outcome);
        Assert.Equal(["status", "email"], changed.Changed);
        var pin = (await store.GetPinAsync("PIN-0004"))!;
        Assert.Equal((PinType.Dispositivo, null, "+39 06 1234567", "dispositivo"), (pin.Type, pin.RegisteredEmail, pin.RegisteredPhone, pin.Status));
        Assert.Equal("revoked", (await store.GetPinAsync("PIN-0005"))!.Status);
    }

    [Theory, MemberData(nameof(Backends))]
    public async Task Outbox_KeepsOneMessagePerCaseKindAndKey_BesideTheDecisionsLetter(string backend)
    {
        var store = await TestBackends.StoreAsync(backend, _tmp.Path);
        var (c, _) = await store.CreateCaseAsync(NewCase());
        await store.TransitionAsync(c.Id, [CaseState.Received], CaseState.Processing, "processing", Actor.Machine("t"), null);
        Assert.True(await store.DecideAsync(c.Id, [CaseState.Processing],
            new DecisionOutcome(CaseState.Rejected, "reject", ["ID_EXPIRED"], null, null, new OutboxDraft("a@example.org", "s", "b")), Actor.Machine("t")));
        Assert.True(await store.EnqueueOutboxAsync(c.Id, new OutboxItem("callback", "event-1", null, "case.decided", "{}")));
        Assert.False(await store.EnqueueOutboxAsync(c.Id, new OutboxItem("callback", "event-1", null, "case.decided", "{}")));
        Assert.True(await store.EnqueueOutboxAsync(c.Id, new OutboxItem("callback", "event-2", null, "case.decided", "{}")));
        var all = await store.GetOutboxAsync(c.Id, unsentOnly: true);
        Assert.Equal([OutboxKinds.Letter, "callback", "callback"], all.Select(m => m.Kind));
        Assert.Equal(["", "event-1", "event-2"], all.Select(m => m.DedupeKey));
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

internal static class OldSchema
{
    /// <summary>Inserts a case the way the code before issue 11 did (no idempotency_scope column).</summary>
    public static async Task<(string Id, bool Created)> CreateCaseAsyncBeforeMigration(this CaseStore store, NewCase n)
    {
        var id = CaseStore.NewId();
        await using var c = await store.Database.OpenAsync();
        await c.ExecAsync(null, """
            insert into cases (id, client, channel, request_id, state, version, original_sha256, original_name, original_bytes, original_kind,
                               idempotency_key, source_meta, created_at, updated_at, reasons)
            values (@id, @client, 'Portal', @req, 'Received', 1, @sha, 'scan.pdf', 1, 'Pdf', @idem, null, @now, @now, '[]')
            """, default, ("id", id), ("client", n.Client), ("req", n.RequestId), ("sha", n.Original.Sha256), ("idem", n.IdempotencyKey), ("now", DateTimeOffset.UtcNow));
        return (id, true);
    }
}

