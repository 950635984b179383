using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using VerifyPipeline.Cases;
using VerifyPipeline.Cases.Forms;
using VerifyPipeline.Cases.Tests.Storage;
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
}
