using System.Diagnostics;
using System.Text.RegularExpressions;
using VerifyPipeline.Worker.Reading.Mrz;
using VerifyPipeline.Worker.Tests.Documents;
using Xunit.Abstractions;

namespace VerifyPipeline.Worker.Tests.Reading;

/// <summary>Read rate over every image of 03_mrz (run with VERIFY_MEASURE=1): prints one line per image and the totals.</summary>
public sealed partial class MrzImageMeasure(ITestOutputHelper output)
{
    internal static readonly DateOnly AsOf = new(2026, 11, 23);

    /// <summary>local_file → expected MRZ text ('\n'-joined) where the MANIFEST gives it.</summary>
    internal static Dictionary<string, string?> Manifest()
    {
        var result = new Dictionary<string, string?>();
        foreach (var line in File.ReadLines(TestFiles.Real("03_mrz/MANIFEST.tsv")).Skip(1))
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
            return MrzImageReader.Read(quarter, AsOf);
        }
        var centre = new OpenCvSharp.Point2f(grey.Width / 2f, grey.Height / 2f);
        using var m = OpenCvSharp.Cv2.GetRotationMatrix2D(centre, degrees, 1);
        var (cos, sin) = (Math.Abs(Math.Cos(degrees * Math.PI / 180)), Math.Abs(Math.Sin(degrees * Math.PI / 180)));
        var size = new OpenCvSharp.Size((int)(grey.Width * cos + grey.Height * sin), (int)(grey.Width * sin + grey.Height * cos));
        m.Set(0, 2, m.At<double>(0, 2) + size.Width / 2.0 - centre.X);
        m.Set(1, 2, m.At<double>(1, 2) + size.Height / 2.0 - centre.Y);
        using var turned = new OpenCvSharp.Mat();
        OpenCvSharp.Cv2.WarpAffine(grey, turned, m, size, OpenCvSharp.InterpolationFlags.Linear, OpenCvSharp.BorderTypes.Replicate);
        return MrzImageReader.Read(turned, AsOf);
    }

    [Fact]
    public void MeasureRealImages()
    {
        if (Environment.GetEnvironmentVariable("VERIFY_MEASURE") != "1") return;
        _ = OcrBGlyphs.Default;
        var times = new List<double>();
        int valid = 0, exact = 0, withText = 0;
        // Debug images (strips) per file in a subfolder of VERIFY_MRZ_DEBUG.
        var dbg = Environment.GetEnvironmentVariable("VERIFY_MRZ_DEBUG");
        // VERIFY_MEASURE_ROTATE=degrees turns every image (counter-clockwise, canvas grown to fit) before reading it.
        double? rotate = double.TryParse(Environment.GetEnvironmentVariable("VERIFY_MEASURE_ROTATE"), out var deg) ? deg : null;
        var only = Environment.GetEnvironmentVariable("VERIFY_MEASURE_ONLY");
        foreach (var (file, expected) in Manifest().OrderBy(kv => kv.Key))
        {
            if (only is { Length: > 0 } && !only.Split(',').Any(o => file.Contains(o, StringComparison.Ordinal))) continue;
            if (dbg is { Length: > 0 })
            {
                var dir = Path.Combine(dbg, Path.GetFileNameWithoutExtension(file));
                Directory.CreateDirectory(dir);
                Environment.SetEnvironmentVariable("VERIFY_MRZ_DEBUG", dir);
            }
            var sw = Stopwatch.StartNew();
            var r = rotate is null
                ? MrzImageReader.Read(TestFiles.Real("03_mrz/" + file), AsOf)
                : ReadRotated(TestFiles.Real("03_mrz/" + file), rotate.Value);
            times.Add(sw.Elapsed.TotalSeconds);
            var text = r.Correction?.Text ?? "";
            if (r.Valid) valid++;
            if (expected is not null)
            {
                withText++;
                if (text == expected) exact++;
            }
            output.WriteLine($"{(r.Valid ? "VALID" : "-----")} d={r.MeanDistance:F2} {(expected is null ? "" : text == expected ? "EXACT " : "DIFF  ")}{sw.Elapsed.TotalSeconds:F2}s {file} " +
                             $"[{string.Join("|", r.Lines)}] {(r.Valid ? "" : string.Join("; ", r.Result?.Errors.Take(2) ?? [r.Failure ?? ""]))}" +
                             (text != string.Join('\n', r.Lines) || (expected is not null && text != expected) ? $" got [{text.Replace('\n', '|')}]" : "") +
                             (expected is not null && text != expected ? $" want [{expected.Replace('\n', '|')}]" : ""));
        }
        times.Sort();
        output.WriteLine($"valid {valid}/{times.Count}, exact {exact}/{withText}, median {times[times.Count / 2]:F3} s, max {times[^1]:F3} s");
    }
}
