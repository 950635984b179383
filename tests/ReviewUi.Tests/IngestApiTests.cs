using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using VerifyPipeline.Cases;
using VerifyPipeline.Cases.Tests.Storage;

namespace VerifyPipeline.ReviewUi.Tests;

/// <summary>The portal and gateway API contract (DESIGN.md) end to end through the pipeline, on both backend sets.</summary>
public sealed class IngestApiTests : IDisposable
{
    private readonly TempDir _tmp = new();
    public void Dispose() => _tmp.Dispose();
    public static TheoryData<string> Backends => new() { "embedded", "scaled" };

    [Theory, MemberData(nameof(Backends))]
    public async Task Upload_EndsInReviewWithPagesAndTimeline(string backend)
    {
        await using var host = new TestHost(backend, _tmp.Path);
        var portal = host.Portal();
        await host.Store.UpsertPinAsync(new Pin("PIN-T-0001", "RSSMRA80A01H501U", PinType.Online, false, DateTimeOffset.UtcNow));
        var created = await portal.PostAsJsonAsync("/api/requests", TestHost.RequestBody());
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var req = await created.Content.ReadFromJsonAsync<JsonElement>();
        var requestId = req.GetProperty("id").GetString()!;
        Assert.Equal($"/api/requests/{requestId}/form.pdf", req.GetProperty("form_url").GetString());

        var pdf = Samples.ScannedPdf(3, 620, 877);
        var upload = await TestHost.UploadAsync(portal, requestId, pdf, "richiesta.pdf");
        Assert.Equal(HttpStatusCode.Accepted, upload.StatusCode);
        var accepted = await upload.Content.ReadFromJsonAsync<JsonElement>();
        var caseId = accepted.GetProperty("case_id").GetString()!;
        Assert.Equal($"/api/cases/{caseId}", accepted.GetProperty("status_url").GetString());

        await host.WaitForStateAsync(caseId, TimeSpan.FromSeconds(60), CaseState.InReview, CaseState.NeedsAttention, CaseState.Rejected);
        var view = await portal.GetFromJsonAsync<JsonElement>($"/api/cases/{caseId}");
        Assert.Equal("InReview", view.GetProperty("state").GetString());
        Assert.Equal("portal", view.GetProperty("channel").GetString());
        Assert.Equal(requestId, view.GetProperty("request_id").GetString());
        Assert.Equal("review", view.GetProperty("decision").GetString());
        Assert.Equal("pass", JsonDocument.Parse((await host.Store.GetCaseAsync(caseId))!.Report!).RootElement.GetProperty("rules")[0].GetProperty("verdict").GetString());
        var pages = view.GetProperty("pages").EnumerateArray().ToList();
        Assert.Equal(3, pages.Count);
        Assert.Equal("richiesta.pdf#2", pages[1].GetProperty("source").GetString());
        Assert.Equal(620, pages[0].GetProperty("width").GetInt32());
        Assert.InRange(pages[0].GetProperty("dpi_x").GetDouble(), 74, 76);
        Assert.Equal(["Received", "Processing", "Processing", "Processing", "InReview"],
            view.GetProperty("timeline").EnumerateArray().Select(t => t.GetProperty("state").GetString()));

        var image = await portal.GetAsync(pages[0].GetProperty("image_url").GetString());
        Assert.Equal(HttpStatusCode.OK, image.StatusCode);
        Assert.StartsWith("image/", image.Content.Headers.ContentType!.MediaType);

        // logs carry the case id on the pipeline's lines and no personal data anywhere
        var logs = host.Logs.ToList();
        Assert.Contains(logs, l => l.Contains("CasePipeline") && l.Contains($"case {caseId}"));
        Assert.DoesNotContain(logs, l => l.Contains("RSSMRA80A01H501U") || l.Contains("Rossi") || l.Contains("mario.rossi") || l.Contains("CA00000AA"));

        // the original is stored content-addressed and intact
        var sha = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(pdf));
        Assert.Equal(sha, view.GetProperty("original").GetProperty("sha256").GetString());
        Assert.True(await host.Blobs.ExistsAsync(BlobKeys.ForContent(sha)));
    }

    [Fact]
    public async Task ReviewOnlyHost_StartsWithoutApiClients_AndDoesNotServeTheApi()
    {
        await using var host = new TestHost("embedded", _tmp.Path, new() { ["Hosting:ServeIngest"] = "false", ["Hosting:RunJobs"] = "false" });
        foreach (var key in host.Settings.Keys.Where(k => k.StartsWith("Ingest:Clients:", StringComparison.Ordinal)).ToList())
            host.Settings.Remove(key);

        var anonymous = host.Client(null);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/login")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.PostAsJsonAsync("/api/requests", TestHost.RequestBody())).StatusCode);
    }

    [Fact]
    public async Task Upload_WhenTheDatabaseHasNoConnectionLeft_Answers503WithRetryAfter_AndTheRetrySucceeds()
    {
        // One connection in the pool, taken by the test: the host waits one second for it, then must say "retry".
        var pg = new Npgsql.NpgsqlConnectionStringBuilder(TestBackends.NewPostgresDatabase()) { MaxPoolSize = 1, Timeout = 1 }.ToString();
        await using var host = new TestHost("scaled", _tmp.Path, new() { ["Hosting:RunJobs"] = "false" }, postgres: pg);
        var portal = host.Portal();
        var requestId = await host.CreateRequestAsync(portal);
        var png = Samples.Png(32, 32, 7);

        await using (var held = new Npgsql.NpgsqlConnection(pg))
        {
            await held.OpenAsync();
            var busy = await TestHost.UploadAsync(portal, requestId, png, "scan.png", idempotencyKey: "k-503");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, busy.StatusCode);
            Assert.Equal(TimeSpan.FromSeconds(5), busy.Headers.RetryAfter?.Delta);
            var problem = await busy.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal("SERVICE_UNAVAILABLE", problem.GetProperty("reason_code").GetString());
            Assert.Contains("Send the same request again", problem.GetProperty("detail").GetString());
        }

        var retried = await TestHost.UploadAsync(portal, requestId, png, "scan.png", idempotencyKey: "k-503");
        Assert.True(retried.StatusCode == HttpStatusCode.Accepted, string.Join("\n", host.Logs.Where(l => l.StartsWith("Warn") || l.StartsWith("Error"))));
        Assert.Single(await host.Store.ListCasesAsync("portal", null, null, 10));
    }

    [Theory, MemberData(nameof(Backends))]
    public async Task Upload_ReturnsSameCase_WhenIdempotencyKeyRepeated(string backend)
    {
        await using var host = new TestHost(backend, _tmp.Path, new() { ["Hosting:RunJobs"] = "false" });
        var portal = host.Portal();
        var requestId = await host.CreateRequestAsync(portal);
        var png = Samples.Png(seed: 7);
        var answers = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => TestHost.UploadAsync(portal, requestId, png, idempotencyKey: "upload-1")));
        Assert.All(answers, a => Assert.Equal(HttpStatusCode.Accepted, a.StatusCode));
        var ids = await Task.WhenAll(answers.Select(async a => (await a.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("case_id").GetString()));
        Assert.Single(ids.Distinct());
        Assert.Single(await host.Store.ListCasesAsync("portal", null, null, 100));

        var different = await TestHost.UploadAsync(portal, requestId, Samples.Png(seed: 8), idempotencyKey: "upload-1");
        Assert.Equal(HttpStatusCode.Conflict, different.StatusCode);
        Assert.Equal("IDEMPOTENCY_KEY_REUSED", (await different.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("reason_code").GetString());
    }

    [Theory, MemberData(nameof(Backends))]
    public async Task Api_AnswersSpecificProblems_ForBadCalls(string backend)
    {
        await using var host = new TestHost(backend, _tmp.Path, new() { ["Ingest:MaxUploadBytes"] = "200000", ["Hosting:RunJobs"] = "false" });
        var portal = host.Portal();
        var requestId = await host.CreateRequestAsync(portal);

        await AssertProblem(await host.Client(null).GetAsync("/api/cases"), 401, "UNAUTHORIZED");
        await AssertProblem(await host.Client("wrong-key-0123456789").GetAsync("/api/cases"), 401, "UNAUTHORIZED");
        await AssertProblem(await TestHost.UploadAsync(portal, "no-such-request", Samples.Png()), 404, "REQUEST_NOT_FOUND");
        await AssertProblem(await portal.GetAsync("/api/cases/no-such-case"), 404, "CASE_NOT_FOUND");
        await AssertProblem(await TestHost.UploadAsync(portal, requestId, new byte[300_000]), 413, "UNREADABLE_FILE");
        await AssertProblem(await TestHost.UploadAsync(portal, requestId, "just some text, not a document"u8.ToArray(), "note.pdf"), 415, "UNREADABLE_FILE");
        await AssertProblem(await TestHost.UploadAsync(portal, requestId, []), 415, "UNREADABLE_FILE");

        using (var two = new MultipartFormDataContent())
        {
            two.Add(new ByteArrayContent(Samples.Png(seed: 1)), "file", "a.png");
            two.Add(new ByteArrayContent(Samples.Png(seed: 2)), "file", "b.png");
            await AssertProblem(await portal.PostAsync($"/api/requests/{requestId}/file", two), 400, "UNREADABLE_FILE");
        }
        using (var none = new MultipartFormDataContent())
        {
            none.Add(new StringContent("x"), "note");
            await AssertProblem(await portal.PostAsync($"/api/requests/{requestId}/file", none), 400, "UNREADABLE_FILE");
        }

        var invalid = await portal.PostAsJsonAsync("/api/requests", new { pin_reference = "P", codice_fiscale = "NOTACODE", surname = "X", given_names = "Y", birth_date = "1980-01-01", document = new { type = "library_card", number = "1", expiry_date = "2030-01-01" } });
        var body = await AssertProblem(invalid, 400, "INVALID_REQUEST");
        Assert.True(body.GetProperty("errors").TryGetProperty("codice_fiscale", out _));
        Assert.True(body.GetProperty("errors").TryGetProperty("document.type", out _));

        // nothing refused was kept as a case
        Assert.Empty(await host.Store.ListCasesAsync(null, null, null, 100));
    }

    [Theory, MemberData(nameof(Backends))]
    public async Task Cases_AreVisibleOnlyToTheClientThatSubmittedThem(string backend)
    {
        await using var host = new TestHost(backend, _tmp.Path, new() { ["Hosting:RunJobs"] = "false" });
        var portal = host.Portal();
        var requestId = await host.CreateRequestAsync(portal);
        var since = DateTimeOffset.UtcNow.AddSeconds(-1);
        var caseId = (await (await TestHost.UploadAsync(portal, requestId, Samples.Png())).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("case_id").GetString();

        Assert.Equal(HttpStatusCode.NotFound, (await host.Fax().GetAsync($"/api/cases/{caseId}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await TestHost.UploadAsync(host.Fax(), requestId, Samples.Png(seed: 3))).StatusCode);
        Assert.Empty((await host.Fax().GetFromJsonAsync<JsonElement[]>("/api/cases"))!);
        var mine = await portal.GetFromJsonAsync<JsonElement[]>($"/api/cases?channel=portal&since={Uri.EscapeDataString(since.ToString("O"))}");
        Assert.Equal(caseId, Assert.Single(mine!).GetProperty("id").GetString());
        Assert.Empty((await portal.GetFromJsonAsync<JsonElement[]>("/api/cases?channel=fax"))!);
        Assert.Empty((await portal.GetFromJsonAsync<JsonElement[]>($"/api/cases?since={Uri.EscapeDataString(DateTimeOffset.UtcNow.AddMinutes(1).ToString("O"))}"))!);
        await AssertProblem(await portal.GetAsync("/api/cases?channel=pigeon"), 400, "INVALID_QUERY");
    }

    [Fact]
    public async Task Upload_IsRejectedWithReason_WhenArchiveIsEncrypted()
    {
        await using var host = new TestHost("embedded", _tmp.Path);
        var portal = host.Portal();
        var requestId = await host.CreateRequestAsync(portal);
        var zip = await File.ReadAllBytesAsync(Path.Combine(Samples.SharedTestData, "01_archives_sharpcompress", "Zip.deflate.WinzipAES.zip"));
        var caseId = (await (await TestHost.UploadAsync(portal, requestId, zip, "documenti.zip")).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("case_id").GetString()!;
        var c = await host.WaitForStateAsync(caseId, TimeSpan.FromSeconds(60), CaseState.Rejected, CaseState.InReview, CaseState.NeedsAttention);
        Assert.Equal(CaseState.Rejected, c.State);
        Assert.Equal(["UNREADABLE_FILE"], c.Reasons);
        var message = Assert.Single(await host.Store.GetOutboxAsync(caseId, unsentOnly: false));
        Assert.Equal("mario.rossi@example.org", message.Recipient);
        Assert.Contains("non può essere letto", message.Body);
        // delivered by the background job: in the embedded mode, as an .eml file in the outbox folder
        var outbox = Path.Combine(_tmp.Path, "outbox");
        for (var i = 0; i < 100 && !(Directory.Exists(outbox) && Directory.EnumerateFiles(outbox, $"*-{caseId}.eml").Any()); i++) await Task.Delay(100);
        var eml = await MimeKit.MimeMessage.LoadAsync(Assert.Single(Directory.EnumerateFiles(outbox, $"*-{caseId}.eml")));
        Assert.Equal("mario.rossi@example.org", eml.To.Mailboxes.Single().Address);
        Assert.Equal(message.Subject, eml.Subject);
        Assert.Contains("non può essere letto", eml.TextBody);
        Assert.NotNull((await host.Store.GetOutboxAsync(caseId, unsentOnly: false))[0].SentAt);
    }

    [Theory]
    [InlineData("embedded", PinType.Dispositivo, false, "PIN_ALREADY_DISPOSITIVO", "poichè il PIN in suo possesso è già di tipo dispositivo")]
    [InlineData("scaled", PinType.Online, true, "PIN_NOT_ELIGIBLE", "ripristino")]
    public async Task Upload_IsRejectedByTheMachine_WhenThePinCannotBeConverted(string backend, PinType type, bool revoked, string reason, string letter)
    {
        await using var host = new TestHost(backend, _tmp.Path);
        var portal = host.Portal();
        var requestId = await host.CreateRequestAsync(portal, type, revoked, pin: "PIN-T-" + reason);
        var caseId = (await (await TestHost.UploadAsync(portal, requestId, Samples.ScannedPdf(2, 620, 877))).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("case_id").GetString()!;
        var c = await host.WaitForStateAsync(caseId, TimeSpan.FromSeconds(60), CaseState.Rejected, CaseState.InReview, CaseState.NeedsAttention);
        Assert.Equal(CaseState.Rejected, c.State);
        Assert.Equal([reason], c.Reasons);
        Assert.Contains(letter, Assert.Single(await host.Store.GetOutboxAsync(caseId, unsentOnly: false)).Body);
        // the decision is stored with every rule's verdict and the policy used
        var report = JsonDocument.Parse(c.Report!).RootElement;
        Assert.Equal("reject", report.GetProperty("decision").GetString());
        var rules = report.GetProperty("rules").EnumerateArray().ToDictionary(r => r.GetProperty("rule").GetString()!, r => r.GetProperty("verdict").GetString());
        Assert.Equal("fail", rules["pin_status"]);
        Assert.Equal(7, rules.Count);
        Assert.True(report.GetProperty("policy").GetProperty("auto_reject_reasons").GetArrayLength() > 0);
        // the PIN is untouched
        Assert.Equal(type, (await host.Store.GetPinAsync("PIN-T-" + reason))!.Type);
    }

    [Fact]
    public async Task Form_IsServedAsPdf_OnlyToTheRequestsClient()
    {
        await using var host = new TestHost("embedded", _tmp.Path, new() { ["Hosting:RunJobs"] = "false" });
        var portal = host.Portal();
        var requestId = await host.CreateRequestAsync(portal);
        var form = await portal.GetAsync($"/api/requests/{requestId}/form.pdf");
        Assert.Equal(HttpStatusCode.OK, form.StatusCode);
        Assert.Equal("application/pdf", form.Content.Headers.ContentType!.MediaType);
        Assert.StartsWith("%PDF-", System.Text.Encoding.ASCII.GetString((await form.Content.ReadAsByteArrayAsync())[..5]));
        await AssertProblem(await host.Fax().GetAsync($"/api/requests/{requestId}/form.pdf"), 404, "REQUEST_NOT_FOUND");
    }

    [Fact]
    public void ScaledConfiguration_RefusesToStart_WithDemoCredentials()
    {
        Environment.SetEnvironmentVariable("VP_DEMO_CREDENTIALS", "on");
        try
        {
            using var host = new TestHost("scaled", _tmp.Path, new()
            {
                ["Ingest:Clients:portal:Key"] = "demo-portal-key",
                ["Forms:HmacKey"] = VerifyPipeline.Cases.Forms.FormQr.DevelopmentKey,
            });
            var e = Assert.ThrowsAny<Exception>(() => host.Services);
            var message = e.ToString();
            Assert.Contains("must not use demo credentials", message);
            Assert.Contains("portal", message);
            Assert.Contains("revisore1", message);
            Assert.Contains("Forms:HmacKey", message);
        }
        finally { Environment.SetEnvironmentVariable("VP_DEMO_CREDENTIALS", "off"); }
    }

    [Fact]
    public async Task OpenApiAndHealth_AreServed()
    {
        await using var host = new TestHost("embedded", _tmp.Path);
        var anon = host.Client(null);
        var openapi = await anon.GetFromJsonAsync<JsonElement>("/openapi/v1.json");
        Assert.True(openapi.GetProperty("paths").TryGetProperty("/api/requests/{id}/file", out _));
        Assert.Equal(HttpStatusCode.OK, (await anon.GetAsync("/health/live")).StatusCode);
        var ready = await anon.GetFromJsonAsync<JsonElement>("/health/ready");
        Assert.Equal("Healthy", ready.GetProperty("status").GetString());
        Assert.Equal(["backlog", "blobs", "database", "fax_inbox", "free_space", "jobs"], ready.GetProperty("checks").EnumerateObject().Select(p => p.Name).Order());
    }

    private static async Task<JsonElement> AssertProblem(HttpResponseMessage r, int status, string reason)
    {
        var text = await r.Content.ReadAsStringAsync();
        Assert.True((int)r.StatusCode == status, $"expected {status}, got {(int)r.StatusCode}: {text}");
        Assert.Equal("application/problem+json", r.Content.Headers.ContentType?.MediaType);
        var body = JsonDocument.Parse(text).RootElement;
        Assert.Equal(reason, body.GetProperty("reason_code").GetString());
        Assert.False(string.IsNullOrWhiteSpace(body.GetProperty("detail").GetString()));
        return body;
    }
}
