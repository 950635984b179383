using System.Text.Json;
using VerifyPipeline.Cases;
using VerifyPipeline.Cases.Tests.Storage;

namespace VerifyPipeline.ReviewUi.Tests;

/// <summary>The fax gateway's drop folder: stable files only, claimed atomically, sidecar kept, bad files quarantined,
/// files dropped while the service was down taken at start-up.</summary>
public sealed class FaxInboxTests : IDisposable
{
    private readonly TempDir _tmp = new();
    public void Dispose() => _tmp.Dispose();
    private string Inbox => Path.Combine(_tmp.Path, "fax-inbox");
    private string Quarantine => Path.Combine(_tmp.Path, "fax-quarantine");
    private static string FaxTiff => Path.Combine(Samples.SharedTestData, "02_fax_tiff", "libtiff__testfax4.tiff");

    private static async Task<Case> WaitForFaxCaseAsync(TestHost host, int count = 1)
    {
        for (var i = 0; i < 300; i++)
        {
            var cases = await host.Store.ListCasesAsync("fax-gateway", Channel.Fax, null, 10);
            if (cases.Count >= count) return cases[0];
            await Task.Delay(100);
        }
        throw new TimeoutException("No fax case was created.");
    }

    [Theory]
    [InlineData("embedded")]
    [InlineData("scaled")]
    public async Task DroppedFax_BecomesUnmatchedCaseWithPages_AndSidecarIsKept(string backend)
    {
        await using var host = new TestHost(backend, _tmp.Path);
        _ = host.Services; // start
        Directory.CreateDirectory(Inbox);
        await File.WriteAllTextAsync(Path.Combine(Inbox, "fax-0001.json"), """{"caller":"+39 06 0000001","received_at":"2026-11-23T09:00:00Z"}""");
        File.Copy(FaxTiff, Path.Combine(Inbox, "fax-0001.tif"));

        var c = await WaitForFaxCaseAsync(host);
        c = await host.WaitForStateAsync(c.Id, TimeSpan.FromSeconds(60), CaseState.InReview, CaseState.NeedsAttention, CaseState.Rejected);
        Assert.Equal(CaseState.InReview, c.State);
        Assert.Null(c.RequestId);
        Assert.Equal("fax-0001.tif", c.Original.FileName);
        Assert.NotEmpty(c.Pages!);
        Assert.Equal("+39 06 0000001", JsonDocument.Parse(c.SourceMeta!).RootElement.GetProperty("caller").GetString());
        // removed from the inbox only after it was stored
        Assert.Empty(Directory.EnumerateFiles(Inbox, "*", SearchOption.AllDirectories));
        Assert.True(await host.Blobs.ExistsAsync(c.Original.BlobKey));
    }

    [Theory]
    [InlineData("fax-204x98-g3-passport-ok.tif")]
    [InlineData("fax-204x196-g4-cie-ok.tif")]
    public async Task FaxWithTheForm_IsMatchedToItsRequestByTheQrCode(string sample)
    {
        var submissions = Path.Combine(Samples.RepoRoot(), "tests", "TestData", "submissions");
        var label = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(submissions, sample + ".expected.json"))).RootElement;
        var declared = label.GetProperty("request");
        // the committed samples are signed with the development key (docs/corpus.md)
        await using var host = new TestHost("embedded", _tmp.Path, new() { ["Forms:HmacKey"] = VerifyPipeline.Cases.Forms.FormQr.DevelopmentKey });
        var data = JsonSerializer.Deserialize<RequestData>(declared.GetRawText(), new JsonSerializerOptions(JsonSerializerDefaults.Web) { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower })!;
        var requestId = declared.GetProperty("id").GetString()!;
        await host.Store.CreateRequestAsync(new ConversionRequest(requestId, "portal", DateTimeOffset.UtcNow, data));
        await host.Store.UpsertPinAsync(new Pin(data.PinReference, data.CodiceFiscale, PinType.Online, false, DateTimeOffset.UtcNow));
        Directory.CreateDirectory(Inbox);
        File.Copy(Path.Combine(submissions, sample), Path.Combine(Inbox, "incoming.tif"));

        var c = await WaitForFaxCaseAsync(host);
        c = await host.WaitForStateAsync(c.Id, TimeSpan.FromSeconds(60), CaseState.InReview, CaseState.Approved, CaseState.Rejected, CaseState.NeedsAttention);
        Assert.Equal(requestId, c.RequestId);
        var matched = Assert.Single(await host.Store.GetEventsAsync(c.Id), e => e.Kind == "matched");
        Assert.Contains("QR code", matched.Detail);
        // matched, then read and decided like any upload: approved by the machine or with a reviewer, never rejected
        Assert.Contains(c.State, new[] { CaseState.InReview, CaseState.Approved });
        Assert.Equal("pass", JsonDocument.Parse(c.Report!).RootElement.GetProperty("rules")[0].GetProperty("verdict").GetString());
    }

    [Fact]
    public async Task FaxDroppedWhileDown_IsTakenAtStart()
    {
        Directory.CreateDirectory(Inbox);
        File.Copy(FaxTiff, Path.Combine(Inbox, "while-down.tif"));
        File.SetLastWriteTimeUtc(Path.Combine(Inbox, "while-down.tif"), DateTime.UtcNow.AddMinutes(-5));
        await using var host = new TestHost("embedded", _tmp.Path);
        _ = host.Services;
        var c = await WaitForFaxCaseAsync(host);
        Assert.Equal("while-down.tif", c.Original.FileName);
    }

    [Fact]
    public async Task FileStillBeingWritten_IsNotTakenUntilStable()
    {
        await using var host = new TestHost("embedded", _tmp.Path, new() { ["Ingest:FaxInbox:StableFor"] = "00:00:01.500" });
        _ = host.Services;
        Directory.CreateDirectory(Inbox);
        var bytes = await File.ReadAllBytesAsync(FaxTiff);
        var path = Path.Combine(Inbox, "growing.tif");
        await using (var f = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.Read))
        {
            // the gateway writes slowly: half now, the rest after a pause longer than a poll but shorter than StableFor
            await f.WriteAsync(bytes.AsMemory(0, bytes.Length / 2));
            await f.FlushAsync();
            await Task.Delay(900);
            Assert.True(File.Exists(path));
            Assert.Empty(await host.Store.ListCasesAsync("fax-gateway", null, null, 10));
            await f.WriteAsync(bytes.AsMemory(bytes.Length / 2));
        }
        var c = await WaitForFaxCaseAsync(host);
        Assert.Equal(bytes.Length, c.Original.SizeBytes);
    }

    [Fact]
    public async Task UnsupportedFile_IsQuarantinedWithReason()
    {
        await using var host = new TestHost("embedded", _tmp.Path);
        _ = host.Services;
        Directory.CreateDirectory(Inbox);
        await File.WriteAllTextAsync(Path.Combine(Inbox, "note.txt"), "not a fax");
        for (var i = 0; i < 100 && !(Directory.Exists(Quarantine) && Directory.EnumerateFiles(Quarantine, "*.reason.txt").Any()); i++) await Task.Delay(100);
        var quarantined = Directory.EnumerateFiles(Quarantine).Select(Path.GetFileName).ToList();
        var kept = Assert.Single(quarantined, n => n!.EndsWith("note.txt", StringComparison.Ordinal));
        var reason = await File.ReadAllTextAsync(Path.Combine(Quarantine, kept + ".reason.txt"));
        Assert.Contains("UNREADABLE_FILE", reason);
        Assert.Empty(await host.Store.ListCasesAsync(null, null, null, 10));
    }

    [Fact]
    public async Task FileLeftClaimedByACrash_IsTakenOnce()
    {
        // A crash after the claim rename but before the case was created leaves the file in .claimed/.
        var claimed = Path.Combine(Inbox, ".claimed");
        Directory.CreateDirectory(claimed);
        File.Copy(FaxTiff, Path.Combine(claimed, "20261123T090000000-abc__crashed.tif"));
        await using var host = new TestHost("embedded", _tmp.Path);
        _ = host.Services;
        var c = await WaitForFaxCaseAsync(host);
        Assert.Equal("crashed.tif", c.Original.FileName);
        await Task.Delay(500);
        Assert.Single(await host.Store.ListCasesAsync("fax-gateway", null, null, 10));
        Assert.Empty(Directory.EnumerateFiles(claimed));
    }
}
