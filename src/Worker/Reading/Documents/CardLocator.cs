using OpenCvSharp;

namespace VerifyPipeline.Worker.Reading.Documents;

/// <summary>One document side found on a page: its layout, the side straightened to <see cref="CardLocator.CardPxPerMm"/>
/// (grey, the right way up), how well it matched the specimen (normalised correlation in [−1, 1]) and the resolution it was
/// captured at (pixels per mm on the page before straightening: what legibility judges).</summary>
public sealed record LocatedSide(DocumentLayout Layout, Mat Card, double Score, double SourcePxPerMm, string How, Point2f[] Corners) : IDisposable
{
    public void Dispose() => Card.Dispose();
}

/// <summary>
/// Finds the document sides on a page. A4 pages (flatbed scans and faxes: the scale is the page's own, width / 210 mm)
/// are searched with the specimens by normalised cross-correlation at 2 px/mm, best match first, several per page (front
/// and back side by side), then each match is refined for rotation (± 3°) at 4 px/mm. Other pages are phone photos: the
/// document is the largest convex quadrilateral, straightened by its homography and identified by correlation with the
/// specimens of its aspect ratio, both ways up.
/// </summary>
public static class CardLocator
{
    public const double CardPxPerMm = 12;

    /// <summary>Below this correlation of structure maps a match is not a document side (measured on the corpus: true
    /// sides score 0.45–0.88, false matches on a bill 0.38 and on a heavily blurred form up to 0.43. A licence back on a
    /// standard fax can score 0.44 and is then missed: the print it leaves unexplained keeps its absence uncertain).</summary>
    public const double MinScore = 0.45;

    /// <summary>The bar for the other side of a document already found on the sheet (measured: true other sides 0.40+,
    /// the best false match on a card page's blank remainder 0.30).</summary>
    public const double MinScoreOtherSide = 0.36;

    private static readonly bool Debug = Environment.GetEnvironmentVariable("VERIFY_LOCATE_DEBUG") == "1";

    /// <summary>A sheet (flatbed scan, fax) rather than a photo: A4-shaped, or 1.28–1.5 long (a fax page's length depends
    /// on the machine) and 195–225 mm wide at its declared resolution (A4 210, fax 215). A phone photo is 4:3 and declares
    /// 72 dpi, none, or whatever the PDF it was put in implies — never a plausible sheet width.</summary>
    public static bool IsSheet(Mat page, double declaredDpi = 0)
    {
        var ratio = (double)Math.Max(page.Width, page.Height) / Math.Min(page.Width, page.Height);
        if (Math.Abs(ratio - 297.0 / 210) < 0.04) return true;
        var widthMm = declaredDpi > 0 ? Math.Min(page.Width, page.Height) / declaredDpi * 25.4 : 0;
        return ratio is > 1.28 and < 1.5 && widthMm is > 195 and < 225;
    }

    /// <param name="pxPerMm">The sheet's scale when its resolution is known (a fax, a scan that says its dpi); else the
    /// width over 210 mm.</param>
    /// <param name="unplacedPrintMm2">On a sheet, the area of print (mm²) outside the sides found, below the top 15 mm (a
    /// fax machine's header line): a side the specimens missed leaves hundreds of mm² there; paper noise a few.</param>
    public static List<LocatedSide> Locate(Mat grey, bool bilevel, double declaredDpi, out double unplacedPrintMm2, double? pxPerMm = null, CancellationToken ct = default)
    {
        unplacedPrintMm2 = 0;
        return IsSheet(grey, declaredDpi) ? OnA4(grey, bilevel, pxPerMm ?? Math.Min(grey.Width, grey.Height) / 210.0, out unplacedPrintMm2, ct) : OnPhoto(grey, ct);
    }

    /// <summary>Print (mm²) of a structure map (2 px/mm) inside a box.</summary>
    private static double PrintIn(Mat structure, Rect box)
    {
        box = box.Intersect(new Rect(0, 0, structure.Width, structure.Height));
        if (box.Width <= 0 || box.Height <= 0) return 0;
        using var roi = new Mat(structure, box);
        using var print = new Mat();
        Cv2.Threshold(roi, print, 25, 255, ThresholdTypes.Binary);
        using var mask = new Mat();
        print.ConvertTo(mask, MatType.CV_8U);
        return Cv2.CountNonZero(mask) / (Specimens.LocatePxPerMm * Specimens.LocatePxPerMm);
    }

    /// <summary>Print pixels of a structure map (2 px/mm) outside the given boxes and the top band, in mm².</summary>
    private static double UnplacedPrint(Mat structure, IEnumerable<Rect> placed)
    {
        using var mask = PrintMask(structure);
        var top = (int)(15 * Specimens.LocatePxPerMm);
        mask[new Rect(0, 0, mask.Width, Math.Min(top, mask.Height))].SetTo(0);
        ClearPlaced(mask, placed);
        return PrintAreaMm2(mask);
    }

    /// <summary>Where a structure map at <see cref="Specimens.LocatePxPerMm"/> shows print (above 25), as a 0/255 mask.</summary>
    private static Mat PrintMask(Mat structure)
    {
        using var print = new Mat();
        Cv2.Threshold(structure, print, 25, 255, ThresholdTypes.Binary);
        var mask = new Mat();
        print.ConvertTo(mask, MatType.CV_8U);
        return mask;
    }

    /// <summary>The area (mm²) of a print mask at <see cref="Specimens.LocatePxPerMm"/>, isolated specks (fax noise, dust)
    /// left out: an opening keeps only blobs of a few pixels. Changes the mask.</summary>
    private static double PrintAreaMm2(Mat mask)
    {
        using var k = Cv2.GetStructuringElement(MorphShapes.Rect, new Size(2, 2));
        Cv2.MorphologyEx(mask, mask, MorphTypes.Open, k);
        return Cv2.CountNonZero(mask) / (Specimens.LocatePxPerMm * Specimens.LocatePxPerMm);
    }

    /// <summary>Area (mm², at <paramref name="pxPerMm"/> of the image) of print outside <paramref name="outline"/> (the
    /// photographed form's sheet, 5 mm wider: its own edge against the table is not print) and a 5 mm border of the image:
    /// the measure <see cref="UnplacedPrint"/> takes on a sheet (ink against a 2 mm blur of itself, specks removed), so a
    /// table, its grain and the light's gradient count for little and a card's print for hundreds of mm².</summary>
    public static double PrintOutside(Mat grey, Point2f[] outline, double pxPerMm)
    {
        if (pxPerMm <= 0) return double.MaxValue;
        var f = Specimens.LocatePxPerMm / pxPerMm;
        using var small = new Mat();
        Cv2.Resize(grey, small, new Size(), f, f, InterpolationFlags.Area);
        using var structure = Specimens.Structure(small);
        using var mask = PrintMask(structure);
        var margin = (int)(5 * Specimens.LocatePxPerMm);
        var sheet = outline.Select(q => new Point((int)(q.X * f), (int)(q.Y * f))).ToArray();
        Cv2.FillConvexPoly(mask, sheet, Scalar.All(0));
        Cv2.Polylines(mask, [sheet], isClosed: true, Scalar.All(0), thickness: 2 * margin);
        Cv2.Rectangle(mask, new Rect(0, 0, mask.Width, mask.Height), Scalar.All(0), thickness: 2 * margin);
        return PrintAreaMm2(mask);
    }

    /// <summary>Clears the placed sides' boxes, 5 mm wider: a box is axis-aligned and a card may be turned by up to 3°.</summary>
    private static void ClearPlaced(Mat mask, IEnumerable<Rect> placed)
    {
        var margin = (int)(5 * Specimens.LocatePxPerMm);
        foreach (var r in placed)
        {
            var x = Math.Max(0, r.X - margin);
            var y = Math.Max(0, r.Y - margin);
            var box = new Rect(x, y, Math.Min(mask.Width, r.Right + margin) - x, Math.Min(mask.Height, r.Bottom + margin) - y);
            if (box.Width > 0 && box.Height > 0) mask[box].SetTo(0);
        }
    }

    /// <summary>Area (mm²) of a grey sheet at 2 px/mm that is not white paper (darker than 215 after a 1 mm blur), outside
    /// the given boxes, a 5 mm border (scanner edges and lid shadows) and the top band; specks removed.</summary>
    private static double NotPaper(Mat reduced, IEnumerable<Rect> placed)
    {
        using var blurred = new Mat();
        Cv2.GaussianBlur(reduced, blurred, new Size(0, 0), Specimens.LocatePxPerMm);
        using var mask = new Mat();
        Cv2.Threshold(blurred, mask, 215, 255, ThresholdTypes.BinaryInv);
        var border = (int)(5 * Specimens.LocatePxPerMm);
        var top = (int)(15 * Specimens.LocatePxPerMm);
        using (var keep = new Mat(mask.Size(), MatType.CV_8U, Scalar.All(0)))
        {
            var inner = new Rect(border, top, Math.Max(0, mask.Width - 2 * border), Math.Max(0, mask.Height - top - border));
            if (inner.Width > 0 && inner.Height > 0) keep[inner].SetTo(255);
            Cv2.BitwiseAnd(mask, keep, mask);
        }
        ClearPlaced(mask, placed);
        using var k = Cv2.GetStructuringElement(MorphShapes.Rect, new Size(3, 3));
        Cv2.MorphologyEx(mask, mask, MorphTypes.Open, k);
        return Cv2.CountNonZero(mask) / (Specimens.LocatePxPerMm * Specimens.LocatePxPerMm);
    }

    // ---------------- scans and faxes ----------------

    private static List<LocatedSide> OnA4(Mat page, bool bilevel, double pxPerMm, out double unplacedPrintMm2, CancellationToken ct)
    {
        var found = new List<LocatedSide>();
        var boxes = new List<Rect>();
        var s = Specimens.LocatePxPerMm / pxPerMm;
        using var reduced = new Mat();
        Cv2.Resize(page, reduced, new Size(), s, s, InterpolationFlags.Area);
        using var small = Specimens.Structure(reduced);
        var specimens = Specimens.Default.Templates;
        var maps = new List<(Specimens.Template T, Mat Map)>();
        // Six of the nine layouts are ID-1 cards: the blank positions depend on the window's size only.
        var flats = new Dictionary<Size, Mat>();
        try
        {
            foreach (var t in specimens)
            {
                var tm = bilevel ? t.Bilevel : t.Grey;
                if (tm.Width >= small.Width || tm.Height >= small.Height) continue;
                var map = new Mat();
                Cv2.MatchTemplate(small, tm, map, TemplateMatchModes.CCoeffNormed);
                if (!flats.TryGetValue(tm.Size(), out var flat)) flats[tm.Size()] = flat = FlatWindows(small, tm.Size(), map.Size());
                map.SetTo(-1, flat);
                maps.Add((t, map));
            }
            for (var k = 0; k < 3; k++)
            {
                ct.ThrowIfCancellationRequested();
                (Specimens.Template T, Point Loc, double Score) best = default;
                foreach (var (t, map) in maps)
                {
                    map.MinMaxLoc(out _, out double max, out _, out Point loc);
                    if (max > best.Score) best = (t, loc, max);
                }
                if (Debug) Console.Error.WriteLine($"    a4 candidate {best.T?.Layout.Specimen} turned={best.T?.Turned} score={best.Score:0.000} at {best.Loc}");
                if (best.T is null || best.Score < MinScore) break;
                var tw = best.T.Grey.Width;
                var th = best.T.Grey.Height;
                found.Add(Refine(page, pxPerMm, best.T, best.Loc, best.Score, bilevel));
                boxes.Add(new Rect(best.Loc.X, best.Loc.Y, tw, th));
                Blank(maps, best.Loc, tw, th);
            }
            // One side of a two-sided document found: its other side is expected on the same sheet more often than not
            // (front above back on the glass), so it is looked for again with a lower bar — a licence back on a
            // standard fax keeps little of its grid and scores 0.40–0.44.
            foreach (var side in found.ToList())
            {
                var kind = side.Layout.Kind;
                if (kind is null || found.Count(f => f.Layout.Kind == kind) > 1) continue;
                (Specimens.Template T, Point Loc, double Score) other = default;
                foreach (var (t, map) in maps.Where(m => m.T.Layout.Kind == kind && m.T.Layout.Side != side.Layout.Side))
                {
                    map.MinMaxLoc(out _, out double max, out _, out Point loc);
                    if (max > other.Score) other = (t, loc, max);
                }
                if (other.T is null || other.Score < MinScoreOtherSide) continue;
                // …and only where there is print of a card's amount (never on blank paper beside a lone side): 300 mm², or
                // a fifth of the specimen's own print where that is sparse — a licence back is a grid of hairlines, 46 mm²
                // of print as the specimen (98 bilevel), 23–125 mm² on a fax, so the fixed bar left it missed.
                var candidate = new Rect(other.Loc.X, other.Loc.Y, other.T.Grey.Width, other.T.Grey.Height);
                var specimenPrint = PrintIn(bilevel ? other.T.Bilevel : other.T.Grey, new Rect(0, 0, other.T.Grey.Width, other.T.Grey.Height));
                var print = PrintIn(small, candidate);
                if (Debug) Console.Error.WriteLine($"    other side candidate {other.T.Layout.Specimen} score={other.Score:0.000} print={print:0} mm² (specimen {specimenPrint:0} mm²)");
                if (print < Math.Max(15, Math.Min(300, 0.2 * specimenPrint))) continue;
                if (Debug) Console.Error.WriteLine($"    other side {other.T.Layout.Specimen} turned={other.T.Turned} score={other.Score:0.000}");
                found.Add(Refine(page, pxPerMm, other.T, other.Loc, other.Score, bilevel));
                boxes.Add(new Rect(other.Loc.X, other.Loc.Y, other.T.Grey.Width, other.T.Grey.Height));
                Blank(maps, other.Loc, other.T.Grey.Width, other.T.Grey.Height);
            }
        }
        finally
        {
            foreach (var (_, map) in maps) map.Dispose();
            foreach (var flat in flats.Values) flat.Dispose();
        }
        unplacedPrintMm2 = UnplacedPrint(small, boxes);
        // Light print (a pink guilloche, a categories grid of hairlines) is under the structure map's threshold, and a
        // tinted card shows no structure at all: what is not paper outside the sides found counts too (measured: a
        // licence back of another layout beside its placed front left 0 mm² of "print" and the side was taken for absent).
        if (!bilevel) unplacedPrintMm2 = Math.Max(unplacedPrintMm2, NotPaper(reduced, boxes));
        if (Debug) Console.Error.WriteLine($"    unplaced print {unplacedPrintMm2:0} mm²");
        return found;
    }

    /// <summary>No second side where one was accepted: every position whose box would overlap it by more than 8 % is blanked
    /// in every map.</summary>
    private static void Blank(List<(Specimens.Template T, Mat Map)> maps, Point at, int tw, int th)
    {
        foreach (var (t, map) in maps)
        {
            int x0 = Math.Max(0, at.X - t.Grey.Width + tw / 12), x1 = Math.Min(map.Width, at.X + tw - tw / 12);
            int y0 = Math.Max(0, at.Y - t.Grey.Height + th / 12), y1 = Math.Min(map.Height, at.Y + th - th / 12);
            if (x1 > x0 && y1 > y0) map[new Rect(x0, y0, x1 - x0, y1 - y0)].SetTo(-1);
        }
    }

    /// <summary>Normalised correlation is undefined where the page is blank (no print: zero variance) and OpenCV then
    /// reports 1 — a perfect "match" on white paper or a test pattern's flat area. The positions (of a correlation map of
    /// <paramref name="mapSize"/>) whose window is blank, to be set to −1: a document side always has print over its whole
    /// area.</summary>
    private static Mat FlatWindows(Mat image, Size window, Size mapSize)
    {
        using var mean = new Mat();
        using var sq = new Mat();
        using var meanSq = new Mat();
        Cv2.BoxFilter(image, mean, MatType.CV_32F, window, new Point(0, 0), true, BorderTypes.Constant);
        Cv2.Multiply(image, image, sq, 1, MatType.CV_32F);
        Cv2.BoxFilter(sq, meanSq, MatType.CV_32F, window, new Point(0, 0), true, BorderTypes.Constant);
        using var variance = new Mat();
        using var m2 = new Mat();
        Cv2.Multiply(mean, mean, m2);
        Cv2.Subtract(meanSq, m2, variance);
        using var roi = new Mat(variance, new Rect(0, 0, mapSize.Width, mapSize.Height));
        var flat = new Mat();
        // The structure maps of real sides have a variance of several units; a blank area has ~0.
        Cv2.Compare(roi, new Scalar(0.05), flat, CmpTypes.LT);
        return flat;
    }

    /// <summary>The coarse match, re-searched at 4 px/mm in a window 6 mm around it for the card's own rotation (± 3°),
    /// then cut out of the full-resolution page and resampled to <see cref="CardPxPerMm"/>.</summary>
    private static LocatedSide Refine(Mat page, double pxPerMm, Specimens.Template t, Point coarse, double score, bool bilevel)
    {
        var layout = t.Layout;
        const double fine = 4;
        double wMm = layout.WidthMm, hMm = layout.HeightMm, marginMm = 6;
        // Window in page pixels.
        var cx = (coarse.X / Specimens.LocatePxPerMm + wMm / 2) * pxPerMm;
        var cy = (coarse.Y / Specimens.LocatePxPerMm + hMm / 2) * pxPerMm;
        var halfW = (wMm / 2 + marginMm) * pxPerMm;
        var halfH = (hMm / 2 + marginMm) * pxPerMm;
        var win = Clip(new Rect((int)(cx - halfW), (int)(cy - halfH), (int)(2 * halfW), (int)(2 * halfH)), page);
        using var region = new Mat(page, win);
        using var regionSmall = new Mat();
        var s = fine / pxPerMm;
        Cv2.Resize(region, regionSmall, new Size(), s, s, s < 1 ? InterpolationFlags.Area : InterpolationFlags.Linear);
        using var specimen = FineSpecimen(t, fine, bilevel);
        using (var structured = Specimens.Structure(regionSmall, fine)) structured.CopyTo(regionSmall);
        var bestAngle = 0.0;
        var bestScore = double.MinValue;
        var bestLoc = new Point();
        var centre = new Point2f(regionSmall.Width / 2f, regionSmall.Height / 2f);
        // Coarse to fine: whole degrees from 0 towards the better neighbour for as long as the score rises (it falls away
        // smoothly either side of the card's own angle: a degree moves the far edge of a card 1.5 mm, the width of the
        // structure's features), then the half degrees either side of the best — 5 correlations for a card lying within
        // a degree of straight instead of 9 for every one.
        void Try(double angle)
        {
            using var rot = Cv2.GetRotationMatrix2D(centre, angle, 1);
            using var turned = new Mat();
            Cv2.WarpAffine(regionSmall, turned, rot, regionSmall.Size(), InterpolationFlags.Linear, BorderTypes.Replicate);
            if (specimen.Width >= turned.Width || specimen.Height >= turned.Height) return;
            using var map = new Mat();
            Cv2.MatchTemplate(turned, specimen, map, TemplateMatchModes.CCoeffNormed);
            map.MinMaxLoc(out _, out double max, out _, out Point loc);
            if (max > bestScore) (bestScore, bestAngle, bestLoc) = (max, angle, loc);
        }
        Try(0);
        Try(-1);
        Try(1);
        var step = Math.Sign(bestAngle);
        for (var angle = 2.0 * step; step != 0 && Math.Abs(angle) <= 3.0001 && bestAngle == angle - step; angle += step) Try(angle);
        var wholeDegree = bestAngle;
        Try(wholeDegree - 0.5);
        Try(wholeDegree + 0.5);
        // Corners of the card in the rotated small window → page pixels (undo the rotation, the scale and the window offset).
        using var back = Cv2.GetRotationMatrix2D(centre, -bestAngle, 1);
        var m = new double[6];
        for (var i = 0; i < 6; i++) m[i] = back.At<double>(i / 3, i % 3);
        Point2f ToPage(double x, double y) => new(
            (float)((m[0] * x + m[1] * y + m[2]) / s + win.X),
            (float)((m[3] * x + m[4] * y + m[5]) / s + win.Y));
        double sw = specimen.Width, sh = specimen.Height;
        var corners = new[]
        {
            ToPage(bestLoc.X, bestLoc.Y), ToPage(bestLoc.X + sw, bestLoc.Y),
            ToPage(bestLoc.X + sw, bestLoc.Y + sh), ToPage(bestLoc.X, bestLoc.Y + sh),
        };
        if (t.Turned) corners = [corners[2], corners[3], corners[0], corners[1]];
        var card = Straighten(page, corners, layout);
        return new LocatedSide(layout, card, Math.Max(score, bestScore), pxPerMm, $"specimen match {(t.Turned ? "upside-down, " : "")}rotated {-bestAngle:0.#}°", corners);
    }

    private static Mat FineSpecimen(Specimens.Template t, double pxPerMm, bool bilevel)
    {
        var m = new Mat();
        Cv2.Resize(bilevel ? t.Bilevel : t.Grey, m, new Size((int)Math.Round(t.Layout.WidthMm * pxPerMm), (int)Math.Round(t.Layout.HeightMm * pxPerMm)), 0, 0, InterpolationFlags.Linear);
        return m;
    }

    /// <summary>The side cut out along its four corners (page pixels, clockwise from the top-left of the upright side) and
    /// resampled to <see cref="CardPxPerMm"/>.</summary>
    internal static Mat Straighten(Mat page, Point2f[] corners, DocumentLayout layout)
    {
        int w = (int)Math.Round(layout.WidthMm * CardPxPerMm), h = (int)Math.Round(layout.HeightMm * CardPxPerMm);
        var dst = new[] { new Point2f(0, 0), new Point2f(w, 0), new Point2f(w, h), new Point2f(0, h) };
        using var hm = Cv2.GetPerspectiveTransform(corners, dst);
        var card = new Mat();
        Cv2.WarpPerspective(page, card, hm, new Size(w, h), InterpolationFlags.Cubic, BorderTypes.Replicate);
        return card;
    }

    private static Rect Clip(Rect r, Mat m)
    {
        var x = Math.Clamp(r.X, 0, m.Width - 1);
        var y = Math.Clamp(r.Y, 0, m.Height - 1);
        return new Rect(x, y, Math.Clamp(r.Right, x + 1, m.Width) - x, Math.Clamp(r.Bottom, y + 1, m.Height) - y);
    }

    // ---------------- phone photos ----------------

    private static List<LocatedSide> OnPhoto(Mat page, CancellationToken ct)
    {
        (Specimens.Template? T, double Score, Point2f[]? Quad, double LongSide) best = (null, double.MinValue, null, 0);
        var quads = FindQuads(page);
        if (Debug)
        {
            using var view = new Mat();
            Cv2.CvtColor(page, view, ColorConversionCodes.GRAY2BGR);
            foreach (var quadToDraw in quads) Cv2.Polylines(view, [quadToDraw.Select(p => new Point(p.X, p.Y))], true, Scalar.Red, 6);
            Cv2.ImWrite(Path.Combine(Path.GetTempPath(), $"locate-{Environment.TickCount64}.png"), view);
        }
        foreach (var candidate in quads)
        {
            ct.ThrowIfCancellationRequested();
            var quad = candidate;
            var (top, right, bottom, left) = (Dist(quad[0], quad[1]), Dist(quad[1], quad[2]), Dist(quad[2], quad[3]), Dist(quad[3], quad[0]));
            var longSide = (top + bottom) / 2;
            var shortSide = (left + right) / 2;
            if (shortSide > longSide)
            {
                quad = [quad[1], quad[2], quad[3], quad[0]]; // portrait quad: start from the other corner so the long side is on top
                (longSide, shortSide) = (shortSide, longSide);
            }
            if (Debug) Console.Error.WriteLine($"    photo quad {string.Join(" ", quad.Select(q => $"({q.X:0},{q.Y:0})"))} page {page.Width}x{page.Height}");
            // Each specimen size once: the quad straightened straight to the specimen's 2 px/mm, compared both ways up.
            foreach (var group in Specimens.Default.Templates.GroupBy(t => (t.Layout.WidthMm, t.Layout.HeightMm)))
            {
                var size = group.First().Grey.Size();
                var dst = new[] { new Point2f(0, 0), new Point2f(size.Width, 0), new Point2f(size.Width, size.Height), new Point2f(0, size.Height) };
                using var hm = Cv2.GetPerspectiveTransform(quad, dst);
                using var small = new Mat();
                Cv2.WarpPerspective(page, small, hm, size, InterpolationFlags.Area, BorderTypes.Replicate);
                using var structure = Specimens.Structure(small);
                Cv2.MeanStdDev(structure, out _, out var spread);
                if (spread.Val0 * spread.Val0 < 0.05) continue; // blank: correlation undefined (see FlatWindows)
                foreach (var t in group)
                {
                    var score = Correlation(structure, t.Grey);
                    if (Debug) Console.Error.WriteLine($"    photo {t.Layout.Specimen} turned={t.Turned} score={score:0.000}");
                    if (score > best.Score) best = (t, score, quad, longSide);
                }
            }
        }
        if (best.T is not { } bt || best.Quad is not { } q || best.Score < MinScore) return [];
        var corners = bt.Turned ? new[] { q[2], q[3], q[0], q[1] } : q;
        return [new LocatedSide(bt.Layout, Straighten(page, corners, bt.Layout), best.Score, best.LongSide / bt.Layout.WidthMm,
            bt.Turned ? "photo, upside-down" : "photo", corners)];
    }

    /// <summary>The normalised correlation of two maps of one size: what MatchTemplate's CCoeffNormed gives at its single
    /// position, without its DFT machinery — that took ≈ 5 ms a call, and a photo compares every candidate outline with
    /// every specimen of its size (60–100 calls, most of the photo's locate time); this takes ≈ 0.1 ms.</summary>
    internal static double Correlation(Mat a, Mat b)
    {
        Cv2.MeanStdDev(a, out var meanA, out var sdA);
        Cv2.MeanStdDev(b, out var meanB, out var sdB);
        if (sdA.Val0 <= 0 || sdB.Val0 <= 0) return 0;
        var covariance = a.Dot(b) / ((double)a.Rows * a.Cols) - meanA.Val0 * meanB.Val0;
        return covariance / (sdA.Val0 * sdB.Val0);
    }

    internal static double Dist(Point2f a, Point2f b) => Math.Sqrt((a.X - b.X) * (a.X - b.X) + (a.Y - b.Y) * (a.Y - b.Y));

    /// <summary>Candidate outlines of the document in a photo, each a quadrilateral covering 4–97 % of the frame, corners
    /// clockwise from top-left: from edges (Canny, closed) and from brightness (Otsu: the document is lighter than most
    /// tables); the locator keeps the one whose straightened content best matches a specimen.</summary>
    internal static List<Point2f[]> FindQuads(Mat page)
    {
        var scale = 800.0 / Math.Max(page.Width, page.Height);
        using var small = new Mat();
        Cv2.Resize(page, small, new Size(), scale, scale, InterpolationFlags.Area);
        Cv2.GaussianBlur(small, small, new Size(5, 5), 0);
        var quads = new List<Point2f[]>();
        using var k = Cv2.GetStructuringElement(MorphShapes.Rect, new Size(5, 5));
        using (var edges = new Mat())
        {
            Cv2.Canny(small, edges, 20, 60);
            Cv2.MorphologyEx(edges, edges, MorphTypes.Close, k);
            quads.AddRange(QuadsOf(edges, small.Size(), scale));
            // Crisper edges only, every closed outline (not just outer ones): the document's border is a strong closed
            // edge; wood grain and lighting make weak or open ones, which the closing above can join to it.
            Cv2.Canny(small, edges, 40, 120);
            Cv2.Dilate(edges, edges, null);
            quads.AddRange(QuadsOf(edges, small.Size(), scale, RetrievalModes.List));
        }
        // Brightness at three levels from Otsu's towards white: a lit table or a light one joins the document at Otsu's
        // level but not higher up; an opening cuts the thin bridges (wood grain, shadows) left between them.
        using var open = Cv2.GetStructuringElement(MorphShapes.Ellipse, new Size(9, 9));
        using (var bright = new Mat())
        {
            var otsu = Cv2.Threshold(small, bright, 0, 255, ThresholdTypes.Binary | ThresholdTypes.Otsu);
            foreach (var level in new[] { otsu, otsu + (255 - otsu) / 3, otsu + (255 - otsu) / 2 })
            {
                Cv2.Threshold(small, bright, level, 255, ThresholdTypes.Binary);
                Cv2.MorphologyEx(bright, bright, MorphTypes.Open, open);
                quads.AddRange(QuadsOf(bright, small.Size(), scale));
            }
        }
        return quads;
    }

    private static IEnumerable<Point2f[]> QuadsOf(Mat mask, Size size, double scale, RetrievalModes mode = RetrievalModes.External)
    {
        Cv2.FindContours(mask, out var contours, out _, mode, ContourApproximationModes.ApproxNone);
        var frame = (double)size.Width * size.Height;
        var taken = 0;
        foreach (var c in contours.OrderByDescending(c => Cv2.ContourArea(c)))
        {
            var hull = Cv2.ConvexHull(c);
            var area = Cv2.ContourArea(hull);
            if (area < 0.04 * frame || taken >= 3) break;
            if (area > 0.97 * frame) continue;
            var peri = Cv2.ArcLength(hull, true);
            for (var eps = 0.01; eps <= 0.08; eps += 0.01)
            {
                var approx = Cv2.ApproxPolyDP(hull, eps * peri, true);
                if (approx.Length != 4) continue;
                taken++;
                var corners = Refine(Order(approx.Select(p => new Point2f(p.X, p.Y)).ToArray()), c);
                yield return corners.Select(p => new Point2f((float)(p.X / scale), (float)(p.Y / scale))).ToArray();
                break;
            }
        }
    }

    /// <summary>Corners from the outline's four sides: each contour point near a side (and away from the rounded corners)
    /// votes for that side, a line is fitted to each side's points and adjacent lines are intersected — the polygon
    /// approximation alone puts corners a few millimetres off, which the specimen comparison does not forgive.</summary>
    private static Point2f[] Refine(Point2f[] quad, Point[] contour)
    {
        var sides = new List<Point2f>[4];
        for (var i = 0; i < 4; i++) sides[i] = [];
        foreach (var p in contour)
        {
            var best = -1;
            var bestD = double.MaxValue;
            for (var i = 0; i < 4; i++)
            {
                var (a, b) = (quad[i], quad[(i + 1) % 4]);
                var (d, t) = SegmentDistance(new Point2f(p.X, p.Y), a, b);
                if (t is < 0.12 or > 0.88) continue;
                if (d < bestD) (bestD, best) = (d, i);
            }
            if (best >= 0 && bestD < 6) sides[best].Add(new Point2f(p.X, p.Y));
        }
        if (sides.Any(s => s.Count < 10)) return quad;
        var lines = sides.Select(s => Cv2.FitLine(s, DistanceTypes.L2, 0, 0.01, 0.01)).ToArray();
        var result = new Point2f[4];
        for (var i = 0; i < 4; i++)
        {
            // Corner i is where side i-1 (ending at it) meets side i (starting from it).
            var (l1, l2) = (lines[(i + 3) % 4], lines[i]);
            var det = l1.Vx * l2.Vy - l1.Vy * l2.Vx;
            if (Math.Abs(det) < 1e-6) return quad;
            var t = ((l2.X1 - l1.X1) * l2.Vy - (l2.Y1 - l1.Y1) * l2.Vx) / det;
            result[i] = new Point2f((float)(l1.X1 + t * l1.Vx), (float)(l1.Y1 + t * l1.Vy));
            if (Dist(result[i], quad[i]) > 40) return quad; // a side fitted to something else
        }
        return result;
    }

    private static (double Distance, double T) SegmentDistance(Point2f p, Point2f a, Point2f b)
    {
        double dx = b.X - a.X, dy = b.Y - a.Y;
        var len2 = dx * dx + dy * dy;
        var t = len2 == 0 ? 0 : ((p.X - a.X) * dx + (p.Y - a.Y) * dy) / len2;
        var tc = Math.Clamp(t, 0, 1);
        double x = a.X + tc * dx - p.X, y = a.Y + tc * dy - p.Y;
        return (Math.Sqrt(x * x + y * y), t);
    }

    /// <summary>Top-left, top-right, bottom-right, bottom-left: by the sum and difference of the coordinates.</summary>
    private static Point2f[] Order(Point2f[] p)
    {
        var tl = p.OrderBy(q => q.X + q.Y).First();
        var br = p.OrderByDescending(q => q.X + q.Y).First();
        var tr = p.OrderByDescending(q => q.X - q.Y).First();
        var bl = p.OrderBy(q => q.X - q.Y).First();
        return [tl, tr, br, bl];
    }
}
