using System.Security.Cryptography;
using VerifyPipeline.Cases;
using VerifyPipeline.Cases.Tests.Storage;
using VerifyPipeline.ReviewUi.Review;

namespace VerifyPipeline.ReviewUi.Tests.Review;

/// <summary>The supervisor's view of the reviewers' signature verdicts: what an edge would have done, and a proposal.</summary>
public sealed class SignatureEdgeReviewTests : IDisposable
{
    private readonly TempDir _tmp = new();
    public void Dispose() => _tmp.Dispose();

    private static SignatureVerdict V(double score, bool accepted) => new("c", "revisore1", accepted, score, "compatible", null, null, DateTimeOffset.UnixEpoch);

    [Theory]
    [InlineData(0, 10, 0.2589)]
    [InlineData(0, 100, 0.0295)]
    [InlineData(1, 10, 0.3942)]
    [InlineData(5, 5, 1.0)]
    public void UpperBound95_IsTheOneSidedClopperPearsonBound(int k, int n, double expected) =>
        Assert.Equal(expected, SignatureEdgeReview.UpperBound95(k, n), 3);

    [Fact]
    public void At_CountsThePairsAnEdgeWouldPass_AndProposeIsJustAboveTheHighestRejected()
    {
        IReadOnlyList<SignatureVerdict> v = [V(0.95, true), V(0.7, true), V(0.4, true), V(0.1, false), V(0.62, false)];
        var o = SignatureEdgeReview.At(v, 0.6);
        Assert.Equal((3, 2, 2, 1), (o.Accepted, o.AcceptedPassing, o.Rejected, o.RejectedPassing));
        Assert.True(o.RejectedPassingUpper95 > 0.5);
        Assert.Equal(0.63, SignatureEdgeReview.Propose(v));
        Assert.Equal(0, SignatureEdgeReview.At(v, 0.63).RejectedPassing);
        Assert.Null(SignatureEdgeReview.Propose([V(0.9, true)]));
        var bins = SignatureEdgeReview.Histogram(v);
        Assert.Equal(3, bins.Sum(b => b.Accepted));
        Assert.Equal(1, bins[6].Rejected);
    }

    [Fact]
    public async Task SupervisionPage_ShowsTheDistributionsAndWhatAnEdgeWouldHaveDone_WithoutChangingIt()
    {
        await using var host = ReviewFixture.Host("embedded", _tmp.Path);
        foreach (var (score, accepted) in new[] { (0.93, true), (0.71, true), (0.15, false), (0.66, false) })
        {
            var sha = Convert.ToHexString(RandomNumberGenerator.GetBytes(32)).ToLowerInvariant();
            var (c, _) = await host.Store.CreateCaseAsync(new NewCase("fax-gateway", Channel.Fax, null, new OriginalFile(sha, "fax.tif", 1000, FileKind.Tiff), null, null));
            await host.Store.RecordSignatureVerdictAsync(new SignatureVerdict(c.Id, "revisore1", accepted, score, "compatible", null, null, DateTimeOffset.UtcNow));
        }
        using var supervisor = await ReviewFixture.SignInAsync(host, "supervisore");
        var page = await supervisor.GetStringAsync("/supervision?edge=0.6");
        Assert.Contains("passerebbero 2 di 2 coppie accettate e\n    <strong>1 di 2 coppie respinte</strong>", page.Replace("\r", ""));
        Assert.Contains("Soglia proposta (la più bassa che non fa passare nessuna coppia respinta): 0.67", page);
        Assert.Contains("non cambia la soglia", page);
    }
}
