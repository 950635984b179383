using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using VerifyPipeline.Cases;
using VerifyPipeline.Cases.Tests.Storage;
using VerifyPipeline.Rules.Facts;
using VerifyPipeline.Decisions;
using static Microsoft.Playwright.Assertions;

namespace VerifyPipeline.ReviewUi.Tests.Review;

/// <summary>The case page and the queue in Chromium on cases whose stored report comes from the real rules (issue 15): the
/// evidence in Italian with the disagreement highlighted and no JSON for a reviewer, the raw report behind "Dati tecnici"
/// for a supervisor only, and an uncertain signature called "da verificare" in the queue.</summary>
public sealed class EvidencePageTests : IDisposable
{
    private readonly TempDir _tmp = new();
    public void Dispose() => _tmp.Dispose();

    [Fact]
    public async Task CasePage_ShowsTheRelativesCodiceFiscaleInItalian_WithoutJson_AndDatiTecniciOnlyForTheSupervisor()
    {
        await using var host = ReviewFixture.Host("embedded", _tmp.Path);
        await using var browser = await ReviewBrowser.StartAsync(host);
        // The request names the father's codice fiscale (his PIN) with the daughter's name and birth date.
        var caseId = await CaseWithReportAsync(host, "PIN-V-0001", ReportSamples.FatherCf, id => ReportSamples.Facts(ReportSamples.FatherCf, requestId: id, pin: "PIN-V-0001"));

        var page = await browser.SignedInPageAsync($"/cases/{caseId}", height: 1800);
        await Expect(page).ToHaveURLAsync(new Regex($"/cases/{caseId}$"));

        var identity = page.Locator("[data-testid=rules] li[data-rule=identity]");
        await Expect(identity).ToContainTextAsync("non superata");
        await Expect(identity).ToContainTextAsync("I dati anagrafici non corrispondono");
        var differing = identity.Locator("tr.mismatch");
        await Expect(differing.Filter(new() { HasText = "documento" }).Filter(new() { HasText = ReportSamples.Cf })).ToHaveCountAsync(1);
        await Expect(differing.Filter(new() { HasText = "dal codice fiscale" }).Filter(new() { HasText = "03/02/1955" })).ToHaveCountAsync(1);
        await Expect(identity.Locator("[data-testid=cf-decoded]")).ToContainTextAsync("nascita 03/02/1955, sesso maschile, luogo H501");
        await Expect(page.Locator("[data-testid=decision-card]")).ToContainTextAsync("Il sistema propone di respingere");
        await Expect(page.Locator("input[name=reasons][value=IDENTITY_MISMATCH]")).ToBeCheckedAsync();
        await Expect(page.Locator("[data-testid=born]")).ToHaveTextAsync(new Regex("^Nato a Roma il 14/07/1985$")); // the declared code is a man's
        await Expect(page.Locator("[data-testid=technical]")).ToHaveCountAsync(0);
        var text = await page.Locator("body").InnerTextAsync();
        Assert.DoesNotContain("{\"", text);
        Assert.DoesNotContain("\\u", text);
        Assert.DoesNotContain("declared", text);
        await page.ScreenshotAsync(new() { Path = Path.Combine(ReviewBrowser.Screenshots(), "ui-case-identity.png"), FullPage = true });

        // The admin role named in the brief cannot open a case (least privilege: no citizens' documents); the supervisor,
        // who can, sees the report as stored behind the toggle.
        var sup = await browser.SignedInPageAsync($"/cases/{caseId}", "supervisore", height: 1800);
        var technical = sup.Locator("[data-testid=technical]");
        await Expect(technical.Locator("summary")).ToHaveTextAsync("Dati tecnici");
        await technical.Locator("summary").ClickAsync();
        await Expect(technical.Locator("pre")).ToContainTextAsync("\"disagreements\"");
        await Expect(technical.Locator("pre")).ToContainTextAsync("\"other_origin\"");

        // A document-data mismatch (issue 15): the request — so the form printed from it, as read — names another document
        // number than the card's; the card names it in words, the reason comes pre-selected, and no JSON shows.
        var document = await CaseWithReportAsync(host, "PIN-V-0003", ReportSamples.Cf, id => ReportSamples.Facts(ReportSamples.Cf, requestId: id, pin: "PIN-V-0003") is var f
            ? f with
            {
                Declared = f.Declared with { Document = f.Declared.Document! with { Number = OtherNumber } },
                Form = f.Form with { Fields = f.Form.Fields with { DocumentNumber = new Read<string>(OtherNumber, 0.95, new Source(1, "document_number")) } },
            } : null!, documentNumber: OtherNumber);
        await page.GotoAsync($"/cases/{document}");
        await Expect(page.Locator("[data-testid=decision-card]")).ToContainTextAsync("Numero o scadenza del documento non corrispondenti");
        await Expect(page.Locator("input[name=reasons][value=DOCUMENT_DATA_MISMATCH]")).ToBeCheckedAsync();
        await Expect(page.Locator("[data-testid=rules] li[data-rule=document_data]")).ToContainTextAsync(OtherNumber);
        Assert.DoesNotContain("{\"", await page.Locator("body").InnerTextAsync());
        await page.ScreenshotAsync(new() { Path = Path.Combine(ReviewBrowser.Screenshots(), "ui-case-document.png"), FullPage = true });
    }

    private const string OtherNumber = "CA99999ZZ";

    [Fact]
    public async Task Queue_SaysFirmaDaVerificare_ForACaseWhoseOnlyDoubtIsTheSignature()
    {
        await using var host = ReviewFixture.Host("embedded", _tmp.Path);
        await using var browser = await ReviewBrowser.StartAsync(host);
        var caseId = await CaseWithReportAsync(host, "PIN-V-0002", ReportSamples.Cf, id => ReportSamples.Facts(ReportSamples.Cf, signature: 0.88, requestId: id, pin: "PIN-V-0002"));
        Assert.Equal(["SIGNATURE_MISMATCH"], (await host.Store.GetCaseAsync(caseId))!.Reasons);

        var page = await browser.SignedInPageAsync("/queue", height: 1800);
        var row = page.Locator($"tr[data-case='{caseId}']");
        await Expect(row).ToContainTextAsync("Firma da verificare");
        await Expect(row).Not.ToContainTextAsync("diversa");

        await row.Locator("a.case-link").ClickAsync();
        await Expect(page.Locator("[data-testid=signature-verdict]")).ToHaveTextAsync("Firma incerta: somiglianza 0,88; passa da 0,89.");
        await Expect(page.Locator("input[name=reasons][value=SIGNATURE_MISMATCH]")).Not.ToBeCheckedAsync();
        await Expect(page.Locator("[data-testid=timeline]")).ToContainTextAsync("3 pagine lette; Firma da verificare: decide un revisore");
        await Expect(page.Locator("[data-testid=timeline]")).ToContainTextAsync("1,9 MB");
        await Expect(page.Locator("[data-testid=born]")).ToHaveTextAsync(new Regex("^Nata a Roma"));
        Assert.DoesNotContain("{\"", await page.Locator("body").InnerTextAsync());
        await page.ScreenshotAsync(new() { Path = Path.Combine(ReviewBrowser.Screenshots(), "ui-case-signature.png") });
    }

    /// <summary>A request for the sample person (with <paramref name="declaredCf"/>, the PIN's holder), and a case whose
    /// stored report is the real rules' decision on <paramref name="facts"/> — stored as the Decide stage stores it.</summary>
    internal static async Task<string> CaseWithReportAsync(TestHost host, string pin, string declaredCf, Func<string, SubmissionFacts> facts, string documentNumber = ReportSamples.Number)
    {
        var created = await host.Portal().PostAsJsonAsync("/api/requests", new
        {
            pin_reference = pin, codice_fiscale = declaredCf, surname = "Bianchi", given_names = "Giulia", birth_date = "1985-07-14",
            birth_place = "Roma", email = "giulia.bianchi@example.org", phone = "+39 06 0000000",
            document = new { type = "cie", number = documentNumber, issued_by = "Comune di Roma", issue_date = "2021-07-14", expiry_date = "2031-07-14" },
        });
        created.EnsureSuccessStatusCode();
        var requestId = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        await host.Store.UpsertPinAsync(new Pin(pin, declaredCf, PinType.Online, false, DateTimeOffset.UtcNow));
        var f = facts(requestId);
        var decision = ReportSamples.Decide(f);
        var sha = Convert.ToHexString(RandomNumberGenerator.GetBytes(32)).ToLowerInvariant();
        var (c, _) = await host.Store.CreateCaseAsync(new NewCase("portal", Channel.Portal, requestId, new OriginalFile(sha, "richiesta.zip", 2_003_585, FileKind.Zip), null, null));
        await host.Store.TransitionAsync(c.Id, [CaseState.Received], CaseState.Processing, "processing", Actor.Machine("pipeline"), null);
        Assert.True(await host.Store.DecideAsync(c.Id, [CaseState.Processing], new DecisionOutcome(CaseState.InReview, "review", decision.Reasons,
            $"3 page(s) read; {string.Join(", ", decision.Reasons)}: a reviewer decides", null, null) { Report = Assessment.ReportJson(decision, [], facts: f) },
            Actor.Machine("pipeline")));
        return c.Id;
    }
}
