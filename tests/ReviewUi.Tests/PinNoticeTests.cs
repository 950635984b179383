using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using VerifyPipeline.Cases;
using VerifyPipeline.Cases.Tests.Storage;
using VerifyPipeline.ReviewUi.Review;
using VerifyPipeline.ReviewUi.Tests.Review;
using VerifyPipeline.Worker.Pipeline;

namespace VerifyPipeline.ReviewUi.Tests;

/// <summary>The notice and cooling-off that guard an approval against a traced signature (docs/signatures.md), through
/// the real SMTP server (MailDev, started by ./test.sh) with the test clock.</summary>
public sealed partial class PinNoticeTests : IDisposable
{
    private readonly TempDir _tmp = new();
    public void Dispose() => _tmp.Dispose();

    private static string Smtp => Environment.GetEnvironmentVariable("VP_TEST_SMTP")
        ?? throw new InvalidOperationException("VP_TEST_SMTP is not set: run the tests with ./test.sh, which starts MailDev.");
    private static string MailDev => Environment.GetEnvironmentVariable("VP_TEST_MAILDEV")
        ?? throw new InvalidOperationException("VP_TEST_MAILDEV is not set: run the tests with ./test.sh, which starts MailDev.");

    private TestHost Host(FakeTimeProvider clock) => ReviewFixture.Host("embedded", _tmp.Path, new()
    {
        ["Outbox:Mode"] = "Smtp", ["Outbox:SmtpHost"] = Smtp.Split(':')[0], ["Outbox:SmtpPort"] = Smtp.Split(':')[1],
        ["Pipeline:Policy:CoolingOff"] = "1.00:00:00",
        ["Pipeline:Notice:LinkBase"] = "https://pin.example.invalid",
    }, clock: clock);

    /// <summary>An approved case whose PIN has a registered e-mail other than the request's.</summary>
    private static async Task<(string CaseId, string Pin, string Registered)> ApprovedAsync(TestHost host)
    {
        var pin = "PIN-N-" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
        var registered = $"titolare.{Guid.NewGuid():N}@example.org";
        var (caseId, _) = await ReviewFixture.InReviewCaseAsync(host, pin, pages: 1);
        await host.Store.UpsertPinAsync((await host.Store.GetPinAsync(pin))! with { RegisteredEmail = registered, RegisteredPhone = "+39 06 1111111" });
        var desk = host.Services.GetRequiredService<ReviewDesk>();
        var approved = await desk.ApproveAsync(caseId, "revisore1", null, default);
        Assert.True(approved.Ok, approved.Message);
        return (caseId, pin, registered);
    }

    /// <summary>The mail MailDev received for a case with this subject (its Message-ID names the case), waiting up to 20 s.</summary>
    private static async Task<JsonElement> MailAsync(string caseId, string subject)
    {
        using var http = new HttpClient { BaseAddress = new Uri(MailDev) };
        for (var i = 0; i < 200; i++)
        {
            var all = await http.GetFromJsonAsync<JsonElement[]>("/api/email");
            foreach (var m in all!)
                if (m.GetProperty("headers").GetProperty("message-id").GetString()!.Contains(caseId) && m.GetProperty("subject").GetString() == subject)
                    return m;
            await Task.Delay(100);
        }
        throw new Xunit.Sdk.XunitException($"no mail '{subject}' for case {caseId}");
    }

    private static string To(JsonElement mail) => mail.GetProperty("envelope").GetProperty("to")[0].GetProperty("address").GetString()!;

    [GeneratedRegex(@"https://pin\.example\.invalid(/pin/contestazione/[A-Za-z0-9_-]{43})")]
    private static partial Regex LinkPattern();

    [Fact]
    public async Task Approval_SendsTheNoticeToTheRegisteredEmail_AndItsLinkPutsTheCaseBackToASupervisor()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var host = Host(clock);
        var (caseId, pin, registered) = await ApprovedAsync(host);

        Assert.Equal(CaseState.Approved, (await host.Store.GetCaseAsync(caseId))!.State);
        Assert.Equal(PinType.Online, (await host.Store.GetPinAsync(pin))!.Type); // cooling off
        var notice = await MailAsync(caseId, "Il suo PIN INPS sta per diventare dispositivo");
        Assert.Equal(registered, To(notice)); // the registry's contact, never the request's (mario.rossi@example.org)
        var text = notice.GetProperty("text").GetString()!;
        Assert.Contains("803 164", text);
        Assert.DoesNotContain(pin, text); // the PIN only masked
        var link = LinkPattern().Match(text);
        Assert.True(link.Success, text);
        var letter = await MailAsync(caseId, "Richiesta di PIN dispositivo accolta");
        Assert.Equal("mario.rossi@example.org", To(letter));

        using var citizen = host.CreateClient(new() { AllowAutoRedirect = false });
        var page = await citizen.GetAsync(link.Groups[1].Value);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("Non sono stato io", await page.Content.ReadAsStringAsync());
        Assert.Equal(CaseState.Approved, (await host.Store.GetCaseAsync(caseId))!.State); // opening the link changes nothing

        var disputed = await citizen.PostAsync(link.Groups[1].Value, null);
        Assert.Equal(HttpStatusCode.OK, disputed.StatusCode);
        Assert.Equal(CaseState.InReview, (await host.Store.GetCaseAsync(caseId))!.State);
        Assert.Equal(PinType.Online, (await host.Store.GetPinAsync(pin))!.Type);
        Assert.Contains(await host.Store.GetEventsAsync(caseId), e => e.Kind == "disputed");
        Assert.Equal(caseId, Assert.Single(await host.Store.ListOpenDisputesAsync()).CaseId);
        Assert.Equal(HttpStatusCode.NotFound, (await citizen.PostAsync(link.Groups[1].Value, null)).StatusCode); // single use

        // Past the cooling-off nothing converts a disputed PIN.
        clock.Advance(TimeSpan.FromDays(2));
        Assert.Equal(0, await host.Services.GetRequiredService<CoolingOff>().RunOnceAsync());
        Assert.Equal(PinType.Online, (await host.Store.GetPinAsync(pin))!.Type);

        using var supervisor = await ReviewFixture.SignInAsync(host, "supervisore");
        var supervision = await supervisor.GetStringAsync("/supervision");
        Assert.Contains("Contestazioni del titolare del PIN", supervision);
        Assert.Contains($"data-case=\"{caseId}\"", supervision);

        // A disputed case is decided by a supervisor only: a reviewer is refused (and nothing changes), a supervisor is not.
        var desk = host.Services.GetRequiredService<ReviewDesk>();
        var byReviewer = await desk.ApproveAsync(caseId, "revisore2", null, default);
        Assert.False(byReviewer.Ok, byReviewer.Message);
        Assert.Contains("supervisore", byReviewer.Message);
        Assert.False((await desk.RerunAsync(caseId, "revisore2", default)).Ok);
        Assert.Equal(CaseState.InReview, (await host.Store.GetCaseAsync(caseId))!.State);
        var bySupervisor = await desk.ApproveAsync(caseId, "supervisore", null, default, supervisor: true);
        Assert.True(bySupervisor.Ok, bySupervisor.Message);
        Assert.Equal(CaseState.Approved, (await host.Store.GetCaseAsync(caseId))!.State);
    }

    [Fact]
    public async Task CoolingOffEnded_TurnsThePinDispositivo_AndConfirmsItToTheRegisteredEmail()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var host = Host(clock);
        var (caseId, pin, registered) = await ApprovedAsync(host);
        var coolingOff = host.Services.GetRequiredService<CoolingOff>();

        clock.Advance(TimeSpan.FromHours(23));
        Assert.Equal(0, await coolingOff.RunOnceAsync());
        Assert.Equal(PinType.Online, (await host.Store.GetPinAsync(pin))!.Type);

        clock.Advance(TimeSpan.FromHours(1));
        Assert.Equal(1, await coolingOff.RunOnceAsync());
        Assert.Equal(PinType.Dispositivo, (await host.Store.GetPinAsync(pin))!.Type);
        Assert.Equal(0, await coolingOff.RunOnceAsync()); // once
        Assert.Contains(await host.Store.GetEventsAsync(caseId), e => e.Kind == "pin_converted");
        var confirmation = await MailAsync(caseId, "Il suo PIN INPS è ora dispositivo");
        Assert.Equal(registered, To(confirmation));
        Assert.Equal(CaseState.Approved, (await host.Store.GetCaseAsync(caseId))!.State);
    }

    [Theory]
    [InlineData("x")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    public async Task Dispute_WithAnUnknownToken_ChangesNothingAndSaysNothing(string token)
    {
        await using var host = Host(new FakeTimeProvider(DateTimeOffset.UtcNow));
        using var citizen = host.CreateClient(new() { AllowAutoRedirect = false });
        var r = await citizen.PostAsync($"/pin/contestazione/{token}", null);
        Assert.Equal(HttpStatusCode.NotFound, r.StatusCode);
        Assert.Contains("non è valido, è già stato usato o è scaduto", await r.Content.ReadAsStringAsync());
    }
}
