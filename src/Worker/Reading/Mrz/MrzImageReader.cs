using System.Diagnostics;
using OpenCvSharp;
using VerifyPipeline.Rules.Identity;
using MrzRules = VerifyPipeline.Rules.Identity.Mrz;

namespace VerifyPipeline.Worker.Reading.Mrz;

/// <summary>
/// What <see cref="MrzImageReader.Read"/> found: the lines as classified (each cell the closest character its position
/// may hold, plus the search's repairs), the check-digit-guided correction of them
/// (<see cref="MrzRules.TryCorrect(IReadOnlyList{string}, DateOnly)"/>) and its parse, where the zone was (in the input
/// image's pixels, as a rotated rectangle), and the mean glyph distance (0 = identical to a template).
/// </summary>
public sealed record MrzImageRead(
    bool Found, IReadOnlyList<string> Lines, MrzCorrection? Correction, double Seconds, string? Failure,
    RotatedRect? Zone = null, double MeanDistance = 0, int Attempts = 0)
{
    public MrzResult? Result => Correction?.Result;

    public bool Valid => Correction?.Result.Valid == true;
}

/// <summary>
/// Reads the machine readable zone from a page or card image: finds it as 2–3 long parallel chains of glyphs
/// (<see cref="GlyphChains"/>) or, failing that, as the dense band of dark, small, horizontal text (black-hat,
/// horizontal gradient, closing — the classic MRZ localiser), straightens it, splits it into lines, fits the monospaced
/// ICAO grid (30, 36 or 44 cells, shared by the lines) to the glyphs, classifies each cell against OCR-B templates
/// (<see cref="OcrBGlyphs"/>) among the characters its position may hold, and repairs the result with the check digits
/// (<see cref="Search"/>) and the list of state codes. Tries the image as given and turned by 90°, each band the right
/// way up and upside down, and stops at the first zone valid as a whole.
/// </summary>
public static class MrzImageReader
{
    private const int WorkSize = 900;

    public static MrzImageRead Read(string path, DateOnly asOf)
    {
        using var grey = Cv2.ImRead(path, ImreadModes.Grayscale);
        if (grey.Empty()) return new MrzImageRead(false, [], null, 0, "image could not be decoded");
        return Read(grey, asOf);
    }

    /// <summary>Reads the zone; stops at the first reading valid as a whole, or when <paramref name="budget"/> (default
    /// 1.5 s) is spent, with the best reading so far (<see cref="Better"/>).</summary>
    public static MrzImageRead Read(Mat grey, DateOnly asOf, TimeSpan? budget = null)
    {
        var sw = Stopwatch.StartNew();
        var limit = budget ?? TimeSpan.FromSeconds(1.5);
        MrzImageRead? best = null;
        var attempts = 0;
        if (Environment.GetEnvironmentVariable("VERIFY_MRZ_DEBUG") is { Length: > 0 } dbg0)
        {
            var f = 1000.0 / Math.Max(grey.Width, grey.Height);
            using var small = new Mat();
            Cv2.Resize(grey, small, new Size(), f, f, InterpolationFlags.Area);
            Cv2.ImWrite(Path.Combine(dbg0, "input.png"), small);
        }
        // Glyph chains first (precise, any pitch), then the morphological localiser at three scales as a fallback.
        foreach (var (quarter, workSize) in new[] { (false, 0), (false, 900), (false, 600), (false, 1400), (true, 0), (true, 900), (true, 600) })
        {
            using var img = quarter ? new Mat() : grey.Clone();
            if (quarter) Cv2.Rotate(grey, img, RotateFlags.Rotate90Clockwise);
            var zones = workSize == 0 ? GlyphChains.Locate(img) : Locate(img, workSize);
            Trace($"located {workSize} {quarter} at {sw.Elapsed.TotalSeconds:F3}");
            foreach (var zone in zones.Take(3))
            {
                // The chains' zone is tight; the morphological one may hold a single line of the zone.
                using var strip = Straighten(img, zone, workSize == 0 ? 1.6 : 4);
                if (Environment.GetEnvironmentVariable("VERIFY_MRZ_DEBUG") is { Length: > 0 } dbg)
                    Cv2.ImWrite(Path.Combine(dbg, $"strip-{attempts}-{(quarter ? 90 : 0)}-{workSize}.png"), strip);
                var inInput = quarter ? UnrotateQuarter(zone, grey.Size()) : zone;
                MrzImageRead Evaluate(Reading reading, bool search)
                {
                    attempts++;
                    var (lines, doubts) = Constrain(reading);
                    var correction = MrzRules.TryCorrect(lines, asOf);
                    // Search the doubts only of readings that look like a zone (a known layout, a check digit right).
                    if (!correction.Result.Valid && search && correction.Result.Format != MrzRules.Unknown
                        && correction.Result.Checks.Any(c => c.Ok) && Search(reading, lines, doubts, asOf, () => sw.Elapsed > limit) is { } found)
                        (lines, correction) = found;
                    var read = new MrzImageRead(true, lines, correction, 0, null, inInput, reading.MeanDistance);
                    Trace($"reading valid {read.Valid} search {search} at {sw.Elapsed.TotalSeconds:F3}");
                    if (best is null || Better(read, best)) best = read;
                    return read;
                }
                // Most zones are the right way up and read valid at once: that costs one reading of the strip.
                var readings = ReadStrip(strip);
                foreach (var reading in readings)
                    if (Evaluate(reading, search: false).Valid) return best! with { Seconds = sw.Elapsed.TotalSeconds, Attempts = attempts };
                // Else both ways up, the glyphs of the wrong way match the templates worse, so closest readings first,
                // and the two closest searched.
                using (var flipped = new Mat())
                {
                    Cv2.Rotate(strip, flipped, RotateFlags.Rotate180);
                    readings.AddRange(ReadStrip(flipped));
                }
                readings.Sort((x, y) => x.MeanDistance.CompareTo(y.MeanDistance));
                Trace($"read {readings.Count} at {sw.Elapsed.TotalSeconds:F3}");
                for (var i = 0; i < readings.Count; i++)
                    if (Evaluate(readings[i], search: i < 2).Valid || sw.Elapsed > limit)
                        return best! with { Seconds = sw.Elapsed.TotalSeconds, Attempts = attempts };
            }
        }
        return (best ?? new MrzImageRead(false, [], null, 0, "no machine readable zone found")) with
        {
            Seconds = sw.Elapsed.TotalSeconds, Attempts = attempts,
        };
    }

    private static void Trace(string line)
    {
        if (Environment.GetEnvironmentVariable("VERIFY_MRZ_DEBUG") is { Length: > 0 } dbg)
            File.AppendAllText(Path.Combine(dbg, "trace.txt"), line + "\n");
    }

    /// <summary>
    /// Check-digit-guided search. First every single cell of a digit or alphanumeric position with every character it
    /// may hold: of the changes that make the zone valid as a whole (all check digits and the composite) the one the
    /// classifier finds least far from the glyph is taken — a glyph spoilt by a stamp or a guilloche may be far from its
    /// character, yet nearer to it than to the others that fit. Then the classifier's doubts (<see cref="Constrain"/>)
    /// two and three at a time, closest margins first, the first valid combination taken. Bounded: ~50 cells × 36
    /// characters, then at most 14 doubtful cells, 147 combinations (triples among the 8 closest).
    /// </summary>
    private static (List<string>, MrzCorrection)? Search(Reading reading, List<string> read, List<Doubt> doubts, DateOnly asOf, Func<bool> late)
    {
        var grid = read.Select(x => x.ToCharArray()).ToArray();
        var kinds = MrzRules.CellKinds(read);
        if (kinds is null) return null;
        // The change of one cell of a digit or alphanumeric position, to a character it may hold within `cap` of the
        // glyph, that the parse accepts and the classifier finds nearest.
        (int Line, int Col, char To, float Cost)? Cheapest(Func<MrzResult, bool> accept, float cap)
        {
            (int, int, char, float)? found = null;
            for (var l = 0; l < grid.Length; l++)
                for (var c = 0; c < grid[l].Length; c++)
                {
                    if (kinds[l][c] == 'L' || late()) continue;
                    var was = grid[l][c];
                    var now = reading.Guesses[l][c].FirstOrDefault(g => g.Char == was).Distance;
                    foreach (var g in reading.Guesses[l][c])
                    {
                        if (g.Distance - now >= cap) break;
                        if (g.Char == was || (kinds[l][c] == 'D' && !char.IsAsciiDigit(g.Char) && g.Char != '<')) continue;
                        grid[l][c] = g.Char;
                        var ok = accept(MrzRules.Parse(grid.Select(x => new string(x)).ToList(), asOf));
                        grid[l][c] = was;
                        if (!ok) continue;
                        (found, cap) = ((l, c, g.Char, g.Distance - now), g.Distance - now);
                        break;
                    }
                }
            return found;
        }
        (List<string>, MrzCorrection)? Valid()
        {
            var lines = grid.Select(x => new string(x)).ToList();
            var corr = MrzRules.TryCorrect(lines, asOf);
            // Valid by the search's changes alone: the correction's look-alike swaps on top would be further guesses.
            return corr.Result.Valid && !corr.Changes.Any(x => x.Reason.StartsWith("look-alike", StringComparison.Ordinal))
                ? (lines, corr) : null;
        }
        // One cell: a character much farther from the glyph than the one read is no likely repair (a stamped 8 read
        // as 6 is 0.15 farther).
        if (Cheapest(r => r.Valid, 0.35f) is { } one)
        {
            grid[one.Line][one.Col] = one.To;
            Trace($"single {one.Line},{one.Col} {read[one.Line][one.Col]}->{one.To} cost {one.Cost:F3}");
            if (Valid() is { } v) return v;
            grid[one.Line][one.Col] = read[one.Line][one.Col];
        }
        // Two cells, both close runners-up (a wrong zone made valid by two far guesses is a real risk, as a zone whose
        // printed check digits are wrong shows): the first makes more check digits agree and none disagree, the second
        // the whole zone.
        var before = MrzRules.Parse(read, asOf).Checks.Where(x => x.Ok).Select(x => x.Field).ToHashSet();
        if (Cheapest(r => r.Checks.Count(x => x.Ok) > before.Count && before.All(f => r.Checks.Any(x => x.Field == f && x.Ok)), 0.1f) is { } first)
        {
            grid[first.Line][first.Col] = first.To;
            if (Cheapest(r => r.Valid, 0.1f) is { } second)
            {
                grid[second.Line][second.Col] = second.To;
                Trace($"pair {first} {second}");
                if (Valid() is { } v) return v;
                grid[second.Line][second.Col] = read[second.Line][second.Col];
            }
            grid[first.Line][first.Col] = read[first.Line][first.Col];
        }

        var d = doubts.OrderBy(x => x.Margin).Take(14).ToList();
        (List<string>, MrzCorrection)? Try(params int[] idx)
        {
            if (late()) return null;
            foreach (var i in idx) grid[d[i].Line][d[i].Col] = d[i].Alt;
            var lines = grid.Select(g => new string(g)).ToList();
            foreach (var i in idx) grid[d[i].Line][d[i].Col] = read[d[i].Line][d[i].Col];
            var corr = MrzRules.TryCorrect(lines, asOf);
            return corr.Result.Valid ? (lines, corr) : null;
        }
        for (var a = 0; a < d.Count; a++)
            for (var b = a + 1; b < d.Count; b++)
                if (Try(a, b) is { } r) return r;
        for (var a = 0; a < Math.Min(d.Count, 8); a++)
            for (var b = a + 1; b < Math.Min(d.Count, 8); b++)
                for (var c = b + 1; c < Math.Min(d.Count, 8); c++)
                    if (Try(a, b, c) is { } r) return r;
        return null;
    }

    /// <summary>A cell whose second choice is close: the character to try instead and how much farther it was.</summary>
    internal readonly record struct Doubt(int Line, int Col, char Alt, float Margin);

    /// <summary>
    /// Each cell's closest character among those its position may hold (<see cref="MrzRules.CellKinds"/>): a digit or
    /// '&lt;' where only digits go, a letter or '&lt;' where only letters go — a better repair than look-alike tables, as
    /// the classifier knows which digit a blurred glyph is nearest — and the cells whose second choice is within a small
    /// margin, as doubts for <see cref="Search"/>.
    /// OCR-B's 0 and O differ by little more than the corners, too little for small or blurred print, and a check digit
    /// often cannot tell them apart (O counts 24: two O for two 0 weighted 7 and 3 add 240, the same modulo 10). In the
    /// fields that may hold both (document number, optional data) digits are by far the commoner, so an O/0 there is read
    /// as 0, and O is a doubt tried only after the closer ones.
    /// </summary>
    internal static (List<string> Lines, List<Doubt> Doubts) Constrain(Reading r)
    {
        var kinds = MrzRules.CellKinds(r.Lines);
        var lines = new List<string>();
        var doubts = new List<Doubt>();
        for (var l = 0; l < r.Lines.Count; l++)
        {
            var row = new char[r.Lines[l].Length];
            for (var c = 0; c < row.Length; c++)
            {
                var kind = kinds?[l][c] ?? 'A';
                var allowed = r.Guesses[l][c].Where(g => g.Char == '<' || kind switch
                {
                    'D' => char.IsAsciiDigit(g.Char),
                    'L' => char.IsAsciiLetter(g.Char),
                    _ => true,
                }).Take(2).ToArray();
                if (allowed.Length == 0) allowed = r.Guesses[l][c][..1];
                row[c] = allowed[0].Char;
                if (kind == 'A' && row[c] is 'O' or '0')
                {
                    row[c] = '0';
                    doubts.Add(new Doubt(l, c, 'O', 0.03f));
                }
                else if (allowed.Length > 1 && allowed[1].Distance - allowed[0].Distance < 0.06f)
                    doubts.Add(new Doubt(l, c, allowed[1].Char, allowed[1].Distance - allowed[0].Distance));
            }
            lines.Add(new string(row));
        }
        if (kinds is not null) RepairStates(r, lines);
        return (lines, doubts);
    }

    /// <summary>
    /// An issuing state or nationality that is no known code (<see cref="StateCodes"/>) becomes the known code nearest
    /// the glyphs — each letter among its cell's runners-up within 0.3 — when there is one.
    /// </summary>
    private static void RepairStates(Reading r, List<string> lines)
    {
        foreach (var (l, c) in StateCodes.Fields(lines))
        {
            if (l >= lines.Count || c + 3 > lines[l].Length || StateCodes.IsKnown(lines[l].Substring(c, 3))) continue;
            var options = Enumerable.Range(c, 3).Select(k =>
            {
                var g = r.Guesses[l][k];
                var now = g.FirstOrDefault(x => x.Char == lines[l][k]).Distance;
                return g.Where(x => (char.IsAsciiLetterUpper(x.Char) || x.Char == '<') && x.Distance - now < 0.3f)
                    .Select(x => (x.Char, Cost: x.Distance - now)).ToList();
            }).ToList();
            var best = (Code: (string?)null, Cost: float.MaxValue);
            foreach (var a in options[0])
                foreach (var b in options[1])
                    foreach (var d in options[2])
                        if (a.Cost + b.Cost + d.Cost < best.Cost && StateCodes.IsKnown($"{a.Char}{b.Char}{d.Char}"))
                            best = ($"{a.Char}{b.Char}{d.Char}", a.Cost + b.Cost + d.Cost);
            if (best.Code is { } code) lines[l] = lines[l][..c] + code + lines[l][(c + 3)..];
        }
    }

    /// <summary>The reading to report: valid first, then more check digits right, fewer errors, and glyphs closer to
    /// the templates — weighed so that a zone read well whose printed check digits are wrong beats noise that the
    /// search made agree with a check digit or two by chance.</summary>
    private static bool Better(MrzImageRead a, MrzImageRead b)
    {
        double Score(MrzImageRead r) => r.Result is { } x
            ? (x.Valid ? 1000 : 0) + x.Checks.Count(c => c.Ok) * 10 - x.Errors.Count - 100 * r.MeanDistance
            : -1000;
        return Score(a) > Score(b);
    }

    private static RotatedRect UnrotateQuarter(RotatedRect r, Size original)
    {
        // Rotate90Clockwise maps (x, y) to (H - 1 - y, x); back: (x', y') → (y', H - 1 - x').
        var c = new Point2f(r.Center.Y, original.Height - 1 - r.Center.X);
        return new RotatedRect(c, r.Size, r.Angle - 90);
    }

    /// <summary>Candidate zones, in <paramref name="grey"/>'s pixels, most MRZ-like first.</summary>
    internal static List<RotatedRect> Locate(Mat grey, int workSize = WorkSize)
    {
        var scale = (double)workSize / Math.Max(grey.Width, grey.Height);
        using var small = new Mat();
        Cv2.Resize(grey, small, new Size(), scale, scale, scale < 1 ? InterpolationFlags.Area : InterpolationFlags.Linear);
        Cv2.GaussianBlur(small, small, new Size(3, 3), 0);

        using var rectK = Cv2.GetStructuringElement(MorphShapes.Rect, new Size(15, 5));
        using var sqK = Cv2.GetStructuringElement(MorphShapes.Rect, new Size(25, 25));
        using var blackhat = new Mat();
        Cv2.MorphologyEx(small, blackhat, MorphTypes.BlackHat, rectK);
        using var gx = new Mat();
        Cv2.Sobel(blackhat, gx, MatType.CV_32F, 1, 0, -1);
        Cv2.Absdiff(gx, Scalar.All(0), gx);
        using var g8 = new Mat();
        Cv2.Normalize(gx, g8, 0, 255, NormTypes.MinMax, (int)MatType.CV_8U);
        Cv2.MorphologyEx(g8, g8, MorphTypes.Close, rectK);
        using var th = new Mat();
        Cv2.Threshold(g8, th, 0, 255, ThresholdTypes.Binary | ThresholdTypes.Otsu);
        Cv2.MorphologyEx(th, th, MorphTypes.Close, sqK);
        Cv2.Erode(th, th, null, iterations: 4);

        Cv2.FindContours(th, out var contours, out _, RetrievalModes.External, ContourApproximationModes.ApproxSimple);
        var found = new List<(RotatedRect R, double Score)>();
        foreach (var c in contours)
        {
            var r = Cv2.MinAreaRect(c);
            var (w, h, angle) = (r.Size.Width, r.Size.Height, r.Angle);
            if (w < h) (w, h, angle) = (h, w, angle - 90);
            while (angle > 45) angle -= 180;
            while (angle < -45) angle += 180;
            if (Math.Abs(angle) > 30 || h < 4 || w / h < 2.5 || w < small.Width * 0.2) continue;
            // Wide, and low on the document: the MRZ is the last text of the page or card.
            var score = w / small.Width + 0.3 * r.Center.Y / small.Height;
            var inv = 1 / scale;
            found.Add((new RotatedRect(new Point2f((float)(r.Center.X * inv), (float)(r.Center.Y * inv)),
                new Size2f(w * inv, h * inv), angle), score));
        }
        return [.. found.OrderByDescending(f => f.Score).Select(f => f.R)];
    }

    /// <summary>The zone (plus a margin) cut out and turned level.</summary>
    private static Mat Straighten(Mat grey, RotatedRect zone, double heightFactor)
    {
        var w = zone.Size.Width * 1.12 + 12;
        var h = zone.Size.Height * heightFactor + 10;
        using var m = Cv2.GetRotationMatrix2D(zone.Center, zone.Angle, 1.0);
        // Shift so the zone's centre lands in the middle of the output.
        m.Set(0, 2, m.At<double>(0, 2) + w / 2 - zone.Center.X);
        m.Set(1, 2, m.At<double>(1, 2) + h / 2 - zone.Center.Y);
        var strip = new Mat();
        Cv2.WarpAffine(grey, strip, m, new Size((int)w, (int)h), InterpolationFlags.Cubic, BorderTypes.Replicate);
        return strip;
    }

    /// <summary>Readings of the level strip: one per run of 2 (36 or 44 cells) or 3 (30 cells) consecutive long lines
    /// of similar glyph height and length, bottom-most first.</summary>
    internal static List<Reading> ReadStrip(Mat strip)
    {
        using var bin = Binarise(strip);
        var bands = Bands(bin);
        if (bands.Count < 2) return [];

        // Glyph height decides the resolution we classify at: upscale small print so a glyph is ≥ 30 px tall.
        var capGuess = bands.Select(b => b.End - b.Start).OrderBy(v => v).ElementAt(bands.Count / 2);
        if (capGuess < 30)
        {
            var f = Math.Min(4.0, 36.0 / Math.Max(capGuess, 4));
            using var big = new Mat();
            Cv2.Resize(strip, big, new Size(), f, f, InterpolationFlags.Cubic);
            return ReadBands(big);
        }
        return ReadBands(strip);
    }

    private static List<Reading> ReadBands(Mat strip)
    {
        using var bin = Binarise(strip);
        var bands = Bands(bin);
        var lines = new List<LineGlyphs>();
        try
        {
            foreach (var b in bands)
                if (LineGlyphs.Find(bin, b) is { } l) lines.Add(l);
            return ReadLines(bin, lines);
        }
        finally
        {
            foreach (var l in lines) l.Dispose();
        }
    }

    private static List<Reading> ReadLines(Mat bin, List<LineGlyphs> lines)
    {
        var result = new List<Reading>();
        if (lines.Count < 2) return result;
        var maxExtent = lines.Max(l => l.Extent);
        var longLines = lines.Where(l => l.Extent > 0.5 * maxExtent && l.Glyphs.Count >= 20).ToList();
        for (var end = longLines.Count; end >= 2 && result.Count < 4; end--)
            foreach (var take in new[] { 3, 2 })
            {
                if (end - take < 0) continue;
                var zone = longLines[(end - take)..end];
                if (!SimilarExtent(zone)) continue;
                if (ReadZone(bin, zone) is { } read) result.Add(read);
            }
        return result;
    }

    /// <summary>The lines as classified, every character's distance per cell, and the mean glyph distance.</summary>
    internal sealed record Reading(List<string> Lines, List<List<GlyphGuess[]>> Guesses, double MeanDistance);

    private static Reading? ReadZone(Mat bin, IReadOnlyList<LineGlyphs> zone)
    {
        // The grid (30 cells for three lines; 44 or 36 for two) that fits the glyphs best; only it is classified.
        List<GridFit>? best = null;
        foreach (var n in zone.Count == 3 ? new[] { 30 } : [44, 36])
        {
            var fits = zone.Select(l => l.FitGrid(n)).ToList();
            if (fits.Where(f => f is not null).MinBy(f => f!.Cost) is not { } reference) continue;
            // The lines share the grid: one whose own fit strays from the best line's (a glyph lost at an end to a
            // stamp, a speck beyond it) takes the best line's pitch and columns.
            var shared = fits.Select((f, i) => f is null || Math.Abs(f.Pitch - reference.Pitch) > 0.02 * reference.Pitch
                || Math.Abs(f.Origin - reference.Origin) > 0.3 * reference.Pitch ? zone[i].Align(reference) : f).ToList();
            if (best is null || shared.Sum(f => f.Cost) < best.Sum(f => f.Cost)) best = shared;
        }
        if (best is null) return null;
        var read = new List<string>();
        var guesses = new List<List<GlyphGuess[]>>();
        double dist = 0;
        for (var i = 0; i < zone.Count; i++)
        {
            var g = new List<GlyphGuess[]>();
            var (text, d) = zone[i].Classify(bin, best[i], g);
            read.Add(text);
            guesses.Add(g);
            dist += d;
        }
        return new Reading(read, guesses, dist / zone.Count);
    }

    private static bool SimilarExtent(IReadOnlyList<LineGlyphs> ls) =>
        ls.Min(l => l.Extent) > 0.85 * ls.Max(l => l.Extent) && ls.Min(l => l.CapHeight) > 0.7 * ls.Max(l => l.CapHeight);

    /// <summary>Ink = 255: the strip divided by its background (a closing wider than a glyph), then Otsu.</summary>
    private static Mat Binarise(Mat strip)
    {
        // Background at a quarter of the size (a closing wide enough to remove the glyphs), scaled back up.
        using var quarter = new Mat();
        Cv2.Resize(strip, quarter, new Size(Math.Max(1, strip.Width / 4), Math.Max(1, strip.Height / 4)), 0, 0, InterpolationFlags.Area);
        var k = Math.Max(7, (quarter.Height / 3) | 1);
        using var kernel = Cv2.GetStructuringElement(MorphShapes.Rect, new Size(k, k));
        Cv2.MorphologyEx(quarter, quarter, MorphTypes.Close, kernel);
        using var background = new Mat();
        Cv2.Resize(quarter, background, strip.Size(), 0, 0, InterpolationFlags.Linear);
        using var norm = new Mat();
        Cv2.Divide(strip, background, norm, 255);
        using var bin = new Mat();
        Cv2.Threshold(norm, bin, 0, 255, ThresholdTypes.BinaryInv | ThresholdTypes.Otsu);
        return WithoutTallColumns(bin);
    }

    internal readonly record struct Band(int Start, int End);

    /// <summary>The binarised strip without its columns inked over most of its height: a dark band, a rule or a line of
    /// vertical text beside the zone (measured: a passport page's vertical title band ran through the strip, joined its two
    /// lines into one band and added its letters to each line). No MRZ glyph inks more than about 40 % of a column of
    /// the strip (2–3 lines of glyphs in a strip 1.6–4 times the zone's height).</summary>
    private static Mat WithoutTallColumns(Mat bin)
    {
        using var cols = new Mat();
        Cv2.Reduce(bin, cols, ReduceDimension.Row, ReduceTypes.Sum, MatType.CV_32S);
        var height = bin.Height;
        cols.GetArray(out int[] colInk);
        var keep = colInk.Select(c => c / 255 > 0.55 * height ? (byte)0 : (byte)255).ToArray();
        using var keepRow = new Mat(1, keep.Length, MatType.CV_8UC1);
        keepRow.SetArray(keep);
        using var keepAll = new Mat();
        Cv2.Repeat(keepRow, height, 1, keepAll);
        var glyphs = new Mat();
        Cv2.BitwiseAnd(bin, keepAll, glyphs);
        return glyphs;
    }

    /// <summary>Runs of rows holding ink, split where a row is nearly empty.</summary>
    private static List<Band> Bands(Mat bin)
    {
        using var rows = new Mat();
        Cv2.Reduce(bin, rows, ReduceDimension.Column, ReduceTypes.Sum, MatType.CV_32S);
        var height = bin.Height;
        var counts = new int[height];
        for (var y = 0; y < height; y++) counts[y] = rows.At<int>(y, 0) / 255;
        var max = counts.Max();
        var cut = Math.Max(2, max * 0.08);
        var bands = new List<Band>();
        var start = -1;
        for (var y = 0; y <= height; y++)
        {
            var ink = y < height && counts[y] > cut;
            if (ink && start < 0) start = y;
            else if (!ink && start >= 0)
            {
                if (y - start >= 4) bands.Add(new Band(start, y));
                start = -1;
            }
        }
        return bands;
    }
}
