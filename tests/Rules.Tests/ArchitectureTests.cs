using VerifyPipeline.Rules.Checks;

namespace VerifyPipeline.Rules.Tests;

public sealed class ArchitectureTests
{
    /// <summary>STYLE.md 2: Rules references no infrastructure; only the base class library.</summary>
    [Fact]
    public void RulesAssembly_ReferencesOnlyTheBaseClassLibrary_WhenBuilt()
    {
        var assembly = typeof(RuleSet).Assembly;
        Assert.Equal("VerifyPipeline.Rules", assembly.GetName().Name);
        var offending = assembly.GetReferencedAssemblies().Select(a => a.Name!)
            .Where(n => !(n.StartsWith("System.", StringComparison.Ordinal) || n is "System" or "netstandard" or "mscorlib"))
            .ToList();
        Assert.True(offending.Count == 0, $"VerifyPipeline.Rules references {string.Join(", ", offending)}");
    }
}

public sealed class PurityTests
{
    private static readonly string[] Forbidden =
    [
        "DateTime.Now", "DateTime.UtcNow", "DateTime.Today", "DateTimeOffset.Now", "DateTimeOffset.UtcNow", "TimeProvider",
        "File.", "Directory.", "Environment.", "HttpClient", "Console.", "IOptions",
    ];

    /// <summary>STYLE.md 3: rules read no clock, no file, no environment, no options; the date comes from RuleContext.AsOf.</summary>
    [Fact]
    public void RulesSources_UseNoClockFileEnvironmentOrOptions_Anywhere()
    {
        var root = FindRulesSources();
        var files = Directory.EnumerateFiles(root, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .ToList();
        Assert.Contains(files, f => f.EndsWith("ExpiryRule.cs", StringComparison.Ordinal));
        var hits = files
            .SelectMany(f => File.ReadLines(f).Select((line, i) => (f, i, line)))
            .Where(x => Forbidden.Any(word => x.line.Contains(word, StringComparison.Ordinal)))
            .Select(x => $"{Path.GetFileName(x.f)}:{x.i + 1}: {x.line.Trim()}")
            .ToList();
        Assert.True(hits.Count == 0, string.Join("\n", hits));
    }

    private static string FindRulesSources()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "VerifyPipeline.sln")))
                return Path.Combine(dir.FullName, "src", "Rules");
        throw new DirectoryNotFoundException("no VerifyPipeline.sln above the test assembly");
    }
}
