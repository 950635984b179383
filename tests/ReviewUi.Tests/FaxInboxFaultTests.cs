using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using VerifyPipeline.Cases;
using VerifyPipeline.Cases.Tests.Storage;
using VerifyPipeline.Ingest;
using VerifyPipeline.ReviewUi.Tests.Review;

namespace VerifyPipeline.ReviewUi.Tests;

/// <summary>The fax inbox's faults from issue 11, each on the real host: what the gateway (or anyone who can write the
/// folder) may leave there must never stop the watcher, never be read through a link, and never wait silently forever.</summary>
public sealed class FaxInboxFaultTests : IDisposable
{
    private readonly TempDir _tmp = new();
    public void Dispose() => _tmp.Dispose();
    private string Inbox => Path.Combine(_tmp.Path, "fax-inbox");
    private string Quarantine => Path.Combine(_tmp.Path, "fax-quarantine");
    private static string FaxTiff => Path.Combine(Samples.SharedTestData, "02_fax_tiff", "libtiff__testfax4.tiff");

    private static async Task<T> WaitFor<T>(Func<Task<T?>> probe, string what, int seconds = 30) where T : class
    {
        var until = DateTime.UtcNow.AddSeconds(seconds);
        while (DateTime.UtcNow < until)
        {
            if (await probe() is { } found) return found;
            await Task.Delay(100);
        }
        throw new TimeoutException($"Waited {seconds} s for {what}.");
    }

    private static Task<Case> FaxCaseAsync(TestHost host, int count = 1) => WaitFor(async () =>
    {
        var cases = await host.Store.ListCasesAsync("fax-gateway", Channel.Fax, null, 10);
        return cases.Count >= count ? cases[0] : null;
    }, $"{count} fax case(s)");

    /// <summary>The reason written for the quarantined entry whose name ends with <paramref name="name"/>.</summary>
    private Task<string> ReasonForAsync(string name) => WaitFor(async () =>
    {
        if (!Directory.Exists(Quarantine)) return null;
        var reason = Directory.EnumerateFiles(Quarantine, "*.reason.txt").FirstOrDefault(r => r.EndsWith(name + ".reason.txt", StringComparison.Ordinal));
        return reason is null ? null : await File.ReadAllTextAsync(reason);
    }, $"{name} in quarantine");

    private static void MakeFifo(string path)
    {
        using var p = Process.Start(new ProcessStartInfo("mkfifo", [path]) { UseShellExecute = false })!;
        p.WaitForExit();
        Assert.Equal(0, p.ExitCode);
    }

    /// <summary>Waits until the watcher has seen that many files waiting (ages count from then, in the host's clock).</summary>
    private static Task SeenAsync(TestHost host, int count) =>
        WaitFor(() => Task.FromResult(host.Services.GetRequiredService<FaxInbox>().WaitingFiles == count ? "" : null), $"{count} file(s) seen");

    private static async Task<string?> HealthOfFaxInboxAsync(TestHost host)
    {
        // 503 when a check is unhealthy: the body says which (just after the test moves the clock, the last pass looks old)
        var ready = await (await host.CreateClient().GetAsync("/health/ready")).Content.ReadFromJsonAsync<JsonElement>();
        return ready.GetProperty("checks").GetProperty("fax_inbox").GetProperty("status").GetString();
    }

    [Fact]
    public async Task FifoDroppedWithAGoodFax_IsQuarantinedUnopened_AndTheFaxesAroundItBecomeCases()
    {
        await using var host = new TestHost("embedded", _tmp.Path);
        _ = host.Services;
        Directory.CreateDirectory(Inbox);
        MakeFifo(Path.Combine(Inbox, "pipe.tif")); // opening it for reading would block until someone writes
        File.Copy(FaxTiff, Path.Combine(Inbox, "good.tif"));

        var reason = await ReasonForAsync("pipe.tif");
        Assert.Contains("NOT_A_REGULAR_FILE", reason);
        Assert.Contains("FIFO", reason);
        Assert.Equal("good.tif", (await FaxCaseAsync(host)).Original.FileName);

        // the watcher is still alive: a fax dropped after the FIFO is taken too, and the inbox is reported healthy
        File.Copy(FaxTiff, Path.Combine(Inbox, "later.tif"));
        Assert.Equal("later.tif", (await FaxCaseAsync(host, 2)).Original.FileName);
        Assert.Equal("Healthy", await HealthOfFaxInboxAsync(host));
        Assert.Equal([".claimed"], Directory.EnumerateFileSystemEntries(Inbox).Select(Path.GetFileName));
    }

    [Fact]
    public async Task FaxWithA244CharacterName_BecomesACase_WithTheWholeNameInItsSourceMetadata()
    {
        await using var host = new TestHost("embedded", _tmp.Path);
        _ = host.Services;
        Directory.CreateDirectory(Inbox);
        var name = new string('f', 240) + ".tif";
        Assert.Equal(244, name.Length);
        File.Copy(FaxTiff, Path.Combine(Inbox, name));

        var c = await FaxCaseAsync(host);
        Assert.Equal(name, JsonDocument.Parse(c.SourceMeta!).RootElement.GetProperty("original_name").GetString());
        Assert.StartsWith("ffff", c.Original.FileName);
        Assert.DoesNotContain(host.Logs, l => l.Contains("Could not claim", StringComparison.Ordinal) || l.Contains("could not be handled", StringComparison.Ordinal));
    }

    [Fact]
    public async Task TemporaryNames_AreWaitedFor_ThenQuarantinedWithAReasonAfterAbandonedAfter()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var host = new TestHost("embedded", _tmp.Path, new() { ["Ingest:FaxInbox:AlertAfter"] = "00:10:00" }) { Clock = clock };
        _ = host.Services;
        Directory.CreateDirectory(Inbox);
        string[] names = [".fax-1.tif", "fax-2.tif.tmp", "fax-3.tif.part"];
        foreach (var n in names) File.Copy(FaxTiff, Path.Combine(Inbox, n));
        await SeenAsync(host, 3);

        // 30 minutes on: still being written as far as anyone can tell, so they wait (the alert shows the watcher saw them)
        clock.Advance(TimeSpan.FromMinutes(30));
        await WaitFor(() => Task.FromResult(host.Logs.Count(l => l.Contains("without being taken", StringComparison.Ordinal)) == 3 ? "" : null), "three alerts");
        Assert.All(names, n => Assert.True(File.Exists(Path.Combine(Inbox, n))));

        // past Ingest:FaxInbox:AbandonedAfter (1 h): abandoned, quarantined with a reason; never a case
        clock.Advance(TimeSpan.FromMinutes(31));
        foreach (var n in names) Assert.Contains("ABANDONED", await ReasonForAsync(n));
        Assert.All(names, n => Assert.False(File.Exists(Path.Combine(Inbox, n))));
        Assert.Empty(await host.Store.ListCasesAsync(null, null, null, 10));
    }

    [Fact]
    public async Task SymlinkPointingOutsideTheInbox_IsQuarantinedAsALink_NeverReadIntoACase()
    {
        var outside = Path.Combine(_tmp.Path, "elsewhere", "secret.tif");
        Directory.CreateDirectory(Path.GetDirectoryName(outside)!);
        File.Copy(FaxTiff, outside);
        await using var host = new TestHost("embedded", _tmp.Path);
        _ = host.Services;
        Directory.CreateDirectory(Inbox);
        File.CreateSymbolicLink(Path.Combine(Inbox, "link.tif"), outside);

        var reason = await ReasonForAsync("link.tif");
        Assert.Contains("symbolic link", reason);
        var quarantined = Directory.EnumerateFileSystemEntries(Quarantine).Single(e => e.EndsWith("link.tif", StringComparison.Ordinal));
        Assert.Equal(outside, new FileInfo(quarantined).LinkTarget); // the link itself was moved, not what it points to
        Assert.True(File.Exists(outside));
        // a good fax after it is still taken, and the link never became a case
        File.Copy(FaxTiff, Path.Combine(Inbox, "good.tif"));
        Assert.Equal("good.tif", (await FaxCaseAsync(host)).Original.FileName);
        Assert.Single(await host.Store.ListCasesAsync(null, null, null, 10));
    }

    [Fact]
    public async Task FileLeftInTheInboxPastAlertAfter_WarnsOnce_DegradesHealth_AndIsCountedOnTheSupervisorPage()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        // The watcher's own loop makes its first pass at start only: the test makes the later passes itself, in the fake
        // clock's time, so "nothing more happens" is proved by passes that ran, not by waiting.
        await using var host = ReviewFixture.Host("embedded", _tmp.Path, new() { ["Ingest:FaxInbox:PollInterval"] = "01:00:00" });
        host.Clock = clock;
        var inbox = host.Services.GetRequiredService<FaxInbox>();
        await WaitFor(() => Task.FromResult(inbox.LastPassAt is not null ? "" : null), "the watcher's first pass");
        Assert.Equal("Healthy", await HealthOfFaxInboxAsync(host));
        Directory.CreateDirectory(Inbox);
        File.Copy(FaxTiff, Path.Combine(Inbox, "stuck.tif.part")); // the gateway never finishes it
        await inbox.ScanOnceAsync(CancellationToken.None);
        Assert.Equal(1, inbox.WaitingFiles);

        clock.Advance(TimeSpan.FromMinutes(16)); // past AlertAfter (15 min), before AbandonedAfter (1 h)
        await inbox.ScanOnceAsync(CancellationToken.None);
        Assert.Equal("Degraded", await HealthOfFaxInboxAsync(host));
        var supervisor = await ReviewFixture.SignInAsync(host, "supervisore");
        var page = await supervisor.GetStringAsync("/supervision");
        Assert.Contains("data-testid=\"stuck-files\">1<", page);
        Assert.Contains("Casella fax", page);

        for (var pass = 0; pass < 10; pass++) // ten more passes, a poll interval apart: the alert is not repeated
        {
            clock.Advance(TimeSpan.FromSeconds(3));
            await inbox.ScanOnceAsync(CancellationToken.None);
        }
        Assert.Single(host.Logs, l => l.StartsWith("Warning", StringComparison.Ordinal) && l.Contains("without being taken", StringComparison.Ordinal));
        Assert.Equal(1, inbox.Status!.StuckFiles);
    }
}
