using VerifyPipeline.Rules.Identity;

namespace VerifyPipeline.Worker.Reading.Documents;

/// <summary>
/// Turns OCR readings of a printed codice fiscale into a code, or into nothing. The check character (DM 23/12/1976
/// art. 7) detects every single substitution of a letter by a letter or a digit by a digit (each position's values
/// are a permutation), so a code that validates after at most one change is very unlikely to be someone else's —
/// provided the change is one the readings themselves support and no other change validates too.
/// </summary>
internal static class CfCandidates
{
    /// <summary>0-based positions that hold letters whatever the omocodia: surname and name (0–5), month (8), the place's
    /// letter (11) and the check character (15).</summary>
    private static readonly int[] LetterIndexes = [0, 1, 2, 3, 4, 5, 8, 11, 15];

    /// <summary>0-based positions of digits (7, 8, 10, 11, 13–15 in the 1-based numbering); omocodia may put L M N P Q R S T U V there.</summary>
    private static readonly int[] DigitIndexes = [6, 7, 9, 10, 12, 13, 14];

    /// <summary>First letters of the cadastral (Belfiore) codes: Italian comuni A001–M436, foreign states Z.</summary>
    public const string PlaceLetters = "ABCDEFGHIJKLMZ";

    /// <summary>The characters position <paramref name="index"/> (0-based) of a codice fiscale can hold: letters; the month
    /// letters at 8; a place code's first letter at 11; digits or omocodia letters at the digit positions.</summary>
    public static string Allowed(int index) => index switch
    {
        8 => CodiceFiscale.MonthLetters,
        11 => PlaceLetters,
        6 or 7 or 9 or 10 or 12 or 13 or 14 => "0123456789" + CodiceFiscale.OmocodiaLetters,
        _ => "ABCDEFGHIJKLMNOPQRSTUVWXYZ",
    };

    /// <summary>Valid (<see cref="CodiceFiscale.IsValid"/>) with a place code that can exist: a letter beyond M (but Z)
    /// there is a misreading the check character does not see when another character is misread too.</summary>
    public static bool IsPlausible(string code, DateOnly referenceDate) =>
        CodiceFiscale.IsValid(code, referenceDate) && PlaceLetters.Contains(code[11]);

    /// <summary>
    /// White space removed and the confusions no code can contain put right by position: a letter position cannot hold a
    /// digit (0→O, 1→I, 2→Z, 5→S, 6→G, 8→B), a digit position cannot hold O, D, I, Z, B, G (not omocodia letters: 0, 0,
    /// 1, 2, 8, 6). Deterministic, one result per reading: nothing is guessed. Other lengths than 16 are returned unrepaired.
    /// </summary>
    public static string Repair(string raw)
    {
        var cf = CodiceFiscale.Normalize(raw);
        if (cf.Length != 16) return cf;
        var chars = cf.ToCharArray();
        foreach (var i in LetterIndexes)
            chars[i] = chars[i] switch { '0' => 'O', '1' => 'I', '2' => 'Z', '5' => 'S', '6' => 'G', '8' => 'B', _ => chars[i] };
        foreach (var i in DigitIndexes)
            chars[i] = chars[i] switch { 'O' or 'D' => '0', 'I' => '1', 'Z' => '2', 'B' => '8', 'G' => '6', _ => chars[i] };
        return new string(chars);
    }

    private static bool IsDigitPosition(int index) => DigitIndexes.Contains(index);

    /// <summary>Characters an OCR of this typeface takes for one another, measured on the fax and scan readings of the
    /// CIE's code (a Q's tail lost, an E's or L's foot lost, a B's bowls merged); the digit/letter pairs are not here,
    /// <see cref="Repair"/> settles them by position.</summary>
    private static readonly Dictionary<char, string> Confusions = new()
    {
        ['O'] = "QD", ['Q'] = "O", ['D'] = "O", ['E'] = "F", ['F'] = "E", ['I'] = "LT", ['L'] = "I", ['T'] = "I",
        ['B'] = "R8", ['R'] = "B", ['8'] = "B",
    };

    /// <summary>
    /// The code several readings of one line give, or none. <paramref name="readings"/>: every reading of the line (any
    /// length, <see cref="Repair"/> applied here); <paramref name="cells"/>: those of them read one symbol per
    /// character; <paramref name="alternatives"/>: per position, the other characters Tesseract weighed there (16, or null).
    /// <list type="number">
    /// <item>Confirmed: two readings validate as the same code and no reading validates as another.</item>
    /// <item>Otherwise one substitution: the base (the cell readings' position-by-position majority, else all
    /// readings') and every code one position away from it — that position taking a known confusion of its character
    /// (<see cref="Confusions"/>) or a digit/letter Tesseract weighed there, never an omocodia letter — are checked,
    /// together with every reading; the code is accepted, unconfirmed, only when exactly one distinct code validates
    /// and at most one of its characters was not read alike by two readings.</item>
    /// </list>
    /// Never two changes: a misread code that is one confusion away from two valid codes, or whose readings validate
    /// as different codes, gives nothing.
    /// </summary>
    public static CfPick Pick(IReadOnlyList<string> readings, IReadOnlyList<string> cells, IReadOnlyList<string>? alternatives, DateOnly referenceDate)
    {
        bool Valid(string code) => IsPlausible(code, referenceDate);
        var repaired = readings.Select(Repair).ToList();
        var valid = repaired.Where(Valid).ToList();
        var distinct = valid.Distinct(StringComparer.Ordinal).ToList();
        if (distinct.Count == 1 && valid.Count >= 2) return new CfPick(distinct[0], Confirmed: true);

        var whole = repaired.Where(r => r.Length == 16).ToList();
        var basis = Majority(cells.Select(Repair).Where(r => r.Length == 16).ToList()) ?? Majority(whole);
        var codes = new HashSet<string>(distinct, StringComparer.Ordinal);
        if (basis is not null)
        {
            if (Valid(basis)) codes.Add(basis);
            for (var i = 0; i < 16; i++)
            {
                var others = Confusions.GetValueOrDefault(basis[i], "") + (alternatives is { Count: 16 } ? alternatives[i] : "");
                // Omocodia letters are read as they are, never guessed: a letter put where a digit belongs makes a
                // valid code of its own (Q for 0 is the same person's omocodic variant, with another check character).
                foreach (var c in others.Distinct().Where(c => c != basis[i] && (!IsDigitPosition(i) || char.IsDigit(c))))
                {
                    var candidate = basis[..i] + c + basis[(i + 1)..];
                    if (Valid(candidate)) codes.Add(candidate);
                }
            }
        }
        if (codes.Count != 1) return new CfPick(null, false);
        var code = codes.Single();
        // One wrong character is caught by the check character; two can make another valid code (1 in 26), by chance
        // or by the one change made. So at most one character of the code may lack a second reading alike: the
        // changed one, or the one a lone valid reading differs in.
        var once = Enumerable.Range(0, 16).Count(i => whole.Count(r => r[i] == code[i]) < 2);
        return once <= 1 ? new CfPick(code, Confirmed: false) : new CfPick(null, false);
    }

    /// <summary>Position by position the character most readings have (ties: the earliest reading's); null when none.</summary>
    internal static string? Majority(IReadOnlyList<string> readings)
    {
        if (readings.Count == 0) return null;
        var chars = new char[readings[0].Length];
        for (var i = 0; i < chars.Length; i++)
        {
            var votes = readings.Select(r => r[i]).GroupBy(c => c).ToDictionary(g => g.Key, g => g.Count());
            var best = votes.Values.Max();
            chars[i] = readings.Select(r => r[i]).First(c => votes[c] == best);
        }
        return new string(chars);
    }
}

/// <summary>A codice fiscale chosen from several readings: <see cref="Confirmed"/> when two readings gave it as is,
/// false when it took one substitution (a value to show, not to rely on).</summary>
internal sealed record CfPick(string? Code, bool Confirmed);
