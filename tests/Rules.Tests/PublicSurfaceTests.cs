using System.Reflection;

namespace VerifyPipeline.Rules.Tests;

/// <summary>Issue 12: the public surface of Rules is pinned (after PdfPig's PublicApiScannerTests). Every public type and
/// member of the assembly, one line each, must equal <c>PublicSurface.txt</c>; a change to what Rules offers the other
/// projects is then a visible change of that file in review. To accept a deliberate change, copy the
/// <c>PublicSurface.received.txt</c> the failing run writes beside it over <c>PublicSurface.txt</c>.</summary>
public sealed class PublicSurfaceTests
{
    private static string Folder([System.Runtime.CompilerServices.CallerFilePath] string path = "") => Path.GetDirectoryName(path)!;

    [Fact]
    public void PublicSurface_IsThePinnedOne()
    {
        var actual = Surface(typeof(Verdict).Assembly);
        var pinned = Path.Combine(Folder(), "PublicSurface.txt");
        var expected = File.Exists(pinned) ? File.ReadAllLines(pinned) : [];
        var received = Path.ChangeExtension(pinned, ".received.txt");
        if (!expected.SequenceEqual(actual))
        {
            File.WriteAllLines(received, actual);
            var added = actual.Except(expected).Take(20);
            var removed = expected.Except(actual).Take(20);
            Assert.Fail($"The public surface of Rules changed (whole list in {received}).\n+ {string.Join("\n+ ", added)}\n- {string.Join("\n- ", removed)}");
        }
        File.Delete(received);
    }

    private static List<string> Surface(Assembly assembly)
    {
        const BindingFlags Declared = BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
        var lines = new List<string>();
        foreach (var type in assembly.GetExportedTypes().OrderBy(t => t.FullName, StringComparer.Ordinal))
        {
            var kind = type.IsEnum ? "enum" : type.IsInterface ? "interface" : type.IsValueType ? "struct" : type.IsAbstract && type.IsSealed ? "static class" : "class";
            lines.Add($"{kind} {type.FullName}");
            if (type.IsEnum)
            {
                lines.AddRange(Enum.GetNames(type).Select(n => $"  {n}"));
                continue;
            }
            lines.AddRange(type.GetMembers(Declared)
                // compiler-made members of records (EqualityContract, <Clone>$, Deconstruct) say nothing of the surface
                .Where(m => !m.Name.StartsWith('<') && m.Name != "EqualityContract" && m is not MethodInfo { IsSpecialName: true })
                .Select(m => $"  {m.MemberType.ToString().ToLowerInvariant()} {m}")
                .Order(StringComparer.Ordinal));
        }
        return lines;
    }
}
