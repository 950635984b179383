using VerifyPipeline.Cases.Tests.Storage;

namespace VerifyPipeline.ReviewUi.Tests;

/// <summary>A stage killed mid-run leaves its <c>vp-*</c> work folder (its <c>finally</c> never ran): the next start removes
/// it — and nothing else: not a young one another worker may be using, not a folder of another program, not a link.</summary>
public sealed class WorkFolderCleanupTests : IDisposable
{
    private readonly TempDir _tmp = new();
    public void Dispose() => _tmp.Dispose();

    private static string Folder(string root, string name, TimeSpan age)
    {
        var dir = Path.Combine(root, name);
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "page.png"), "x");
        var then = DateTime.UtcNow - age;
        File.SetLastWriteTimeUtc(Path.Combine(dir, "page.png"), then);
        Directory.SetLastWriteTimeUtc(dir, then);
        return dir;
    }

    [Fact]
    public async Task Start_RemovesOnlyOldWorkFoldersOfOurOwnPrefix_UnderTheWorkFolder()
    {
        var work = Path.Combine(_tmp.Path, "work");
        var caseId = Guid.NewGuid().ToString("N");
        var leftOver = Folder(work, $"vp-{caseId}-pages-{Guid.NewGuid():N}", TimeSpan.FromHours(2));
        var young = Folder(work, $"vp-{caseId}-unpack-{Guid.NewGuid():N}", TimeSpan.FromMinutes(1));
        var otherProgram = Folder(work, "vp-test.Ab12Cd", TimeSpan.FromHours(2));      // ./test.sh's own run folder looks like this
        var notOurs = Folder(work, "something-else", TimeSpan.FromHours(2));
        var outside = Folder(_tmp.Path, $"vp-{caseId}-decide-{Guid.NewGuid():N}", TimeSpan.FromHours(2)); // not under the work folder
        var linked = Path.Combine(work, $"vp-{caseId}-decide-{Guid.NewGuid():N}");
        Directory.CreateSymbolicLink(linked, outside);

        await using var host = new TestHost("embedded", _tmp.Path);
        _ = host.Services;

        Assert.False(Directory.Exists(leftOver));
        Assert.True(Directory.Exists(young));
        Assert.True(Directory.Exists(otherProgram));
        Assert.True(Directory.Exists(notOurs));
        Assert.True(File.Exists(Path.Combine(outside, "page.png")));
        Assert.NotNull(new DirectoryInfo(linked).LinkTarget);
    }
}
