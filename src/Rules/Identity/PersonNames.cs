using System.Globalization;
using System.Text;

namespace VerifyPipeline.Rules.Identity;

/// <summary>
/// Comparison of names as written on a request, a form, a printed document and an MRZ. ICAO 9303-3 §6 transliterates
/// accented Latin letters to the bare letter and drops apostrophes (D'ÀMICO → DAMICO), and writes spaces and hyphens as
/// fillers; the same folding is applied to every side before comparing.
/// </summary>
public static class PersonNames
{
    /// <summary>Upper case, accents removed (À → A), apostrophes removed, every other non-letter a single space, trimmed.</summary>
    public static string Fold(string? name)
    {
        var sb = new StringBuilder();
        foreach (var c in (name ?? "").Normalize(NormalizationForm.FormD))
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark) continue;
            if (c is '\'' or '’' or '‘' or '`' or '´' or 'ʼ') continue;
            if (char.IsLetter(c)) sb.Append(char.ToUpperInvariant(c));
            else if (sb.Length > 0 && sb[^1] != ' ') sb.Append(' ');
        }
        return sb.ToString().Trim();
    }

    /// <summary>Equal once folded, spaces ignored: "De Luca" = "DELUCA", "D'Àmico" = "DAMICO", "Rossi-Bianchi" = "ROSSI BIANCHI".</summary>
    public static bool SameSurname(string? a, string? b)
    {
        var ca = Compact(a);
        return ca.Length > 0 && ca == Compact(b);
    }

    /// <summary>Equal once folded, in any order ("Maria Lucía" = "LUCIA MARIA"), or with spaces ignored ("Anna Maria" = "ANNAMARIA").</summary>
    public static bool SameGivenNames(string? a, string? b)
    {
        var ca = Compact(a);
        if (ca.Length == 0) return false;
        if (ca == Compact(b)) return true;
        return string.Join(' ', Tokens(a)) == string.Join(' ', Tokens(b));
    }

    private static string Compact(string? name) => Fold(name).Replace(" ", "", StringComparison.Ordinal);

    private static IEnumerable<string> Tokens(string? name) =>
        Fold(name).Split(' ', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal);
}
