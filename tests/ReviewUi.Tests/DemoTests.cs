using VerifyPipeline.Cases;
using VerifyPipeline.Cases.Forms;
using VerifyPipeline.Cases.Tests.Storage;
using VerifyPipeline.Cli;
using VerifyPipeline.Corpus;

namespace VerifyPipeline.ReviewUi.Tests;

/// <summary><c>verify demo</c> against the whole system in-process: synthetic PINs imported into the local directory,
/// requests created through the API, each request's own form fetched, signed and uploaded with a document — and the
/// machine approves one through the API, as a newcomer would see it.</summary>
public sealed class DemoTests : IDisposable
{
    private readonly TempDir _tmp = new();
    public void Dispose() => _tmp.Dispose();

    [Fact]
    public async Task Demo_ApprovesAtLeastOneRequestThroughTheApi_WithTheFormTheApiPrinted()
    {
        await using var host = new TestHost("embedded", _tmp.Path);
        var result = await DemoCommand.RunAsync(host.Portal(), host.Store, new DemoCommand.Options(3, 7, CorpusProfile.Realistic, TimeSpan.FromMinutes(6)),
            TextWriter.Null, CancellationToken.None);

        Assert.Equal(3, result.Cases.Count(c => c.CaseId is not null));
        Assert.NotNull(result.SecondsUntilAllDecided);
        Assert.Contains(result.Cases, c => c.State == "Approved");
        var approved = result.Cases.First(c => c.State == "Approved");
        Assert.Equal("approve", approved.Expected);
        // approved by the machine, its PIN (imported by the demo) marked dispositivo in the same transaction
        var request = (await host.Store.GetRequestAsync(approved.RequestId!))!;
        Assert.Equal(PinType.Dispositivo, (await host.Store.GetPinAsync(request.Data.PinReference))!.Type);
        var decided = (await host.Store.GetEventsAsync(approved.CaseId!)).Single(e => e.Kind == "decided");
        Assert.Equal(ActorKind.Machine, decided.By.Kind);
    }

    [Fact]
    public async Task Demo_DropsAFaxIntoTheInbox_WhichTheHostTakesAndMatchesToItsRequestByTheQrCode()
    {
        await using var host = new TestHost("embedded", _tmp.Path);
        // A seed whose first fax capture has no defect, so its form carries a readable QR (planning only: nothing drawn).
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var seed = Enumerable.Range(1, 500).First(s =>
            DemoCommand.Choose(new CorpusOptions(1, s, CorpusProfile.Realistic, today, FormQr.DevelopmentKey), 1, faxes: 1) is [var only] && only.Fax && only.Plan.Defects.Count == 0);
        var inbox = Path.Combine(_tmp.Path, "fax-inbox");

        var result = await DemoCommand.RunAsync(host.Portal(), host.Store, new DemoCommand.Options(1, seed, CorpusProfile.Realistic, TimeSpan.FromMinutes(6), Faxes: 1, FaxInbox: inbox),
            TextWriter.Null, CancellationToken.None, host.Fax());

        var fax = Assert.Single(result.Cases);
        Assert.Equal("fax", fax.Channel);
        Assert.NotNull(fax.CaseId);
        Assert.False(fax.Open, $"the fax's case is still {fax.State}");
        Assert.True(fax.MatchedToItsRequest, $"the fax was not matched to request {fax.RequestId}: {fax.State} {string.Join(",", fax.Reasons)}");
        var c = (await host.Store.GetCaseAsync(fax.CaseId!))!;
        Assert.Equal(Channel.Fax, c.Channel);
        Assert.Equal("fax-gateway", c.Client);
        Assert.Empty(Directory.EnumerateFiles(inbox)); // the fax and its sidecar were taken, nothing quarantined
        Assert.False(Directory.Exists(Path.Combine(_tmp.Path, "fax-quarantine")) && Directory.EnumerateFileSystemEntries(Path.Combine(_tmp.Path, "fax-quarantine")).Any());
    }
}
