using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using VerifyPipeline.Cases;
using VerifyPipeline.Cases.Tests.Storage;
using VerifyPipeline.ReviewUi.Review;
using VerifyPipeline.Rules.Identity;

namespace VerifyPipeline.ReviewUi.Tests.Review;

/// <summary>Find anything (issue 15) on both backend sets: a case by codice fiscale, surname, request id, PIN reference
/// or part of its id, with a typo in any of them; an unmatched fax's candidates from what was read on it, best first.</summary>
public sealed class ReviewSearchTests : IDisposable
{
    private readonly TempDir _tmp = new();
    public void Dispose() => _tmp.Dispose();
    public static TheoryData<string> Backends => new() { "embedded", "scaled" };

    public static readonly string GiuliaCf = ReportSamples.Cf;
    public static readonly string MarcoCf = CodiceFiscale.Compute("Esposito", "Marco", new DateOnly(1979, 3, 2), 'M', "F839");

    [Theory, MemberData(nameof(Backends))]
    public async Task Search_FindsTheCase_ByEveryKey_AndWithATypo(string backend)
    {
        await using var host = ReviewFixture.Host(backend, _tmp.Path);
        var giulia = await RequestAsync(host, "PIN-S-0001", GiuliaCf, "Bianchi", "Giulia");
        var marco = await RequestAsync(host, "PIN-S-0002", MarcoCf, "Esposito", "Marco");
        var (c, _) = await host.Store.CreateCaseAsync(new NewCase("portal", Channel.Portal, giulia.Id, File(), null, null));
        var search = host.Services.GetRequiredService<ReviewSearch>();

        async Task<SearchRow> Top(string q) => (await search.SearchAsync(q, default)).First();

        Assert.Equal(c.Id, (await Top(GiuliaCf.ToLowerInvariant())).Case?.Id);
        Assert.Equal("codice fiscale", (await Top(GiuliaCf)).Why);
        Assert.Equal(c.Id, (await Top("bianchi")).Case?.Id);
        Assert.Equal(c.Id, (await Top("Giulia Bianchi")).Case?.Id);
        Assert.Equal(c.Id, (await Top(giulia.Id)).Case?.Id);
        Assert.Equal(c.Id, (await Top("pin-s-0001")).Case?.Id);
        Assert.Equal(c.Id, (await Top(ReviewText.Short(c.Id))).Case?.Id); // the 8 characters the queue shows
        Assert.Equal(c.Id, (await Top(c.Id[..10])).Case?.Id);

        // One character wrong (or one left out) still finds it, and says so.
        var slip = (await Top(Typo(giulia.Id)));
        Assert.Equal(c.Id, slip.Case?.Id);
        Assert.Equal(1, slip.Distance);
        Assert.Contains("1 carattere diverso", slip.Why);
        Assert.Equal(c.Id, (await Top(GiuliaCf[..15])).Case?.Id);
        Assert.Equal(c.Id, (await Top("Bianchii")).Case?.Id);

        // A request no file has arrived for is found too; a name nobody has finds nothing.
        var waiting = Assert.Single(await search.SearchAsync("esposito", default));
        Assert.Null(waiting.Case);
        Assert.Equal(marco.Id, waiting.Request?.Id);
        Assert.Contains("nessun file ricevuto", waiting.Why);
        Assert.Empty(await search.SearchAsync("Verdi", default));
        Assert.Empty(await search.SearchAsync("x", default));
    }

    [Theory, MemberData(nameof(Backends))]
    public async Task FaxCandidates_PutTheVerifiedQrFirst_AndFindAMisreadCodiceFiscale(string backend)
    {
        await using var host = ReviewFixture.Host(backend, _tmp.Path);
        var giulia = await RequestAsync(host, "PIN-S-0011", GiuliaCf, "Bianchi", "Giulia");
        var marco = await RequestAsync(host, "PIN-S-0012", MarcoCf, "Esposito", "Marco");
        var search = host.Services.GetRequiredService<ReviewSearch>();

        // The QR of Giulia's form, verified: her request first; the names read point nowhere else.
        var report = ReportSamples.Report(ReportSamples.Facts(GiuliaCf, requestId: giulia.Id));
        var clues = FaxClues.From(report);
        Assert.Equal(giulia.Id, clues.QrRequestId);
        Assert.True(clues.QrVerified);
        var first = (await search.FaxCandidatesAsync(clues, default)).First();
        Assert.Equal(giulia.Id, first.Request.Id);
        Assert.Contains(first.Why, w => w.StartsWith("QR del modulo autentico"));
        Assert.Contains(first.Why, w => w.StartsWith("codice fiscale letto sul documento"));

        // No QR, and Marco's codice fiscale misread by one character (a digit of the birth year): his request is offered, saying so.
        var misread = MarcoCf[..7] + (MarcoCf[7] == '7' ? '1' : '7') + MarcoCf[8..];
        var noQr = new FaxClues(null, false, null, [(misread, 2, "sul documento")], []);
        var candidate = Assert.Single(await search.FaxCandidatesAsync(noQr, default));
        Assert.Equal(marco.Id, candidate.Request.Id);
        Assert.Contains("1 carattere diverso", Assert.Single(candidate.Why));
        Assert.False(candidate.HasOpenCase);

        Assert.Empty(await search.FaxCandidatesAsync(FaxClues.None, default));
        Assert.Same(FaxClues.None, FaxClues.From("not json"));
    }

    [Theory]
    [InlineData("kitten", "sitting", 3)]
    [InlineData("RSSMRA80A01H501U", "RSSMRA80A01H501U", 0)]
    [InlineData("RSSMRA80A01H501U", "RSSMRA80A01H5O1U", 1)]
    [InlineData("abc", "abcdefgh", 4)]
    public void Levenshtein_CountsEdits_AndStopsPastThree(string a, string b, int expected) =>
        Assert.Equal(expected, ReviewSearch.Levenshtein(a, b));

    private static string Typo(string id) => id[..20] + (id[20] == 'a' ? 'b' : 'a') + id[21..];

    private static OriginalFile File() =>
        new(Convert.ToHexString(RandomNumberGenerator.GetBytes(32)).ToLowerInvariant(), "richiesta.pdf", 120_000, FileKind.Pdf);

    internal static async Task<ConversionRequest> RequestAsync(TestHost host, string pin, string cf, string surname, string given)
    {
        var r = new ConversionRequest(CaseStore.NewId(), "portal", DateTimeOffset.UtcNow, new RequestData(pin, cf, surname, given, new DateOnly(1985, 7, 14),
            "Roma", $"{given.ToLowerInvariant()}.{surname.ToLowerInvariant()}@example.org", null, new DeclaredDocument("cie", "CA12345XY", "Comune di Roma", null, new DateOnly(2031, 7, 14))));
        await host.Store.CreateRequestAsync(r);
        return r;
    }
}
