using System.Globalization;
using System.Text;

namespace VerifyPipeline.Rules.Identity;

/// <summary>One ICAO 9303 check digit: the digit computed over the field and the character found in the zone.</summary>
public sealed record MrzCheck(string Field, bool Ok, char Expected, char Found);

/// <summary>
/// A parsed machine readable zone. <see cref="Format"/> is TD1, TD2, TD3, MRVA or MRVB (machine readable visas, ICAO 9303-7),
/// or UNKNOWN when the lines fit no layout. Dates in <see cref="Fields"/> are ISO yyyy-MM-dd ("" when the zone has fillers).
/// </summary>
public sealed record MrzResult(
    bool Valid,
    string Format,
    IReadOnlyDictionary<string, string> Fields,
    IReadOnlyList<MrzCheck> Checks,
    IReadOnlyList<string> Errors);

/// <summary>ICAO Doc 9303 (8th ed.) parts 3-7: TD1 3×30, TD2 2×36, TD3 2×44 and the visa layouts MRV-A 2×44 / MRV-B 2×36.</summary>
public static partial class Mrz
{
    public const string Td1 = "TD1", Td2 = "TD2", Td3 = "TD3", Mrva = "MRVA", Mrvb = "MRVB", Unknown = "UNKNOWN";

    internal enum Kind { Alpha, Digits, AlphaNum, CheckDigit, Sex, Names }

    /// <summary>A fixed zone of the MRZ; Start is 0-based within Line.</summary>
    internal sealed record Zone(string Field, int Line, int Start, int Length, Kind Kind);

    internal sealed record Layout(string Format, int Lines, int Width, Zone[] Zones, bool HasComposite)
    {
        public Zone this[string field] => Zones.First(z => z.Field == field);
    }

    private static Zone Z(string field, int line, int start, int length, Kind kind) => new(field, line, start, length, kind);

    // Second line of TD2/TD3/MRV (9303-4 §4.2.2, 9303-6 §4.2.2, 9303-7 §4.2.2): same first 28 positions.
    private static Zone[] Line2Common() =>
    [
        Z("document_number", 1, 0, 9, Kind.AlphaNum), Z("document_number_check", 1, 9, 1, Kind.CheckDigit),
        Z("nationality", 1, 10, 3, Kind.Alpha),
        Z("birth_date", 1, 13, 6, Kind.Digits), Z("birth_date_check", 1, 19, 1, Kind.CheckDigit),
        Z("sex", 1, 20, 1, Kind.Sex),
        Z("expiry_date", 1, 21, 6, Kind.Digits), Z("expiry_date_check", 1, 27, 1, Kind.CheckDigit),
    ];

    private static Zone[] Line1TwoLine(int width) =>
        [Z("document_code", 0, 0, 2, Kind.Alpha), Z("issuing_state", 0, 2, 3, Kind.Alpha), Z("names", 0, 5, width - 5, Kind.Names)];

    internal static readonly Layout[] Layouts =
    [
        new(Td1, 3, 30,
        [
            Z("document_code", 0, 0, 2, Kind.Alpha), Z("issuing_state", 0, 2, 3, Kind.Alpha),
            Z("document_number", 0, 5, 9, Kind.AlphaNum), Z("document_number_check", 0, 14, 1, Kind.CheckDigit),
            Z("optional_data_1", 0, 15, 15, Kind.AlphaNum),
            Z("birth_date", 1, 0, 6, Kind.Digits), Z("birth_date_check", 1, 6, 1, Kind.CheckDigit),
            Z("sex", 1, 7, 1, Kind.Sex),
            Z("expiry_date", 1, 8, 6, Kind.Digits), Z("expiry_date_check", 1, 14, 1, Kind.CheckDigit),
            Z("nationality", 1, 15, 3, Kind.Alpha), Z("optional_data_2", 1, 18, 11, Kind.AlphaNum),
            Z("composite_check", 1, 29, 1, Kind.CheckDigit),
            Z("names", 2, 0, 30, Kind.Names),
        ], true),
        new(Td2, 2, 36, [.. Line1TwoLine(36), .. Line2Common(), Z("optional_data", 1, 28, 7, Kind.AlphaNum), Z("composite_check", 1, 35, 1, Kind.CheckDigit)], true),
        new(Td3, 2, 44,
        [
            .. Line1TwoLine(44), .. Line2Common(),
            Z("personal_number", 1, 28, 14, Kind.AlphaNum), Z("personal_number_check", 1, 42, 1, Kind.CheckDigit),
            Z("composite_check", 1, 43, 1, Kind.CheckDigit),
        ], true),
        new(Mrva, 2, 44, [.. Line1TwoLine(44), .. Line2Common(), Z("optional_data", 1, 28, 16, Kind.AlphaNum)], false),
        new(Mrvb, 2, 36, [.. Line1TwoLine(36), .. Line2Common(), Z("optional_data", 1, 28, 8, Kind.AlphaNum)], false),
    ];

    /// <summary>ICAO 9303-3 §4.9: weights 7, 3, 1 repeating; 0-9 as value, A-Z = 10-35, '&lt;' = 0; sum modulo 10.</summary>
    public static char CheckDigit(string data)
    {
        var d = TryCheckDigit(data);
        return d != '?' ? d : throw new ArgumentException($"'{data}' contains a character outside A-Z, 0-9 and '<'", nameof(data));
    }

    /// <summary>'?' when the data holds a character that is not A-Z, 0-9 or '&lt;'.</summary>
    internal static char TryCheckDigit(string data)
    {
        ReadOnlySpan<int> weights = [7, 3, 1];
        var sum = 0;
        for (var i = 0; i < data.Length; i++)
        {
            var v = CharValue(data[i]);
            if (v < 0) return '?';
            sum += v * weights[i % 3];
        }
        return (char)('0' + sum % 10);
    }

    private static int CharValue(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'A' and <= 'Z' => c - 'A' + 10,
        '<' => 0,
        _ => -1,
    };

    /// <summary>
    /// Splits MRZ text into lines: real line breaks and the two characters backslash-n both separate lines; spaces and
    /// tabs inside a line are removed (OCR inserts them), letters are upper-cased, blank lines dropped.
    /// </summary>
    public static IReadOnlyList<string> SplitLines(string? text) =>
        (text ?? "").Replace("\\n", "\n", StringComparison.Ordinal).Split('\n')
            .Select(CleanLine).Where(l => l.Length > 0).ToList();

    internal static string CleanLine(string line)
    {
        var sb = new StringBuilder(line.Length);
        foreach (var c in line)
            if (!char.IsWhiteSpace(c)) sb.Append(char.ToUpperInvariant(c));
        return sb.ToString();
    }

    /// <summary>
    /// What each position of the zone may hold, by its layout: 'D' digits only (dates, check digits), 'L' letters only
    /// (codes, states, sex, names; '&lt;' too), 'A' either (document and personal numbers, optional data). Null when the
    /// lines fit no layout. OCR uses it to learn a document's own 0 and O from the positions that can hold only one.
    /// </summary>
    public static char[][]? CellKinds(IReadOnlyList<string> lines)
    {
        if (Detect(lines) is not { } layout) return null;
        var kinds = Enumerable.Range(0, layout.Lines).Select(_ => Enumerable.Repeat('A', layout.Width).ToArray()).ToArray();
        foreach (var z in layout.Zones)
            for (var c = z.Start; c < z.Start + z.Length; c++)
                kinds[z.Line][c] = z.Kind switch { Kind.Digits or Kind.CheckDigit => 'D', Kind.AlphaNum => 'A', _ => 'L' };
        return kinds;
    }

    internal static Layout? Detect(IReadOnlyList<string> lines)
    {
        if (lines.Count is not (2 or 3) || lines.Any(l => l.Length != lines[0].Length)) return null;
        var visa = lines[0].StartsWith('V');
        return (lines.Count, lines[0].Length) switch
        {
            (3, 30) => Layouts[0],
            (2, 36) => visa ? Layouts[4] : Layouts[1],
            (2, 44) => visa ? Layouts[3] : Layouts[2],
            _ => null,
        };
    }

    /// <inheritdoc cref="Parse(IReadOnlyList{string}, DateOnly)"/>
    public static MrzResult Parse(string? text, DateOnly referenceDate) => Parse(SplitLines(text), referenceDate);

    /// <summary>
    /// Parses and checks every check digit. Century of the two-digit years, relative to <paramref name="referenceDate"/>
    /// (the evaluation date): a birth date is the latest of 19YY-MM-DD/20YY-MM-DD that is not after the reference date (people
    /// are born in the past; holders over 100 get the wrong century, which no MRZ-only rule avoids); an expiry date is
    /// 20YY-MM-DD unless that is more than 50 years after the reference date, then 19YY-MM-DD (so 1995 stays 1995).
    /// </summary>
    public static MrzResult Parse(IReadOnlyList<string> rawLines, DateOnly referenceDate)
    {
        var lines = rawLines.Select(CleanLine).Where(l => l.Length > 0).ToList();
        var fields = new Dictionary<string, string>();
        var checks = new List<MrzCheck>();
        var errors = new List<string>();
        var layout = Detect(lines);
        if (layout is null)
        {
            errors.Add(lines.Count == 0
                ? "no MRZ text"
                : $"unrecognised layout: {lines.Count} line(s) of length {string.Join(", ", lines.Select(l => l.Length))}; expected 3×30 (TD1), 2×36 (TD2) or 2×44 (TD3)");
            return new MrzResult(false, Unknown, fields, checks, errors);
        }

        for (var li = 0; li < lines.Count; li++)
            for (var ci = 0; ci < lines[li].Length; ci++)
                if (CharValue(lines[li][ci]) < 0)
                    errors.Add($"line {li + 1} column {ci + 1}: '{lines[li][ci]}' is not A-Z, 0-9 or '<'");

        string Raw(string field)
        {
            var z = layout[field];
            return lines[z.Line].Substring(z.Start, z.Length);
        }

        fields["document_code"] = Text(Raw("document_code"));
        fields["issuing_state"] = Text(Raw("issuing_state"));

        var number = DocumentNumber(lines, layout);
        fields["document_number"] = Text(number.Number);
        foreach (var z in layout.Zones.Where(z => z.Field.StartsWith("optional_data", StringComparison.Ordinal)))
            fields[z.Field] = Text(z.Field == number.OptionalField ? number.OptionalRest : Raw(z.Field));
        if (layout.Format == Td3) fields["personal_number"] = Text(Raw("personal_number"));

        fields["birth_date"] = Date("birth_date", Raw("birth_date"), true, errors, referenceDate);
        var sex = Raw("sex")[0];
        fields["sex"] = sex switch { 'M' => "M", 'F' => "F", '<' or 'X' => "X", _ => Text(sex.ToString()) };
        if (sex is not ('M' or 'F' or 'X' or '<')) errors.Add($"sex: '{sex}' is not M, F, X or '<'");
        fields["expiry_date"] = Date("expiry_date", Raw("expiry_date"), false, errors, referenceDate);
        fields["nationality"] = Text(Raw("nationality"));
        var (surname, given) = Names(Raw("names"));
        fields["surname"] = surname;
        fields["given_names"] = given;

        checks.Add(Check("document_number", number.Number, number.Check));
        checks.Add(Check("birth_date", Raw("birth_date"), Raw("birth_date_check")[0]));
        checks.Add(Check("expiry_date", Raw("expiry_date"), Raw("expiry_date_check")[0]));
        if (layout.Format == Td3)
        {
            // 9303-4 §4.2.2 note: an empty personal number may carry '<' or '0' as its check digit.
            var personal = Raw("personal_number");
            var found = Raw("personal_number_check")[0];
            checks.Add(personal.All(c => c == '<') && found is '<' or '0'
                ? new MrzCheck("personal_number", true, found, found)
                : Check("personal_number", personal, found));
        }
        if (layout.HasComposite)
            checks.Add(Check("composite", CompositeData(lines, layout), Raw("composite_check")[0]));

        foreach (var c in checks.Where(c => !c.Ok))
            errors.Add($"check digit of {c.Field}: expected {c.Expected} found {c.Found}");
        return new MrzResult(errors.Count == 0, layout.Format, fields, checks, errors);
    }

    private static MrzCheck Check(string field, string data, char found)
    {
        var expected = TryCheckDigit(data);
        return new MrzCheck(field, expected != '?' && expected == found, expected, found);
    }

    /// <summary>
    /// The document number and where its check digit is. ICAO 9303-5 §4.2.2 note j (TD1) and 9303-6 §4.2.2 (TD2): a number
    /// longer than 9 characters has its first 9 in the number field, '&lt;' in place of the check digit, and the rest at
    /// the start of the optional data, followed by the check digit (computed over the whole number, filler excluded,
    /// as in the 9303-11 worked example D23145890734 → 9) and a filler.
    /// </summary>
    internal static (string Number, char Check, string? OptionalField, string OptionalRest, (int Line, int Col)[] NumberCells, (int Line, int Col) CheckCell)
        DocumentNumber(IReadOnlyList<string> lines, Layout layout)
    {
        var num = layout["document_number"];
        var chk = layout["document_number_check"];
        var first = lines[num.Line].Substring(num.Start, num.Length);
        var cells = Enumerable.Range(num.Start, num.Length).Select(c => (num.Line, c)).ToList();
        var checkChar = lines[chk.Line][chk.Start];
        var optField = layout.Format switch { Td1 => "optional_data_1", Td2 => "optional_data", _ => null };
        if (checkChar == '<' && optField is not null)
        {
            var opt = layout[optField];
            var optText = lines[opt.Line].Substring(opt.Start, opt.Length);
            var end = optText.IndexOf('<');
            if (end < 0) end = optText.Length;
            if (end >= 2)
            {
                cells.AddRange(Enumerable.Range(opt.Start, end - 1).Select(c => (opt.Line, c)));
                return (first + optText[..(end - 1)], optText[end - 1], optField, optText[end..], [.. cells], (opt.Line, opt.Start + end - 1));
            }
        }
        var rest = optField is null ? "" : lines[layout[optField].Line].Substring(layout[optField].Start, layout[optField].Length);
        return (first, checkChar, optField, rest, [.. cells], (chk.Line, chk.Start));
    }

    internal static string CompositeData(IReadOnlyList<string> lines, Layout layout)
    {
        var l1 = lines[0];
        var l2 = lines[1];
        return layout.Format switch
        {
            // 9303-5 §4.2.4: upper line 6-30, middle line 1-7, 9-15, 19-29.
            Td1 => l1[5..30] + l2[..7] + l2[8..15] + l2[18..29],
            // 9303-6 / 9303-4: lower line 1-10, 14-20, 22-35 (TD2) or 22-43 (TD3).
            Td2 => l2[..10] + l2[13..20] + l2[21..35],
            Td3 => l2[..10] + l2[13..20] + l2[21..43],
            _ => throw new InvalidOperationException($"{layout.Format} has no composite check digit"),
        };
    }

    /// <summary>Filler runs become one space; leading and trailing fillers go.</summary>
    private static string Text(string raw) =>
        string.Join(' ', raw.Split('<', StringSplitOptions.RemoveEmptyEntries));

    /// <summary>9303-3 §4.6: primary identifier (surname), "&lt;&lt;", secondary identifier (given names, single '&lt;' between).</summary>
    private static (string Surname, string Given) Names(string raw)
    {
        var cut = raw.IndexOf("<<", StringComparison.Ordinal);
        return cut < 0 ? (Text(raw), "") : (Text(raw[..cut]), Text(raw[(cut + 2)..]));
    }

    private static string Date(string field, string raw, bool isBirth, List<string> errors, DateOnly referenceDate)
    {
        if (raw.All(c => c == '<')) return "";
        if (raw.All(char.IsAsciiDigit))
        {
            var yy = int.Parse(raw[..2], CultureInfo.InvariantCulture);
            var month = int.Parse(raw[2..4], CultureInfo.InvariantCulture);
            var day = int.Parse(raw[4..6], CultureInfo.InvariantCulture);
            DateOnly? Make(int year) =>
                month is >= 1 and <= 12 && day >= 1 && day <= DateTime.DaysInMonth(year, month) ? new DateOnly(year, month, day) : null;
            var recent = Make(2000 + yy);
            var date = isBirth
                ? (recent is { } r && r <= referenceDate ? recent : Make(1900 + yy))
                : (recent is { } e && e <= referenceDate.AddYears(50) ? recent : Make(1900 + yy));
            if (date is { } d) return d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        }
        errors.Add($"{field}: '{raw}' is not a YYMMDD date");
        return "";
    }
}
