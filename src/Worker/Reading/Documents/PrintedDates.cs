using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace VerifyPipeline.Worker.Reading.Documents;

/// <summary>What a printed date is for: it decides the century of a two-digit year ("07.11.64").</summary>
public enum DateRole { Any, Birth, Issue, Expiry }

/// <summary>A date found in a run of printed words: its value, the words it spans (first index, count), its text, and whether
/// its year was printed with two digits (its century then chosen by its role).</summary>
public readonly record struct PrintedDate(DateOnly Date, int FirstWord, int WordCount, string Text, bool ShortYear);

/// <summary>
/// Dates as identity documents print them, whatever the issuer's format: numeric with dots, slashes, dashes or spaces
/// ("07.11.1964", "07/11/1964", "07 11 1964", "07.11.64"), year first ("1964-11-07"), the month in words in Italian,
/// English or French, abbreviated or not, alone or bilingual ("7 NOVEMBRE 1964", "07 NOV 1964", "22 AGO/AUG 1972"),
/// or in Roman numerals ("7.XI.1964"). Words are matched as OCR gives them (one date may be one word or several). A
/// two-digit year takes the century its <see cref="DateRole"/> allows: a birth at least 14 years before today, an issue
/// not after today, an expiry (or a date of no known role) at most 12 years after today — no document is valid longer.
/// </summary>
public static partial class PrintedDates
{
    private static readonly Dictionary<string, int> Months = BuildMonths();

    private static Dictionary<string, int> BuildMonths()
    {
        string[][] names =
        [
            ["GENNAIO", "GEN", "JANUARY", "JAN", "JANVIER", "JANV"],
            ["FEBBRAIO", "FEB", "FEBRUARY", "FEVRIER", "FEVR", "FEV"],
            ["MARZO", "MAR", "MARCH", "MARS"],
            ["APRILE", "APR", "APRIL", "AVRIL", "AVR"],
            ["MAGGIO", "MAG", "MAY", "MAI"],
            ["GIUGNO", "GIU", "JUNE", "JUN", "JUIN"],
            ["LUGLIO", "LUG", "JULY", "JUL", "JUILLET", "JUIL"],
            ["AGOSTO", "AGO", "AUGUST", "AUG", "AOUT"],
            ["SETTEMBRE", "SET", "SETT", "SEPTEMBER", "SEP", "SEPT", "SEPTEMBRE"],
            ["OTTOBRE", "OTT", "OCTOBER", "OCT", "OCTOBRE"],
            ["NOVEMBRE", "NOV", "NOVEMBER"],
            ["DICEMBRE", "DIC", "DECEMBER", "DEC", "DECEMBRE"],
        ];
        var map = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var m = 0; m < names.Length; m++)
            foreach (var n in names[m]) map[n] = m + 1;
        string[] roman = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"];
        for (var m = 0; m < roman.Length; m++) map["#" + roman[m]] = m + 1; // Roman months only between a day and a year
        return map;
    }

    private const string Sep = @"[\s./\-]{1,3}";
    private const string Year = @"(?<y>[0-9]{4}|[0-9]{2})(?![0-9])";

    [GeneratedRegex(@"(?<![0-9])(?<y>(?:19|20)[0-9]{2})[\-./](?<m>[01]?[0-9])[\-./](?<d>[0-3]?[0-9])(?![0-9])")]
    private static partial Regex YearFirst();

    [GeneratedRegex(@"(?<![0-9])(?<d>[0-3]?[0-9])" + Sep + @"(?<m>[01]?[0-9])" + Sep + Year)]
    private static partial Regex Numeric();

    [GeneratedRegex(@"(?<![0-9A-Z])(?<d>[0-3]?[0-9])[\s./\-]{0,3}(?<mn>[A-Z]{3,9})(?:\s?/\s?(?<mn2>[A-Z]{3,9}))?[\s./\-]{0,3}" + Year)]
    private static partial Regex Worded();

    [GeneratedRegex(@"(?<![0-9A-Z])(?<d>[0-3]?[0-9])[\s./\-]{1,3}(?<r>XII|XI|IX|X|VIII|VII|VI|IV|V|III|II|I)[\s./\-]{1,3}" + Year)]
    private static partial Regex Roman();

    /// <summary>The first date in <paramref name="words"/> (already normalised: upper case, accents off), beginning in one of
    /// the first <paramref name="startWithin"/> words.</summary>
    public static PrintedDate? First(IReadOnlyList<string> words, DateRole role, DateOnly asOf, int startWithin = int.MaxValue) =>
        All(words, role, asOf).Where(d => d.FirstWord < startWithin).Select(d => (PrintedDate?)d).FirstOrDefault();

    /// <summary>Every date in <paramref name="words"/>, in reading order, none overlapping another.</summary>
    public static List<PrintedDate> All(IReadOnlyList<string> words, DateRole role, DateOnly asOf)
    {
        // The words joined by single spaces, each character remembering its word.
        var text = new StringBuilder();
        var owner = new List<int>();
        for (var i = 0; i < words.Count; i++)
        {
            if (i > 0) { text.Append(' '); owner.Add(i); }
            // OCR reads a digit 0 as the letter O inside numbers: a word holding a digit has its O's read as zeros.
            var w = words[i].Any(char.IsAsciiDigit) && !Months.ContainsKey(new string(words[i].Where(char.IsAsciiLetter).ToArray()))
                ? words[i].Replace('O', '0') : words[i];
            foreach (var c in w) { text.Append(c); owner.Add(i); }
        }
        var s = text.ToString();
        var found = new List<(int Start, int End, DateOnly Date, bool ShortYear)>();
        void Take(Match m, int month)
        {
            if (found.Any(f => m.Index < f.End && f.Start < m.Index + m.Length)) return;
            if (Resolve(int.Parse(m.Groups["d"].Value, CultureInfo.InvariantCulture), month, m.Groups["y"].Value, role, asOf) is { } d)
                found.Add((m.Index, m.Index + m.Length, d, m.Groups["y"].Length == 2));
        }
        foreach (Match m in YearFirst().Matches(s)) Take(m, int.Parse(m.Groups["m"].Value, CultureInfo.InvariantCulture));
        foreach (Match m in Numeric().Matches(s)) Take(m, int.Parse(m.Groups["m"].Value, CultureInfo.InvariantCulture));
        foreach (Match m in Worded().Matches(s))
        {
            var month = Months.GetValueOrDefault(m.Groups["mn"].Value);
            // A bilingual month ("AGO/AUG") holds when either half is a month and neither names another one.
            var month2 = m.Groups["mn2"].Success ? Months.GetValueOrDefault(m.Groups["mn2"].Value) : month;
            if (month == 0) month = month2;
            if (month2 == 0) month2 = month;
            if (month != 0 && month == month2) Take(m, month);
        }
        foreach (Match m in Roman().Matches(s)) Take(m, Months["#" + m.Groups["r"].Value]);
        return found.OrderBy(f => f.Start).Select(f =>
        {
            var first = owner[f.Start];
            var last = owner[f.End - 1];
            return new PrintedDate(f.Date, first, last - first + 1, s[f.Start..f.End], f.ShortYear);
        }).ToList();
    }

    /// <summary>The date of a day, month and printed year, the century of a two-digit year chosen by <paramref name="role"/>;
    /// null when no such day exists or the year is outside 1900–2100.</summary>
    public static DateOnly? Resolve(int day, int month, string year, DateRole role, DateOnly asOf)
    {
        if (month is < 1 or > 12 || day is < 1 or > 31) return null;
        int y;
        if (year.Length == 4) y = int.Parse(year, CultureInfo.InvariantCulture);
        else
        {
            var yy = int.Parse(year, CultureInfo.InvariantCulture);
            var latest = role switch
            {
                DateRole.Birth => asOf.Year - 14,
                DateRole.Issue => asOf.Year,
                _ => asOf.Year + 12,
            };
            y = 2000 + yy <= latest ? 2000 + yy : 1900 + yy;
        }
        if (y is < 1900 or > 2100 || day > DateTime.DaysInMonth(y, month)) return null;
        return new DateOnly(y, month, day);
    }
}
