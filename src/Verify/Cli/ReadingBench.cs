using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using SkiaSharp;
using VerifyPipeline.Worker.Reading.Mrz;
using VerifyPipeline.Worker.Reading.Ocr;

namespace VerifyPipeline.Cli;

/// <summary>
/// Benchmarks of the reading engines alone, for a person to read (they assert nothing; they were tests that ran only when
/// VERIFY_MEASURE=1 was set):
/// <c>verify bench --ocr-page</c>: tesseract on a full A4 page of text at 300 dpi, one thread (median of 5, CPU and wall;
/// <c>eng</c> alone; a real scanned page of shared/testdata);
/// <c>verify bench --mrz-images [--rotate DEG] [--only A,B] [--debug DIR]</c>: the MRZ reader over every image of
/// shared/testdata/real/03_mrz, one line per image (valid, exact against the MANIFEST's text, seconds) and the totals.
/// </summary>
internal static partial class ReadingBench
{
    /// <summary>The evaluation date of the MRZ images (their documents' expiry is judged on it).</summary>
    internal static readonly DateOnly MrzAsOf = new(2026, 11, 23);

    public static int OcrPage()
    {
        var text = "Il sottoscritto chiede la verifica della propria identita e dichiara che i dati sono veri. ";
        var lines = Enumerable.Range(0, 60).Select(i => $"{i + 1:00} {text}".Substring(0, 80)).ToList();
        var (pixels, _, _) = RenderText(lines, 10);
        var a4 = new byte[2480 * 3508];
        Array.Fill(a4, (byte)255);
        Array.Copy(pixels, a4, Math.Min(pixels.Length, a4.Length));
        using var engine = new OcrEngine("ita+eng");
        engine.Read(a4, 2480, 3508, 2480, 300); // warm-up
        var (wall, cpu) = (new List<double>(), new List<double>());
        for (var i = 0; i < 5; i++)
        {
            var sw = Stopwatch.StartNew();
            var c0 = Process.GetCurrentProcess().TotalProcessorTime;
            engine.Read(a4, 2480, 3508, 2480, 300);
            wall.Add(sw.Elapsed.TotalSeconds);
            cpu.Add((Process.GetCurrentProcess().TotalProcessorTime - c0).TotalSeconds);
        }
        using var eng = new OcrEngine("eng");
        var engWall = Times(3, () => eng.Read(a4, 2480, 3508, 2480, 300));
        Console.WriteLine($"A4 300 dpi, {lines.Count} lines of text: median {Median(wall):F3} s wall, {Median(cpu):F3} s CPU; eng only {Median(engWall):F3} s; "
            + $"gomp loaded before the thread limit: {OcrEnvironment.GompLoadedBeforeLimit}");
        if (EvalCommand.ExternalPath("07_ocr_text_images/ocrmypdf__linn.png") is { } linnPath)
        {
            using var linn = OpenCvSharp.Cv2.ImRead(linnPath, OpenCvSharp.ImreadModes.Grayscale);
            var linnWall = Times(3, () =>
            {
                engine.SetImage(linn.Data, linn.Width, linn.Height, (int)linn.Step(), 300);
                engine.Read();
            });
            Console.WriteLine($"linn.png {linn.Width}x{linn.Height}: median {Median(linnWall):F3} s");
        }
        return Commands.Ok;
    }

    public static int MrzImages(string[] args)
    {
        double? rotate = null;
        string? only = null, debug = null;
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "--rotate" && i + 1 < args.Length) rotate = double.Parse(args[++i], CultureInfo.InvariantCulture);
            else if (args[i] == "--only" && i + 1 < args.Length) only = args[++i];
            else if (args[i] == "--debug" && i + 1 < args.Length) debug = args[++i];
            else throw new UsageException($"unknown option '{args[i]}' for bench --mrz-images");
        }
        var manifest = EvalCommand.ExternalPath("03_mrz/MANIFEST.tsv")
            ?? throw new UsageException("shared/testdata/real/03_mrz is not next to the repository");
        var folder = Path.GetDirectoryName(manifest)!;
        _ = OcrBGlyphs.Default;
        var times = new List<double>();
        int valid = 0, exact = 0, withText = 0;
        foreach (var (file, expected) in MrzManifest(manifest).OrderBy(kv => kv.Key))
        {
            if (only is { Length: > 0 } && !only.Split(',').Any(o => file.Contains(o, StringComparison.Ordinal))) continue;
            if (debug is { Length: > 0 })
            {
                // The reader writes its strips into VERIFY_MRZ_DEBUG: one subfolder per image.
                var dir = Path.Combine(debug, Path.GetFileNameWithoutExtension(file));
                Directory.CreateDirectory(dir);
                Environment.SetEnvironmentVariable("VERIFY_MRZ_DEBUG", dir);
            }
            var sw = Stopwatch.StartNew();
            var path = Path.Combine(folder, file);
            var r = rotate is null ? MrzImageReader.Read(path, MrzAsOf) : ReadRotated(path, rotate.Value);
            times.Add(sw.Elapsed.TotalSeconds);
            var text = r.Correction?.Text ?? "";
            if (r.Valid) valid++;
            if (expected is not null)
            {
                withText++;
                if (text == expected) exact++;
            }
            Console.WriteLine($"{(r.Valid ? "VALID" : "-----")} d={r.MeanDistance:F2} {(expected is null ? "" : text == expected ? "EXACT " : "DIFF  ")}{sw.Elapsed.TotalSeconds:F2}s {file} "
                + $"[{string.Join("|", r.Lines)}] {(r.Valid ? "" : string.Join("; ", r.Result?.Errors.Take(2) ?? [r.Failure ?? ""]))}"
                + (text != string.Join('\n', r.Lines) || (expected is not null && text != expected) ? $" got [{text.Replace('\n', '|')}]" : "")
                + (expected is not null && text != expected ? $" want [{expected.Replace('\n', '|')}]" : ""));
        }
        if (times.Count == 0) throw new UsageException("no image matched --only");
        times.Sort();
        Console.WriteLine($"valid {valid}/{times.Count}, exact {exact}/{withText}, median {times[times.Count / 2]:F3} s, max {times[^1]:F3} s");
        return Commands.Ok;
    }

    /// <summary>local_file → expected MRZ text ('\n'-joined) where 03_mrz's MANIFEST gives it.</summary>
    internal static Dictionary<string, string?> MrzManifest(string manifestPath)
    {
        var result = new Dictionary<string, string?>();
        foreach (var line in File.ReadLines(manifestPath).Skip(1))
        {
            var cols = line.Split('\t');
            if (!cols[0].StartsWith("images_", StringComparison.Ordinal)) continue;
            var m = ExpectedMrz().Match(cols[5]);
            result[cols[0]] = m.Success ? m.Groups[1].Value.Replace("\\n", "\n", StringComparison.Ordinal) : null;
        }
        return result;
    }

    [GeneratedRegex(@"MRZ ?(?:\([^)]*\) )?= ?([A-Z0-9<]+(?:\\n[A-Z0-9<]+)+)")]
    private static partial Regex ExpectedMrz();

    /// <summary>A white 8-bit grey image of <paramref name="lines"/> in DejaVu Sans at <paramref name="pt"/> points, 300 dpi.</summary>
    internal static (byte[] Pixels, int W, int H) RenderText(IReadOnlyList<string> lines, float pt = 12, int width = 2480)
    {
        var px = pt / 72f * 300f;
        var height = (int)(px * 1.6f * lines.Count + 2 * px);
        using var bmp = new SKBitmap(new SKImageInfo(width, height, SKColorType.Gray8, SKAlphaType.Opaque));
        using (var canvas = new SKCanvas(bmp))
        {
            canvas.Clear(SKColors.White);
            using var tf = SKTypeface.FromFile("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf");
            using var font = new SKFont(tf, px);
            using var paint = new SKPaint { Color = SKColors.Black, IsAntialias = true };
            for (var i = 0; i < lines.Count; i++)
                canvas.DrawText(lines[i], px, px * (1.6f * i + 1.8f), SKTextAlign.Left, font, paint);
        }
        return (bmp.Bytes, bmp.Width, bmp.Height);
    }

    /// <summary>The image turned counter-clockwise by <paramref name="degrees"/>, the canvas grown to fit.</summary>
    private static MrzImageRead ReadRotated(string path, double degrees)
    {
        using var grey = OpenCvSharp.Cv2.ImRead(path, OpenCvSharp.ImreadModes.Grayscale);
        // Quarter turns exactly, as a camera or scanner gives them; other angles interpolated, the edges replicated.
        if (degrees is 90 or 180 or 270)
        {
            using var quarter = new OpenCvSharp.Mat();
            OpenCvSharp.Cv2.Rotate(grey, quarter, degrees switch
            {
                90 => OpenCvSharp.RotateFlags.Rotate90Counterclockwise,
                180 => OpenCvSharp.RotateFlags.Rotate180,
                _ => OpenCvSharp.RotateFlags.Rotate90Clockwise,
            });
            return MrzImageReader.Read(quarter, MrzAsOf);
        }
        var centre = new OpenCvSharp.Point2f(grey.Width / 2f, grey.Height / 2f);
        using var m = OpenCvSharp.Cv2.GetRotationMatrix2D(centre, degrees, 1);
        var (cos, sin) = (Math.Abs(Math.Cos(degrees * Math.PI / 180)), Math.Abs(Math.Sin(degrees * Math.PI / 180)));
        var size = new OpenCvSharp.Size((int)(grey.Width * cos + grey.Height * sin), (int)(grey.Width * sin + grey.Height * cos));
        m.Set(0, 2, m.At<double>(0, 2) + size.Width / 2.0 - centre.X);
        m.Set(1, 2, m.At<double>(1, 2) + size.Height / 2.0 - centre.Y);
        using var turned = new OpenCvSharp.Mat();
        OpenCvSharp.Cv2.WarpAffine(grey, turned, m, size, OpenCvSharp.InterpolationFlags.Linear, OpenCvSharp.BorderTypes.Replicate);
        return MrzImageReader.Read(turned, MrzAsOf);
    }

    private static List<double> Times(int runs, Action run)
    {
        var list = new List<double>();
        for (var i = 0; i < runs; i++)
        {
            var sw = Stopwatch.StartNew();
            run();
            list.Add(sw.Elapsed.TotalSeconds);
        }
        return list;
    }

    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);
}
