using System.Text.Json;
using VerifyPipeline.Rules.Checks;
using VerifyPipeline.Rules.Decisions;
using VerifyPipeline.Rules.Facts;
using VerifyPipeline.Rules.Tests.Checks;
using static VerifyPipeline.Rules.Tests.Checks.Sample;

namespace VerifyPipeline.Rules.Tests.Decisions;

public sealed class DecisionPolicyTests
{
    private static readonly DecisionPolicy Policy = new();

    private static RuleResult Pass(string rule) => new(rule, Verdict.Pass, 1, [], new PinStatusEvidence());
    private static RuleResult Uncertain(string rule, params string[] codes) => new(rule, Verdict.Uncertain, 0.5, codes, new PinStatusEvidence());
    private static RuleResult Fail(string rule, string code, bool certain) =>
        new(rule, Verdict.Fail, 1, [code], new PinStatusEvidence()) { CertainReasons = certain ? [code] : [] };

    private static IReadOnlyList<RuleResult> AllPass() =>
        [.. RuleSet.Default.Rules.Select(r => Pass(r.Name))];

    private static IReadOnlyList<RuleResult> Replace(params RuleResult[] changed) =>
        [.. AllPass().Select(r => changed.FirstOrDefault(c => c.Rule == r.Rule) ?? r)];

    [Fact]
    public void Decide_Approves_WhenEveryRulePasses()
    {
        var d = Policy.Decide(AllPass(), Context());
        Assert.Equal(Outcome.Approve, d.Outcome);
        Assert.Empty(d.Reasons);
        Assert.Equal(7, d.Rules.Count);
    }

    [Fact]
    public void Decide_Reviews_WhenOneRuleIsUncertain()
    {
        var d = Policy.Decide(Replace(Uncertain(RuleNames.Legibility, ReasonCodes.Illegible)), Context());
        Assert.Equal(Outcome.Review, d.Outcome);
        Assert.Equal([ReasonCodes.Illegible], d.Reasons);
    }

    [Fact]
    public void Decide_Reviews_WhenOneRuleIsUncertainWithoutCode()
    {
        var d = Policy.Decide(Replace(Uncertain(RuleNames.Identity)), Context());
        Assert.Equal(Outcome.Review, d.Outcome);
    }

    [Fact]
    public void Decide_RejectsWithTheCertainReasonOnly_WhenACertainFailureAndAnUncertainRuleMeet()
    {
        var d = Policy.Decide(Replace(Fail(RuleNames.Expiry, ReasonCodes.IdExpired, certain: true),
            Uncertain(RuleNames.Signature, ReasonCodes.SignatureMismatch)), Context());
        Assert.Equal(Outcome.Reject, d.Outcome);
        Assert.Equal([ReasonCodes.IdExpired], d.Reasons);
    }

    [Fact]
    public void Decide_Reviews_WhenIdExpiredRestsOnAPrintedDate()
    {
        var d = Policy.Decide(Replace(Fail(RuleNames.Expiry, ReasonCodes.IdExpired, certain: false)), Context());
        Assert.Equal(Outcome.Review, d.Outcome);
        Assert.Equal([ReasonCodes.IdExpired], d.Reasons);
    }

    [Fact]
    public void Decide_Reviews_WhenSignatureMismatchIsTheOnlyFailure()
    {
        var d = Policy.Decide(Replace(Fail(RuleNames.Signature, ReasonCodes.SignatureMismatch, certain: true)), Context());
        Assert.Equal(Outcome.Review, d.Outcome);
        Assert.Equal([ReasonCodes.SignatureMismatch], d.Reasons);
    }

    [Fact]
    public void Decide_Rejects_WhenSignatureMismatchIsListedAndExplicitlyAllowed()
    {
        var policy = new DecisionPolicy { AutoRejectReasons = [ReasonCodes.SignatureMismatch], AllowSignatureMismatchAutoReject = true };
        Assert.Empty(policy.Validate());
        var d = policy.Decide(Replace(Fail(RuleNames.Signature, ReasonCodes.SignatureMismatch, certain: true)), Context());
        Assert.Equal(Outcome.Reject, d.Outcome);
    }

    [Fact]
    public void Decide_Reviews_WhenACertainFailureIsNotInThePolicysList()
    {
        var policy = new DecisionPolicy { AutoRejectReasons = [] };
        var d = policy.Decide(Replace(Fail(RuleNames.PinStatus, ReasonCodes.PinAlreadyDispositivo, certain: true)), Context());
        Assert.Equal(Outcome.Review, d.Outcome);
    }

    [Fact]
    public void Decide_ReviewsWithEveryRaisedCode_WhenSeveralRulesFailUncertainly()
    {
        var d = Policy.Decide(Replace(Fail(RuleNames.Identity, ReasonCodes.IdentityMismatch, certain: false),
            Uncertain(RuleNames.Completeness, ReasonCodes.FormNotSigned)), Context());
        Assert.Equal(Outcome.Review, d.Outcome);
        Assert.Equal([ReasonCodes.FormNotSigned, ReasonCodes.IdentityMismatch], d.Reasons);
    }

    [Fact]
    public void Validate_ReturnsNoErrors_ForTheDefaults()
    {
        Assert.Empty(new DecisionPolicy().Validate());
        Assert.Empty(Context().Validate());
        Assert.Equal(
            [ReasonCodes.PinAlreadyDispositivo, ReasonCodes.PinNotEligible, ReasonCodes.FormMissing, ReasonCodes.IdMissing,
             ReasonCodes.IdSideMissing, ReasonCodes.FormNotSigned, ReasonCodes.IdTypeNotAccepted, ReasonCodes.IdExpired, ReasonCodes.UnreadableFile],
            new DecisionPolicy().AutoRejectReasons);
    }

    [Fact]
    public void Validate_RefusesAnUnknownSignatureMode_NamingTheKnownOnes()
    {
        var e = Assert.Single(new DecisionPolicy { Signature = new SignaturePolicy { Mode = "lenient" } }.Validate());
        Assert.Contains("'lenient' is not a signature policy (compatible | strict | manual", e);
        Assert.Empty(new DecisionPolicy { Signature = new SignaturePolicy { Mode = "Strict" } }.Validate());
    }

    [Theory]
    [InlineData(null, SignatureMode.Compatible)]
    [InlineData("strict", SignatureMode.Strict)]
    [InlineData("manual", SignatureMode.Manual)]
    public void ContextFor_CarriesTheSignatureMode_IntoTheDecision(string? mode, SignatureMode expected)
    {
        var policy = mode is null ? new DecisionPolicy() : new DecisionPolicy { Signature = new SignaturePolicy { Mode = mode } };
        var d = policy.Decide(Good(), policy.ContextFor(AsOf));
        Assert.Equal(expected, d.Context.Signature);
        Assert.Equal(expected == SignatureMode.Manual ? Outcome.Review : Outcome.Approve, d.Outcome);
    }

    [Theory]
    [InlineData(1.5, 0.90, 0.20, "Signature:CompatiblePass must be a score from 0 to 1 (docs/signatures.md), was 1.5")]
    [InlineData(double.NaN, 0.90, 0.20, "Signature:CompatiblePass must be a score from 0 to 1 (docs/signatures.md), was NaN")]
    [InlineData(0.89, -0.1, 0.20, "Signature:StrictPass must be a score from 0 to 1 (docs/signatures.md), was -0.1")]
    [InlineData(0.89, 0.90, 2.0, "Signature:Fail must be a score from 0 to 1 (docs/signatures.md), was 2")]
    [InlineData(0.30, 0.90, 0.40, "Signature:Fail (0.4) must not be above Signature:CompatiblePass (0.3): a score cannot both pass and fail")]
    [InlineData(0.95, 0.90, 0.20, "Signature:CompatiblePass (0.95) must not be above Signature:StrictPass (0.9): strict is the stricter edge")]
    public void Validate_NamesTheSignatureEdgesKey_WhenAnEdgeIsOutOfPlace(double compatible, double strict, double fail, string message)
    {
        var policy = new DecisionPolicy { Signature = new SignaturePolicy { CompatiblePass = compatible, StrictPass = strict, Fail = fail } };
        Assert.Equal(message, Assert.Single(policy.Validate()));
    }

    [Fact]
    public void SignaturePolicy_DefaultsToTheCalibratedEdges()
    {
        var t = new Thresholds();
        var s = new SignaturePolicy();
        Assert.Equal((t.SignatureCompatiblePass, t.SignaturePass, t.SignatureFail), (s.CompatiblePass, s.StrictPass, s.Fail));
        Assert.Equal(t, new DecisionPolicy().ContextFor(AsOf).Thresholds);
    }

    [Fact]
    public void ContextFor_CarriesTheConfiguredEdges_IntoTheDecisionAndTheSignatureEvidence()
    {
        // 0.5 is uncertain at the calibrated edges; an edge configured at 0.45 passes it, and the decision says so.
        var policy = new DecisionPolicy { Signature = new SignaturePolicy { CompatiblePass = 0.45, StrictPass = 0.6, Fail = 0.1 } };
        var facts = Good() with { Signature = Good().Signature with { Score = 0.5 } };

        var d = policy.Decide(facts, policy.ContextFor(AsOf));

        Assert.Equal(Outcome.Approve, d.Outcome);
        Assert.Equal((0.45, 0.6, 0.1), (d.Context.Thresholds.SignatureCompatiblePass, d.Context.Thresholds.SignaturePass, d.Context.Thresholds.SignatureFail));
        var sig = d.Rules.Single(r => r.Rule == RuleNames.Signature);
        var edges = Assert.IsType<SignatureEvidence>(sig.Evidence).Thresholds;
        Assert.Equal(0.45, edges.PassAtOrAbove);
        Assert.Equal(0.1, edges.FailBelow);
        Assert.Equal(Outcome.Review, new DecisionPolicy().Decide(facts, new DecisionPolicy().ContextFor(AsOf)).Outcome);
    }

    [Fact]
    public void Validate_RefusesSignatureMismatchAutoReject_WhenTheFlagIsNotSet()
    {
        var errors = new DecisionPolicy { AutoRejectReasons = [ReasonCodes.IdMissing, ReasonCodes.SignatureMismatch] }.Validate();
        var e = Assert.Single(errors);
        Assert.Contains("SIGNATURE_MISMATCH would reject without a person", e);
        Assert.Contains(nameof(DecisionPolicy.AllowSignatureMismatchAutoReject), e);
    }

    [Fact]
    public void Validate_NamesUnknownAndDuplicatedCodes_WhenTheListIsWrong()
    {
        var errors = new DecisionPolicy { AutoRejectReasons = ["ID_EXPIRD", ReasonCodes.IdMissing, ReasonCodes.IdMissing] }.Validate();
        Assert.Equal(2, errors.Count);
        Assert.Contains(errors, e => e.StartsWith("AutoRejectReasons: 'ID_EXPIRD' is not a reason code", StringComparison.Ordinal));
        Assert.Contains("AutoRejectReasons: 'ID_MISSING' is listed 2 times", errors);
    }

    [Fact]
    public void Validate_NamesEveryBadThreshold_WhenThresholdsAreInconsistent()
    {
        var t = new Thresholds { SignaturePass = 0.3, SignatureFail = 0.7, MinFieldConfidence = 1.5, MinEffectiveDpi = 0 };
        var errors = t.Validate();
        Assert.Contains("SignatureFail (0.7) must not be above SignaturePass (0.3)", errors);
        Assert.Contains("MinFieldConfidence must be in [0, 1], was 1.5", errors);
        Assert.Contains("MinEffectiveDpi must be a positive number, was 0", errors);
        Assert.Equal(3, errors.Count);
    }

    [Fact]
    public void Validate_RefusesAContext_WhenUnknownDocumentsAreAcceptedOrACutoffHasNoReference()
    {
        var ctx = Context() with
        {
            AcceptedKinds = [DocumentKind.Cie, DocumentKind.Unknown],
            LegalCutoffs = [new LegalCutoff(DocumentKind.PaperId, new DateOnly(2026, 8, 3), " ")],
        };
        Assert.Equal(2, ctx.Validate().Count);
    }

    [Fact]
    public void Decide_ApprovesTheSampleSubmission_ThroughTheDefaultRuleSet()
    {
        var d = Policy.Decide(Good(), Context());
        Assert.Equal(Outcome.Approve, d.Outcome);
        Assert.Equal([RuleNames.PinStatus, RuleNames.Completeness, RuleNames.Legibility, RuleNames.Expiry, RuleNames.Identity,
                      RuleNames.DocumentData, RuleNames.Signature], d.Rules.Select(r => r.Rule));
    }

    [Fact]
    public void Decide_RejectsWithIdExpired_WhenTheMrzSaysTheCardExpiredYesterday()
    {
        var f = Good().WithDocument(Cie(printedExpiry: AsOf.AddDays(-1)));
        f = f with { Declared = f.Declared with { Document = f.Declared.Document! with { ExpiryDate = AsOf.AddDays(-1) } },
                     Form = f.Form with { Fields = f.Form.Fields with { DocumentExpiry = R(AsOf.AddDays(-1), 1, "document_expiry_date") } } };
        var d = Policy.Decide(f, Context());
        Assert.Equal(Outcome.Reject, d.Outcome);
        Assert.Equal([ReasonCodes.IdExpired], d.Reasons);
    }

    [Fact]
    public void Decide_Reviews_WhenTheSignatureScoreIsBorderline()
    {
        var d = Policy.Decide(Good() with { Signature = Good().Signature with { Score = 0.5 } }, Context());
        Assert.Equal(Outcome.Review, d.Outcome);
        Assert.Equal([ReasonCodes.SignatureMismatch], d.Reasons);
    }

    [Fact]
    public void Decide_RejectsWithUnreadableFile_EvaluatingOnlyPinAndCompleteness()
    {
        var d = Policy.Decide(Good() with { UnreadableFile = "password-protected zip" }, Context());
        Assert.Equal(Outcome.Reject, d.Outcome);
        Assert.Equal([ReasonCodes.UnreadableFile], d.Reasons);
        Assert.Equal([RuleNames.PinStatus, RuleNames.Completeness], d.Rules.Select(r => r.Rule));
    }

    [Fact]
    public void Decide_RejectsWithBothCertainReasons_WhenThePinIsDispositivoAndTheFormMissing()
    {
        var f = Good() with { PinStatus = PinStatus.Dispositivo, Form = FormFacts.NotFound, Pages = [GoodPage(2), GoodPage(3)] };
        var d = Policy.Decide(f, Context());
        Assert.Equal(Outcome.Reject, d.Outcome);
        Assert.Equal([ReasonCodes.PinAlreadyDispositivo, ReasonCodes.FormMissing], d.Reasons);
    }

    [Fact]
    public void Decision_SerialisesToTheCheckReportShape_WithSnakeCaseNames()
    {
        var d = Policy.Decide(Good() with { Signature = Good().Signature with { Score = 0.5 } }, Context());
        var json = JsonSerializer.Serialize(d, new JsonSerializerOptions { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower });
        using var doc = JsonDocument.Parse(json);
        var root = doc.RootElement;
        Assert.Equal("review", root.GetProperty("outcome").GetString());
        var rule = root.GetProperty("rules")[6];
        Assert.Equal("signature", rule.GetProperty("rule").GetString());
        Assert.Equal("uncertain", rule.GetProperty("verdict").GetString());
        Assert.Equal(0.5, rule.GetProperty("confidence").GetDouble());
        Assert.Equal("SIGNATURE_MISMATCH", rule.GetProperty("reasons")[0].GetString());
        Assert.Equal(0.5, rule.GetProperty("evidence").GetProperty("score").GetDouble());
        Assert.Equal(new Thresholds().SignaturePass, root.GetProperty("context").GetProperty("thresholds").GetProperty("signature_pass").GetDouble());
        Assert.Equal("2026-03-10", root.GetProperty("context").GetProperty("as_of").GetString());
        Assert.Equal(JsonValueKind.Array, root.GetProperty("policy").GetProperty("auto_reject_reasons").ValueKind);
        Assert.Equal("cie", root.GetProperty("context").GetProperty("accepted_kinds")[0].GetString());
        Assert.Equal("paper_id", root.GetProperty("context").GetProperty("legal_cutoffs")[0].GetProperty("kind").GetString());
    }
}
