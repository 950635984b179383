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
