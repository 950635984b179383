using System.Reflection;

namespace VerifyPipeline.ReviewUi.Tests;

/// <summary>Issue 10: the reader owes nothing to the corpus generator. No production assembly references it, and the hosts
/// do not ship it — the reader's figures could otherwise measure the generator's drawings again.</summary>
public sealed class ArchitectureTests
{
    private static readonly string[] Production =
        ["VerifyPipeline.Cases", "VerifyPipeline.Rules", "VerifyPipeline.Decisions", "VerifyPipeline.Ingest", "VerifyPipeline.Worker", "VerifyPipeline.ReviewUi", "VerifyPipeline.Host"];

    private static readonly string[] Generators = ["VerifyPipeline.Corpus", "DocumentFamilies"];

    [Fact]
    public void ProductionAssemblies_NeverReferenceACorpusGenerator()
    {
        var offending = new List<string>();
        foreach (var name in Production)
        {
            var assembly = Assembly.Load(name);
            offending.AddRange(assembly.GetReferencedAssemblies().Where(r => Generators.Contains(r.Name)).Select(r => $"{name} → {r.Name}"));
        }
        Assert.True(offending.Count == 0, string.Join("; ", offending));
    }

    [Theory]
    [InlineData("ReviewUi")]
    [InlineData("Worker")]
    [InlineData("Host")]
    public void HostOutput_DoesNotShipTheGenerator(string project)
    {
        var config = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Debug{Path.DirectorySeparatorChar}") ? "Debug" : "Release";
        var output = Path.Combine(Samples.RepoRoot(), "src", project, "bin", config, "net10.0");
        Assert.True(Directory.Exists(output), $"{output} is not built");
        Assert.DoesNotContain(Generators, g => File.Exists(Path.Combine(output, g + ".dll")));
    }
}
