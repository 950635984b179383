using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using VerifyPipeline.Rules;
using VerifyPipeline.Worker.Signatures;
using VerifyPipeline.Corpus;

namespace VerifyPipeline.Cli;

/// <summary>
/// <c>verify signature A.png B.png</c> (DESIGN.md): the similarity of two signature crops as JSON — score in [0, 1],
/// verdict of the rules' band, the thresholds, every sub-score, the time taken. Exit 0 whatever the verdict, 2 for usage
/// errors, 3 when an image cannot be read.
/// <c>verify signature --calibrate DIR [--writers N] [--seed S] [--ssbi DIR] [--fit]</c>: the calibration of
/// docs/signatures.md, written to DIR (report.json, scores.csv) with the report on stdout.
/// </summary>
public static class SignatureCommand
{
    internal sealed record ThresholdsOut(double Pass, double Fail);

    internal sealed record Report(
        double Score, string Verdict, bool Empty, string? EmptyReason, ThresholdsOut Thresholds,
        IReadOnlyDictionary<string, double> Features, double TimingMs);

    internal sealed record CalibrationReport(
        ThresholdsOut Thresholds, double[] Weights, double Bias, IReadOnlyList<SetReport> Sets,
        double[]? FittedWeights, double? FittedBias);

    public static int Run(string[] args)
    {
        string? calibrate = null, ssbi = null;
        int writers = 150, seed = 1;
        var fit = false;
        var (positional, _) = CfCommand.ParseArgs(args, "signature", (a, value) =>
        {
            switch (a)
            {
                case "--calibrate": calibrate = value(); return true;
                case "--ssbi": ssbi = value(); return true;
                case "--writers": writers = Int(value(), "--writers", 2); return true;
                case "--seed": seed = Int(value(), "--seed", 0); return true;
                case "--fit": fit = true; return true;
                default: return false;
            }
        });
        if (calibrate is not null)
        {
            if (positional.Count > 0) throw new UsageException($"unexpected argument '{positional[0]}' with --calibrate");
            return Calibrate(calibrate, writers, seed, ssbi, fit);
        }
        if (positional.Count != 2) throw new UsageException("signature needs two images: signature A.png B.png");

        var sw = Stopwatch.StartNew();
        using var a = SignaturePreprocessor.Read(positional[0]);
        if (a is null) return Unreadable(positional[0]);
        using var b = SignaturePreprocessor.Read(positional[1]);
        if (b is null) return Unreadable(positional[1]);
        var t = new Thresholds();
        var r = SignatureComparer.Compare(a, b, t);
        var report = new Report(r.Score, r.Verdict, r.Empty, r.EmptyReason, new ThresholdsOut(t.SignaturePass, t.SignatureFail),
            r.Features, Math.Round(sw.Elapsed.TotalMilliseconds, 1));
        Console.Out.WriteLine(JsonSerializer.Serialize(report, CfCommand.Json));
        return Commands.Ok;
    }

    private static int Unreadable(string path)
    {
        Console.Error.WriteLine($"verify: cannot read the image '{path}'");
        return Commands.Unreadable;
    }

    private static int Int(string text, string option, int min) =>
        int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) && v >= min
            ? v : throw new UsageException($"{option} must be an integer ≥ {min}, not '{text}'");

    private static int Calibrate(string outDir, int writers, int seed, string? ssbiDir, bool fit)
    {
        if (ssbiDir is not null && !Directory.Exists(ssbiDir)) throw new UsageException($"--ssbi: no directory '{ssbiDir}'");
        Directory.CreateDirectory(outDir);
        var t = new Thresholds();
        var sets = new List<(string Name, List<ScoredPair> Pairs)>();
        foreach (var res in CaptureResolution.All)
        {
            Console.Error.WriteLine($"signature calibration: {writers} writers at {res.Name}");
            sets.Add((res.Name, SignatureCalibration.Synthetic(writers, res, seed)));
        }
        if (ssbiDir is not null)
        {
            Console.Error.WriteLine("signature calibration: SSBI sheets");
            sets.Add(("ssbi", SignatureCalibration.Ssbi(ssbiDir)));
        }

        double[]? fittedW = null;
        double? fittedB = null;
        if (fit)
        {
            (fittedW, var b) = SignatureCalibration.Fit([.. sets.Where(s => s.Name != "ssbi").SelectMany(s => s.Pairs)]);
            fittedB = b;
        }

        var reports = sets.Select(s => SignatureCalibration.Report(s.Name, s.Pairs, t)).ToList();
        var synthetic = sets.Where(s => s.Name != "ssbi").SelectMany(s => s.Pairs).ToList();
        reports.Insert(sets.Count(s => s.Name != "ssbi"), SignatureCalibration.Report("synthetic_all", synthetic, t));
        var report = new CalibrationReport(new ThresholdsOut(t.SignaturePass, t.SignatureFail), SignatureComparer.Weights,
            SignatureComparer.Bias, reports, fittedW, fittedB);
        var json = JsonSerializer.Serialize(report, CfCommand.Json);
        File.WriteAllText(Path.Combine(outDir, "report.json"), json);
        using (var csv = new StreamWriter(Path.Combine(outDir, "scores.csv")))
        {
            csv.WriteLine("set,kind,score," + string.Join(',', SignatureFeatures.Names));
            foreach (var p in sets.SelectMany(s => s.Pairs))
                csv.WriteLine(string.Join(',', [p.Set, p.Kind, F(p.Score), .. p.SubScores.Select(F)]));
        }
        Console.Out.WriteLine(json);
        return Commands.Ok;

        static string F(double v) => v.ToString("0.####", CultureInfo.InvariantCulture);
    }
}
