using System.Reflection;
using System.Xml.Linq;

namespace VerifyPipeline.ReviewUi.Tests;

/// <summary>The dependency graph, written once (<see cref="Allowed"/>, drawn in docs/architecture.md): every project
/// reference of src/ and tools/ must be in it and every edge in it must exist. Issue 10: the reader owes nothing to the
/// corpus generator (no production assembly references it, the hosts do not ship it). Issue 12: the projects the review
/// host is built from reference none of the imaging stack.</summary>
public sealed class ArchitectureTests
{
    /// <summary>Project → the projects it references (by folder name under src/ or tools/).</summary>
    public static readonly IReadOnlyDictionary<string, string[]> Allowed = new Dictionary<string, string[]>
    {
        ["Rules"] = [],
        ["Cases"] = ["Rules"],
        ["Decisions"] = ["Cases", "Rules"],
        ["Ingest"] = ["Cases"],
        ["Worker"] = ["Cases", "Rules", "Decisions"],
        ["ReviewUi"] = ["Cases", "Rules", "Ingest", "Decisions"],
        ["Host"] = ["ReviewUi", "Worker"],
        ["WorkerHost"] = ["Worker"],
        ["Corpus"] = ["Cases", "Rules"],
        ["Verify"] = ["Worker", "Corpus", "DocumentFamilies"],
        ["DocumentFamilies"] = ["Cases", "Rules"],
        ["IngestBench"] = [],
        ["ThroughputBench"] = [],
        ["Soak"] = [],
    };

    /// <summary>Packages of the imaging and reading stack, and mail: none of them in a project the review host is built from.</summary>
    private static readonly string[] ImagingPackages = ["OpenCvSharp4", "OpenCvSharp4.official.runtime.linux-x64", "PdfPig", "SharpCompress", "MailKit", "ZXing.Net", "BitMiracle.LibTiff.NET"];

    private static IEnumerable<(string Project, XDocument Xml)> Projects() =>
        new[] { "src", "tools" }.SelectMany(d => Directory.EnumerateFiles(Path.Combine(Samples.RepoRoot(), d), "*.csproj", SearchOption.AllDirectories))
            .Where(p => !p.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}") && !p.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}"))
            .Select(p => (Path.GetFileNameWithoutExtension(p), XDocument.Load(p)));

    private static IEnumerable<string> Includes(XDocument xml, string item) =>
        xml.Descendants(item).Select(e => (string?)e.Attribute("Include")).OfType<string>();

    [Fact]
    public void ProjectReferences_AreExactlyTheAllowedGraph()
    {
        var actual = Projects().ToDictionary(p => p.Project, p => Includes(p.Xml, "ProjectReference")
            .Select(r => Path.GetFileNameWithoutExtension(r.Replace('\\', '/'))).Order().ToArray());
        Assert.Equal(Allowed.Keys.Order(), actual.Keys.Order());
        foreach (var (project, references) in actual)
            Assert.True(Allowed[project].Order().SequenceEqual(references),
                $"{project} references [{string.Join(", ", references)}]; the allowed graph says [{string.Join(", ", Allowed[project].Order())}] (ArchitectureTests.Allowed, docs/architecture.md)");
    }

    [Fact]
    public void ReviewHostProjects_ReferenceNoImagingPackage()
    {
        var projects = Projects().ToDictionary(p => p.Project, p => p.Xml);
        var closure = new HashSet<string>();
        void Visit(string p) { if (closure.Add(p)) foreach (var r in Allowed[p]) Visit(r); }
        Visit("ReviewUi");
        var offending = closure.SelectMany(p => Includes(projects[p], "PackageReference").Where(ImagingPackages.Contains).Select(k => $"{p} → {k}")).ToList();
        Assert.True(offending.Count == 0, string.Join("; ", offending));
        Assert.DoesNotContain("Worker", closure);
    }

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
