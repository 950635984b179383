using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;
using VerifyPipeline.Cases;
using VerifyPipeline.Cases.Tests.Storage;
using VerifyPipeline.Rules;
using VerifyPipeline.ReviewUi.Tests.Review;
using VerifyPipeline.Worker.Pipeline;

namespace VerifyPipeline.ReviewUi.Tests;

/// <summary>The outbox's faults from issue 11, on the real host: an address no message can carry is refused at intake
/// (and, if one was queued before, given up at once instead of retried forever); failures are counted, backed off and
/// dead-lettered for the supervisor; a message is marked sent only after it was delivered, under a claim with a lease.</summary>
public sealed class OutboxFaultTests : IDisposable
{
    private readonly TempDir _tmp = new();
    public void Dispose() => _tmp.Dispose();
    private const string BadAddress = "mario rossi@example.org"; // passes [EmailAddress], MimeKit cannot parse it
    private static readonly Actor Test = Actor.Machine("test");

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

    /// <summary>A request with <paramref name="email"/> stored as it is (as a row queued before intake checked it would be)
    /// and a case rejected with a message to it: the outbox row the delivery has to deal with.</summary>
    private static async Task<(string CaseId, long OutboxId)> RejectedCaseWithMessageAsync(TestHost host, string email)
    {
        var data = new RequestData("PIN-OUT-0001", "RSSMRA80A01H501U", "Rossi", "Mario", new DateOnly(1980, 1, 1), "Roma", email, null,
            new DeclaredDocument("cie", "CA00000AA", null, null, new DateOnly(2031, 3, 1)));
        var request = new ConversionRequest(CaseStore.NewId(), "portal", DateTimeOffset.UtcNow, data);
        await host.Store.CreateRequestAsync(request);
        var (c, _) = await host.Store.CreateCaseAsync(new NewCase("portal", Channel.Portal, request.Id,
            new OriginalFile(new string('0', 64), "scan.pdf", 1, FileKind.Pdf), null, null));
        await host.Store.TransitionAsync(c.Id, [CaseState.Received], CaseState.Processing, "processing", Test, null);
        Assert.True(await host.Store.DecideAsync(c.Id, [CaseState.Processing], new DecisionOutcome(CaseState.Rejected, "reject", [ReasonCodes.PinNotEligible],
            "test", null, new OutboxDraft(email, "Richiesta di PIN dispositivo non accolta", "Testo.")), Test));
        return (c.Id, Assert.Single(await host.Store.GetOutboxAsync(c.Id, unsentOnly: false)).Id);
    }

    /// <summary>Passes of the outbox run here and now (beside the host's own, which claims keep apart): "no further
    /// attempt" is proved by passes that ran, not by waiting for the timer.</summary>
    private static async Task PassesAsync(TestHost host, int count)
    {
        var delivery = host.Services.GetServices<IHostedService>().OfType<OutboxDelivery>().Single();
        for (var i = 0; i < count; i++) await delivery.DeliverPendingAsync(CancellationToken.None);
    }

    private static async Task<OutboxMessage> MessageAsync(TestHost host, string caseId) => Assert.Single(await host.Store.GetOutboxAsync(caseId, unsentOnly: false));

    private static int ClosedPort()
    {
        using var l = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    [Fact]
    public async Task CreateRequest_Returns400NamingEmail_WhenMimeKitCannotParseTheAddress()
    {
        await using var host = new TestHost("embedded", _tmp.Path);
        var body = JsonSerializer.SerializeToElement(TestHost.RequestBody(), new JsonSerializerOptions(JsonSerializerDefaults.Web));
        var json = body.GetRawText().Replace("mario.rossi@example.org", BadAddress);
        var r = await host.Portal().PostAsync("/api/requests", new StringContent(json, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode);
        var problem = await r.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("INVALID_REQUEST", problem.GetProperty("reason_code").GetString());
        Assert.True(problem.GetProperty("errors").TryGetProperty("email", out _));
        // the ordinary address is still accepted
        Assert.Equal(HttpStatusCode.Created, (await host.Portal().PostAsJsonAsync("/api/requests", TestHost.RequestBody())).StatusCode);
    }

    [Fact]
    public async Task MessageToAnUnparseableAddress_IsGivenUpAtOnce_NotRetried_AndListedForTheSupervisorWithoutTheAddress()
    {
        await using var host = ReviewFixture.Host("embedded", _tmp.Path);
        var (caseId, _) = await RejectedCaseWithMessageAsync(host, BadAddress);

        var m = await WaitFor(async () => await MessageAsync(host, caseId) is { DeadAt: not null } dead ? dead : null, "the message given up");
        Assert.Null(m.SentAt);
        Assert.Equal(1, m.Attempts);
        Assert.Contains("cannot be used", m.LastError);
        Assert.DoesNotContain("rossi", m.LastError);
        await PassesAsync(host, 5); // five more passes of the outbox: no further attempt
        Assert.Equal(1, (await MessageAsync(host, caseId)).Attempts);

        var supervisor = await ReviewFixture.SignInAsync(host, "supervisore");
        var html = await supervisor.GetStringAsync("/supervision");
        Assert.Contains($"data-case=\"{caseId}\"", html);
        Assert.Contains("cannot be used", html);
        Assert.DoesNotContain("rossi@", html);
        Assert.DoesNotContain(host.Logs, l => l.Contains("rossi@", StringComparison.Ordinal));
    }

    [Fact]
    public async Task FailingDelivery_IsCountedAndBackedOff_ThenDeadLetteredAfterMaxAttempts()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var host = new TestHost("embedded", _tmp.Path, new()
        {
            ["Outbox:Mode"] = "Smtp", ["Outbox:SmtpHost"] = "127.0.0.1", ["Outbox:SmtpPort"] = ClosedPort().ToString(),
            ["Outbox:MaxAttempts"] = "3", ["Outbox:RetryBackoff"] = "00:01:00",
        }) { Clock = clock };
        var (caseId, _) = await RejectedCaseWithMessageAsync(host, "mario.rossi@example.org");

        var first = await WaitFor(async () => await MessageAsync(host, caseId) is { Attempts: 1, NextAttemptAt: not null } m ? m : null, "attempt 1");
        Assert.Equal(clock.GetUtcNow() + TimeSpan.FromMinutes(1), first.NextAttemptAt);
        Assert.NotNull(first.LastError);
        Assert.Null(first.DeadAt);
        await PassesAsync(host, 5); // five more passes: the back-off holds, no attempt before it is over
        Assert.Equal(1, (await MessageAsync(host, caseId)).Attempts);

        clock.Advance(TimeSpan.FromMinutes(1));
        var second = await WaitFor(async () => await MessageAsync(host, caseId) is { Attempts: 2, ClaimedUntil: null } m ? m : null, "attempt 2");
        Assert.Equal(clock.GetUtcNow() + TimeSpan.FromMinutes(2), second.NextAttemptAt); // doubled

        clock.Advance(TimeSpan.FromMinutes(2));
        var dead = await WaitFor(async () => await MessageAsync(host, caseId) is { DeadAt: not null } m ? m : null, "the message given up");
        Assert.Equal(3, dead.Attempts);
        Assert.Null(dead.SentAt);
        Assert.NotNull(dead.LastError);
        clock.Advance(TimeSpan.FromHours(2));
        await PassesAsync(host, 3); // given up: no pass tries it again, however late
        Assert.Equal(3, (await MessageAsync(host, caseId)).Attempts);
        Assert.Contains(await host.Store.ListDeadOutboxAsync(10), d => d.CaseId == caseId);
    }

    [Theory]
    [InlineData("embedded")]
    [InlineData("scaled")]
    public async Task MessageClaimedByAWorkerThatCrashed_IsDeliveredAfterTheLease_AndNeverByTwoAtOnce(string backend)
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        // the background pass runs once at start only: this test plays the workers itself
        await using var host = new TestHost(backend, _tmp.Path, new() { ["Outbox:PollInterval"] = "01:00:00" }) { Clock = clock };
        var delivery = host.Services.GetServices<IHostedService>().OfType<OutboxDelivery>().Single();
        var (caseId, id) = await RejectedCaseWithMessageAsync(host, "mario.rossi@example.org");

        // worker A claims the message and dies before delivering it
        Assert.True(await host.Store.ClaimOutboxAsync(id, TimeSpan.FromMinutes(5)));
        // while A's lease lasts nobody else may send it, and it is not recorded as sent
        Assert.False(await host.Store.ClaimOutboxAsync(id, TimeSpan.FromMinutes(5)));
        await delivery.DeliverPendingAsync(CancellationToken.None);
        var waiting = await MessageAsync(host, caseId);
        Assert.Null(waiting.SentAt);
        Assert.Equal(1, waiting.Attempts);
        var outbox = Path.Combine(_tmp.Path, "outbox");
        Assert.False(Directory.Exists(outbox) && Directory.EnumerateFiles(outbox, "*.eml").Any());

        // after the lease, worker B delivers it, then records it sent
        clock.Advance(TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(1));
        await delivery.DeliverPendingAsync(CancellationToken.None);
        var sent = await MessageAsync(host, caseId);
        Assert.NotNull(sent.SentAt);
        Assert.Equal(2, sent.Attempts);
        Assert.Single(Directory.EnumerateFiles(outbox, $"*-{id}-{caseId}.eml"));
        Assert.False(await host.Store.ClaimOutboxAsync(id, TimeSpan.FromMinutes(5)));
    }

    [Fact]
    public async Task OutboxOfADatabaseCreatedBeforeAttemptsWereCounted_IsUpgraded_AndItsPendingMessageDelivered()
    {
        // the outbox table as the previous version created it, with one message waiting
        var dbPath = Path.Combine(_tmp.Path, "cases.db");
        await using (var c = new SqliteConnection($"Data Source={dbPath}"))
        {
            await c.OpenAsync();
            await c.ExecAsync(null, """
                create table outbox (id integer primary key autoincrement, case_id text not null, recipient text null, subject text not null,
                  body text not null, created_at text not null, sent_at text null);
                insert into outbox (case_id, recipient, subject, body, created_at) values ('c0ffee', 'mario.rossi@example.org', 'Oggetto', 'Testo', '2026-11-30 09:00:00+00:00');
                """, CancellationToken.None);
        }
        SqliteConnection.ClearAllPools();
        await using var host = new TestHost("embedded", _tmp.Path);
        var m = await WaitFor(async () => (await host.Store.GetOutboxAsync("c0ffee", unsentOnly: false)).SingleOrDefault(x => x.SentAt is not null), "the old message delivered");
        Assert.Equal(1, m.Attempts);
        Assert.Single(Directory.EnumerateFiles(Path.Combine(_tmp.Path, "outbox"), "*-c0ffee.eml"));
    }
}
