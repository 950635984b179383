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
/// <c>verify signature --calibrate DIR [--writers N] [--seed S] [--fresh-seed F] [--ssbi DIR] [--fit]</c>: the calibration
/// of docs/signatures.md — the generator's writers of the seed the fusion was fitted on, fresh writers of the generator
/// and of the second hand family, the real SSBI pairs — written to DIR (report.json, scores.csv) with the report on stdout.
/// </summary>
public static class SignatureCommand
{
    internal sealed record ThresholdsOut(double? Pass, double Fail, double? CompatiblePass = null, double? StrictPass = null, string? Mode = null);

    /// <summary>The compatible edge against the held-out cross-writer pairs: the highest of them per source, the edge
    /// they call for with the stated margin (in logit units), the edge in force and whether it holds; the skilled
    /// forgeries it passes, per source.</summary>
    internal sealed record CompatibleEdge(
        double Edge, double MarginLogit, IReadOnlyDictionary<string, double?> HighestCrossWriter, double Required, bool Holds,
        IReadOnlyDictionary<string, string> SkilledPassing);

    internal sealed record Report(
        double Score, string Verdict, bool Empty, string? EmptyReason, ThresholdsOut Thresholds,
        IReadOnlyDictionary<string, double> Features, double TimingMs);

    internal sealed record CalibrationReport(
        ThresholdsOut Thresholds, double[] Weights, double Bias, CompatibleEdge Compatible, IReadOnlyList<SetReport> Sets,
        double[]? FittedWeights, double? FittedBias);

    /// <summary>The margin, in logit units of the fused score, kept between the highest held-out cross-writer pair and
    /// the compatible edge (docs/signatures.md).</summary>
    internal const double CompatibleMarginLogit = 0.5;

    public static int Run(string[] args)
    {
        string? calibrate = null, ssbi = null;
        int writers = 150, seed = 1, freshSeed = 3;
        string? mode = null;
        var fit = false;
        string[]? only = null;
        var (positional, _) = CfCommand.ParseArgs(args, "signature", (a, value) =>
        {
            switch (a)
            {
                case "--calibrate": calibrate = value(); return true;
                case "--ssbi": ssbi = value(); return true;
                case "--writers": writers = Int(value(), "--writers", 2); return true;
                case "--seed": seed = Int(value(), "--seed", 0); return true;
                case "--fresh-seed": freshSeed = Int(value(), "--fresh-seed", 0); return true;
                case "--signature-mode":
                    mode = value();
                    if (Codes.SignatureModeOf(mode) is null) throw new UsageException($"--signature-mode must be one of compatible|strict|manual, not '{mode}'");
                    return true;
                case "--fit": fit = true; return true;
                case "--sources":
                    only = value().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                    if (only.FirstOrDefault(x => !Sources.Contains(x)) is { } unknown)
                        throw new UsageException($"--sources: '{unknown}' is not one of {string.Join(',', Sources)}");
                    return true;
                default: return false;
            }
        });
        if (calibrate is not null)
        {
            if (positional.Count > 0) throw new UsageException($"unexpected argument '{positional[0]}' with --calibrate");
            return Calibrate(calibrate, writers, seed, freshSeed, ssbi, fit, only);
        }
        if (positional.Count != 2) throw new UsageException("signature needs two images: signature A.png B.png");

        var sw = Stopwatch.StartNew();
        using var a = SignaturePreprocessor.Read(positional[0]);
        if (a is null) return Unreadable(positional[0]);
        using var b = SignaturePreprocessor.Read(positional[1]);
        if (b is null) return Unreadable(positional[1]);
        var t = ConfiguredThresholds();
        // The verdict and thresholds.pass are those of the policy asked for (default compatible; manual has no pass edge).
        var policy = Codes.SignatureModeOf(mode ?? "compatible")!.Value;
        var r = SignatureComparer.Compare(a, b, t);
        var verdict = r.Empty ? r.Verdict : SignatureComparer.Verdict(r.Score, t, policy);
        var pass = t.SignaturePassFor(policy);
        var report = new Report(r.Score, verdict, r.Empty, r.EmptyReason,
            new ThresholdsOut(double.IsFinite(pass) ? pass : null, t.SignatureFail, t.SignatureCompatiblePass, t.SignaturePass, Codes.Of(policy)),
            r.Features, Math.Round(sw.Elapsed.TotalMilliseconds, 1));
        Console.Out.WriteLine(JsonSerializer.Serialize(report, CfCommand.Json));
        return Commands.Ok;
    }

    /// <summary>The edges of this process's configuration (<c>Pipeline:Policy:Signature:CompatiblePass|StrictPass|Fail</c>,
    /// validated as the worker validates them; defaults the calibrated figures), so that `verify signature` judges as
    /// `verify check` and the pipeline do.</summary>
    private static Thresholds ConfiguredThresholds() => CheckCommand.Runner.Value.Policy.Signature.Apply(new Thresholds());

    private static int Unreadable(string path)
    {
        Console.Error.WriteLine($"verify: cannot read the image '{path}'");
        return Commands.Unreadable;
    }

    private static int Int(string text, string option, int min) =>
        int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) && v >= min
            ? v : throw new UsageException($"{option} must be an integer ≥ {min}, not '{text}'");

    /// <summary>The calibration's sources, in order (<c>--sources</c> picks some of them; default all).</summary>
    internal static readonly string[] Sources = ["generator_fitted", "generator_fresh", SignatureCalibration.SecondFamily, "ssbi"];

    private static int Calibrate(string outDir, int writers, int seed, int freshSeed, string? ssbiDir, bool fit, string[]? only = null)
    {
        if (ssbiDir is not null && !Directory.Exists(ssbiDir)) throw new UsageException($"--ssbi: no directory '{ssbiDir}'");
        if (freshSeed == seed) throw new UsageException($"--fresh-seed must differ from --seed ({seed}): fresh writers are not those the fusion was fitted on");
        Directory.CreateDirectory(outDir);
        var t = ConfiguredThresholds();
        // Sources: the generator's writers of the fitted seed, fresh generator writers, the second hand family, SSBI.
        var sources = new (string Name, string Family, int Seed)[]
        {
            ("generator_fitted", SignatureCalibration.Generator, seed),
            ("generator_fresh", SignatureCalibration.Generator, freshSeed),
            (SignatureCalibration.SecondFamily, SignatureCalibration.SecondFamily, freshSeed),
        };
        var sets = new List<(string Source, string Name, List<ScoredPair> Pairs)>();
        var clock = Stopwatch.StartNew();
        foreach (var (name, family, s) in sources.Where(x => only is null || only.Contains(x.Name)))
            foreach (var res in CaptureResolution.All)
            {
                Console.Error.WriteLine($"signature calibration: {name}, {writers} writers (seed {s}) at {res.Name} ({clock.Elapsed.TotalSeconds:0} s)");
                sets.Add((name, $"{name}/{res.Name}", SignatureCalibration.Synthetic(writers, res, s, family, $"{name}/{res.Name}")));
            }
        if (ssbiDir is not null && (only is null || only.Contains("ssbi")))
        {
            Console.Error.WriteLine($"signature calibration: SSBI sheets ({clock.Elapsed.TotalSeconds:0} s)");
            sets.Add(("ssbi", "ssbi", SignatureCalibration.Ssbi(ssbiDir)));
        }
        Console.Error.WriteLine($"signature calibration: scored in {clock.Elapsed.TotalSeconds:0} s");

        double[]? fittedW = null;
        double? fittedB = null;
        if (fit)
        {
            (fittedW, var b) = SignatureCalibration.Fit([.. sets.Where(x => x.Source == "generator_fitted").SelectMany(x => x.Pairs)]);
            fittedB = b;
        }

        var reports = new List<SetReport>();
        foreach (var source in sets.Select(x => x.Source).Distinct())
        {
            var of = sets.Where(x => x.Source == source).ToList();
            if (of.Count > 1) reports.AddRange(of.Select(x => SignatureCalibration.Report(x.Name, x.Pairs, t)));
            reports.Add(SignatureCalibration.Report(of.Count > 1 ? $"{source}/all" : source, [.. of.SelectMany(x => x.Pairs)], t));
        }
        // The compatible edge is held to the cross-writer pairs it was not chosen on: fresh writers, the other family, SSBI.
        var heldOut = sets.Where(x => x.Source != "generator_fitted").ToList();
        var highest = heldOut.GroupBy(x => x.Source).ToDictionary(g => g.Key,
            g => g.SelectMany(x => x.Pairs).Where(p => p.Kind == SignatureCalibration.Random).Select(p => (double?)Math.Round(p.Score, 4)).DefaultIfEmpty(null).Max());
        var required = SignatureCalibration.RequiredCompatibleEdge(
            heldOut.SelectMany(x => x.Pairs).Where(p => p.Kind == SignatureCalibration.Random).Select(p => p.Score), CompatibleMarginLogit);
        var skilledPassing = sets.GroupBy(x => x.Source).ToDictionary(g => g.Key, g =>
        {
            var skilled = g.SelectMany(x => x.Pairs).Where(p => p.Kind == SignatureCalibration.Skilled).ToList();
            return $"{skilled.Count(p => p.Score >= t.SignatureCompatiblePass)} of {skilled.Count}";
        });
        var compatible = new CompatibleEdge(t.SignatureCompatiblePass, CompatibleMarginLogit, highest, Math.Round(required, 4),
            t.SignatureCompatiblePass >= required, skilledPassing);
        var report = new CalibrationReport(new ThresholdsOut(t.SignaturePass, t.SignatureFail, t.SignatureCompatiblePass, t.SignaturePass),
            SignatureComparer.Weights, SignatureComparer.Bias, compatible, reports, fittedW, fittedB);
        var json = JsonSerializer.Serialize(report, CfCommand.Json);
        File.WriteAllText(Path.Combine(outDir, "report.json"), json);
        using (var csv = new StreamWriter(Path.Combine(outDir, "scores.csv")))
        {
            csv.WriteLine("set,kind,writers,score," + string.Join(',', SignatureFeatures.Names));
            foreach (var p in sets.SelectMany(x => x.Pairs))
                csv.WriteLine(string.Join(',', [p.Set, p.Kind, p.Writers, F(p.Score), .. p.SubScores.Select(F)]));
        }
        Console.Out.WriteLine(json);
        return Commands.Ok;

        static string F(double v) => v.ToString("0.####", CultureInfo.InvariantCulture);
    }
}
