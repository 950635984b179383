namespace VerifyPipeline.Rules.Tests.Identity;

/// <summary>
/// The shared test material lives beside the repository: walk up from the test assembly to the folder holding
/// VerifyPipeline.sln, then ../shared.
/// </summary>
internal static class SharedTestData
{
    private static readonly Lazy<string> Root = new(() =>
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "VerifyPipeline.sln")))
                return Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared"));
        throw new DirectoryNotFoundException($"no VerifyPipeline.sln above {AppContext.BaseDirectory}");
    });

    public static string PathOf(string relative) => Path.Combine(Root.Value, relative);

    /// <summary>Rows of a tab-separated file with a header line, as column → value (no quoting in these files).</summary>
    public static IReadOnlyList<IReadOnlyDictionary<string, string>> ReadTsv(string relative)
    {
        var lines = File.ReadAllLines(PathOf(relative));
        var header = lines[0].Split('\t');
        return lines.Skip(1).Where(l => l.Length > 0).Select(l =>
        {
            var cells = l.Split('\t');
            return (IReadOnlyDictionary<string, string>)header.Select((h, i) => (h, v: i < cells.Length ? cells[i] : ""))
                .ToDictionary(x => x.h, x => x.v);
        }).ToList();
    }
}
