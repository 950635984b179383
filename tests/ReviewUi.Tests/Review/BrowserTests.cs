using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using VerifyPipeline.Cases;
using VerifyPipeline.Cases.Tests.Storage;
using static Microsoft.Playwright.Assertions;

namespace VerifyPipeline.ReviewUi.Tests.Review;

/// <summary>The review desk in Debian's Chromium against the app on a real Kestrel server (loopback), on both backend
/// sets: sign in, queue, case, zoom, a four-eyes rejection confirmed by a second reviewer, an approval by keyboard,
/// the supervisor's figures, a refused admin page and a refused forged POST. Screenshots go to the test output folder
/// (screenshots/&lt;backend&gt;/); a few are kept in docs/.</summary>
public sealed class BrowserTests : IDisposable
{
    private readonly TempDir _tmp = new();
    public void Dispose() => _tmp.Dispose();
    public static TheoryData<string> Backends => new() { "embedded", "scaled" };

    [Theory, MemberData(nameof(Backends))]
    public async Task Reviewers_RejectWithFourEyes_ApproveByKeyboard_AndSupervisorSeesFigures(string backend)
    {
        await using var host = ReviewFixture.Host(backend, _tmp.Path);
        await using var browser = await ReviewBrowser.StartAsync(host);
        // The first case looks like a real submission: the request form we issue (synthetic person) and a second scan, zipped.
        var form = await File.ReadAllBytesAsync(Path.Combine(Samples.RepoRoot(), "docs", "form-example.png"));
        var (first, _) = await ReviewFixture.InReviewCaseAsync(host, "PIN-B-0001",
            file: Samples.Zip(("modulo.png", form), ("documento.png", Samples.Png(856, 540, seed: 5))), name: "richiesta.zip");
        var (second, _) = await ReviewFixture.InReviewCaseAsync(host, "PIN-B-0002", pages: 1);
        // Also in the queue: a case the pipeline gave up on, and a fax nobody has matched to a request yet.
        var (stuck, _) = await ReviewFixture.InReviewCaseAsync(host, "PIN-B-0003", pages: 1);
        await host.Store.MarkNeedsAttentionAsync(stuck, "Stage decide failed after all retries: TimeoutException: OCR engine did not answer", Actor.Machine("pipeline"));
        var (fax, _) = await host.Store.CreateCaseAsync(new NewCase("fax-gateway", Channel.Fax, null,
            new OriginalFile(new string('f', 64), "fax-20261123-0001.tif", 48_213, FileKind.Tiff), null, null));
        await host.Store.TransitionAsync(fax.Id, [CaseState.Received], CaseState.Processing, "processing", Actor.Machine("pipeline"), null);
        await host.Store.DecideAsync(fax.Id, [CaseState.Processing], new DecisionOutcome(CaseState.InReview, "review", ["UNREADABLE_FILE"],
            "UNREADABLE_FILE: the fax could not be read (unmatched fax: nobody to notify, a reviewer decides)", null, null), Actor.Machine("pipeline"));
        var shots = ReviewBrowser.Screenshots(backend);

        // --- revisore1: sign in, the queue, the oldest case, zoom and rotate a page, propose a SIGNATURE_MISMATCH rejection
        await using var ctx1 = await browser.ContextAsync();
        var r1 = await ctx1.NewPageAsync();
        r1.Dialog += (_, d) => d.AcceptAsync();
        await r1.GotoAsync("/queue");
        await Expect(r1).ToHaveURLAsync(new Regex("/login\\?returnUrl=%2Fqueue$"));
        await ReviewBrowser.SignInAsync(r1, "revisore1");
        await Expect(r1).ToHaveURLAsync(new Regex("/queue$"));
        await Expect(r1.Locator($"tr[data-case='{first}']")).ToBeVisibleAsync();
        await Expect(r1.Locator($"tr[data-case='{second}']")).ToBeVisibleAsync();
        var counts = r1.Locator("[data-testid=counts]");
        await Expect(counts).ToContainTextAsync("3 in revisione");
        await Expect(counts).ToContainTextAsync("1 richiedono intervento");
        await Expect(counts).ToContainTextAsync("1 fax non abbinati");
        await Expect(r1.Locator($"tr[data-case='{fax.Id}']")).ToContainTextAsync("non abbinato");
        await r1.ScreenshotAsync(new() { Path = Path.Combine(shots, "ui-queue.png"), FullPage = true });

        await r1.Locator($"tr[data-case='{first}'] a.case-link").ClickAsync();
        await Expect(r1).ToHaveURLAsync(new Regex($"/cases/{first}$"));
        var viewer = r1.Locator("[data-viewer]");
        await Expect(viewer).ToHaveAttributeAsync("data-zoom", new Regex("^\\d+$"));
        await r1.WaitForFunctionAsync("() => document.querySelector('[data-page-image]').naturalWidth > 0");
        var fitted = int.Parse((await viewer.GetAttributeAsync("data-zoom"))!);
        await r1.Keyboard.PressAsync("+");
        await r1.Keyboard.PressAsync("+");
        var zoomed = int.Parse((await viewer.GetAttributeAsync("data-zoom"))!);
        Assert.True(zoomed > fitted * 1.4, $"zoom went from {fitted}% to {zoomed}%");
        await r1.ClickAsync("[data-act=rotate-right]");
        await Expect(viewer).ToHaveAttributeAsync("data-rotation", "90");
        await r1.Keyboard.PressAsync("]");
        await r1.Keyboard.PressAsync("]");
        await r1.Keyboard.PressAsync("]");
        await r1.Keyboard.PressAsync("0");
        await Expect(viewer).ToHaveAttributeAsync("data-rotation", "0");
        await r1.ClickAsync("[data-goto='2'][data-src]");
        await Expect(viewer).ToHaveAttributeAsync("data-page", "2");
        await r1.Keyboard.PressAsync("k");
        await Expect(viewer).ToHaveAttributeAsync("data-page", "1");
        await r1.ScreenshotAsync(new() { Path = Path.Combine(shots, "ui-case.png") });

        await r1.Keyboard.PressAsync("r");
        await Expect(r1.Locator("#reject-panel")).ToHaveAttributeAsync("open", "");
        // The reasons the machine proposes come pre-ticked; this reviewer rejects for the signature alone.
        var ticked = r1.Locator("input[name=reasons]:checked");
        while (await ticked.CountAsync() > 0) await ticked.First.UncheckAsync();
        await r1.CheckAsync("input[name=reasons][value=SIGNATURE_MISMATCH]");
        await r1.FillAsync("#reject-form textarea[name=note]", "Firma del modulo molto diversa da quella della carta d'identità.");
        await r1.ScreenshotAsync(new() { Path = Path.Combine(shots, "ui-reject.png") });
        await r1.ClickAsync("[data-testid=reject]");
        // The proposal needs a second reviewer; the next case opens straight away.
        await Expect(r1).ToHaveURLAsync(new Regex($"/cases/{second}$"));
        await Expect(r1.Locator("[data-testid=flash]")).ToContainTextAsync("serve la conferma di un secondo revisore");
        Assert.Equal(CaseState.InReview, (await host.Store.GetCaseAsync(first))!.State);
        Assert.Equal("revisore1", (await host.Store.GetPendingDecisionAsync(first))!.ProposedBy);

        // --- the second case is approved with the keyboard: PIN dispositivo and the citizen's message
        // Shown, not claimed: the claim comes with the first action (issue 15).
        await Expect(r1.Locator("[data-testid=claim]")).ToContainTextAsync("Libera");
        await r1.Keyboard.PressAsync("a");
        // ... and the next open case follows: the one that needs attention, with its error and the retry action.
        await Expect(r1).ToHaveURLAsync(new Regex($"/cases/{stuck}$"));
        await Expect(r1.Locator("[data-testid=flash]")).ToContainTextAsync("approvata");
        await Expect(r1.Locator("[data-testid=error]")).ToContainTextAsync("TimeoutException");
        await Expect(r1.Locator("[data-testid=retry]")).ToBeVisibleAsync();
        Assert.Equal(CaseState.Approved, (await host.Store.GetCaseAsync(second))!.State);
        Assert.Equal(PinType.Dispositivo, (await host.Store.GetPinAsync("PIN-B-0002"))!.Type);
        Assert.Contains("è ora di tipo dispositivo", Assert.Single(await host.Store.GetOutboxAsync(second, unsentOnly: false)).Body);

        // The proposer cannot confirm their own proposal.
        await r1.GotoAsync($"/cases/{first}");
        await Expect(r1.Locator("[data-testid=pending]")).ToContainTextAsync("Serve la conferma di un altro revisore");
        await Expect(r1.Locator("[data-testid=confirm]")).ToHaveCountAsync(0);

        // A reviewer cannot open the admin pages.
        var hangfire = await r1.GotoAsync("/hangfire");
        Assert.Equal(403, hangfire!.Status);
        await Expect(r1.Locator("h1")).ToHaveTextAsync("Accesso negato");
        var supervision = await r1.GotoAsync("/supervision");
        Assert.Equal(403, supervision!.Status);

        // A POST without the anti-forgery token is refused, even with a valid session cookie.
        var forged = await ctx1.APIRequest.PostAsync($"/cases/{first}/Confirm", new() { Form = ctx1.APIRequest.CreateFormData().Set("note", "x"), MaxRedirects = 0 });
        Assert.Equal(400, forged.Status);

        // --- revisore2 confirms: the case is Rejected and the outbox holds the letter
        await using var ctx2 = await browser.ContextAsync();
        var r2 = await ctx2.NewPageAsync();
        r2.Dialog += (_, d) => d.AcceptAsync();
        await r2.GotoAsync("/login");
        await ReviewBrowser.SignInAsync(r2, "revisore2");
        await r2.GotoAsync("/queue?state=four-eyes");
        await Expect(r2.Locator($"tr[data-case='{first}']")).ToContainTextAsync("da confermare");
        await r2.Locator($"tr[data-case='{first}'] a.case-link").ClickAsync();
        await Expect(r2.Locator("[data-testid=pending]")).ToContainTextAsync("revisore1");
        await r2.ScreenshotAsync(new() { Path = Path.Combine(shots, "ui-four-eyes.png") });
        await r2.ClickAsync("[data-testid=confirm]");
        await Expect(r2.Locator("[data-testid=flash]")).ToContainTextAsync("respinta");
        var rejected = (await host.Store.GetCaseAsync(first))!;
        Assert.Equal(CaseState.Rejected, rejected.State);
        Assert.Equal(["SIGNATURE_MISMATCH"], rejected.Reasons);
        var letter = Assert.Single(await host.Store.GetOutboxAsync(first, unsentOnly: false));
        Assert.Equal("mario.rossi@example.org", letter.Recipient);
        Assert.Contains("La firma apposta sul modulo non corrisponde", letter.Body);
        Assert.Equal(PinType.Online, (await host.Store.GetPinAsync("PIN-B-0001"))!.Type);
        var events = await host.Store.GetEventsAsync(first);
        Assert.Contains(events, e => e.Kind == "proposed" && e.By == Actor.Person("revisore1"));
        var decided = Assert.Single(events, e => e.Kind == "decided" && e.State == CaseState.Rejected);
        Assert.Equal(Actor.Person("revisore2"), decided.By);
        Assert.Contains("proposto da revisore1, confermato da revisore2", decided.Detail);
        await r2.GotoAsync($"/cases/{first}");
        await Expect(r2.Locator("[data-testid=case-state]")).ToHaveTextAsync("Respinta");
        await Expect(r2.Locator("[data-testid=timeline]")).ToContainTextAsync("Rifiuto proposto (quattro occhi)");

        // --- the supervisor's figures; the admin's job dashboard
        await using var ctx3 = await browser.ContextAsync();
        var sup = await ctx3.NewPageAsync();
        await sup.GotoAsync("/login");
        await ReviewBrowser.SignInAsync(sup, "supervisore");
        await sup.GotoAsync("/supervision");
        await Expect(sup.Locator("[data-testid=throughput]")).ToContainTextAsync("revisore2");
        await Expect(sup.Locator("[data-testid=per-state] td[data-state=Rejected]")).ToHaveTextAsync("1");
        await Expect(sup.Locator("[data-testid=automation]")).ToHaveTextAsync(new Regex("^0\\s?%$"));
        await sup.ScreenshotAsync(new() { Path = Path.Combine(shots, "ui-supervision.png"), FullPage = true });

        await using var ctx4 = await browser.ContextAsync();
        var admin = await ctx4.NewPageAsync();
        await admin.GotoAsync("/login");
        await ReviewBrowser.SignInAsync(admin, "admin");
        var dashboard = await admin.GotoAsync("/hangfire");
        Assert.Equal(200, dashboard!.Status);
        await Expect(admin.Locator("body")).ToContainTextAsync("VerifyPipeline — lavori in corso");
    }

    /// <summary>A case the machine read (a faxed CIE whose signature is borderline): the fields beside what was declared,
    /// the two signature crops side by side, and a misread value corrected from the page — the rules run again.</summary>
    [Fact]
    public async Task Reviewer_SeesTheReadingEvidence_AndCorrectsAMisreadValue()
    {
        await using var host = ReviewFixture.Host("embedded", _tmp.Path, new() { ["Forms:HmacKey"] = VerifyPipeline.Cases.Forms.FormQr.DevelopmentKey });
        await using var browser = await ReviewBrowser.StartAsync(host);
        var sample = Path.Combine(Samples.RepoRoot(), "tests", "TestData", "submissions", "fax-204x98-g3-cie-signature-skilled-forgery.tif");
        var (caseId, _) = await ReviewFixture.InReviewCaseAsync(host, "PIN-E-0001", file: await File.ReadAllBytesAsync(sample), name: "fax.tif");
        var shots = ReviewBrowser.Screenshots();

        var page = await browser.SignedInPageAsync($"/cases/{caseId}", height: 1800);
        await Expect(page).ToHaveURLAsync(new Regex($"/cases/{caseId}$"));
        await Expect(page.Locator("[data-testid=fields]")).ToContainTextAsync("CB"); // the CIE number read (MRZ)
        await Expect(page.Locator("[data-testid=rules] li[data-rule=signature]")).ToContainTextAsync("somiglianza");
        foreach (var which in new[] { "form", "document" })
            await page.WaitForFunctionAsync($"() => [...document.querySelectorAll('[data-testid=signatures] img')].some(i => i.src.endsWith('/signatures/{which}') && i.naturalWidth > 0)");
        await page.ScreenshotAsync(new() { Path = Path.Combine(shots, "ui-case-evidence.png"), FullPage = true });

        await page.SelectOptionAsync("[data-testid=correct] select[name=field]", "document_number");
        await page.FillAsync("[data-testid=correct] input[name=value]", "CA00000AA");
        await page.ClickAsync("[data-testid=correct] button[type=submit]");
        await Expect(page.Locator("[data-testid=flash]")).ToContainTextAsync("Campo corretto e verifiche ripetute");
        await Expect(page.Locator("[data-testid=timeline]")).ToContainTextAsync("Valore corretto, verifiche ripetute");
        await Expect(page.Locator("[data-testid=fields]")).ToContainTextAsync("CA00000AA");
        Assert.Equal(CaseState.InReview, (await host.Store.GetCaseAsync(caseId))!.State);
    }
}
