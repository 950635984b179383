using VerifyPipeline.Cases;
using VerifyPipeline.Rules;
using VerifyPipeline.Rules.Checks;

namespace VerifyPipeline.ReviewUi.Review;

/// <summary>One case of the signature lane: whose it is, the signature verdict in words, the two crops' URLs, and whether
/// an approval is a four-eyes proposal (a signature the rule judged different, not only uncertain).
/// <see cref="File"/> is the case's file the crops come from: a decision after a newer file joined the case is refused (issue 15).</summary>
public sealed record LaneCase(string Id, string Short, string Person, string Sentence, string? FormCrop, string? DocumentCrop, bool ApprovalNeedsSecond, int File = 1);

/// <summary>The signature lane (issue 15): the cases whose only open question is the signature — in review, matched to a
/// request, no proposal waiting, nobody else holding them, every rule passed but the signature — oldest first, so that a
/// reviewer decides them one after another. Accepting approves (a proposal for a second reviewer when the rule failed
/// the signature, as on the case page); "different" proposes a SIGNATURE_MISMATCH rejection, which four-eyes still
/// holds for a second reviewer.</summary>
public sealed class SignatureLane(ReviewQueue queue, CaseStore store, ReviewDesk desk)
{
    public const int Limit = 200;

    public async Task<IReadOnlyList<LaneCase>> LoadAsync(string user, CancellationToken ct)
    {
        var lane = new List<LaneCase>();
        foreach (var i in (await queue.LoadAllAsync(ct)).OrderBy(i => i.Case.CreatedAt))
        {
            if (lane.Count >= Limit) break;
            var c = i.Case;
            if (c.State != CaseState.InReview || c.RequestId is null || i.Pending is not null || i.AwaitingFile || i.ClaimedByOther(user)) continue;
            if (c.Reasons.Count != 1 || c.Reasons[0] != ReasonCodes.SignatureMismatch) continue;
            var view = EvidenceView.From(c.Report, c.RequestId, c.Id);
            if (view.Signature is not { } sig || view.Rules.Count == 0 || view.Rules.Any(r => !r.Passed && r.Rule != RuleNames.Signature)) continue;
            var request = await store.GetRequestAsync(c.RequestId, ct);
            lane.Add(new LaneCase(c.Id, ReviewText.Short(c.Id), request is null ? "" : $"{request.Data.Surname} {request.Data.GivenNames}", sig.Sentence,
                sig.FormCrop, sig.DocumentCrop, desk.FourEyesApprovalReasons(c).Count > 0, c.FileNo));
        }
        return lane;
    }
}
