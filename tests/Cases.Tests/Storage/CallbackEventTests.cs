using Microsoft.Extensions.Options;
using VerifyPipeline.Cases;

namespace VerifyPipeline.Cases.Tests.Storage;

/// <summary>Callback events (docs/callbacks.md) are written by the state change itself, in its transaction, on both
/// databases: one per change of the state the client sees, none for a client without a URL, none for a change rolled back.</summary>
public sealed class CallbackEventTests : IDisposable
{
    private readonly TempDir _tmp = new();
    public void Dispose() => _tmp.Dispose();
    public static TheoryData<string> Backends => new() { "sqlite", "postgres" };
    private static readonly Actor Machine = Actor.Machine("t");

    private static async Task<CaseStore> StoreAsync(string backend, string dir)
    {
        var plain = await TestBackends.StoreAsync(backend, dir);
        var callbacks = new CallbackEvents(Options.Create(new CallbackOptions
        {
            Clients = { ["portal"] = new() { CallbackUrl = "https://portal.example.invalid/hook", CallbackSecret = new string('s', 32) } },
        }));
        return new CaseStore(plain.Database, TimeProvider.System, callbacks);
    }

    private static NewCase NewCase(string client) =>
        new(client, Channel.Portal, null, new OriginalFile(new string('a', 64), "scan.pdf", 1, FileKind.Pdf), null, null);

    [Theory, MemberData(nameof(Backends))]
    public async Task StateChanges_WriteOneEventEachTheClientCanSee_OnlyForAClientWithACallback(string backend)
    {
        var store = await StoreAsync(backend, _tmp.Path);
        var (c, _) = await store.CreateCaseAsync(NewCase("portal"));
        await store.TransitionAsync(c.Id, [CaseState.Received], CaseState.Processing, "processing", Machine, null);
        await store.MarkNeedsAttentionAsync(c.Id, "boom", Machine);
        await store.TransitionAsync(c.Id, [CaseState.NeedsAttention], CaseState.Processing, "retried", Machine, null);
        await store.DecideAsync(c.Id, [CaseState.Processing], new DecisionOutcome(CaseState.InReview, "review", ["SIGNATURE_MISMATCH"], null, null, null), Machine);

        var events = (await store.GetOutboxAsync(c.Id, unsentOnly: true)).Where(m => m.Kind == OutboxKinds.Callback).ToList();
        Assert.Equal(["Received", "Processing", "InReview"], events.Select(e => System.Text.Json.JsonDocument.Parse(e.Body).RootElement.GetProperty("state").GetString()));
        Assert.All(events, e => Assert.StartsWith(c.Id + ".", e.DedupeKey));
        Assert.Contains("\"reasons\":[\"SIGNATURE_MISMATCH\"]", events[2].Body);

        var (other, _) = await store.CreateCaseAsync(NewCase("fax-gateway"));
        await store.TransitionAsync(other.Id, [CaseState.Received], CaseState.Processing, "processing", Machine, null);
        Assert.Empty(await store.GetOutboxAsync(other.Id, unsentOnly: false));
    }

    [Theory, MemberData(nameof(Backends))]
    public async Task DecisionRolledBack_LeavesNoEvent(string backend)
    {
        var store = await StoreAsync(backend, _tmp.Path);
        await store.UpsertPinAsync(new Pin("PIN-CB-1", "RSSMRA80A01H501U", PinType.Online, true, DateTimeOffset.UtcNow));
        var (c, _) = await store.CreateCaseAsync(NewCase("portal"));
        await store.TransitionAsync(c.Id, [CaseState.Received], CaseState.Processing, "processing", Machine, null);
        await Assert.ThrowsAsync<PinChangedException>(() => store.DecideAsync(c.Id, [CaseState.Processing],
            new DecisionOutcome(CaseState.Approved, "approve", [], null, new PinConversion("PIN-CB-1", "RSSMRA80A01H501U"), null), Machine));
        Assert.Equal(2, (await store.GetOutboxAsync(c.Id, unsentOnly: false)).Count); // Received and Processing, no Approved
        Assert.Equal(CaseState.Processing, (await store.GetCaseAsync(c.Id))!.State);
    }
}
