using OpenCvSharp;

namespace VerifyPipeline.Worker.Reading.Mrz;

/// <summary>A monospaced grid fitted to a line's glyphs: cell i is centred at <c>Origin + i·Pitch</c>.</summary>
internal sealed record GridFit(int Cells, double Origin, double Pitch, double Cost);

/// <summary>The glyphs (connected components) of one text line of a binarised MRZ strip.</summary>
internal sealed class LineGlyphs : IDisposable
{
    private readonly Rect _roi;
    private readonly Mat _labels;

    public List<Rect> Glyphs { get; }

    public List<int> LabelIds { get; }

    public float CapTop { get; }

    public float CapHeight { get; }

    public void Dispose() => _labels.Dispose();

    public double Extent => Glyphs.Count == 0 ? 0 : Glyphs.Max(g => g.Right) - Glyphs.Min(g => g.Left);

    private LineGlyphs(Rect roi, Mat labels, List<Rect> glyphs, List<int> ids, float capTop, float capHeight)
    {
        _roi = roi;
        _labels = labels;
        Glyphs = glyphs;
        LabelIds = ids;
        CapTop = capTop;
        CapHeight = capHeight;
    }

    /// <summary>The glyphs of the line in rows [band.Start, band.End) (a little margin added); null when too few.</summary>
    public static LineGlyphs? Find(Mat bin, MrzImageReader.Band band)
    {
        var h = band.End - band.Start;
        var y0 = Math.Max(0, band.Start - h / 4);
        var y1 = Math.Min(bin.Height, band.End + h / 4);
        var roi = new Rect(0, y0, bin.Width, y1 - y0);
        using var part = new Mat(bin, roi);
        var labels = new Mat();
        using var stats = new Mat();
        using var centroids = new Mat();
        var n = Cv2.ConnectedComponentsWithStats(part, labels, stats, centroids, PixelConnectivity.Connectivity8, MatType.CV_32S);
        var comps = new List<(Rect R, int Id)>();
        for (var i = 1; i < n; i++)
        {
            var r = new Rect(stats.At<int>(i, 0), stats.At<int>(i, 1), stats.At<int>(i, 2), stats.At<int>(i, 3));
            var area = stats.At<int>(i, 4);
            // Belongs to this band: its middle lies inside the band's rows.
            var mid = y0 + r.Y + r.Height / 2.0;
            if (mid < band.Start || mid > band.End || area < 4) continue;
            comps.Add((r, i));
        }
        if (comps.Count < 10)
        {
            labels.Dispose();
            return null;
        }
        var tall = comps.Select(c => c.R.Height).OrderBy(v => v).ToList();
        var capH = (float)tall[(int)(tall.Count * 0.75)];
        // Glyphs: between a third of the cap height ('<' is about half) and a little over it, not much wider than tall.
        var glyphs = comps.Where(c => c.R.Height >= capH * 0.3 && c.R.Height <= capH * 1.5 && c.R.Width <= capH * 3)
            .OrderBy(c => c.R.X).ToList();
        // Drop isolated components at the ends (edges of the card, specks): the gaps between MRZ glyphs are under a cap height.
        static bool Far(Rect a, Rect b, float capH) => b.Left - a.Right > capH * 1.1;
        while (glyphs.Count > 2 && Far(glyphs[0].R, glyphs[1].R, capH)) glyphs.RemoveAt(0);
        while (glyphs.Count > 2 && Far(glyphs[^2].R, glyphs[^1].R, capH)) glyphs.RemoveAt(glyphs.Count - 1);
        if (glyphs.Count < 10)
        {
            labels.Dispose();
            return null;
        }
        var fullH = glyphs.Where(g => g.R.Height >= capH * 0.8).ToList();
        var capTop = fullH.Count > 0 ? (float)fullH.Select(g => (double)g.R.Y).OrderBy(v => v).ElementAt(fullH.Count / 2) : glyphs[0].R.Y;
        var capHeight = fullH.Count > 0 ? (float)fullH.Select(g => (double)g.R.Height).OrderBy(v => v).ElementAt(fullH.Count / 2) : capH;
        return new LineGlyphs(roi, labels, [.. glyphs.Select(g => g.R)], [.. glyphs.Select(g => g.Id)], capTop, capHeight);
    }

    /// <summary>Fits <paramref name="cells"/> equally spaced cells to the glyph centres (least squares on the glyphs
    /// that fall clearly in one cell); the cost is the mean misfit in pitches plus the share of empty cells.</summary>
    public GridFit? FitGrid(int cells)
    {
        var centres = Glyphs.Select(g => g.X + g.Width / 2.0).ToList();
        var first = Glyphs[0].X + Glyphs[0].Width / 2.0;
        var last = Glyphs[^1].X + Glyphs[^1].Width / 2.0;
        var origin = first;
        var pitch = (last - first) / (cells - 1);
        if (pitch <= 1) return null;
        for (var iter = 0; iter < 3; iter++)
        {
            double sx = 0, sy = 0, sxx = 0, sxy = 0;
            var m = 0;
            for (var k = 0; k < centres.Count; k++)
            {
                if (Glyphs[k].Width > pitch * 1.3) continue;
                var idx = Math.Round((centres[k] - origin) / pitch);
                if (idx < 0 || idx >= cells || Math.Abs(centres[k] - origin - idx * pitch) > pitch * 0.3) continue;
                sx += idx; sy += centres[k]; sxx += idx * idx; sxy += idx * centres[k];
                m++;
            }
            if (m < 5) return null;
            var den = m * sxx - sx * sx;
            if (Math.Abs(den) < 1e-9) return null;
            pitch = (m * sxy - sx * sy) / den;
            origin = (sy - pitch * sx) / m;
        }
        return Fit(cells, origin, pitch);
    }

    /// <summary>The grid of another line of the zone (same pitch) shifted onto this line's glyphs by their median
    /// offset from its cells: the lines of a zone share the columns.</summary>
    public GridFit Align(GridFit reference)
    {
        var offsets = Glyphs.Select(g =>
        {
            var x = (g.X + g.Width / 2.0 - reference.Origin) / reference.Pitch;
            return x - Math.Round(x);
        }).OrderBy(v => v).ToList();
        return Fit(reference.Cells, reference.Origin + offsets[offsets.Count / 2] * reference.Pitch, reference.Pitch);
    }

    private GridFit Fit(int cells, double origin, double pitch)
    {
        var used = new HashSet<int>();
        double misfit = 0;
        var centres = Glyphs.Select(g => g.X + g.Width / 2.0).ToList();
        foreach (var c in centres)
        {
            var idx = (int)Math.Round((c - origin) / pitch);
            misfit += Math.Min(0.5, Math.Abs(c - origin - idx * pitch) / pitch);
            if (idx >= 0 && idx < cells) used.Add(idx);
            else misfit += 0.5;
        }
        var cost = misfit / centres.Count + (cells - used.Count) / (double)cells;
        return new GridFit(cells, origin, pitch, cost);
    }

    /// <summary>Each cell's ink — the components whose centre falls in it; a component wider than 1.3 pitches is
    /// split at the cell borders — classified against the OCR-B templates. Returns the line and its mean distance.</summary>
    public (string Text, double MeanDistance) Classify(Mat bin, GridFit fit) => Classify(bin, fit, null);

    /// <summary>As <see cref="Classify(Mat, GridFit)"/>; also every character's distance per cell, closest first.</summary>
    public (string Text, double MeanDistance) Classify(Mat bin, GridFit fit, List<GlyphGuess[]>? alternatives)
    {
        var glyphs = OcrBGlyphs.Default;
        var chars = new char[fit.Cells];
        double total = 0;
        var cellMasks = new Mat?[fit.Cells];
        try
        {
            for (var k = 0; k < Glyphs.Count; k++)
            {
                var g = Glyphs[k];
                var centre = g.X + g.Width / 2.0;
                if (g.Width <= fit.Pitch * 1.3)
                {
                    var idx = (int)Math.Round((centre - fit.Origin) / fit.Pitch);
                    if (idx >= 0 && idx < fit.Cells) AddInk(cellMasks, idx, LabelIds[k], g, int.MinValue, int.MaxValue);
                }
                else
                {
                    var i0 = (int)Math.Round((g.Left - fit.Origin) / fit.Pitch);
                    var i1 = (int)Math.Round((g.Right - fit.Origin) / fit.Pitch);
                    for (var idx = Math.Max(0, i0); idx <= Math.Min(fit.Cells - 1, i1); idx++)
                    {
                        var lo = (int)Math.Round(fit.Origin + (idx - 0.5) * fit.Pitch);
                        var hi = (int)Math.Round(fit.Origin + (idx + 0.5) * fit.Pitch);
                        AddInk(cellMasks, idx, LabelIds[k], g, lo, hi);
                    }
                }
            }
            var features = new GlyphFeature?[fit.Cells];
            for (var i = 0; i < fit.Cells; i++)
            {
                cellMasks[i] ??= CapBandInk(bin, fit, i);
                features[i] = cellMasks[i] is { } mask
                    ? OcrBGlyphs.Features(mask, new Rect(0, 0, mask.Width, mask.Height), CapTop, CapHeight)
                    : null;
            }
            var inked = features.OfType<GlyphFeature>().ToList();
            var guesses = glyphs.Classify(inked);
            for (int i = 0, k = 0; i < fit.Cells; i++)
            {
                if (features[i] is null)
                {
                    chars[i] = '<';
                    total += 1;
                    alternatives?.Add([new GlyphGuess('<', 1)]);
                    continue;
                }
                var g = guesses[k++];
                chars[i] = g[0].Char;
                alternatives?.Add(g);
                total += g[0].Distance;
            }
        }
        finally
        {
            foreach (var m in cellMasks) m?.Dispose();
        }
        return (new string(chars), total / fit.Cells);
    }

    /// <summary>
    /// The ink of a cell no glyph fell in, cut from the binary strip to the cell and the cap band: a glyph joined to a
    /// stamp, a guilloche or text printed over the zone makes a component too big to be a glyph, but its part inside the
    /// cell is mostly the glyph. Null when the cell is nearly blank there too.
    /// </summary>
    private Mat? CapBandInk(Mat bin, GridFit fit, int cell)
    {
        var x0 = (int)Math.Round(fit.Origin + (cell - 0.5) * fit.Pitch);
        var x1 = (int)Math.Round(fit.Origin + (cell + 0.5) * fit.Pitch);
        var y0 = (int)Math.Round(CapTop - 0.1 * CapHeight);
        var y1 = (int)Math.Round(CapTop + 1.1 * CapHeight);
        var rect = new Rect(x0, y0, x1 - x0, y1 - y0).Intersect(new Rect(0, 0, _roi.Width, _roi.Height));
        if (rect.Width < 2 || rect.Height < 2) return null;
        using var line = new Mat(bin, _roi);
        using var part = new Mat(line, rect);
        if (Cv2.CountNonZero(part) < rect.Width * rect.Height / 12) return null;
        var mask = new Mat(_labels.Size(), MatType.CV_8UC1, Scalar.All(0));
        using var dst = new Mat(mask, rect);
        part.CopyTo(dst);
        return mask;
    }

    /// <summary>ORs the pixels of component <paramref name="id"/> with x in [lo, hi) into the cell's mask (line-local coordinates).</summary>
    private unsafe void AddInk(Mat?[] masks, int cell, int id, Rect g, int lo, int hi)
    {
        var mask = masks[cell] ??= new Mat(_labels.Size(), MatType.CV_8UC1, Scalar.All(0));
        var x0 = Math.Max(g.Left, lo);
        var x1 = Math.Min(g.Right, hi);
        for (var y = g.Top; y < g.Bottom; y++)
        {
            var labels = (int*)_labels.Ptr(y);
            var row = (byte*)mask.Ptr(y);
            for (var x = x0; x < x1; x++)
                if (labels[x] == id) row[x] = 255;
        }
    }
}
