using OpenCvSharp;

namespace VerifyPipeline.Worker.Reading.Mrz;

/// <summary>
/// The second MRZ localiser: chains of glyph-sized connected components, each linked to its nearest neighbour on the
/// right of similar height, and groups of 2–3 long parallel chains of the same glyph height. Unlike the morphological
/// localiser it does not depend on the gap between glyphs (wide-pitch zones) and does not merge the zone with the
/// print around it (busy card backgrounds, two cards side by side).
/// </summary>
internal static class GlyphChains
{
    private readonly record struct Comp(float X, float Y, int W, int H);

    /// <summary>A straight run of glyphs: its centre line, its length along the line and its median glyph height.</summary>
    private sealed record Chain(Point2f Centre, double Angle, double Length, double Height, int Count);

    /// <summary>Candidate zones in <paramref name="grey"/>'s pixels, groups of parallel chains first, most glyphs first.</summary>
    public static List<RotatedRect> Locate(Mat grey, int workSize = 1200)
    {
        var scale = Math.Min(1.0, (double)workSize / Math.Max(grey.Width, grey.Height));
        using var small = new Mat();
        if (scale < 1) Cv2.Resize(grey, small, new Size(), scale, scale, InterpolationFlags.Area);
        else grey.CopyTo(small);
        using var bin = new Mat();
        // Local contrast: print darker than its 41 px neighbourhood by a clear margin, whatever the background.
        Cv2.AdaptiveThreshold(small, bin, 255, AdaptiveThresholdTypes.MeanC, ThresholdTypes.BinaryInv, 41, 12);
        using var labels = new Mat();
        using var stats = new Mat();
        using var centroids = new Mat();
        var n = Cv2.ConnectedComponentsWithStats(bin, labels, stats, centroids, PixelConnectivity.Connectivity8, MatType.CV_32S);
        var comps = new List<Comp>();
        var maxH = Math.Max(12, small.Height / 8);
        for (var i = 1; i < n; i++)
        {
            int x = stats.At<int>(i, 0), y = stats.At<int>(i, 1), w = stats.At<int>(i, 2), h = stats.At<int>(i, 3);
            if (h < 5 || h > maxH || w > h * 1.6 || stats.At<int>(i, 4) < 6) continue;
            comps.Add(new Comp(x + w / 2f, y + h / 2f, w, h));
        }
        comps.Sort((a, b) => a.X.CompareTo(b.X));

        // Each component's nearest right neighbour that could be the next glyph of the same line.
        var next = new int[comps.Count];
        var prevCount = new int[comps.Count];
        for (var i = 0; i < comps.Count; i++)
        {
            next[i] = -1;
            var a = comps[i];
            var best = double.MaxValue;
            for (var j = i + 1; j < comps.Count; j++)
            {
                var b = comps[j];
                var hMax = Math.Max(a.H, b.H);
                var dx = b.X - a.X;
                if (dx > 2.2 * hMax) break;
                var dy = Math.Abs(b.Y - a.Y);
                var ratio = (double)b.H / a.H;
                // Up to ~25° of tilt; '<' is about 0.6 of a letter's height.
                if (dx < 0.3 * Math.Min(a.H, b.H) || dy > 0.25 * hMax + 0.45 * dx || ratio < 0.45 || ratio > 2.2) continue;
                var d = dx * dx + 4 * dy * dy;
                if (d < best) (best, next[i]) = (d, j);
            }
            if (next[i] >= 0) prevCount[next[i]]++;
        }
        // Chains: follow the links from every component no one links to (a shared successor joins the first chain).
        var used = new bool[comps.Count];
        var runs = new List<List<Comp>>();
        for (var s = 0; s < comps.Count; s++)
        {
            if (prevCount[s] > 0 || used[s]) continue;
            var members = new List<Comp>();
            for (var k = s; k >= 0 && !used[k]; k = next[k])
            {
                used[k] = true;
                members.Add(comps[k]);
            }
            if (members.Count >= 3) runs.Add(members);
        }
        var chains = new List<Chain>();
        foreach (var members in Join(runs))
            if (members.Count >= 14 && ToChain(members) is { } c) chains.Add(c);
        if (Environment.GetEnvironmentVariable("VERIFY_MRZ_DEBUG") is { Length: > 0 } dbg)
        {
            using var view = new Mat();
            Cv2.CvtColor(bin, view, ColorConversionCodes.GRAY2BGR);
            foreach (var r in Join(runs))
                for (var k = 1; k < r.Count; k++)
                    Cv2.Line(view, new Point(r[k - 1].X, r[k - 1].Y), new Point(r[k].X, r[k].Y), r.Count >= 14 ? Scalar.Red : Scalar.Blue, 2);
            Cv2.ImWrite(Path.Combine(dbg, $"chains-{small.Width}x{small.Height}.png"), view);
        }
        var zones = Group(chains);
        var inv = 1 / scale;
        return [.. zones.Select(z => new RotatedRect(new Point2f((float)(z.Center.X * inv), (float)(z.Center.Y * inv)),
            new Size2f((float)(z.Size.Width * inv), (float)(z.Size.Height * inv)), z.Angle))];
    }

    /// <summary>
    /// Runs of one line broken where a glyph touches a guilloche or a stamp (or a '&lt;&lt;' gap is wider than the
    /// link allows), joined again: a run that starts within four glyph heights after another ends, in its direction
    /// and at its height.
    /// </summary>
    private static List<List<Comp>> Join(List<List<Comp>> runs)
    {
        // The letters' height, not the fillers' ('<' is about 0.6 of it): the upper quartile.
        static double Height(List<Comp> r) => r.Select(c => (double)c.H).OrderBy(h => h).ElementAt(r.Count * 3 / 4);
        var ordered = runs.OrderBy(r => r[0].X).ToList();
        var joined = new List<List<Comp>>();
        var taken = new bool[ordered.Count];
        for (var i = 0; i < ordered.Count; i++)
        {
            if (taken[i]) continue;
            var run = new List<Comp>(ordered[i]);
            taken[i] = true;
            for (var extended = true; extended;)
            {
                extended = false;
                var (last, h) = (run[^1], Height(run));
                // Direction of the run so far, from its ends (level when it is short).
                var slope = run.Count >= 5 && run[^1].X - run[0].X > 0 ? (run[^1].Y - run[0].Y) / (run[^1].X - run[0].X) : 0;
                for (var j = i + 1; j < ordered.Count; j++)
                {
                    if (taken[j]) continue;
                    var first = ordered[j][0];
                    var dx = first.X - last.X;
                    if (dx <= 0 || dx > 4 * h) continue;
                    var hj = Height(ordered[j]);
                    // A run of fillers alone is lower than one with letters.
                    if (Math.Abs(first.Y - (last.Y + slope * dx)) > 0.5 * h || hj < 0.5 * h || hj > 2 * h) continue;
                    run.AddRange(ordered[j]);
                    taken[j] = true;
                    extended = true;
                    break;
                }
            }
            joined.Add(run);
        }
        return joined;
    }

    private static Chain? ToChain(List<Comp> members)
    {
        var line = Cv2.FitLine(members.Select(m => new Point2f(m.X, m.Y)), DistanceTypes.Huber, 0, 0.01, 0.01);
        var (vx, vy) = (line.Vx, line.Vy);
        if (vx < 0) (vx, vy) = (-vx, -vy);
        var angle = Math.Atan2(vy, vx) * 180 / Math.PI;
        if (Math.Abs(angle) > 30) return null;
        var along = members.Select(m => (m.X - line.X1) * vx + (m.Y - line.Y1) * vy).ToList();
        var height = members.Select(m => (double)m.H).OrderBy(h => h).ElementAt(members.Count * 3 / 4);
        var length = along.Max() - along.Min() + height * 0.7;
        // An MRZ line is at least 30 glyphs of ~0.6 cap height pitch.
        if (length < 14 * height) return null;
        var mid = (along.Max() + along.Min()) / 2;
        return new Chain(new Point2f((float)(line.X1 + mid * vx), (float)(line.Y1 + mid * vy)), angle, length, height, members.Count);
    }

    /// <summary>Zones of 2–3 consecutive parallel chains of similar height and length; then each long chain alone.</summary>
    private static List<RotatedRect> Group(List<Chain> chains)
    {
        var found = new List<(RotatedRect R, double Score)>();
        var ordered = chains.OrderBy(c => c.Centre.Y).ToList();
        var grouped = new HashSet<Chain>();
        for (var i = 0; i < ordered.Count; i++)
        {
            if (grouped.Contains(ordered[i])) continue;
            var group = new List<Chain> { ordered[i] };
            for (var j = i + 1; j < ordered.Count && group.Count < 3; j++)
            {
                var (a, b) = (group[^1], ordered[j]);
                var rad = a.Angle * Math.PI / 180;
                // Offset of b from a across and along the line.
                double ox = b.Centre.X - a.Centre.X, oy = b.Centre.Y - a.Centre.Y;
                var across = -ox * Math.Sin(rad) + oy * Math.Cos(rad);
                var alongOff = ox * Math.Cos(rad) + oy * Math.Sin(rad);
                if (Math.Abs(a.Angle - b.Angle) < 4 && across > 1.1 * a.Height && across < 3 * a.Height
                    && Math.Abs(alongOff) < 0.2 * a.Length && b.Height > 0.75 * a.Height && b.Height < 1.33 * a.Height
                    && b.Length > 0.75 * a.Length && b.Length < 1.33 * a.Length)
                    group.Add(b);
            }
            if (group.Count > 1) grouped.UnionWith(group);
            var first = group[0];
            var last = group[^1];
            var centre = new Point2f((first.Centre.X + last.Centre.X) / 2, (first.Centre.Y + last.Centre.Y) / 2);
            var span = Math.Sqrt(Math.Pow(last.Centre.X - first.Centre.X, 2) + Math.Pow(last.Centre.Y - first.Centre.Y, 2));
            var r = new RotatedRect(centre, new Size2f((float)group.Max(c => c.Length), (float)(span + group.Max(c => c.Height) * 1.5)),
                (float)group.Average(c => c.Angle));
            found.Add((r, (group.Count > 1 ? 1000 : 0) + group.Sum(c => c.Count)));
        }
        return [.. found.OrderByDescending(f => f.Score).Select(f => f.R)];
    }
}
