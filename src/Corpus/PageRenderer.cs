using System.Globalization;
using SkiaSharp;

namespace VerifyPipeline.Corpus;

/// <summary>A rendered page: encoded bytes (JPEG for scans and photos) or a bilevel raster (fax), with its resolution.</summary>
internal sealed record RenderedPage(int Width, int Height, int DpiX, int DpiY, byte[]? Jpeg, byte[]? Bilevel);

/// <summary>
/// Draws one planned page the way a citizen's device would have captured it: a flatbed scan (A4 at 150–300 dpi, skew,
/// scanner noise, JPEG), a phone photo (document on a table, perspective, uneven light, soft focus, JPEG) or a fax
/// (A4 at 204 × 98 or 204 × 196 dpi, thresholded to black and white, header line of the sending machine).
/// </summary>
internal sealed class PageRenderer(DocumentArt art, SubmissionPlan plan)
{
    public const int PhotoLong = 2000, PhotoShort = 1500;

    public RenderedPage Render(PlannedPage page, int pageCount)
    {
        var rng = new Random(page.Seed);
        return page.Capture switch
        {
            Capture.Scan => Scan(page, rng),
            Capture.Photo => Photo(page, rng),
            _ => Fax(page, rng, pageCount),
        };
    }

    // ---------------- flatbed scan ----------------

    private RenderedPage Scan(PlannedPage page, Random rng)
    {
        var dpi = page.DpiX;
        var w = (int)Math.Round(DocumentArt.A4W * dpi / 25.4);
        var h = (int)Math.Round(DocumentArt.A4H * dpi / 25.4);
        using var surface = NewSurface(w, h);
        var c = surface.Canvas;
        var paperTone = (byte)(244 + rng.Next(10));
        c.Clear(new SKColor(paperTone, paperTone, (byte)(paperTone - 2)));
        c.Save();
        c.Scale(dpi / 25.4f);
        Orient(c, page, DocumentArt.A4W, DocumentArt.A4H);
        DrawItemsOnA4(c, page, rng);
        c.Restore();
        Noise(c, w, h, rng, 7);
        Illegible(surface, page.Illegible, w, h);
        return new RenderedPage(w, h, dpi, dpi, Jpeg(surface, page.JpegQuality), null);
    }

    /// <summary>Skew about the centre, then a half turn when the page was fed upside-down.</summary>
    private static void Orient(SKCanvas c, PlannedPage page, float w, float h)
    {
        c.RotateDegrees(page.SkewDegrees, w / 2, h / 2);
        if (page.UpsideDown) c.RotateDegrees(180, w / 2, h / 2);
    }

    /// <summary>A4 page content in mm: the form or bill fills the sheet; cards and passport pages lie near a corner of the
    /// glass, front above back when both are on one page.</summary>
    private void DrawItemsOnA4(SKCanvas c, PlannedPage page, Random rng)
    {
        float x = 12 + rng.Next(25), y = 12 + rng.Next(25);
        foreach (var item in page.Items)
        {
            var doc = plan.Documents[item.Document];
            var size = DocumentArt.SizeOf(item.Content, doc.Id?.Kind);
            c.Save();
            if (size.Width < DocumentArt.A4W)
            {
                c.Translate(x, y);
                c.RotateDegrees((float)(rng.NextDouble() - 0.5) * 2);
                Shadow(c, size, 0.6f);
                y += size.Height + 12 + rng.Next(20);
            }
            art.Draw(c, item, doc, page.Seed);
            c.Restore();
        }
    }

    private static void Shadow(SKCanvas c, SKSize size, float blurMm)
    {
        using var paint = new SKPaint { Color = new SKColor(0, 0, 0, 70), IsAntialias = true, MaskFilter = SKMaskFilter.CreateBlur(SKBlurStyle.Normal, blurMm) };
        c.DrawRoundRect(new SKRect(0.4f, 0.6f, size.Width + 0.4f, size.Height + 0.6f), 3, 3, paint);
    }

    // ---------------- phone photo ----------------

    private RenderedPage Photo(PlannedPage page, Random rng)
    {
        var item = page.Items[0];
        var doc = plan.Documents[item.Document];
        var size = DocumentArt.SizeOf(item.Content, doc.Id?.Kind);
        var portrait = size.Height > size.Width;
        var (w, h) = portrait ? (PhotoShort, PhotoLong) : (PhotoLong, PhotoShort);
        using var surface = NewSurface(w, h);
        var c = surface.Canvas;
        Table(c, w, h, rng);

        // Where the document lands: 55–80 % of the frame (8–12 % when the page is meant to be too small to read).
        var fill = page.Illegible == Illegibility.Small ? 0.08 + rng.NextDouble() * 0.04 : 0.6 + rng.NextDouble() * 0.22;
        var scale = (float)Math.Min(w * fill / size.Width, h * fill / size.Height);
        var cx = w / 2f + (float)(rng.NextDouble() - 0.5) * w * 0.12f;
        var cy = h / 2f + (float)(rng.NextDouble() - 0.5) * h * 0.12f;
        var hw = size.Width * scale / 2;
        var hh = size.Height * scale / 2;
        var angle = (rng.NextDouble() - 0.5) * 0.25 + (page.UpsideDown ? Math.PI : 0);
        SKPoint Corner(float dx, float dy)
        {
            var j = 0.07f * Math.Min(hw, hh);
            var px = dx * (float)Math.Cos(angle) - dy * (float)Math.Sin(angle);
            var py = dx * (float)Math.Sin(angle) + dy * (float)Math.Cos(angle);
            return new SKPoint(cx + px + (float)(rng.NextDouble() - 0.5) * 2 * j, cy + py + (float)(rng.NextDouble() - 0.5) * 2 * j);
        }
        // Perspective: the far edge (top) a little narrower than the near one.
        var taper = 0.04f + (float)rng.NextDouble() * 0.08f;
        SKPoint[] quad = [Corner(-hw * (1 - taper), -hh), Corner(hw * (1 - taper), -hh), Corner(hw, hh), Corner(-hw, hh)];
        var m = Homography([new(0, 0), new(size.Width, 0), new(size.Width, size.Height), new(0, size.Height)], quad);

        using (var shadow = new SKPaint { Color = new SKColor(0, 0, 0, 90), IsAntialias = true, MaskFilter = SKMaskFilter.CreateBlur(SKBlurStyle.Normal, 6) })
        using (var pb = new SKPathBuilder())
        {
            pb.AddPoly(quad.Select(q => new SKPoint(q.X + 6, q.Y + 9)).ToArray(), true);
            using var path = pb.Detach();
            c.DrawPath(path, shadow);
        }
        c.Save();
        c.SetMatrix(m);
        art.Draw(c, item, doc, page.Seed);
        c.Restore();

        Light(c, w, h, rng);
        Noise(c, w, h, rng, 14);
        using (var snapshot = surface.Snapshot())
        using (var soft = new SKPaint { ImageFilter = SKImageFilter.CreateBlur(0.7f, 0.7f) })
        {
            c.Clear();
            c.DrawImage(snapshot, 0, 0, SKSamplingOptions.Default, soft);
        }
        Illegible(surface, page.Illegible, w, h);
        return new RenderedPage(w, h, 0, 0, Jpeg(surface, page.JpegQuality), null);
    }

    private static void Table(SKCanvas c, int w, int h, Random rng)
    {
        var kind = rng.Next(3);
        SKColor a = kind switch { 0 => new(0x9A, 0x6B, 0x43), 1 => new(0x7E, 0x80, 0x86), _ => new(0xD8, 0xD2, 0xC6) };
        c.Clear(a);
        if (kind == 0)
        {
            // Wood grain: long wavy darker bands.
            using var grain = new SKPaint { Color = new SKColor(0x5E, 0x3C, 0x22, 60), IsAntialias = true, Style = SKPaintStyle.Stroke };
            for (var i = 0; i < 60; i++)
            {
                grain.StrokeWidth = 2 + rng.Next(10);
                var y0 = rng.Next(h);
                using var pb = new SKPathBuilder();
                pb.MoveTo(0, y0);
                for (var x = 0; x <= w; x += 80) pb.LineTo(x, y0 + 12 * MathF.Sin(x * 0.004f + i));
                using var path = pb.Detach();
                c.DrawPath(path, grain);
            }
        }
    }

    private static void Light(SKCanvas c, int w, int h, Random rng)
    {
        var center = new SKPoint((float)(rng.NextDouble() * w), (float)(rng.NextDouble() * h));
        using var shader = SKShader.CreateRadialGradient(center, Math.Max(w, h) * 0.9f,
            [new SKColor(255, 250, 235, 40), new SKColor(0, 0, 0, 0), new SKColor(0, 0, 20, 110)], [0, 0.45f, 1], SKShaderTileMode.Clamp);
        using var paint = new SKPaint { Shader = shader };
        c.DrawRect(0, 0, w, h, paint);
    }

    /// <summary>The projective transform taking the four <paramref name="src"/> corners to <paramref name="dst"/>.</summary>
    internal static SKMatrix Homography(SKPoint[] src, SKPoint[] dst)
    {
        var a = new double[8, 9];
        for (var i = 0; i < 4; i++)
        {
            double x = src[i].X, y = src[i].Y, u = dst[i].X, v = dst[i].Y;
            double[] r1 = [x, y, 1, 0, 0, 0, -u * x, -u * y, u];
            double[] r2 = [0, 0, 0, x, y, 1, -v * x, -v * y, v];
            for (var k = 0; k < 9; k++) { a[2 * i, k] = r1[k]; a[2 * i + 1, k] = r2[k]; }
        }
        for (var col = 0; col < 8; col++)
        {
            var pivot = col;
            for (var r = col + 1; r < 8; r++) if (Math.Abs(a[r, col]) > Math.Abs(a[pivot, col])) pivot = r;
            for (var k = 0; k < 9; k++) (a[col, k], a[pivot, k]) = (a[pivot, k], a[col, k]);
            for (var r = 0; r < 8; r++)
            {
                if (r == col) continue;
                var f = a[r, col] / a[col, col];
                for (var k = col; k < 9; k++) a[r, k] -= f * a[col, k];
            }
        }
        var hh = new float[8];
        for (var i = 0; i < 8; i++) hh[i] = (float)(a[i, 8] / a[i, i]);
        return new SKMatrix(hh[0], hh[1], hh[2], hh[3], hh[4], hh[5], hh[6], hh[7], 1);
    }

    // ---------------- fax ----------------

    private RenderedPage Fax(PlannedPage page, Random rng, int pageCount)
    {
        int dx = page.DpiX, dy = page.DpiY;
        var w = 1728; // ITU-T T.4: 1728 picture elements on a 215 mm scan line
        var h = (int)Math.Round(DocumentArt.A4H * dy / 25.4);
        using var surface = NewSurface(w, h);
        var c = surface.Canvas;
        c.Clear(SKColors.White);
        c.Save();
        c.Scale(dx / 25.4f, dy / 25.4f);
        c.Translate(2.5f, 0);
        if (page.Illegible == Illegibility.Small) c.Scale(0.3f);
        Orient(c, page, DocumentArt.A4W, DocumentArt.A4H);
        DrawItemsOnA4(c, page, rng);
        c.Restore();

        // The sending machine's header line, outside the skew.
        c.Save();
        c.Scale(dx / 25.4f, dy / 25.4f);
        using (var font = DocumentArt.Font(CorpusFonts.Default.Mono, 2.6f))
        using (var black = new SKPaint { Color = SKColors.Black })
        {
            var sent = plan.Request.CreatedAt.AddDays(1);
            var header = string.Create(CultureInfo.InvariantCulture,
                $"{sent:dd/MM/yyyy HH:mm}   DA: +39 0{(plan.Index * 7919) % 90 + 10} {(plan.Index * 104729) % 9000000 + 1000000}   A: 800803164   PAG. {page.Index}/{pageCount}");
            c.DrawText(header, 6, 4, SKTextAlign.Left, font, black);
        }
        c.Restore();

        if (page.Illegible == Illegibility.Blur) Blur(surface, 6f, 3f);
        using var pixmap = surface.PeekPixels();
        var threshold = page.Illegible == Illegibility.Dark ? 235 : 150 + rng.Next(30);
        var bits = Threshold(pixmap, w, h, threshold, rng, page.Illegible == Illegibility.Dark);
        return new RenderedPage(w, h, dx, dy, null, bits);
    }

    /// <summary>Packs to 1 bit per pixel, MSB first, 1 = black (TIFF PhotometricInterpretation MinIsWhite), with the
    /// speckle and dropped-line defects of a real transmission.</summary>
    private static byte[] Threshold(SKPixmap pixmap, int w, int h, int threshold, Random rng, bool dark)
    {
        var stride = (w + 7) / 8;
        var bits = new byte[stride * h];
        var span = pixmap.GetPixelSpan();
        var rowBytes = pixmap.RowBytes;
        for (var y = 0; y < h; y++)
        {
            var dropped = rng.NextDouble() < 0.002; // a line lost in transmission: repeated from the one above
            if (dropped && y > 0) { Array.Copy(bits, (y - 1) * stride, bits, y * stride, stride); continue; }
            var row = y * rowBytes;
            for (var x = 0; x < w; x++)
            {
                var o = row + x * 4;
                var lum = (span[o] * 54 + span[o + 1] * 183 + span[o + 2] * 19) >> 8;
                if (dark) lum -= 70;
                var black = lum < threshold;
                if (rng.Next(2000) == 0) black = !black;
                if (black) bits[y * stride + (x >> 3)] |= (byte)(0x80 >> (x & 7));
            }
        }
        return bits;
    }

    // ---------------- common ----------------

    private static SKSurface NewSurface(int w, int h) =>
        SKSurface.Create(new SKImageInfo(w, h, SKColorType.Rgba8888, SKAlphaType.Premul))
        ?? throw new InvalidOperationException($"could not allocate a {w}×{h} raster");

    /// <summary>Sensor/scanner noise and dust: a tile of random grey specks multiplied over the page.</summary>
    private static void Noise(SKCanvas c, int w, int h, Random rng, int strength)
    {
        const int T = 509; // a prime: the tile's repetition does not line up with text rows
        using var tile = new SKBitmap(new SKImageInfo(T, T, SKColorType.Rgba8888, SKAlphaType.Premul));
        var px = tile.GetPixelSpan();
        for (var i = 0; i < T * T; i++)
        {
            var v = (byte)(255 - rng.Next(strength) - (rng.Next(1500) == 0 ? 70 : 0));
            px[i * 4] = v; px[i * 4 + 1] = v; px[i * 4 + 2] = v; px[i * 4 + 3] = 255;
        }
        tile.NotifyPixelsChanged();
        using var image = SKImage.FromBitmap(tile);
        using var shader = image.ToShader(SKShaderTileMode.Repeat, SKShaderTileMode.Repeat,
            SKMatrix.CreateTranslation(rng.Next(T), rng.Next(T)));
        using var paint = new SKPaint { Shader = shader, BlendMode = SKBlendMode.Multiply };
        c.DrawRect(0, 0, w, h, paint);
    }

    private static void Illegible(SKSurface surface, Illegibility how, int w, int h)
    {
        var c = surface.Canvas;
        switch (how)
        {
            case Illegibility.Blur:
                var sigma = Math.Max(w, h) / 260f;
                Blur(surface, sigma, sigma);
                break;
            case Illegibility.Dark:
                using (var dim = new SKPaint { Color = new SKColor(52, 48, 44), BlendMode = SKBlendMode.Multiply })
                    c.DrawRect(0, 0, w, h, dim);
                using (var fog = new SKPaint { Color = new SKColor(30, 28, 26, 90) })
                    c.DrawRect(0, 0, w, h, fog);
                break;
        }
    }

    private static void Blur(SKSurface surface, float sx, float sy)
    {
        using var snapshot = surface.Snapshot();
        using var paint = new SKPaint { ImageFilter = SKImageFilter.CreateBlur(sx, sy, SKShaderTileMode.Clamp) };
        surface.Canvas.Clear(SKColors.White);
        surface.Canvas.DrawImage(snapshot, 0, 0, SKSamplingOptions.Default, paint);
    }

    private static byte[] Jpeg(SKSurface surface, int quality)
    {
        using var image = surface.Snapshot();
        using var data = image.Encode(SKEncodedImageFormat.Jpeg, quality);
        return data.ToArray();
    }
}
