using System.Text.Json.Serialization;

namespace VerifyPipeline.Rules;

/// <summary>"Uncertain" is a value, not an exception: the rule could not establish pass or fail from reliable facts.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<Verdict>))]
public enum Verdict
{
    [JsonStringEnumMemberName("pass")] Pass,
    [JsonStringEnumMemberName("fail")] Fail,
    [JsonStringEnumMemberName("uncertain")] Uncertain,
}

/// <summary>
/// One rule's verdict. Conventions every rule keeps (so a code appears once, from its owner, see <c>RuleSet</c>):
/// <list type="bullet">
/// <item>Fail with a code: reliable facts show the problem.</item>
/// <item>Uncertain with a code: some facts point at the problem, but not reliably (a low-confidence read that disagrees,
/// a signature score in the grey band, printed and MRZ expiry disagreeing).</item>
/// <item>Uncertain with no code: the rule's input is missing; the code explaining why belongs to another rule
/// (completeness for what is absent, legibility for what cannot be read), so it is not reported twice.</item>
/// </list>
/// <see cref="Confidence"/> is the rule's confidence in its verdict, in [0, 1]. <see cref="CertainReasons"/> are the reasons
/// resting on facts that cannot be misread (the PIN registry, a check digit that holds, a legal cut-off, a file that does
/// not open, an absence on pages all legible and all accounted for): only these may reject without a person.
/// </summary>
public sealed record RuleResult(
    string Rule,
    Verdict Verdict,
    double Confidence,
    IReadOnlyList<string> Reasons,
    RuleEvidence Evidence)
{
    public IReadOnlyList<string> CertainReasons { get; init; } = [];
}
