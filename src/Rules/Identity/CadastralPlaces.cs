using System.Collections.Frozen;

namespace VerifyPipeline.Rules.Identity;

/// <summary>A birth place by cadastral (Belfiore) code; <see cref="Province"/> is <c>EE</c> for a foreign state.</summary>
public sealed record CadastralPlace(string Code, string Name, string Province)
{
    public bool IsForeign => Code.StartsWith('Z');
}

/// <summary>
/// Cadastral code → place. The embedded table (Data/README.md: ISTAT 2020 municipalities, CC BY 3.0 IT,
/// and foreign states, MIT) lacks municipalities abolished before 2020 and most historical states, so a
/// missing code means "not in the table", never "invalid code".
/// </summary>
public sealed class CadastralPlaces
{
    private const string ResourceName = "VerifyPipeline.Rules.Identity.cadastral-places.tsv";
    private static readonly Lazy<CadastralPlaces> EmbeddedTable = new(LoadEmbedded);
    private readonly FrozenDictionary<string, CadastralPlace> _byCode;

    private CadastralPlaces(FrozenDictionary<string, CadastralPlace> byCode) => _byCode = byCode;

    /// <summary>The table compiled into this assembly (parsed once, on first use).</summary>
    public static CadastralPlaces Embedded => EmbeddedTable.Value;

    public int Count => _byCode.Count;

    /// <summary>Parses <c>code TAB name TAB province</c> lines; blank lines and lines starting with '#' are skipped.</summary>
    public static CadastralPlaces Parse(string tsv)
    {
        var places = new Dictionary<string, CadastralPlace>(StringComparer.OrdinalIgnoreCase);
        foreach (var raw in tsv.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            if (line.Length == 0 || line[0] == '#') continue;
            var parts = line.Split('\t');
            if (parts.Length < 3) throw new FormatException($"cadastral table: expected 3 columns in '{line}'");
            var code = parts[0].Trim().ToUpperInvariant();
            places[code] = new CadastralPlace(code, parts[1].Trim(), parts[2].Trim());
        }
        return new CadastralPlaces(places.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase));
    }

    public CadastralPlace? Find(string? code) =>
        code is not null && _byCode.TryGetValue(code.Trim(), out var place) ? place : null;

    private static CadastralPlaces LoadEmbedded()
    {
        using var stream = typeof(CadastralPlaces).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"embedded resource {ResourceName} is missing from the build");
        using var reader = new StreamReader(stream);
        return Parse(reader.ReadToEnd());
    }
}
