using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using VerifyPipeline.Cases;
using VerifyPipeline.Cases.Forms;
using VerifyPipeline.Cases.Tests.Storage;
using VerifyPipeline.Ingest;
using VerifyPipeline.ReviewUi.Review;
using VerifyPipeline.ReviewUi.Tests.Review;
using VerifyPipeline.Rules.Checks;

namespace VerifyPipeline.ReviewUi.Tests;

/// <summary>The holes of issue 11, each shown closed through the running system (a real host, its jobs, the reader and
/// the rules; SQLite or PostgreSQL + Azurite). Each test failed on the main branch before its fix.</summary>
public sealed class SecurityTests : IDisposable
{
    private readonly TempDir _tmp = new();
    public void Dispose() => _tmp.Dispose();

    private static string Submissions => Path.Combine(Samples.RepoRoot(), "tests", "TestData", "submissions");

    /// <summary>Hole 1: a complete, genuine file of one person whose request names a PIN registered to another codice
    /// fiscale. Before: approved by the machine, and the other person's PIN became dispositivo.</summary>
    [Fact]
    public async Task AnotherPersonsPin_GenuineCompleteFile_IsRejectedPinNotEligible_AndThatPinStaysOnline()
    {
        await using var host = new TestHost("embedded", _tmp.Path, new() { ["Forms:HmacKey"] = FormQr.DevelopmentKey });
        var label = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(Submissions, "pdf-scan-cie-ok.pdf.expected.json"))).RootElement.GetProperty("request");
        var data = JsonSerializer.Deserialize<RequestData>(label.GetRawText(), new JsonSerializerOptions(JsonSerializerDefaults.Web) { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower })!;
        var requestId = label.GetProperty("id").GetString()!;
        await host.Store.CreateRequestAsync(new ConversionRequest(requestId, "portal", DateTimeOffset.UtcNow, data));
        const string victim = "RSSMRA80A01H501U"; // a synthetic person; the PIN is theirs
        await host.Store.UpsertPinAsync(new Pin(data.PinReference, victim, PinType.Online, false, DateTimeOffset.UtcNow));

        var upload = await TestHost.UploadAsync(host.Portal(), requestId, await File.ReadAllBytesAsync(Path.Combine(Submissions, "pdf-scan-cie-ok.pdf")), "richiesta.pdf");
        var caseId = (await upload.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("case_id").GetString()!;
        var c = await host.WaitForStateAsync(caseId, TimeSpan.FromSeconds(120), CaseState.Approved, CaseState.Rejected, CaseState.InReview, CaseState.NeedsAttention);

        Assert.True(c.State == CaseState.Rejected, $"{c.State}: {c.Report}");
        Assert.Equal(["PIN_NOT_ELIGIBLE"], c.Reasons);
        Assert.Equal(PinType.Online, (await host.Store.GetPinAsync(data.PinReference))!.Type);
        var letter = Assert.Single(await host.Store.GetOutboxAsync(caseId, false));
        Assert.Equal(data.Email, letter.Recipient);
        Assert.Contains(PinStatusRule.NotTheHolderSentence, letter.Body);
        Assert.DoesNotContain("revocato", letter.Body); // the letter says what is true of this case
        Assert.DoesNotContain(victim, letter.Body);
    }

    /// <summary>Hole 1, the reviewer's side: before, one reviewer's approval converted the other person's PIN.</summary>
    [Theory]
    [InlineData("embedded")]
    [InlineData("scaled")]
    public async Task Reviewer_CannotApprove_WhenThePinIsAnotherPersonsOrUnknown(string backend)
    {
        await using var host = ReviewFixture.Host(backend, _tmp.Path);
        var (caseId, _) = await ReviewFixture.InReviewCaseAsync(host, "PIN-S-0001", pages: 1);
        var desk = host.Services.GetRequiredService<ReviewDesk>();

        await host.Store.UpsertPinAsync(new Pin("PIN-S-0001", "PRSLEI62E22F205M", PinType.Online, false, DateTimeOffset.UtcNow));
        var refused = await desk.ApproveAsync(caseId, "revisore1", null, default);
        Assert.False(refused.Ok);
        Assert.Contains("intestato a un altro codice fiscale", refused.Message);
        Assert.Equal(CaseState.InReview, (await host.Store.GetCaseAsync(caseId))!.State);
        Assert.Equal(PinType.Online, (await host.Store.GetPinAsync("PIN-S-0001"))!.Type);
        Assert.Empty(await host.Store.GetOutboxAsync(caseId, false));
        Assert.Contains(await host.Store.GetEventsAsync(caseId), e => e.Kind == "approval_refused" && e.By.Name == "revisore1");

        // The same person written with omocodia is the holder: the approval goes through and converts exactly that PIN.
        await host.Store.UpsertPinAsync(new Pin("PIN-S-0001", "RSSMRA80A01H50MM", PinType.Online, false, DateTimeOffset.UtcNow));
        Assert.True(VerifyPipeline.Rules.Identity.CodiceFiscale.Parse("RSSMRA80A01H50MM", new DateOnly(2026, 1, 1)).Valid);
        Assert.True((await desk.ApproveAsync(caseId, "revisore1", null, default)).Ok);
        Assert.Equal(PinType.Dispositivo, (await host.Store.GetPinAsync("PIN-S-0001"))!.Type);

        var (unknown, _) = await ReviewFixture.InReviewCaseAsync(host, "PIN-S-0002", pages: 1);
        await using (var db = await host.Store.Database.OpenAsync())
            await db.ExecAsync(null, "delete from pins where pin_reference = 'PIN-S-0002'", default);
        var noPin = await desk.ApproveAsync(unknown, "revisore1", null, default);
        Assert.False(noPin.Ok);
        Assert.Contains("non è presente nel registro", noPin.Message);
        Assert.Equal(CaseState.InReview, (await host.Store.GetCaseAsync(unknown))!.State);
    }

    private static JsonObject Body(Action<JsonObject>? change = null)
    {
        var body = JsonSerializer.SerializeToNode(TestHost.RequestBody())!.AsObject();
        change?.Invoke(body);
        return body;
    }

    private static async Task<(HttpStatusCode Status, JsonElement Body)> PostRequestAsync(HttpClient client, JsonObject body)
    {
        var r = await client.PostAsync("/api/requests", new StringContent(body.ToJsonString(), System.Text.Encoding.UTF8, "application/json"));
        return (r.StatusCode, await r.Content.ReadFromJsonAsync<JsonElement>());
    }

    /// <summary>Hole 2: before, any length and any script was accepted; a CJK surname gave a 500 at form.pdf (and the log
    /// held the name), a 40 000-character one took 11 s of CPU per form, a 25 MB birth_place was stored.</summary>
    [Fact]
    public async Task CreateRequest_Returns400NamingTheField_WhenTheFormCannotPrintTheValue()
    {
        await using var host = new TestHost("embedded", _tmp.Path, new() { ["Hosting:RunJobs"] = "false" });
        var portal = host.Portal();

        foreach (var (field, value) in new[]
                 {
                     ("surname", "山田"), ("surname", new string('a', RequestFields.SurnameMax + 1)), ("surname", "Rossi\n"), ("given_names", "Mario\u0000"),
                     ("birth_place", "Roma\u202E"), ("phone", "06 <script>"), ("pin_reference", "PIN T 0001\t"), ("email", "mario@exämple.org"),
                 })
        {
            var (status, problem) = await PostRequestAsync(portal, Body(b => b[field] = value));
            Assert.True(status == HttpStatusCode.BadRequest, $"{field}: {status}");
            Assert.Equal("INVALID_REQUEST", problem.GetProperty("reason_code").GetString());
            Assert.Equal([field], problem.GetProperty("errors").EnumerateObject().Select(p => p.Name));
        }
        var (nested, nestedProblem) = await PostRequestAsync(portal, Body(b => b["document"]!["issued_by"] = "Comune di 東京"));
        Assert.Equal(HttpStatusCode.BadRequest, nested);
        Assert.True(nestedProblem.GetProperty("errors").TryGetProperty("document.issued_by", out _));
        Assert.DoesNotContain(host.Logs, l => l.Contains("山田") || l.Contains("東京"));

        var (big, bigProblem) = await PostRequestAsync(portal, Body(b => b["birth_place"] = new string('x', 25 * 1024 * 1024)));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, big);
        Assert.Equal("INVALID_REQUEST", bigProblem.GetProperty("reason_code").GetString());

        // Italian names as they are, and the longest surname the box allows: accepted, and the form is quick to print.
        var longest = string.Concat(Enumerable.Repeat("W", RequestFields.SurnameMax));
        foreach (var (surname, given) in new[] { ("D'Àmico-Dell’Orto", "Maria Lucía"), ("Łukasiewicz Œttinger", "Ñoño Ágnes"), (longest, "Mario") })
        {
            var (status, created) = await PostRequestAsync(portal, Body(b => { b["surname"] = surname; b["given_names"] = given; }));
            Assert.True(status == HttpStatusCode.Created, $"{surname}: {status} {created}");
            var watch = System.Diagnostics.Stopwatch.StartNew();
            var form = await portal.GetAsync(created.GetProperty("form_url").GetString());
            Assert.Equal(HttpStatusCode.OK, form.StatusCode);
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(2), $"form.pdf of a {surname.Length}-character surname: {watch.Elapsed.TotalMilliseconds:0} ms");
        }
    }

    /// <summary>Hole 3: before, the portal's timeline carried every event: reviewers' names, claims, four-eyes proposals
    /// and the internal notes ("stays in the file, never goes to the citizen").</summary>
    [Fact]
    public async Task GetCase_TimelineHoldsOnlyCitizenFacingEvents_WhenReviewersWorkedOnTheCase()
    {
        await using var host = ReviewFixture.Host("embedded", _tmp.Path);
        var (caseId, _) = await ReviewFixture.InReviewCaseAsync(host, "PIN-S-0003", pages: 1);
        var desk = host.Services.GetRequiredService<ReviewDesk>();
        Assert.True((await desk.ClaimAsync(caseId, "revisore1", default)).Ok);
        Assert.True((await desk.RejectAsync(caseId, "revisore1", ["SIGNATURE_MISMATCH"], "nota interna: resta nel fascicolo", default)).Ok);
        Assert.True((await desk.DeclineAsync(caseId, "revisore2", "nota interna: la firma corrisponde", default)).Ok);
        Assert.True((await desk.ApproveAsync(caseId, "revisore2", "nota interna: mai al cittadino", default)).Ok);

        var json = await host.Portal().GetStringAsync($"/api/cases/{caseId}");
        Assert.DoesNotContain("revisore", json);
        Assert.DoesNotContain("nota interna", json);
        var timeline = JsonDocument.Parse(json).RootElement.GetProperty("timeline").EnumerateArray().ToList();
        Assert.All(timeline, t =>
        {
            Assert.Contains(t.GetProperty("by").GetString(), new[] { "machine", "reviewer" });
            Assert.Contains(t.GetProperty("event").GetString(), new[] { "received", "processing", "in_review", "approved", "rejected" });
            Assert.Equal(JsonValueKind.Null, t.GetProperty("detail").ValueKind);
        });
        Assert.Equal(["received", "processing", "in_review", "approved"], timeline.Select(t => t.GetProperty("event").GetString()).Distinct());
        Assert.Equal(("Approved", "reviewer"), (timeline[^1].GetProperty("state").GetString(), timeline[^1].GetProperty("by").GetString()));
        Assert.Contains(await host.Store.GetEventsAsync(caseId), e => e.Kind == "proposed" && e.By.Name == "revisore1"); // staff still see everything
    }

    /// <summary>Hole 6: before, the same key and file sent for request B answered with request A's case, and an empty
    /// key was taken as a key.</summary>
    [Theory]
    [InlineData("embedded")]
    [InlineData("scaled")]
    public async Task Upload_MakesOneCasePerRequest_WhenTheSameKeyAndFileAreSentForTwoRequests(string backend)
    {
        await using var host = new TestHost(backend, _tmp.Path, new() { ["Hosting:RunJobs"] = "false" });
        var portal = host.Portal();
        var a = await host.CreateRequestAsync(portal, pin: "PIN-K-0001");
        var b = await host.CreateRequestAsync(portal, pin: "PIN-K-0002");
        var png = Samples.Png(seed: 11);

        async Task<string> CaseOf(string requestId)
        {
            var r = await TestHost.UploadAsync(portal, requestId, png, idempotencyKey: "same-key");
            Assert.Equal(HttpStatusCode.Accepted, r.StatusCode);
            return (await r.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("case_id").GetString()!;
        }
        var caseA = await CaseOf(a);
        var caseB = await CaseOf(b);
        Assert.NotEqual(caseA, caseB);
        Assert.Equal(b, (await host.Store.GetCaseAsync(caseB))!.RequestId);
        Assert.Equal(caseA, await CaseOf(a)); // a retry for the same request still finds its case

        // HttpClient drops an empty header; the server receives one from curl -H 'Idempotency-Key;'. So the request is
        // built as the server sees it.
        using var form = new MultipartFormDataContent { { new ByteArrayContent(png), "file", "scan.png" } };
        var body = await form.ReadAsByteArrayAsync();
        foreach (var bad in new[] { "", "   ", new string('k', 201), "k\u0001y" })
        {
            var http = await host.Server.SendAsync(ctx =>
            {
                ctx.Request.Method = "POST";
                ctx.Request.Path = $"/api/requests/{a}/file";
                ctx.Request.Headers["X-Api-Key"] = TestHost.PortalKey;
                ctx.Request.Headers["Idempotency-Key"] = bad;
                ctx.Request.ContentType = form.Headers.ContentType!.ToString();
                ctx.Request.ContentLength = body.Length;
                ctx.Request.Body = new MemoryStream(body);
            });
            Assert.True(http.Response.StatusCode == 400, $"'{bad}': {http.Response.StatusCode}");
            var problem = await JsonSerializer.DeserializeAsync<JsonElement>(http.Response.Body);
            Assert.Equal("INVALID_REQUEST", problem.GetProperty("reason_code").GetString());
            Assert.True(problem.GetProperty("errors").TryGetProperty("Idempotency-Key", out _));
        }
        Assert.Equal(2, (await host.Store.ListCasesAsync("portal", null, null, 100)).Count);
    }

    /// <summary>Hole 8: before, an action ran before its request was read: Claim without a form body answered 500 with
    /// "claimed" already written (Approve would have decided the case); Correct and Match wrote a claim before refusing
    /// their fields.</summary>
    [Fact]
    public async Task CaseActions_WriteNothingAndAnswerWithAMessage_WhenTheFormIsMissingOrInvalid()
    {
        await using var host = ReviewFixture.Host("embedded", _tmp.Path);
        var (caseId, _) = await ReviewFixture.InReviewCaseAsync(host, "PIN-S-0004", pages: 1);
        using var client = await ReviewFixture.SignInAsync(host, "revisore1");
        var token = await ReviewFixture.TokenAsync(client);

        foreach (var handler in new[] { "Claim", "Release", "Approve", "Reject", "Confirm", "Decline", "Match", "Retry", "Rerun", "Correct" })
        {
            using var bare = new HttpRequestMessage(HttpMethod.Post, $"/cases/{caseId}/{handler}");
            bare.Headers.Add("RequestVerificationToken", token); // anti-forgery passes: only the form is missing
            var r = await client.SendAsync(bare);
            Assert.True(r.StatusCode == HttpStatusCode.Redirect, $"{handler} without a form: {r.StatusCode}");
        }
        foreach (var (handler, fields) in new (string, (string, string)[])[]
                 {
                     ("Reject", []), ("Reject", [("reasons", "NOT_A_REASON")]), ("Match", [("requestId", "no-such-request")]),
                     ("Correct", []), ("Correct", [("field", "no_such_field"), ("value", "x")]), ("Correct", [("field", "expiry_date"), ("value", "ieri")]),
                 })
        {
            var r = await client.PostAsync($"/cases/{caseId}/{handler}", ReviewFixture.Form(token, fields));
            Assert.Equal(HttpStatusCode.Redirect, r.StatusCode);
            var page = await client.GetStringAsync(r.Headers.Location!.ToString());
            Assert.Contains("class=\"flash error\"", page);
        }

        Assert.DoesNotContain(await host.Store.GetEventsAsync(caseId), e => e.By.Kind == ActorKind.Person);
        Assert.Null(await host.Store.GetActiveClaimAsync(caseId));
        Assert.Equal(CaseState.InReview, (await host.Store.GetCaseAsync(caseId))!.State);
    }

    /// <summary>Hole 9: before, the embedded mode started on any address with the demo API keys, the demo accounts and
    /// the public development key that signs the forms' QR codes.</summary>
    [Fact]
    public async Task Start_IsRefused_WhenEmbeddedModeWithDemoCredentialsListensBeyondLoopback()
    {
        Dictionary<string, string?> Demo(string urls) => new()
        {
            ["urls"] = urls, ["Forms:HmacKey"] = FormQr.DevelopmentKey, ["Ingest:Clients:portal:Key"] = "demo-portal-key", ["Hosting:RunJobs"] = "false",
        };
        foreach (var urls in new[] { "http://0.0.0.0:5080", "http://*:5080", "http://127.0.0.1:5080;http://[::]:5081", "http://verify.example.it:80" })
        {
            await using var host = new TestHost("embedded", Path.Combine(_tmp.Path, "exposed"), Demo(urls));
            var e = Record.Exception(() => host.CreateClient());
            Assert.NotNull(e);
            var message = e.ToString();
            Assert.Contains("VP_DEMO_CREDENTIALS=off", message);
            Assert.Contains("Ingest:Clients:<name>:Key", message);
            Assert.Contains("Forms:HmacKey", message);
        }
        foreach (var urls in new[] { "http://127.0.0.1:5080", "http://localhost:5080", "http://[::1]:5080" }) // what ./run.sh binds, and its peers
        {
            await using var host = new TestHost("embedded", Path.Combine(_tmp.Path, "loopback"), Demo(urls));
            Assert.Equal(HttpStatusCode.OK, (await host.CreateClient().GetAsync("/health/live")).StatusCode);
        }
    }
}
