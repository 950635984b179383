namespace VerifyPipeline.Rules.Identity;

/// <summary>One character changed by <see cref="Mrz.TryCorrect(string?, DateOnly)"/>; Line and Column are 1-based.</summary>
public sealed record MrzChange(int Line, int Column, char From, char To, string Field, string Reason);

/// <summary>
/// The corrected zone (lines joined with '\n'), every change with its reason, the lines that were dropped as not part of
/// the zone, and the parse of the corrected zone. <see cref="Changed"/> is false when nothing was altered.
/// </summary>
public sealed record MrzCorrection(string Text, IReadOnlyList<MrzChange> Changes, IReadOnlyList<string> Notes, MrzResult Result)
{
    public bool Changed => Changes.Count > 0 || Notes.Count > 0;
}

public static partial class Mrz
{
    // OCR confusions between look-alike glyphs in OCR-B (the MRZ typeface).
    private static readonly Dictionary<char, char> ToDigit = new()
    {
        ['O'] = '0', ['Q'] = '0', ['D'] = '0', ['I'] = '1', ['L'] = '1', ['Z'] = '2', ['S'] = '5', ['G'] = '6', ['B'] = '8',
    };
    private static readonly Dictionary<char, char> ToLetter = new()
    {
        ['0'] = 'O', ['1'] = 'I', ['2'] = 'Z', ['5'] = 'S', ['6'] = 'G', ['8'] = 'B',
    };
    private const string FillerLookalikes = "KXS";
    private const int MaxAmbiguousCells = 12;

    /// <inheritdoc cref="TryCorrect(IReadOnlyList{string}, DateOnly)"/>
    public static MrzCorrection TryCorrect(string? text, DateOnly referenceDate) =>
        TryCorrect((text ?? "").Replace("\\n", "\n", StringComparison.Ordinal).Split('\n'), referenceDate);

    /// <summary>
    /// Repairs OCR output of a zone, in this order: keeps the run of consecutive lines that fits a layout (other lines are
    /// noted and dropped); in positions that can only hold digits (dates, check digits) turns O/Q/D→0, I/L→1, Z→2, S→5,
    /// G→6, B→8; in positions that can only hold letters (codes, states, sex, names) the reverse; in the trailing filler
    /// run of names and optional data turns a K, X or S between two '&lt;' into '&lt;'. Alphanumeric fields (document
    /// number, personal number, optional data) are changed only when their check digit — or the composite — is wrong and
    /// exactly one smallest set of look-alike swaps makes it right; an ambiguous repair is not made.
    /// </summary>
    public static MrzCorrection TryCorrect(IReadOnlyList<string> rawLines, DateOnly referenceDate)
    {
        var notes = new List<string>();
        var changes = new List<MrzChange>();
        var cleaned = rawLines.Select(CleanLine).Where(l => l.Length > 0).ToList();
        var (start, layout) = FindZone(cleaned);
        if (layout is null)
        {
            var text = string.Join('\n', cleaned);
            return new MrzCorrection(text, changes, ["no run of lines fits 3×30, 2×36 or 2×44"], Parse(cleaned, referenceDate));
        }
        for (var i = 0; i < cleaned.Count; i++)
            if (i < start || i >= start + layout.Lines)
                notes.Add($"dropped line '{cleaned[i]}': not part of the zone");

        var grid = cleaned.Skip(start).Take(layout.Lines).Select(l => l.ToCharArray()).ToArray();

        void Set(int line, int col, char to, string field, string reason)
        {
            var from = grid[line][col];
            if (from == to) return;
            grid[line][col] = to;
            changes.Add(new MrzChange(line + 1, col + 1, from, to, field, reason));
        }

        foreach (var z in layout.Zones)
        {
            for (var c = z.Start; c < z.Start + z.Length; c++)
            {
                var ch = grid[z.Line][c];
                switch (z.Kind)
                {
                    case Kind.Digits or Kind.CheckDigit when ToDigit.TryGetValue(ch, out var d):
                        Set(z.Line, c, d, z.Field, "digit-only position");
                        break;
                    case Kind.Alpha or Kind.Sex or Kind.Names when ToLetter.TryGetValue(ch, out var a):
                        Set(z.Line, c, a, z.Field, "letter-only position");
                        break;
                }
            }
            if (z.Kind is Kind.Names or Kind.AlphaNum) FixTrailingFillers(grid, z, Set);
        }

        var lines = () => grid.Select(g => new string(g)).ToList();

        // Check-digit-guided repairs of alphanumeric fields.
        var number = DocumentNumber(lines(), layout);
        if (number.CheckCell != (layout["document_number_check"].Line, layout["document_number_check"].Start)
            && ToDigit.TryGetValue(grid[number.CheckCell.Line][number.CheckCell.Col], out var nd))
        {
            Set(number.CheckCell.Line, number.CheckCell.Col, nd, "document_number_check", "digit-only position");
            number = DocumentNumber(lines(), layout);
        }
        Repair(grid, number.NumberCells, () => CheckOk(DocumentNumber(lines(), layout)), "document_number", Set);
        if (layout.Format == Td3)
        {
            Repair(grid, Cells(layout["personal_number"]), () => Parse(lines(), referenceDate).Checks.Single(c => c.Field == "personal_number").Ok, "personal_number", Set);
        }
        if (layout.HasComposite)
        {
            var optional = layout.Zones.Where(z => z.Kind == Kind.AlphaNum && z.Field.StartsWith("optional_data", StringComparison.Ordinal))
                .SelectMany(Cells).Except(DocumentNumber(lines(), layout).NumberCells).ToArray();
            Repair(grid, optional, () => Parse(lines(), referenceDate).Checks.Single(c => c.Field == "composite").Ok, "optional_data", Set);
        }

        var final = lines();
        return new MrzCorrection(string.Join('\n', final), changes, notes, Parse(final, referenceDate));
    }

    private static bool CheckOk((string Number, char Check, string? OptionalField, string OptionalRest, (int, int)[] NumberCells, (int, int) CheckCell) n) =>
        TryCheckDigit(n.Number) == n.Check;

    private static (int Line, int Col)[] Cells(Zone z) => Enumerable.Range(z.Start, z.Length).Select(c => (z.Line, c)).ToArray();

    private static (int Start, Layout? Layout) FindZone(List<string> lines)
    {
        foreach (var (count, width) in new[] { (2, 44), (2, 36), (3, 30) })
            for (var s = 0; s + count <= lines.Count; s++)
            {
                var window = lines.GetRange(s, count);
                if (window.All(l => l.Length == width) && Detect(window) is { } layout) return (s, layout);
            }
        return (0, null);
    }

    /// <summary>K, X or S standing between two '&lt;' in the run of fillers that ends the field is a misread filler.</summary>
    private static void FixTrailingFillers(char[][] grid, Zone z, Action<int, int, char, string, string> set)
    {
        var row = grid[z.Line];
        var end = z.Start + z.Length;
        var runStart = end;
        while (runStart > z.Start && (row[runStart - 1] == '<' || FillerLookalikes.Contains(row[runStart - 1]))) runStart--;
        for (var c = runStart + 1; c < end - 1; c++)
            if (FillerLookalikes.Contains(row[c]) && row[c - 1] == '<' && row[c + 1] == '<')
                set(z.Line, c, '<', z.Field, "misread filler in a filler run");
    }

    /// <summary>
    /// When <paramref name="ok"/> is false, tries swapping look-alike characters (0/O, 1/I, 2/Z, 5/S, 6/G, 8/B) in
    /// <paramref name="cells"/>, fewest swaps first; applies the repair only when exactly one set of that size works.
    /// </summary>
    private static void Repair(char[][] grid, (int Line, int Col)[] cells, Func<bool> ok, string field, Action<int, int, char, string, string> set)
    {
        if (ok()) return;
        var ambiguous = cells.Where(p => Swap(grid[p.Line][p.Col]) is not null).Take(MaxAmbiguousCells).ToArray();
        for (var size = 1; size <= ambiguous.Length; size++)
        {
            List<int>? found = null;
            var count = 0;
            foreach (var combo in Combinations(ambiguous.Length, size))
            {
                foreach (var i in combo) Flip(grid, ambiguous[i]);
                if (ok()) { count++; found ??= [.. combo]; }
                foreach (var i in combo) Flip(grid, ambiguous[i]);
                if (count > 1) break;
            }
            if (count == 1)
            {
                foreach (var i in found!)
                {
                    var (l, c) = ambiguous[i];
                    set(l, c, Swap(grid[l][c])!.Value, field, "look-alike swap that makes the check digit agree");
                }
                return;
            }
            if (count > 1) return;
        }
    }

    private static void Flip(char[][] grid, (int Line, int Col) p) => grid[p.Line][p.Col] = Swap(grid[p.Line][p.Col])!.Value;

    private static char? Swap(char c) =>
        ToLetter.TryGetValue(c, out var l) ? l : c is 'O' or 'I' or 'Z' or 'S' or 'G' or 'B' ? ToDigit[c] : null;

    private static IEnumerable<int[]> Combinations(int n, int k)
    {
        var idx = Enumerable.Range(0, k).ToArray();
        while (true)
        {
            yield return idx;
            var i = k - 1;
            while (i >= 0 && idx[i] == n - k + i) i--;
            if (i < 0) yield break;
            idx[i]++;
            for (var j = i + 1; j < k; j++) idx[j] = idx[j - 1] + 1;
        }
    }
}
