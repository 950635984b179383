using System.Globalization;
using System.Text;

namespace VerifyPipeline.Rules.Identity;

/// <summary>One specific reason a codice fiscale is invalid; <see cref="Position"/> is 1-based when it applies.</summary>
public sealed record CfError(string Code, string Message, int? Position = null)
{
    public const string Empty = "EMPTY", Length = "LENGTH", BadChar = "BAD_CHAR", BadNamePart = "BAD_NAME_PART",
        BadMonth = "BAD_MONTH", BadDay = "BAD_DAY", BadDate = "BAD_DATE", BadCheckChar = "BAD_CHECK_CHAR";

    public override string ToString() => $"{Code}: {Message}";
}

/// <summary>
/// What a codice fiscale says. <see cref="Canonical"/> is the de-omocodised code (digits restored, check character
/// recomputed) whenever the structure allows it, even when the code as written is invalid. <see cref="Place"/> is
/// null when no table was given or the code is not in it (historical places are missing, which is not an error).
/// </summary>
public sealed record CodiceFiscaleResult(
    string Input,
    string Normalized,
    bool Valid,
    bool Omocodia,
    string? Canonical,
    DateOnly? BirthDate,
    char? Sex,
    string? PlaceCode,
    CadastralPlace? Place,
    bool CheckCharOk,
    char? ExpectedCheckChar,
    IReadOnlyList<CfError> Errors);

/// <summary>
/// Italian codice fiscale (DM 23/12/1976, DPR 605/1973): 16 characters SSSNNNYYMDDPPPPC.
/// Omocodia (the Agenzia's fix for two people with the same code) replaces digits at positions 7, 8, 10, 11, 13, 14, 15
/// with L M N P Q R S T U V; every such variant is a valid code of the same person.
/// </summary>
public static class CodiceFiscale
{
    public const string OmocodiaLetters = "LMNPQRSTUV";
    public const string MonthLetters = "ABCDEHLMPRST";

    /// <summary>0-based indexes of the characters omocodia may substitute, right to left is the Agenzia's order.</summary>
    private static readonly int[] DigitIndexes = [6, 7, 9, 10, 12, 13, 14];

    // Check character tables (DM 23/12/1976 art. 7): characters at odd 1-based positions use OddValues, even positions their ordinal.
    private static readonly int[] OddValues = [1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24, 23];

    /// <summary>Upper case, trimmed, all white space removed. Nothing else is removed: a dash is not part of a codice fiscale.</summary>
    public static string Normalize(string? code)
    {
        if (string.IsNullOrEmpty(code)) return "";
        var sb = new StringBuilder(code.Length);
        foreach (var c in code)
            if (!char.IsWhiteSpace(c)) sb.Append(char.ToUpperInvariant(c));
        return sb.ToString();
    }

    /// <summary>
    /// Parses and validates. The two-digit year is resolved against <paramref name="referenceDate"/> (the evaluation date,
    /// <c>AsOf</c>): the birth date is the latest of 19YY-MM-DD and 20YY-MM-DD that is not after the reference date — a
    /// codice fiscale is issued at birth at the earliest, so it cannot describe a future birth. Consequence: people over
    /// 100 years old get the wrong century (see the report of the vectors), which no code-only rule can avoid.
    /// </summary>
    public static CodiceFiscaleResult Parse(string? code, DateOnly referenceDate, CadastralPlaces? places = null)
    {
        var input = code ?? "";
        var n = Normalize(input);
        var errors = new List<CfError>();
        if (n.Length == 0)
        {
            errors.Add(new CfError(CfError.Empty, "no code given"));
            return Result(false, null, null, null, null, false, null);
        }
        if (n.Length != 16)
            errors.Add(new CfError(CfError.Length, $"length {n.Length}, expected 16"));

        CheckCharacters(n, errors);
        if (errors.Count > 0)
            return Result(false, null, null, null, null, false, null);

        var body = Deomocodise(n[..15]);
        var omocodia = !string.Equals(body, n[..15], StringComparison.Ordinal);
        var canonical = body + CheckChar(body);

        CheckNamePart(n, 0, "surname", errors);
        CheckNamePart(n, 3, "given names", errors);

        var yy = (body[6] - '0') * 10 + (body[7] - '0');
        var month = MonthLetters.IndexOf(n[8]) + 1; // a bad month letter was reported by CheckCharacters
        var dayCode = (body[9] - '0') * 10 + (body[10] - '0');
        char? sex = dayCode is >= 1 and <= 31 ? 'M' : dayCode is >= 41 and <= 71 ? 'F' : null;
        if (sex is null) errors.Add(new CfError(CfError.BadDay, $"positions 10-11: day {dayCode:00} is neither 01-31 (men) nor 41-71 (women)", 10));

        DateOnly? birth = null;
        if (sex is not null)
        {
            birth = ResolveBirthDate(yy, month, sex == 'F' ? dayCode - 40 : dayCode, referenceDate);
            if (birth is null)
                errors.Add(new CfError(CfError.BadDate, $"{yy:00}-{month:00}-{(sex == 'F' ? dayCode - 40 : dayCode):00} is not a calendar date not after {referenceDate:yyyy-MM-dd}", 7));
        }

        var expected = CheckChar(n[..15]);
        var checkOk = n[15] == expected;
        if (!checkOk)
            errors.Add(new CfError(CfError.BadCheckChar, $"check character: expected {expected} got {n[15]}", 16));

        var placeCode = body.Substring(11, 4);
        return Result(errors.Count == 0, omocodia, canonical, birth, sex, checkOk, expected, placeCode);

        CodiceFiscaleResult Result(bool valid, bool? omo, string? canon, DateOnly? date, char? s, bool ok, char? exp, string? place = null) =>
            new(input, n, valid, omo ?? false, canon, date, s, place, place is null ? null : places?.Find(place), ok, exp, errors);
    }

    public static bool IsValid(string? code, DateOnly referenceDate) => Parse(code, referenceDate).Valid;

    /// <summary>
    /// True when both codes are well-formed with a correct check character and denote the same canonical code
    /// (one may be an omocodia variant of the other). Independent of any date: validity of the date is not compared.
    /// </summary>
    public static bool EqualModuloOmocodia(string? a, string? b)
    {
        var ca = StructuralCanonical(a);
        return ca is not null && ca == StructuralCanonical(b);
    }

    /// <summary>The check character of the first 15 characters (omocodia letters included as written).</summary>
    public static char CheckChar(string first15)
    {
        if (first15.Length != 15) throw new ArgumentException("the check character is computed over 15 characters", nameof(first15));
        var sum = 0;
        for (var i = 0; i < 15; i++)
        {
            var c = char.ToUpperInvariant(first15[i]);
            var v = c is >= '0' and <= '9' ? c - '0' : c is >= 'A' and <= 'Z' ? c - 'A' : throw new ArgumentException($"'{c}' is not A-Z or 0-9", nameof(first15));
            sum += i % 2 == 0 ? OddValues[v] : v; // index 0 is position 1, an odd position
        }
        return (char)('A' + sum % 26);
    }

    /// <summary>
    /// All 128 codes of the same person: index 0 is the canonical code; bit k of the index substitutes the k-th digit
    /// from the right (positions 15, 14, 13, 11, 10, 8, 7), so indexes 1, 3, 7, … 127 are the Agenzia's successive
    /// assignments. Accepts a canonical or omocodised code with or without its check character.
    /// </summary>
    public static IReadOnlyList<string> OmocodiaVariants(string code)
    {
        var n = Normalize(code);
        if (n.Length is not (15 or 16)) throw new ArgumentException("a codice fiscale has 16 characters", nameof(code));
        var body = Deomocodise(n[..15]);
        foreach (var i in DigitIndexes)
            if (!char.IsAsciiDigit(body[i])) throw new ArgumentException($"position {i + 1} is not a digit or omocodia letter", nameof(code));
        var variants = new string[128];
        for (var mask = 0; mask < 128; mask++)
        {
            var chars = body.ToCharArray();
            for (var k = 0; k < 7; k++)
            {
                if ((mask & (1 << k)) == 0) continue;
                var idx = DigitIndexes[6 - k];
                chars[idx] = OmocodiaLetters[chars[idx] - '0'];
            }
            var s = new string(chars);
            variants[mask] = s + CheckChar(s);
        }
        return variants;
    }

    /// <summary>
    /// The canonical code of a person (DM 23/12/1976): surname consonants then vowels then X; given names likewise, except
    /// that with 4 or more consonants the 1st, 3rd and 4th are taken; accents are dropped (È → E), apostrophes, spaces and
    /// other non-letters ignored. <paramref name="placeCode"/> is the cadastral code (H501, Z404…).
    /// </summary>
    public static string Compute(string surname, string givenNames, DateOnly birthDate, char sex, string placeCode)
    {
        var s = char.ToUpperInvariant(sex);
        if (s is not ('M' or 'F')) throw new ArgumentException("sex must be M or F", nameof(sex));
        var place = (placeCode ?? "").Trim().ToUpperInvariant();
        if (place.Length != 4 || !char.IsAsciiLetterUpper(place[0]) || !place[1..].All(char.IsAsciiDigit))
            throw new ArgumentException($"'{placeCode}' is not a cadastral code (a letter and 3 digits)", nameof(placeCode));

        var (sc, sv) = Letters(surname);
        var (nc, nv) = Letters(givenNames);
        var surnamePart = Pad(sc + sv);
        var namePart = nc.Length >= 4 ? $"{nc[0]}{nc[2]}{nc[3]}" : Pad(nc + nv);
        var day = birthDate.Day + (s == 'F' ? 40 : 0);
        var body = string.Create(CultureInfo.InvariantCulture,
            $"{surnamePart}{namePart}{birthDate.Year % 100:00}{MonthLetters[birthDate.Month - 1]}{day:00}{place}");
        return body + CheckChar(body);

        static string Pad(string s) => (s + "XXX")[..3];
    }

    private static (string Consonants, string Vowels) Letters(string? text)
    {
        var consonants = new StringBuilder();
        var vowels = new StringBuilder();
        foreach (var c in (text ?? "").Normalize(NormalizationForm.FormD))
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark) continue;
            var u = char.ToUpperInvariant(c);
            if (!char.IsAsciiLetterUpper(u)) continue;
            (u is 'A' or 'E' or 'I' or 'O' or 'U' ? vowels : consonants).Append(u);
        }
        return (consonants.ToString(), vowels.ToString());
    }

    private static void CheckCharacters(string n, List<CfError> errors)
    {
        for (var i = 0; i < Math.Min(n.Length, 16); i++)
        {
            var c = n[i];
            var pos = i + 1;
            var isDigitSlot = Array.IndexOf(DigitIndexes, i) >= 0;
            if (isDigitSlot)
            {
                if (!char.IsAsciiDigit(c) && OmocodiaLetters.IndexOf(c) < 0)
                    errors.Add(new CfError(CfError.BadChar, $"position {pos}: '{c}' is neither a digit nor an omocodia letter ({OmocodiaLetters})", pos));
            }
            else if (!char.IsAsciiLetterUpper(c))
                errors.Add(new CfError(CfError.BadChar, $"position {pos}: '{c}' is not a letter", pos));
            else if (i == 8 && MonthLetters.IndexOf(c) < 0)
                errors.Add(new CfError(CfError.BadMonth, $"position 9: '{c}' is not a month letter ({MonthLetters})", 9));
        }
    }

    /// <summary>Consonants come first, then vowels, then X filler: a vowel followed by another consonant cannot be produced.</summary>
    private static void CheckNamePart(string n, int start, string what, List<CfError> errors)
    {
        var part = n.Substring(start, 3);
        var seenVowel = false;
        var seenFiller = false;
        foreach (var c in part)
        {
            var vowel = c is 'A' or 'E' or 'I' or 'O' or 'U';
            if (vowel && !seenFiller) { seenVowel = true; continue; }
            if (!seenVowel) continue; // consonant before any vowel (X included: it is a real consonant there)
            if (c == 'X') { seenFiller = true; continue; }
            errors.Add(new CfError(CfError.BadNamePart, $"positions {start + 1}-{start + 3}: '{part}' cannot encode a {what} (consonants, then vowels, then X)", start + 1));
            return;
        }
    }

    private static string Deomocodise(string first15)
    {
        var chars = first15.ToCharArray();
        foreach (var i in DigitIndexes)
        {
            if (i >= chars.Length) continue;
            var k = OmocodiaLetters.IndexOf(chars[i]);
            if (k >= 0) chars[i] = (char)('0' + k);
        }
        return new string(chars);
    }

    private static DateOnly? ResolveBirthDate(int yy, int month, int day, DateOnly referenceDate)
    {
        foreach (var century in (int[])[2000, 1900])
        {
            var year = century + yy;
            if (day <= DateTime.DaysInMonth(year, month))
            {
                var date = new DateOnly(year, month, day);
                if (date <= referenceDate) return date;
            }
        }
        return null;
    }

    private static string? StructuralCanonical(string? code)
    {
        var n = Normalize(code);
        if (n.Length != 16) return null;
        var errors = new List<CfError>();
        CheckCharacters(n, errors);
        if (errors.Count > 0 || CheckChar(n[..15]) != n[15]) return null;
        var body = Deomocodise(n[..15]);
        return body + CheckChar(body);
    }
}
