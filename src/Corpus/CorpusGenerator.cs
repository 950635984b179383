using System.Diagnostics;
using System.Text;
using SkiaSharp;

namespace VerifyPipeline.Corpus;

public sealed record CorpusSummary(int Count, int Files, long Bytes, TimeSpan Elapsed, IReadOnlyDictionary<string, int> Decisions);

/// <summary>
/// <c>verify sample</c>: plans every submission (cheap, pure), renders them in parallel (one <see cref="Random"/> per
/// submission and per page, so the bytes do not depend on scheduling), writes each file, then <c>labels.jsonl</c> in
/// submission order. Same options → byte-identical output.
/// </summary>
public static class CorpusGenerator
{
    public const string LabelsFile = "labels.jsonl";

    public static IReadOnlyList<SubmissionPlan> PlanAll(CorpusOptions o) =>
        Enumerable.Range(0, o.Count).Select(i => CorpusPlanner.Plan(o, i)).ToList();

    /// <param name="previewDir">when set, every page is also written there as a PNG of at most
    /// <see cref="PreviewMaxPixels"/> on its long side (fax pages resampled to square pixels) — for looking at the corpus.</param>
    public static CorpusSummary Generate(CorpusOptions o, string outDir, bool labelsOnly, TextWriter progress, int? parallelism = null, string? previewDir = null, int previewMaxPixels = PreviewMaxPixels)
    {
        var clock = Stopwatch.StartNew();
        Directory.CreateDirectory(outDir);
        if (previewDir is not null) Directory.CreateDirectory(previewDir);
        var plans = PlanAll(o);
        long bytes = 0;
        var files = 0;
        if (!labelsOnly)
        {
            var done = 0;
            var gate = new object();
            var step = Math.Max(1, o.Count / 20);
            Parallel.For(0, plans.Count, new ParallelOptions { MaxDegreeOfParallelism = parallelism ?? Environment.ProcessorCount }, i =>
            {
                var plan = plans[i];
                if (plan.External is not null) { Report(); return; }
                var data = Render(plan, o, previewDir is null ? null : (page, rendered) =>
                    File.WriteAllBytes(Path.Combine(previewDir, $"{Path.GetFileNameWithoutExtension(plan.FileName)}.p{page.Index}.png"), Preview(rendered, previewMaxPixels)));
                File.WriteAllBytes(Path.Combine(outDir, plan.FileName), data);
                Interlocked.Add(ref bytes, data.Length);
                Interlocked.Increment(ref files);
                Report();
            });

            void Report()
            {
                var n = Interlocked.Increment(ref done);
                if (n % step != 0 && n != o.Count) return;
                lock (gate) progress.WriteLine($"sample: {n}/{o.Count} submissions ({clock.Elapsed.TotalSeconds:0.0} s)");
            }
        }

        var sb = new StringBuilder();
        foreach (var plan in plans) sb.Append(Labels.ToJsonLine(Labels.From(plan, o))).Append('\n');
        File.WriteAllText(Path.Combine(outDir, LabelsFile), sb.ToString(), new UTF8Encoding(false));
        var decisions = plans.GroupBy(p => p.Expected.Decision).OrderBy(g => g.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count());
        return new CorpusSummary(o.Count, files, bytes, clock.Elapsed, decisions);
    }

    /// <summary>Default long side of <c>--preview</c> PNGs.</summary>
    public const int PreviewMaxPixels = 1400;

    /// <summary>The bytes of one submission file (not for external references).</summary>
    public static byte[] Render(SubmissionPlan plan, CorpusOptions o) => Render(plan, o, null);

    /// <summary>The same, handing each rendered page to <paramref name="preview"/> as well.</summary>
    internal static byte[] Render(SubmissionPlan plan, CorpusOptions o, Action<PlannedPage, RenderedPage>? preview)
    {
        if (plan.External is not null) throw new InvalidOperationException($"submission {plan.Index} is an external file: {plan.External}");
        var art = new DocumentArt(plan.People, o.HmacKey);
        var renderer = new PageRenderer(art, plan);
        var rendered = plan.Files.Select(f => (File: f, Bytes: RenderFile(f, renderer, preview))).ToList();
        var damageRng = new Random(CorpusPlanner.SubmissionSeed(o.Seed, plan.Index) ^ 0x5BD1E995);

        byte[] data;
        if (plan.Damage == FileDamage.EncryptedZip)
            return FileWriters.EncryptedZip(rendered.Select(r => (r.File.Name, r.Bytes)).ToList(), damageRng);
        data = plan.IsBundle ? FileWriters.Zip(rendered.Select(r => (r.File.Name, r.Bytes)).ToList()) : rendered[0].Bytes;

        return plan.Damage switch
        {
            FileDamage.Truncated => data[..(int)(data.Length * (0.25 + damageRng.NextDouble() * 0.35))],
            FileDamage.Garbage => Garbage(damageRng),
            _ => data,
        };
    }

    private static byte[] RenderFile(PlannedFile file, PageRenderer renderer, Action<PlannedPage, RenderedPage>? preview)
    {
        var pages = file.Pages.Select(p => renderer.Render(p, file.Pages.Count)).ToList();
        if (preview is not null)
            for (var i = 0; i < pages.Count; i++) preview(file.Pages[i], pages[i]);
        return file.Format switch
        {
            PageFormat.Pdf => FileWriters.Pdf(pages),
            PageFormat.Jpeg => pages[0].Jpeg!,
            PageFormat.Png => FileWriters.Png(pages[0]),
            PageFormat.TiffG3 => FileWriters.FaxTiff(pages, g4: false),
            _ => FileWriters.FaxTiff(pages, g4: true),
        };
    }

    /// <summary>A PNG of the page as a person would look at it: square pixels, at most <see cref="PreviewMaxPixels"/> wide or high.</summary>
    internal static byte[] Preview(RenderedPage page, int maxPixels)
    {
        using var source = page.Jpeg is not null ? SKBitmap.Decode(page.Jpeg) : Bilevel(page);
        var squareH = page.DpiX > 0 && page.DpiY > 0 ? source.Height * (double)page.DpiX / page.DpiY : source.Height;
        var scale = Math.Min(1.0, maxPixels / Math.Max(source.Width, squareH));
        var info = new SKImageInfo(Math.Max(1, (int)(source.Width * scale)), Math.Max(1, (int)(squareH * scale)), SKColorType.Rgba8888, SKAlphaType.Premul);
        using var resized = source.Resize(info, new SKSamplingOptions(SKCubicResampler.Mitchell));
        using var image = SKImage.FromBitmap(resized);
        using var data = image.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }

    private static SKBitmap Bilevel(RenderedPage page)
    {
        var bitmap = new SKBitmap(new SKImageInfo(page.Width, page.Height, SKColorType.Gray8, SKAlphaType.Opaque));
        var px = bitmap.GetPixelSpan();
        var stride = (page.Width + 7) / 8;
        for (var y = 0; y < page.Height; y++)
            for (var x = 0; x < page.Width; x++)
                px[y * bitmap.RowBytes + x] = (page.Bilevel![y * stride + (x >> 3)] & (0x80 >> (x & 7))) != 0 ? (byte)0 : (byte)255;
        bitmap.NotifyPixelsChanged();
        return bitmap;
    }

    /// <summary>A PDF header followed by random bytes: what a broken upload or a renamed unrelated file looks like.</summary>
    private static byte[] Garbage(Random rng)
    {
        var data = new byte[20_000 + rng.Next(40_000)];
        rng.NextBytes(data);
        "%PDF-1.7\n"u8.CopyTo(data);
        return data;
    }
}
