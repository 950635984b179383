using System.Text.Json;
using System.Text.Json.Nodes;
using DeclaredDocument = VerifyPipeline.Rules.Facts.DeclaredDocument;
using VerifyPipeline.Rules;
using VerifyPipeline.Rules.Checks;
using VerifyPipeline.Rules.Decisions;
using VerifyPipeline.Rules.Facts;

namespace VerifyPipeline.Decisions.Tests;

/// <summary>The report is typed end to end: each rule's evidence is its own record on the way out and on the way back, and
/// reports stored by earlier versions (1: no version, camelCase facts; 2: disagreements and legibility problems as
/// sentences) read into the same records with nothing they held dropped. Synthetic person only.</summary>
public sealed class CaseReportTests
{
    private static readonly DateOnly AsOf = new(2026, 11, 20);
    private const string Cf = "RSSMRA80A01H501U";

    /// <summary>A form whose surname box reads another surname than the declared one, and a CIE page.</summary>
    private static SubmissionFacts Facts() => new(
        new DeclaredRequest("r-1", "PIN-1", Cf, "ROSSI", "MARIO", new DateOnly(1980, 1, 1), new DeclaredDocument(DocumentKind.Cie, "CA00000AA", new DateOnly(2031, 3, 1))),
        PinStatus.Online, AsOf,
        new FormFacts(true, 1, null, new Read<bool>(true, 0.97, new Source(1, "signature")),
            new FormFields(CodiceFiscale: new(Cf, 0.95, new Source(1, "codice_fiscale")), Surname: new("BIANCHI", 0.93, new Source(1, "surname")))),
        [new IdDocumentFacts(DocumentKind.Cie, [new SidePage(DocumentSide.Front, 2), new SidePage(DocumentSide.Back, 3)],
            new DocumentFields(Surname: new("ROSSI", 0.91, new Source(2, "surname")), ExpiryDate: new(new DateOnly(2031, 3, 1), 0.5, new Source(2, "expiry_date"))),
            null, new Read<bool>(true, 0.9, new Source(2, "signature")))],
        [new PageLegibility(1, 200, 12, 400, 0.6, 0.9), new PageLegibility(2, 200, 12, 400, 0.6, 0.9), new PageLegibility(3, 200, 12, 400, 0.6, 0.9)],
        new SignatureComparison(0.5, new Source(1, "signature"), new Source(2, "signature")),
        PinHolderCodiceFiscale: Cf);

    private static CaseReport Report()
    {
        var policy = new DecisionPolicy();
        var facts = Facts();
        var decision = Assessment.Decide(facts, policy, policy.ContextFor(AsOf));
        return Assessment.Report(decision, [], facts: facts);
    }

    [Fact]
    public void Parse_ReadsEveryRulesEvidenceAsItsOwnRecord_WhenWrittenByThisVersion()
    {
        var written = Report();
        var back = CaseReport.Parse(written.ToJson())!;

        Assert.Equal(CaseReport.CurrentVersion, back.Version);
        Assert.Null(back.UpgradedFrom);
        Assert.Equal(written.Rules.Select(r => r.Evidence!.GetType()), back.Rules.Select(r => r.Evidence!.GetType()));
        var surname = ((IdentityEvidence)back.Rule(RuleNames.Identity)!.Evidence!).Surname!;
        Assert.False(surname.Agree);
        Assert.Contains(new ClaimEvidence("form", "BIANCHI", 0.93, 1, "surname"), surname.Claims);
        Assert.Contains(surname.Disagreements, d => d.Reliable && d.Origin == "declared" && d.Value == "ROSSI" && d.OtherOrigin == "form" && d.OtherValue == "BIANCHI");
        var legibility = (LegibilityEvidence)back.Rule(RuleNames.Legibility)!.Evidence!;
        Assert.Contains(legibility.Regions, g => g.Region == "expiry_date" && g.Confidence == 0.5 && g.Page == 2);
        var signature = (SignatureEvidence)back.Rule(RuleNames.Signature)!.Evidence!;
        Assert.Equal((0.5, "compatible", 1), (signature.Score!.Value, signature.Mode, signature.FormCrop!.Page));
        Assert.Equal(written.ToJson(), back.ToJson());
    }

    [Fact]
    public void Parse_ReadsAVersion2Report_WithItsSentencesAsPairsAndConfidences()
    {
        var node = JsonNode.Parse(Report().ToJson())!.AsObject();
        node["version"] = 2;
        var identity = node["rules"]!.AsArray().Single(r => r!["rule"]!.GetValue<string>() == "identity")!["evidence"]!;
        identity["surname"]!["disagreements"] = new JsonArray("declared 'ROSSI' ≠ form 'D'ANGELO' (low confidence)");
        var legibility = node["rules"]!.AsArray().Single(r => r!["rule"]!.GetValue<string>() == "legibility")!["evidence"]!;
        legibility["regions"] = new JsonArray(
            new JsonObject { ["on"] = "cie", ["region"] = "expiry_date", ["page"] = 2, ["problem"] = "read with confidence 0.5 < 0.8" },
            new JsonObject { ["on"] = "form", ["region"] = "codice_fiscale", ["page"] = 1, ["problem"] = "not read" });

        var back = CaseReport.Parse(node.ToJsonString())!;

        Assert.Equal(2, back.UpgradedFrom);
        var pair = Assert.Single(((IdentityEvidence)back.Rule(RuleNames.Identity)!.Evidence!).Surname!.Disagreements);
        Assert.Equal(new Disagreement("declared", "ROSSI", "form", "D'ANGELO", Reliable: false), pair);
        var regions = ((LegibilityEvidence)back.Rule(RuleNames.Legibility)!.Evidence!).Regions;
        Assert.Equal([("expiry_date", (double?)0.5), ("codice_fiscale", null)], regions.Select(g => (g.Region, g.Confidence)));
        Assert.NotNull(back.Facts);
    }

    [Fact]
    public void Parse_ReadsAVersion1Report_WithItsCamelCaseFactsTimingsAndSignatureMode()
    {
        var report = Report();
        var node = JsonNode.Parse(report.ToJson())!.AsObject();
        // What version 1 wrote (Assessment.ReportJson before December 2026): no version, facts with ASP.NET's web
        // defaults (camelCase), the reader's steps as timings_ms, the signature mode under policy.
        node.Remove("version");
        node["facts"] = JsonSerializer.SerializeToNode(report.Facts, new JsonSerializerOptions(JsonSerializerDefaults.Web));
        node["timings_ms"] = new JsonObject { ["ocr"] = 1200, ["mrz"] = 300 };
        node["policy"]!["signature_mode"] = "strict";
        var signature = node["rules"]!.AsArray().Single(r => r!["rule"]!.GetValue<string>() == "signature")!["evidence"]!.AsObject();
        signature.Remove("mode");
        Assert.Contains("requestDate", node["facts"]!.ToJsonString());

        var back = CaseReport.Parse(node.ToJsonString())!;

        Assert.Equal(1, back.UpgradedFrom);
        Assert.Equal(AsOf, back.Facts!.RequestDate);
        Assert.Equal("BIANCHI", back.Facts.Form.Fields.Surname!.Value);
        Assert.Equal(Cf, back.Facts.PinHolderCodiceFiscale);
        Assert.Equal(new DateOnly(2031, 3, 1), back.Facts.Documents[0].Fields.ExpiryDate!.Value);
        Assert.Equal((1500L, 1500L, 300L), (back.TimingsMs!.Total, back.TimingsMs.Read, back.TimingsMs.ReadSteps!["mrz"]));
        Assert.Equal("strict", ((SignatureEvidence)back.Rule(RuleNames.Signature)!.Evidence!).Mode);
        // Re-deciding the upgraded report's facts gives the verdicts the report holds.
        Assert.Equal(report.Rules.Select(r => r.Verdict), Assessment.Redecide(back, new DecisionPolicy())!.Value.Report.Rules.Select(r => r.Verdict));
    }

    [Fact]
    public void Parse_GivesNull_ForSomethingThatIsNotAReport()
    {
        Assert.Null(CaseReport.Parse(null));
        Assert.Null(CaseReport.Parse("[1, 2]"));
        Assert.Null(CaseReport.Parse("{ \"rules\": 5 }"));
    }
}
