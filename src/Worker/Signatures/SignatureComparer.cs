using System.Diagnostics;
using OpenCvSharp;
using VerifyPipeline.Rules;

namespace VerifyPipeline.Worker.Signatures;

/// <summary>The comparison of two signature crops: a fused similarity in [0, 1], the band's verdict and each sub-score.</summary>
/// <param name="Empty">Either crop holds no ink: score 0, verdict fail.</param>
public sealed record SignatureResult(
    double Score, string Verdict, bool Empty, bool EmptyA, bool EmptyB, string? EmptyReason,
    IReadOnlyDictionary<string, double> Features, double TimingMs);

/// <summary>
/// Form signature against document signature. Each crop is prepared (<see cref="SignaturePreprocessor"/>) and described
/// (<see cref="SignatureFeatures"/>: registration, then shape agreement); the ten sub-scores are fused by a logistic
/// model fitted on the generated corpus
/// (<see cref="SignatureCalibration"/>, docs/signatures.md). The verdict uses the rules' band
/// (<see cref="Thresholds.SignaturePass"/>, <see cref="Thresholds.SignatureFail"/>).
/// </summary>
public static class SignatureComparer
{
    /// <summary>Logistic fusion: score = σ(Bias + Σ Weights[i]·sub-score[i]), in the order of <see cref="SignatureFeatures.Names"/>.
    /// Weights fitted by <c>verify signature --calibrate DIR --writers 100 --fit</c> (seed 1) on the synthetic genuine /
    /// random / skilled pairs of all five capture resolutions (fitted bias −16.347). The negative chamfer weights are
    /// collinearity with coverage, direction and HOG, not evidence against similarity.</summary>
    internal static double[] Weights = [-2.87, -4.216, 2.515, 10.025, 1.953, 6.282, 1.985, 0.483, 2.747, 3.744];

    /// <summary>The fitted bias shifted by ln 9 − 2.5, so that the chosen pass edge — a linear score of 2.5, in the gap
    /// above the skilled forgeries' bulk (the highest but two lie at 2.27, the two highest at 2.90 and 2.92) and above
    /// every random forgery (highest 1.93) — lands on the rules' t_hi = 0.90 (docs/signatures.md).</summary>
    internal static double Bias = -16.65;

    public static SignatureResult Compare(Mat a, Mat b, Thresholds? thresholds = null)
    {
        var sw = Stopwatch.StartNew();
        using var pa = SignaturePreprocessor.Prepare(a);
        using var pb = SignaturePreprocessor.Prepare(b);
        return Compare(pa, pb, thresholds, sw);
    }

    public static SignatureResult Compare(PreparedSignature pa, PreparedSignature pb, Thresholds? thresholds = null, Stopwatch? sw = null)
    {
        sw ??= Stopwatch.StartNew();
        if (pa.Empty || pb.Empty)
            return new SignatureResult(0, "fail", true, pa.Empty, pb.Empty, pa.EmptyReason ?? pb.EmptyReason,
                new Dictionary<string, double>(), sw.Elapsed.TotalMilliseconds);
        return FromSubScores(SignatureFeatures.Compare(pa, pb), thresholds, sw);
    }

    internal static SignatureResult FromSubScores(double[] sub, Thresholds? thresholds, Stopwatch sw)
    {
        var score = Fuse(sub);
        var features = new Dictionary<string, double>();
        for (var i = 0; i < sub.Length; i++) features[SignatureFeatures.Names[i]] = Math.Round(sub[i], 4);
        return new SignatureResult(Math.Round(score, 4), Verdict(score, thresholds ?? new Thresholds()), false, false, false, null,
            features, sw.Elapsed.TotalMilliseconds);
    }

    public static double Fuse(double[] sub)
    {
        var z = Bias;
        for (var i = 0; i < sub.Length; i++) z += Weights[i] * sub[i];
        return 1 / (1 + Math.Exp(-z));
    }

    /// <summary>The band of the signature rule: ≥ pass → pass, &lt; fail → fail, otherwise uncertain.</summary>
    public static string Verdict(double score, Thresholds t) =>
        score >= t.SignaturePass ? "pass" : score < t.SignatureFail ? "fail" : "uncertain";
}
