using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using VerifyPipeline.Cases;
using VerifyPipeline.Rules.Facts;

namespace VerifyPipeline.Decisions;

/// <summary>
/// Reports stored by earlier versions, rewritten to the current shape before they are read typed — every fact they hold
/// kept. Version 1 (no <c>version</c>, before December 2026): <c>facts</c> in camelCase with enums as numbers (ASP.NET's web
/// defaults), <c>timings_ms</c> the reader's steps only, the signature mode under <c>policy.signature_mode</c>. Versions 1
/// and 2: each comparison's <c>disagreements</c> as sentences (<c>declared 'A' ≠ form 'B' (low confidence)</c>), each
/// legibility region's <c>problem</c> as a sentence (<c>read with confidence 0.5 &lt; 0.8</c>, <c>not read</c>), the expiry's
/// <c>why</c> sentence (its dates are in the evidence already).
/// </summary>
public static partial class LegacyReports
{
    /// <summary>How version 1 wrote the facts (JsonSerializerDefaults.Web).</summary>
    private static readonly JsonSerializerOptions V1Facts = new(JsonSerializerDefaults.Web);

    public static void Upgrade(JsonObject report, int version)
    {
        if (version < 2) UpgradeV1(report);
        foreach (var rule in report["rules"] as JsonArray ?? [])
        {
            if (rule?["evidence"] is not JsonObject evidence) continue;
            foreach (var (_, value) in evidence.ToList())
                if (value is JsonObject { } comparison && comparison["disagreements"] is JsonArray list)
                    comparison["disagreements"] = new JsonArray(list.Select(Disagreement).ToArray());
            if (evidence["regions"] is JsonArray regions)
                foreach (var region in regions.OfType<JsonObject>())
                    if (region["problem"]?.GetValue<string>() is { } problem)
                    {
                        region.Remove("problem");
                        region["confidence"] = ReadWith().Match(problem) is { Success: true } m
                            ? double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : null;
                    }
            if (rule["rule"]?.GetValue<string>() == "expiry") evidence.Remove("why");
        }
        report["version"] = CaseReport.CurrentVersion;
    }

    private static void UpgradeV1(JsonObject report)
    {
        if (report["facts"] is JsonObject facts)
            report["facts"] = JsonSerializer.SerializeToNode(facts.Deserialize<SubmissionFacts>(V1Facts), WireJson.Options);
        if (report["timings_ms"] is JsonObject steps && !steps.ContainsKey("total"))
        {
            var read = steps.Sum(s => s.Value is JsonValue v && v.TryGetValue<long>(out var ms) ? ms : 0);
            report["timings_ms"] = new JsonObject
            {
                ["total"] = read, ["unpack"] = 0, ["pages"] = 0, ["read"] = read, ["read_steps"] = steps.DeepClone(),
            };
        }
        else if (report["timings_ms"] is JsonValue total && total.TryGetValue<long>(out var t))
            report["timings_ms"] = new JsonObject { ["total"] = t, ["unpack"] = 0, ["pages"] = 0, ["read"] = 0, ["read_steps"] = null };
        if (report["policy"] is JsonObject policy && policy["signature_mode"] is { } mode)
        {
            policy.Remove("signature_mode");
            foreach (var rule in report["rules"] as JsonArray ?? [])
                if (rule?["rule"]?.GetValue<string>() == "signature" && rule["evidence"] is JsonObject e && !e.ContainsKey("mode"))
                    e["mode"] = mode.DeepClone();
        }
    }

    /// <summary>A disagreement as versions 1 and 2 wrote it, as the pair it states. A sentence in another form is kept
    /// whole as the first value, so nothing is lost.</summary>
    private static JsonNode? Disagreement(JsonNode? item)
    {
        if (item is JsonObject) return item.DeepClone();
        var text = item?.GetValue<string>() ?? "";
        var m = Pair().Match(text);
        return m.Success
            ? new JsonObject
            {
                ["origin"] = m.Groups["o1"].Value, ["value"] = m.Groups["v1"].Value, ["other_origin"] = m.Groups["o2"].Value,
                ["other_value"] = m.Groups["v2"].Value, ["reliable"] = !m.Groups["low"].Success,
            }
            : new JsonObject { ["origin"] = "", ["value"] = text, ["other_origin"] = "", ["other_value"] = "", ["reliable"] = true };
    }

    [GeneratedRegex(@"^(?<o1>\S+) '(?<v1>.*)' ≠ (?<o2>\S+) '(?<v2>.*)'(?<low> \(low confidence\))?$")]
    private static partial Regex Pair();

    [GeneratedRegex(@"^read with confidence ([0-9.]+) <")]
    private static partial Regex ReadWith();
}
