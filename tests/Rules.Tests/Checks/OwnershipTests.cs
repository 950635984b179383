using System.Reflection;
using VerifyPipeline.Rules.Checks;
using VerifyPipeline.Rules.Facts;
using static VerifyPipeline.Rules.Tests.Checks.Sample;

namespace VerifyPipeline.Rules.Tests.Checks;

public sealed class OwnershipTests
{
    private static IEnumerable<string> AllCodes() =>
        typeof(ReasonCodes).GetFields(BindingFlags.Public | BindingFlags.Static).Select(f => (string)f.GetRawConstantValue()!);

    [Fact]
    public void Owners_NameOneRuleOfTheSet_ForEveryReasonCode()
    {
        var names = RuleSet.Default.Rules.Select(r => r.Name).ToHashSet();
        foreach (var code in AllCodes())
            Assert.True(RuleSet.Owners.TryGetValue(code, out var owner) && names.Contains(owner), $"{code} has no owner in the rule set");
    }

    /// <summary>Submissions that between them raise every reason code.</summary>
    public static TheoryData<string> Variants => new(Cases.Keys);

    private static readonly Dictionary<string, SubmissionFacts> Cases = new()
    {
        ["good"] = Good(),
        ["dispositivo"] = Good() with { PinStatus = PinStatus.Dispositivo },
        ["revoked"] = Good() with { PinStatus = PinStatus.Revoked },
        ["unreadable"] = Good() with { UnreadableFile = "corrupt" },
        ["no form"] = Good() with { Form = FormFacts.NotFound },
        ["no document"] = Good() with { Documents = [] },
        ["one side"] = Good().WithDocument(Cie() with { Sides = [new SidePage(DocumentSide.Front, 2)] }),
        ["unsigned"] = Good() with { Form = Good().Form with { Signed = R(false, 1, "signature") } },
        ["no id signature"] = Good().WithDocument(Cie() with { SignatureVisible = R(false, 2, "signature") }),
        ["expired"] = Good().WithDocument(Cie(printedExpiry: AsOf.AddDays(-1))),
        ["unknown kind"] = Good().WithDocument(Cie() with { Kind = DocumentKind.Unknown }),
        ["forged signature"] = Good() with { Signature = Good().Signature with { Score = 0.1 } },
        ["blurred"] = Good() with { Pages = [GoodPage(1), GoodPage(2) with { BlurVariance = 1 }, GoodPage(3)] },
        ["someone else"] = Good().WithDocument(Cie(surname: "ROSSI") with { Mrz = null }),
        ["other number"] = Good().WithDocument(Cie(number: "CA00000AA")),
    };

    [Theory]
    [MemberData(nameof(Variants))]
    public void Evaluate_ReportsOnlyCodesTheRuleOwns_ForEachVariant(string variant)
    {
        foreach (var r in RuleSet.Default.Evaluate(Cases[variant], Context()))
        {
            foreach (var code in r.Reasons)
                Assert.Equal(RuleSet.Owners[code], r.Rule);
            Assert.Subset(r.Reasons.ToHashSet(), r.CertainReasons.ToHashSet());
            Assert.InRange(r.Confidence, 0, 1);
            Assert.Equal(r.Verdict == Verdict.Pass, r.Reasons.Count == 0 && r.Verdict != Verdict.Uncertain);
        }
    }

    [Fact]
    public void Evaluate_RaisesEveryReasonCode_AcrossTheVariants()
    {
        var raised = Cases.Values.SelectMany(f => RuleSet.Default.Evaluate(f, Context())).SelectMany(r => r.Reasons).ToHashSet();
        Assert.Equal(AllCodes().Order(), raised.Order());
    }
}
