using VerifyPipeline.Cases;

namespace VerifyPipeline.ReviewUi.Review;

/// <summary>What a pass edge would have done to the pairs reviewers judged: accepted pairs it passes, rejected pairs it
/// passes (with a one-sided 95 % Clopper–Pearson upper bound on the share of rejected pairs it would pass).</summary>
public sealed record EdgeOutcome(double Edge, int Accepted, int AcceptedPassing, int Rejected, int RejectedPassing, double? RejectedPassingUpper95);

public sealed record ScoreBin(double From, double To, int Accepted, int Rejected);

/// <summary>
/// Learning the signature edge from reviewers (docs/signatures.md): the score distributions of the pairs they accepted and
/// rejected, what a given edge would have done, and a proposed edge — the lowest that passes no rejected pair, just above
/// the highest rejected score. It proposes; the edge in force changes only by configuration.
/// </summary>
public static class SignatureEdgeReview
{
    public const double ProposalMargin = 0.01;

    public static EdgeOutcome At(IReadOnlyList<SignatureVerdict> verdicts, double edge)
    {
        var accepted = verdicts.Where(v => v.Accepted).ToList();
        var rejected = verdicts.Where(v => !v.Accepted).ToList();
        var passing = rejected.Count(v => v.Score >= edge);
        return new EdgeOutcome(edge, accepted.Count, accepted.Count(v => v.Score >= edge), rejected.Count, passing,
            rejected.Count == 0 ? null : UpperBound95(passing, rejected.Count));
    }

    /// <summary>The lowest edge that passes none of the rejected pairs (their highest score + <see cref="ProposalMargin"/>);
    /// null without rejected pairs (nothing to learn from).</summary>
    public static double? Propose(IReadOnlyList<SignatureVerdict> verdicts) =>
        verdicts.Any(v => !v.Accepted) ? Math.Min(1, Math.Round(verdicts.Where(v => !v.Accepted).Max(v => v.Score) + ProposalMargin, 3)) : null;

    public static IReadOnlyList<ScoreBin> Histogram(IReadOnlyList<SignatureVerdict> verdicts, int bins = 10) =>
        Enumerable.Range(0, bins).Select(i =>
        {
            double from = i / (double)bins, to = (i + 1) / (double)bins;
            bool In(SignatureVerdict v) => v.Score >= from && (v.Score < to || (i == bins - 1 && v.Score <= 1));
            return new ScoreBin(from, to, verdicts.Count(v => v.Accepted && In(v)), verdicts.Count(v => !v.Accepted && In(v)));
        }).ToList();

    /// <summary>One-sided 95 % upper bound of a binomial proportion after <paramref name="k"/> of <paramref name="n"/>
    /// (Clopper–Pearson): the p at which seeing k or fewer has probability 5 %. For k = 0 it is 1 − 0.05^(1/n).</summary>
    public static double UpperBound95(int k, int n)
    {
        if (n <= 0) throw new ArgumentOutOfRangeException(nameof(n));
        if (k >= n) return 1;
        double lo = k / (double)n, hi = 1;
        for (var i = 0; i < 60; i++)
        {
            var mid = (lo + hi) / 2;
            if (BinomialCdf(k, n, mid) > 0.05) lo = mid; else hi = mid;
        }
        return (lo + hi) / 2;
    }

    private static double BinomialCdf(int k, int n, double p)
    {
        double sum = 0, logP = Math.Log(p), logQ = Math.Log(1 - p);
        for (var j = 0; j <= k; j++) sum += Math.Exp(LogChoose(n, j) + j * logP + (n - j) * logQ);
        return sum;
    }

    private static double LogChoose(int n, int k)
    {
        double r = 0;
        for (var i = 1; i <= k; i++) r += Math.Log(n - k + i) - Math.Log(i);
        return r;
    }
}
