using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using VerifyPipeline.Cases;
using VerifyPipeline.Cases.Tests.Storage;
using VerifyPipeline.Rules;
using VerifyPipeline.ReviewUi.Tests.Review;
using VerifyPipeline.Cases.Retention;

namespace VerifyPipeline.ReviewUi.Tests;

/// <summary>Personal data kept no longer than needed (issue 11, docs/data-retention.md), on both backends: the purge
/// deletes each kind of data after its period (the fake clock passes the days), the erasure deletes one citizen's data on
/// request; both leave the decision's record without personal data, and a blob shared with another case stays while that
/// case needs it.</summary>
public sealed class RetentionTests : IDisposable
{
    private readonly TempDir _tmp = new();
    public void Dispose() => _tmp.Dispose();
    private static readonly Actor Test = Actor.Machine("test");

    private const string CfA = "RSSMRA80A01H501U";
    private static readonly string CfB = "VRDLGU75C12F205" + VerifyPipeline.Rules.Identity.CodiceFiscale.CheckChar("VRDLGU75C12F205");
    private static readonly byte[] SharedOriginal = RandomNumberGenerator.GetBytes(2000), SharedPage = RandomNumberGenerator.GetBytes(1500);

    private sealed record Citizen(string Cf, string Surname, string Email);
    private static readonly Citizen A = new(CfA, "Rossi", "mario.rossi@example.org"), B = new(CfB, "Verdi", "luigi.verdi@example.org");

    private static string Sha(byte[] b) => Convert.ToHexStringLower(SHA256.HashData(b));

    private static async Task<string> PutAsync(TestHost host, byte[] bytes)
    {
        await host.Blobs.PutIfAbsentAsync(BlobKeys.ForContent(Sha(bytes)), new MemoryStream(bytes));
        return Sha(bytes);
    }

    private static async Task<string> RequestAsync(TestHost host, Citizen who)
    {
        var data = new RequestData("PIN-RET-" + who.Surname.ToUpperInvariant(), who.Cf, who.Surname, "Test", new DateOnly(1980, 1, 1), "Roma", who.Email, "+39 06 0000000",
            new DeclaredDocument("cie", "CA00000AA", "Comune di Roma", null, new DateOnly(2031, 3, 1)));
        var request = new ConversionRequest(CaseStore.NewId(), "portal", DateTimeOffset.UtcNow, data);
        await host.Store.CreateRequestAsync(request);
        return request.Id;
    }

    /// <summary>A case as the pipeline leaves it when it decides (original, one part, one page, a signature crop in the
    /// report, a reviewer's note, a letter in the outbox), written through the store; its page and original are the
    /// shared ones, its crop its own.</summary>
    private static async Task<string> DecidedCaseAsync(TestHost host, Citizen who, string? requestId, bool decide = true)
    {
        var original = await PutAsync(host, SharedOriginal);
        var page = await PutAsync(host, SharedPage);
        var crop = await PutAsync(host, RandomNumberGenerator.GetBytes(300));
        var (c, _) = await host.Store.CreateCaseAsync(new NewCase("portal", requestId is null ? Channel.Fax : Channel.Portal, requestId,
            new OriginalFile(original, $"{who.Surname}_CIE.pdf", SharedOriginal.Length, FileKind.Pdf), null, "{\"caller\":\"+39 06 5555555\"}"));
        await host.Store.TransitionAsync(c.Id, [CaseState.Received], CaseState.Processing, "processing", Test, null);
        await host.Store.SaveStageResultAsync(c.Id, "parts", new List<Part> { new($"{who.Surname}_CIE.pdf", original, SharedOriginal.Length, FileKind.Pdf) }, "unpacked", Test, null);
        await host.Store.SaveStageResultAsync(c.Id, "pages", new List<PageInfo> { new(1, $"{who.Surname}_CIE.pdf#1", 100, 100, 200, 200, page, "image/png", "render") }, "paged", Test, null);
        var report = JsonSerializer.Serialize(new
        {
            decision = "review",
            documents = new[] { new { surname = who.Surname.ToUpperInvariant(), codice_fiscale = who.Cf } },
            signature_crops = new Dictionary<string, string> { ["form"] = BlobKeys.ForContent(crop) },
        });
        await host.Store.DecideAsync(c.Id, [CaseState.Processing], new DecisionOutcome(CaseState.InReview, "review", [ReasonCodes.SignatureMismatch], "review", null, null) { Report = report }, Test);
        await host.Store.AppendAuditEventAsync(c.Id, "proposed", Actor.Person("revisore1"), $"reject: SIGNATURE_MISMATCH; nota: {who.Surname} ha telefonato");
        if (decide)
            Assert.True(await host.Store.DecideAsync(c.Id, [CaseState.InReview], new DecisionOutcome(CaseState.Rejected, "reject", [ReasonCodes.SignatureMismatch],
                "reject: respinta da revisore1", null, new OutboxDraft(who.Email, "Richiesta non accolta", $"Gentile {who.Surname}, ...")), Actor.Person("revisore1")));
        return c.Id;
    }

    private static async Task<Case> CaseAsync(TestHost host, string id) => (await host.Store.GetCaseAsync(id))!;

    /// <summary>Every value the database keeps about a case, its request, its history and its messages, as one text.</summary>
    private static async Task<string> EverythingStoredAsync(TestHost host, string caseId, string? requestId)
    {
        await using var c = await host.Store.Database.OpenAsync();
        var text = new System.Text.StringBuilder();
        foreach (var (sql, id) in new[] { ("select * from cases where id = @id", caseId), ("select * from case_events where case_id = @id", caseId),
                     ("select * from outbox where case_id = @id", caseId), ("select * from requests where id = @id", requestId ?? "") })
            foreach (var row in await c.QueryAsync(null, sql, r => string.Join("|", Enumerable.Range(0, r.FieldCount).Select(i => r.IsDBNull(i) ? "" : Convert.ToString(r.GetValue(i)))), default, ("id", id)))
                text.AppendLine(row);
        return text.ToString();
    }

    private static void AssertNoPersonalData(string stored, Citizen who)
    {
        foreach (var value in new[] { who.Cf, who.Surname, who.Email, "+39 06", "PIN-RET-" })
            Assert.DoesNotContain(value, stored, StringComparison.OrdinalIgnoreCase);
    }

    private async Task WaitForFileAsync(string folder, string pattern)
    {
        for (var i = 0; i < 300 && !(Directory.Exists(folder) && Directory.EnumerateFiles(folder, pattern).Any()); i++) await Task.Delay(100);
        Assert.NotEmpty(Directory.EnumerateFiles(folder, pattern));
    }

    [Theory]
    [InlineData("embedded")]
    [InlineData("scaled")]
    public async Task Purge_DeletesEachKindAfterItsPeriod_AndKeepsTheDecisionWithoutPersonalData(string backend)
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var host = new TestHost(backend, _tmp.Path, new() { ["Retention:PurgeInterval"] = "1.00:00:00" }, clock: clock);
        var purge = host.Services.GetRequiredService<PersonalData>();
        var outbox = Path.Combine(_tmp.Path, "outbox");
        var quarantine = Directory.CreateDirectory(Path.Combine(_tmp.Path, "fax-quarantine")).FullName;
        await File.WriteAllTextAsync(Path.Combine(quarantine, "x.tif.reason.txt"), "not a fax");

        var requestA = await RequestAsync(host, A);
        var caseA = await DecidedCaseAsync(host, A, requestA);
        var cropA = CropKey(await CaseAsync(host, caseA));
        await WaitForFileAsync(outbox, $"*-{caseA}.eml");
        // Every message of A's decision delivered at day 0 (a decision may queue more than one), so all are 90 days old at day 91.
        for (var i = 0; i < 300 && (await host.Store.GetOutboxAsync(caseA, unsentOnly: true)).Count > 0; i++) await Task.Delay(100);
        Assert.Empty(await host.Store.GetOutboxAsync(caseA, unsentOnly: true));
        clock.Advance(TimeSpan.FromDays(20));
        var caseB = await DecidedCaseAsync(host, B, await RequestAsync(host, B)); // same original and page as A's, decided 20 days later

        clock.Advance(TimeSpan.FromDays(11)); // day 31: A's images (30 days), the quarantine (30 days)
        await purge.PurgeAsync(default);
        var a = await CaseAsync(host, caseA);
        Assert.NotNull(a.Retention.ImagesPurgedAt);
        Assert.Empty(a.Pages!);
        Assert.Empty(a.Parts!);
        Assert.DoesNotContain("signature_crops", a.Report);
        Assert.False(await host.Blobs.ExistsAsync(cropA));
        Assert.True(await host.Blobs.ExistsAsync(BlobKeys.ForContent(Sha(SharedPage))), "B still shows the page A shared");
        Assert.True(await host.Blobs.ExistsAsync(BlobKeys.ForContent(Sha(SharedOriginal))));
        Assert.Null((await CaseAsync(host, caseB)).Retention.ImagesPurgedAt);
        Assert.Empty(Directory.EnumerateFileSystemEntries(quarantine));

        clock.Advance(TimeSpan.FromDays(21)); // day 52: B's images too: the page is used by nobody now
        await purge.PurgeAsync(default);
        Assert.False(await host.Blobs.ExistsAsync(BlobKeys.ForContent(Sha(SharedPage))));
        Assert.True(await host.Blobs.ExistsAsync(BlobKeys.ForContent(Sha(SharedOriginal))));

        clock.Advance(TimeSpan.FromDays(39)); // day 91: A's original (90 days) and A's letter (90 days from delivery)
        await purge.PurgeAsync(default);
        a = await CaseAsync(host, caseA);
        Assert.NotNull(a.Retention.OriginalPurgedAt);
        Assert.Equal("", a.Original.FileName);
        Assert.Null(a.SourceMeta);
        Assert.True(await host.Blobs.ExistsAsync(BlobKeys.ForContent(Sha(SharedOriginal))), "B's original is the same file, kept for B");
        Assert.Empty(Directory.EnumerateFiles(outbox, $"*-{caseA}.eml"));
        var letter = Assert.Single(await host.Store.GetOutboxAsync(caseA, unsentOnly: false));
        Assert.Null(letter.Recipient);
        Assert.Equal("", letter.Body);

        clock.Advance(TimeSpan.FromDays(20)); // day 111: B's original: the file is used by nobody now
        await purge.PurgeAsync(default);
        Assert.False(await host.Blobs.ExistsAsync(BlobKeys.ForContent(Sha(SharedOriginal))));

        clock.Advance(TimeSpan.FromDays(70)); // day 181: A's report and the reviewer's note
        await purge.PurgeAsync(default);
        a = await CaseAsync(host, caseA);
        Assert.Null(a.Report);
        Assert.Contains(await host.Store.GetEventsAsync(caseA), e => e.Detail == "reject: SIGNATURE_MISMATCH; nota cancellata");

        clock.Advance(TimeSpan.FromDays(185)); // day 366: A's request
        await purge.PurgeAsync(default);
        var request = (await host.Store.GetRequestAsync(requestA))!;
        Assert.NotNull(request.ErasedAt);
        Assert.Equal(RequestData.Erased, request.Data);
        Assert.Empty(await host.Store.FindRequestsByCodiceFiscaleAsync(CfA));

        // The decision's record stays: id, dates, state, decision, reason codes, who decided; nothing that names A.
        a = await CaseAsync(host, caseA);
        Assert.Equal((CaseState.Rejected, "reject"), (a.State, a.Decision));
        Assert.Equal([ReasonCodes.SignatureMismatch], a.Reasons);
        Assert.NotNull(a.Retention.DecidedAt);
        Assert.Contains(await host.Store.GetEventsAsync(caseA), e => e.Kind == "decided" && e.By == Actor.Person("revisore1"));
        AssertNoPersonalData(await EverythingStoredAsync(host, caseA, requestA), A);
        var api = await host.Portal().GetAsync($"/api/cases/{caseA}");
        Assert.Equal(HttpStatusCode.OK, api.StatusCode);
        Assert.Equal(HttpStatusCode.Gone, (await host.Portal().GetAsync($"/api/requests/{requestA}/form.pdf")).StatusCode);
        // B is decided 20 days later: its request is still there.
        Assert.Null((await host.Store.GetRequestAsync((await CaseAsync(host, caseB)).RequestId!))!.ErasedAt);
    }

    private static string CropKey(Case c)
    {
        using var doc = JsonDocument.Parse(c.Report!);
        return doc.RootElement.GetProperty("signature_crops").GetProperty("form").GetString()!;
    }

    [Theory]
    [InlineData("embedded")]
    [InlineData("scaled")]
    public async Task Erase_DeletesOneCitizensDataEverywhere_AuditsWhoButNotTheCode_AndLeavesOthersIntact(string backend)
    {
        await using var host = ReviewFixture.Host(backend, _tmp.Path);
        var requestA = await RequestAsync(host, A);
        var spareRequestA = await RequestAsync(host, A); // a request never used
        var caseA = await DecidedCaseAsync(host, A, requestA);
        var faxA = await DecidedCaseAsync(host, A, null); // an unmatched fax whose report read A's code
        var openA = await DecidedCaseAsync(host, A, await RequestAsync(host, A), decide: false);
        var requestB = await RequestAsync(host, B);
        var caseB = await DecidedCaseAsync(host, B, requestB); // the same original and page as A's
        var cropA = CropKey(await CaseAsync(host, caseA));
        var supervisor = await ReviewFixture.SignInAsync(host, "supervisore");

        // An open case of A's: refused, nothing erased.
        var refused = await supervisor.PostAsync("/supervision?handler=Erase", ReviewFixture.Form(await ReviewFixture.TokenAsync(supervisor),
            ("codiceFiscale", CfA), ("confirm", "true")));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains(openA, await refused.Content.ReadAsStringAsync());
        Assert.Null((await host.Store.GetRequestAsync(requestA))!.ErasedAt);

        await host.Store.DecideAsync(openA, [CaseState.InReview], new DecisionOutcome(CaseState.Rejected, "reject", [ReasonCodes.SignatureMismatch], "x", null, null), Actor.Person("revisore1"));
        var reviewer = await ReviewFixture.SignInAsync(host, "revisore1");
        Assert.Equal(HttpStatusCode.Forbidden, (await reviewer.PostAsync("/supervision?handler=Erase",
            ReviewFixture.Form(await ReviewFixture.TokenAsync(reviewer), ("codiceFiscale", CfA), ("confirm", "true")))).StatusCode);

        var done = await supervisor.PostAsync("/supervision?handler=Erase", ReviewFixture.Form(await ReviewFixture.TokenAsync(supervisor),
            ("codiceFiscale", " rssmra80a01h501u "), ("confirm", "true")));
        Assert.Equal(HttpStatusCode.OK, done.StatusCode);
        Assert.Contains("3 richiesta/e e 3 pratica/e", System.Net.WebUtility.HtmlDecode(await done.Content.ReadAsStringAsync()));

        foreach (var (id, request) in new[] { (caseA, requestA), (faxA, null), (openA, null) })
        {
            var c = await CaseAsync(host, id);
            Assert.NotNull(c.Retention.ErasedAt);
            Assert.Equal(CaseState.Rejected, c.State);
            Assert.Equal([ReasonCodes.SignatureMismatch], c.Reasons);
            var erased = Assert.Single(await host.Store.GetEventsAsync(id), e => e.Kind == "erased");
            Assert.Equal(Actor.Person("supervisore"), erased.By);
            AssertNoPersonalData(await EverythingStoredAsync(host, id, request), A);
        }
        Assert.NotNull((await host.Store.GetRequestAsync(spareRequestA))!.ErasedAt);
        Assert.False(await host.Blobs.ExistsAsync(cropA));
        Assert.Equal(HttpStatusCode.Gone, (await supervisor.GetAsync($"/cases/{caseA}/original")).StatusCode);
        // B's case needs the same original and page: they stay, and B's data is untouched.
        Assert.True(await host.Blobs.ExistsAsync(BlobKeys.ForContent(Sha(SharedOriginal))));
        Assert.True(await host.Blobs.ExistsAsync(BlobKeys.ForContent(Sha(SharedPage))));
        var b = await CaseAsync(host, caseB);
        Assert.Null(b.Retention.ErasedAt);
        Assert.Single(b.Pages!);
        Assert.Equal(CfB, (await host.Store.GetRequestAsync(requestB))!.Data.CodiceFiscale);
        Assert.DoesNotContain(host.Logs, l => l.Contains(CfA, StringComparison.OrdinalIgnoreCase));

        // Asked again: nothing left to erase. A malformed code is refused with a sentence.
        Assert.Equal(0, (await host.Services.GetRequiredService<PersonalData>().EraseAsync(CfA, "supervisore", default)).Cases);
        Assert.False((await host.Services.GetRequiredService<PersonalData>().EraseAsync("RSSMRA80A01H501X", "supervisore", default)).Ok);
    }

    [Fact]
    public async Task Start_FailsNamingTheKeys_WhenRetentionPeriodsAreOutOfOrder()
    {
        await using var host = new TestHost("embedded", _tmp.Path, new() { ["Retention:PageImages"] = "100.00:00:00", ["Retention:Quarantine"] = "-1.00:00:00" });
        var e = Assert.ThrowsAny<Exception>(() => host.CreateClient());
        var message = e.ToString();
        Assert.Contains("Retention:Originals", message);
        Assert.Contains("Retention:Quarantine", message);
    }
}
