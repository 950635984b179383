using System.Text.Json.Serialization;
using OpenCvSharp;
using SkiaSharp;

namespace VerifyPipeline.DocumentFamilies;

/// <summary>How the sides of one document share a scanned sheet.</summary>
public enum SheetArrangement { SideBySide, Stacked, SeparatePages }

/// <summary>ITU-T T.4 resolutions: fine 204 × 196 dpi, standard 204 × 98 dpi (every other scan line).</summary>
public enum FaxMode { Fine, Standard }

/// <summary>One captured file. <see cref="SidesByPage"/>[i] names the document sides on page i + 1 of the file (an
/// image file has one page). The dpi is the one declared in the file (PNG pHYs, JPEG JFIF, TIFF tags).</summary>
public sealed record CapturedFile(
    [property: JsonPropertyName("extension")] string Extension,
    [property: JsonIgnore] byte[] Bytes,
    [property: JsonPropertyName("dpi_x")] double DpiX,
    [property: JsonPropertyName("dpi_y")] double DpiY,
    [property: JsonPropertyName("sides_by_page")] IReadOnlyList<IReadOnlyList<string>> SidesByPage);

/// <summary>
/// Ways a citizen turns a document into a file: a flatbed scan, a phone photo, a fax. Each is a pure function of the
/// drawn sides and a seed.
/// </summary>
public static class Captures
{
    public const double A4WidthMm = 210, A4HeightMm = 297;

    /// <summary>A fax page is 1728 pixels wide at 204 dpi (T.4 §2.2 scan line of 215 mm), wider than A4.</summary>
    public const int FaxWidthPx = 1728;

    public static IReadOnlyList<CapturedFile> Scan300(DrawnDocument doc, int seed) =>
        Scan(doc, 300, PickArrangement(seed), jpeg: false, seed);

    public static IReadOnlyList<CapturedFile> Scan150(DrawnDocument doc, int seed) =>
        Scan(doc, 150, PickArrangement(seed), jpeg: true, seed);

    /// <summary>A flatbed scan: the sides on a white A4 sheet (landscape when a side is wider than a portrait page, as a
    /// booklet opened flat is), at a random position and a small rotation, with the scanner's slight blur.</summary>
    public static IReadOnlyList<CapturedFile> Scan(DrawnDocument doc, int dpi, SheetArrangement arrangement, bool jpeg, int seed)
    {
        ArgumentNullException.ThrowIfNull(doc);
        return Scan(doc.Sides, dpi, arrangement, jpeg, seed);
    }

    /// <summary>The same for some sides only (a citizen who scans the front alone).</summary>
    public static IReadOnlyList<CapturedFile> Scan(IReadOnlyList<DrawnSide> sides, int dpi, SheetArrangement arrangement, bool jpeg, int seed)
    {
        ArgumentNullException.ThrowIfNull(sides);
        ArgumentOutOfRangeException.ThrowIfLessThan(dpi, 50);
        var rng = new Random(seed);
        var files = new List<CapturedFile>();
        foreach (var group in Groups(sides, arrangement))
        {
            var (w, h) = SheetSize(group);
            var placed = Arrange(group, arrangement == SheetArrangement.SideBySide ? SheetArrangement.SideBySide : SheetArrangement.Stacked, 0, 0, w, h, rng);
            using var bitmap = Sheets.Render(w, h, dpi, dpi, null, placed);
            using var mat = Images.ToBgr(bitmap);
            Cv2.GaussianBlur(mat, mat, new OpenCvSharp.Size(0, 0), 0.5 * dpi / 300.0 + 0.3);
            var bytes = jpeg ? Images.Jpeg(mat, 88, dpi) : Images.Png(mat, dpi);
            files.Add(new CapturedFile(jpeg ? ".jpg" : ".png", bytes, dpi, dpi, [group.Select(s => s.Name).ToList()]));
        }
        return files;
    }

    /// <summary>A phone photo: the side in perspective on a textured table, lit unevenly, slightly out of focus, JPEG.
    /// Phones write 72 dpi into JFIF whatever the real sampling, so that is what is declared.</summary>
    public static CapturedFile Phone(DrawnSide side, int seed)
    {
        ArgumentNullException.ThrowIfNull(side);
        var rng = new Random(seed);
        Cv2.SetTheRNG((ulong)(uint)seed + 1);
        const int outW = 2400, outH = 1800;
        using var photo = Images.Table(outW, outH, rng);
        using var card = Images.ToBgr(side.Bitmap);

        var fraction = side.WidthMm > 150 ? 0.86 : 0.55 + rng.NextDouble() * 0.2;
        var cw = outW * fraction;
        var ch = cw * side.HeightMm / side.WidthMm;
        var cx = outW / 2.0 + (rng.NextDouble() - 0.5) * (outW - cw) * 0.5;
        var cy = outH / 2.0 + (rng.NextDouble() - 0.5) * Math.Max(0, outH - ch) * 0.5;
        var angle = (rng.NextDouble() - 0.5) * (side.WidthMm > 150 ? 8 : 24) * Math.PI / 180;
        Point2f Corner(double u, double v)
        {
            var dx = (u - 0.5) * cw; var dy = (v - 0.5) * ch;
            var x = cx + dx * Math.Cos(angle) - dy * Math.Sin(angle);
            var y = cy + dx * Math.Sin(angle) + dy * Math.Cos(angle);
            // Perspective: corners pulled in by up to 6 % of the card width, as a phone held a little off-axis does.
            return new Point2f((float)(x + (rng.NextDouble() - 0.5) * cw * 0.12), (float)(y + (rng.NextDouble() - 0.5) * cw * 0.08));
        }
        Point2f[] dst = [Corner(0, 0), Corner(1, 0), Corner(1, 1), Corner(0, 1)];
        Point2f[] src = [new(0, 0), new(card.Cols, 0), new(card.Cols, card.Rows), new(0, card.Rows)];
        using var m = Cv2.GetPerspectiveTransform(src, dst);

        using var mask = new Mat(card.Rows, card.Cols, MatType.CV_8UC1, Scalar.All(0));
        var r = (int)Math.Round(side.CornerRadiusMm * side.PxPerMm);
        Images.RoundedRect(mask, r);
        using var warped = new Mat();
        using var warpedMask = new Mat();
        Cv2.WarpPerspective(card, warped, m, new OpenCvSharp.Size(outW, outH), InterpolationFlags.Area);
        Cv2.WarpPerspective(mask, warpedMask, m, new OpenCvSharp.Size(outW, outH), InterpolationFlags.Linear);

        using (var shadow = new Mat())
        {
            using var shift = Mat.Eye(2, 3, MatType.CV_32FC1).ToMat();
            shift.Set(0, 2, 14f); shift.Set(1, 2, 18f);
            Cv2.WarpAffine(warpedMask, shadow, shift, warpedMask.Size());
            Cv2.GaussianBlur(shadow, shadow, new OpenCvSharp.Size(0, 0), 14);
            Images.Darken(photo, shadow, 0.45);
        }
        Images.Blend(photo, warped, warpedMask);
        Images.Light(photo, rng);
        Cv2.GaussianBlur(photo, photo, new OpenCvSharp.Size(0, 0), 0.7 + rng.NextDouble() * 0.9);
        using (var noise = new Mat(photo.Size(), MatType.CV_8UC3))
        {
            Cv2.Randn(noise, Scalar.All(0), Scalar.All(3 + rng.NextDouble() * 3));
            Cv2.Add(photo, noise, photo);
        }
        return new CapturedFile(".jpg", Images.Jpeg(photo, 80 + rng.Next(12), 72), 72, 72, [[side.Name]]);
    }

    /// <summary>A fax of the document: the sides on one A4 sheet, bilevel with transmission noise, as a TIFF with
    /// CCITT G4 (T.6) or G3 (T.4 1-D) compression.</summary>
    public static CapturedFile Fax(DrawnDocument doc, FaxMode mode, bool g4, int seed)
    {
        ArgumentNullException.ThrowIfNull(doc);
        return Fax(doc.Sides, mode, g4, seed);
    }

    public static CapturedFile Fax(IReadOnlyList<DrawnSide> sides, FaxMode mode, bool g4, int seed)
    {
        ArgumentNullException.ThrowIfNull(sides);
        var rng = new Random(seed);
        BilevelPage bits;
        using (var page = FaxPage(sides, null, rng)) bits = Fax1Bit.Bilevel(page, mode, rng);
        return new CapturedFile(".tif", Fax1Bit.Tiff([bits], g4), 204, mode == FaxMode.Fine ? 196 : 98, [sides.Select(s => s.Name).ToList()]);
    }

    // ---------- shared by the captures and the submissions ----------

    internal static SheetArrangement PickArrangement(int seed) => (SheetArrangement)(((seed % 3) + 3) % 3);

    internal static IEnumerable<IReadOnlyList<DrawnSide>> Groups(IReadOnlyList<DrawnSide> sides, SheetArrangement arrangement) =>
        arrangement == SheetArrangement.SeparatePages ? sides.Select(s => (IReadOnlyList<DrawnSide>)[s]) : [sides];

    internal static (double W, double H) SheetSize(IReadOnlyList<DrawnSide> sides) =>
        sides.Any(s => s.WidthMm > A4WidthMm - 15) ? (A4HeightMm, A4WidthMm) : (A4WidthMm, A4HeightMm);

    /// <summary>A fax page at 204 × 196 dpi (the standard mode drops every other row later, as a fax machine does).</summary>
    internal static SKBitmap FaxPage(IReadOnlyList<DrawnSide> sides, Action<SKCanvas>? underlay, Random rng)
    {
        var w = FaxWidthPx * 25.4 / 204;
        var placed = underlay is null ? Arrange(sides, SheetArrangement.Stacked, 3, 0, A4WidthMm, A4HeightMm, rng) : [];
        return Sheets.Render(w, A4HeightMm, 204, 196, underlay, placed);
    }

    /// <summary>Places the sides in an area: each in its own slot at a random offset and a rotation within ±1.5°.
    /// Side by side falls back to stacked when the sides do not fit across.</summary>
    internal static List<Placed> Arrange(IReadOnlyList<DrawnSide> sides, SheetArrangement how, double x0, double y0, double w, double h, Random rng)
    {
        const double margin = 8;
        if (how == SheetArrangement.SideBySide && sides.Sum(s => s.WidthMm) + margin * (sides.Count + 1) > w) how = SheetArrangement.Stacked;
        var list = new List<Placed>();
        for (var i = 0; i < sides.Count; i++)
        {
            var s = sides[i];
            double sx, sy, sw, sh;
            if (how == SheetArrangement.SideBySide) { sw = w / sides.Count; sh = Math.Min(h, s.HeightMm * 2.2); sx = x0 + i * sw; sy = y0; }
            else { sw = w; sh = h / sides.Count; sx = x0; sy = y0 + i * sh; }
            var freeX = Math.Max(0, sw - s.WidthMm - 2 * margin);
            var freeY = Math.Max(0, sh - s.HeightMm - 2 * margin);
            var x = sx + Math.Min(margin, Math.Max(0, (sw - s.WidthMm) / 2)) + rng.NextDouble() * freeX;
            var y = sy + Math.Min(margin, Math.Max(0, (sh - s.HeightMm) / 2)) + rng.NextDouble() * freeY * (how == SheetArrangement.Stacked ? 0.6 : 1);
            list.Add(new Placed(s, (float)x, (float)y, (float)((rng.NextDouble() - 0.5) * 3)));
        }
        return list;
    }
}

internal sealed record Placed(DrawnSide Side, float X, float Y, float Degrees);

/// <summary>Paper sheets in millimetres rendered at any (anisotropic) resolution.</summary>
internal static class Sheets
{
    public static SKBitmap Render(double widthMm, double heightMm, double dpiX, double dpiY, Action<SKCanvas>? underlay, IEnumerable<Placed> placed)
    {
        var w = (int)Math.Round(widthMm * dpiX / 25.4);
        var h = (int)Math.Round(heightMm * dpiY / 25.4);
        var bitmap = new SKBitmap(new SKImageInfo(w, h, SKColorType.Rgba8888, SKAlphaType.Premul));
        using var canvas = new SKCanvas(bitmap);
        canvas.Clear(SKColors.White);
        canvas.Scale((float)(dpiX / 25.4), (float)(dpiY / 25.4));
        underlay?.Invoke(canvas);
        foreach (var p in placed) Draw(canvas, p);
        return bitmap;
    }

    public static void Draw(SKCanvas canvas, Placed p)
    {
        var s = p.Side;
        float w = (float)s.WidthMm, h = (float)s.HeightMm, r = (float)s.CornerRadiusMm;
        canvas.Save();
        canvas.Translate(p.X + w / 2, p.Y + h / 2);
        canvas.RotateDegrees(p.Degrees);
        canvas.Translate(-w / 2, -h / 2);
        using (var shadow = new SKPaint { Color = new SKColor(0, 0, 0, 60), IsAntialias = true, MaskFilter = SKMaskFilter.CreateBlur(SKBlurStyle.Normal, 0.25f) })
            canvas.DrawRoundRect(0.15f, 0.25f, w, h, r, r, shadow);
        using var clip = new SKRoundRect(new SKRect(0, 0, w, h), r);
        canvas.ClipRoundRect(clip, SKClipOperation.Intersect, antialias: true);
        using var image = SKImage.FromBitmap(s.Bitmap);
        canvas.DrawImage(image, new SKRect(0, 0, w, h), new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.Linear));
        canvas.Restore();
    }
}
