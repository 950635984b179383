using System.Globalization;

namespace VerifyPipeline.Worker.Reading.Mrz;

/// <summary>
/// The three-letter codes an MRZ may give as issuing state or nationality (ICAO 9303-3 §5): the ISO 3166-1 alpha-3
/// codes the runtime's ICU data knows, plus ICAO's own (D for Germany, the British categories, the UN and stateless
/// codes, Kosovo, the EU, and UTO, the specimens' Utopia). No check digit covers these letters, so a misread one would
/// pass unnoticed; a reading that is no code is repaired with the glyphs' runners-up.
/// </summary>
internal static class StateCodes
{
    private static readonly Lazy<HashSet<string>> Codes = new(() =>
    {
        var codes = new HashSet<string>(StringComparer.Ordinal)
        {
            "D<<", "GBD", "GBN", "GBO", "GBP", "GBS", "UNO", "UNA", "UNK", "XXA", "XXB", "XXC", "XXX", "XOM", "XPO",
            "XCC", "XCE", "XEC", "XES", "XIM", "XMP", "EUE", "RKS", "UTO",
        };
        foreach (var culture in CultureInfo.GetCultures(CultureTypes.SpecificCultures))
        {
            try
            {
                var region = new RegionInfo(culture.Name);
                if (region.ThreeLetterISORegionName is { Length: 3 } iso && iso.All(char.IsAsciiLetterUpper)) codes.Add(iso);
            }
            catch (ArgumentException)
            {
                // A culture with no region of its own.
            }
        }
        return codes;
    });

    public static bool IsKnown(string code) => Codes.Value.Contains(code);

    /// <summary>The (line, first column) of the issuing state and the nationality for a zone of these lines.</summary>
    public static (int Line, int Col)[] Fields(IReadOnlyList<string> lines) => lines.Count == 3
        ? [(0, 2), (1, 15)]
        : [(0, 2), (1, 10)];
}
