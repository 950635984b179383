using VerifyPipeline.Cases;
using VerifyPipeline.Worker.Documents;

namespace VerifyPipeline.Worker.Tests.Documents;

/// <summary>Paths to ../shared/testdata (found from the repository root, the folder holding VerifyPipeline.sln)
/// and a temp dir per test that is deleted afterwards.</summary>
internal static class TestFiles
{
    public static string RepoRoot { get; } = FindRepoRoot();

    /// <summary>The committed synthetic submissions with their labels (tests/TestData/submissions).</summary>
    public static string Submissions => Path.Combine(RepoRoot, "tests", "TestData", "submissions");

    public static string Real(string relative) =>
        Path.GetFullPath(Path.Combine(RepoRoot, "..", "shared", "testdata", "real", relative));

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "VerifyPipeline.sln"))) return dir.FullName;
        throw new InvalidOperationException("VerifyPipeline.sln not found above " + AppContext.BaseDirectory);
    }

    public static FileKind Sniff(string path)
    {
        var head = new byte[FileSniffer.HeaderBytes];
        using var fs = File.OpenRead(path);
        int n = fs.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        return FileSniffer.Sniff(head.AsSpan(0, n));
    }

    /// <summary>Sniff → unpack → every page, the way the pipeline and `verify check` do; page bytes are dropped.</summary>
    public static IReadOnlyList<(string Source, int W, int H, double DpiX, double DpiY, string Origin, string MediaType)> ReadAll(
        string path, string workDir, CancellationToken ct, UnpackBudget? unpack = null, PageBudget? pages = null)
    {
        var result = new List<(string, int, int, double, double, string, string)>();
        var unpacked = Unpacker.Unpack(path, Path.GetFileName(path), Sniff(path), unpack ?? new UnpackBudget(), workDir, ct);
        foreach (var file in unpacked.Files)
            foreach (var p in PageExtractor.Extract(file.Path, file.Source, file.Kind, pages ?? new PageBudget(), ct))
                result.Add((p.Source, p.WidthPx, p.HeightPx, p.DpiX, p.DpiY, p.Origin, p.MediaType));
        return result;
    }
}

internal sealed class TempDir : IDisposable
{
    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "verify-tests-" + Guid.NewGuid().ToString("N"));

    public TempDir() => Directory.CreateDirectory(Path);

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        if (Directory.Exists(Path)) Directory.Delete(Path, recursive: true);
    }
}
