using VerifyPipeline.Cases;
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
}
