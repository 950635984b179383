using System.Net.Http.Json;
using System.Text.Json;
using VerifyPipeline.Cases;
using VerifyPipeline.Cases.Tests.Storage;

namespace VerifyPipeline.ReviewUi.Tests;

/// <summary>The citizen's message through a real SMTP server (MailDev on loopback, started by ./test.sh), scaled backends.</summary>
public sealed class OutboxSmtpTests : IDisposable
{
    private readonly TempDir _tmp = new();
    public void Dispose() => _tmp.Dispose();

    private static string Smtp => Environment.GetEnvironmentVariable("VP_TEST_SMTP")
        ?? throw new InvalidOperationException("VP_TEST_SMTP is not set: run the tests with ./test.sh, which starts MailDev.");
    private static string MailDev => Environment.GetEnvironmentVariable("VP_TEST_MAILDEV")
        ?? throw new InvalidOperationException("VP_TEST_MAILDEV is not set: run the tests with ./test.sh, which starts MailDev.");

    /// <summary>The message MailDev received for a case (its Message-ID names the case), waiting up to 20 s; null if none.</summary>
    internal static async Task<JsonElement?> MailFor(string caseId)
    {
        using var http = new HttpClient { BaseAddress = new Uri(MailDev) };
        for (var i = 0; i < 200; i++)
        {
            var all = await http.GetFromJsonAsync<JsonElement[]>("/api/email");
            var mail = all!.Cast<JsonElement?>().FirstOrDefault(m => m!.Value.GetProperty("headers").GetProperty("message-id").GetString()!.Contains(caseId));
            if (mail is not null) return mail;
            await Task.Delay(100);
        }
        return null;
    }

    [Fact]
    public async Task Rejection_ReachesTheCitizenThroughSmtp()
    {
        var (host, port) = (Smtp.Split(':')[0], Smtp.Split(':')[1]);
        await using var app = new TestHost("scaled", _tmp.Path, new()
        {
            ["Outbox:Mode"] = "Smtp", ["Outbox:SmtpHost"] = host, ["Outbox:SmtpPort"] = port,
        });
        var portal = app.Portal();
        var pin = "PIN-SMTP-" + Guid.NewGuid().ToString("N")[..8];
        var requestId = await app.CreateRequestAsync(portal, PinType.Dispositivo, pin: pin);
        var caseId = (await (await TestHost.UploadAsync(portal, requestId, Samples.ScannedPdf(1, 620, 877))).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("case_id").GetString()!;
        await app.WaitForStateAsync(caseId, TimeSpan.FromSeconds(60), CaseState.Rejected);

        var mail = await MailFor(caseId);
        Assert.NotNull(mail);
        Assert.Equal("mario.rossi@example.org", mail!.Value.GetProperty("envelope").GetProperty("to")[0].GetProperty("address").GetString());
        Assert.Equal("Richiesta di PIN dispositivo non accolta", mail.Value.GetProperty("subject").GetString());
        Assert.Contains("già di tipo dispositivo", mail.Value.GetProperty("text").GetString());
        Assert.NotNull(Assert.Single(await app.Store.GetOutboxAsync(caseId, unsentOnly: false)).SentAt);
    }
}
