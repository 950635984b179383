using System.Text.Json;
using VerifyPipeline.Cases;
using VerifyPipeline.ReviewUi.Review;

namespace VerifyPipeline.ReviewUi.Tests.Review;

/// <summary>The case page's evidence panels read a report in the `verify check` shape (DESIGN.md), so the Decide
/// stage's output slots in without changing the page; without a report they show the declared data only.</summary>
public sealed class CaseEvidenceTests
{
    private static readonly RequestData Declared = new("PIN-1", "RSSMRA80A01H501U", "Rossi", "Mario", new DateOnly(1980, 1, 1), "Roma",
        "mario.rossi@example.org", null, new DeclaredDocument("cie", "CA00000AA", null, null, new DateOnly(2031, 3, 1)));

    [Fact]
    public void From_ShowsDeclaredDataOnly_WhenThereIsNoReport()
    {
        var e = CaseEvidence.From(Declared, null);
        Assert.False(e.Report);
        Assert.Equal(["Rossi", "Mario", "RSSMRA80A01H501U", "1980-01-01", "cie", "CA00000AA", "2031-03-01"], e.Fields.Select(f => f.Declared));
        Assert.All(e.Fields, f => Assert.Null(f.Read));
        Assert.Empty(e.Rules);
        Assert.Null(e.Signatures);
        Assert.Empty(e.Mrz);
        Assert.Null(e.Qr);
    }

    [Fact]
    public void From_ReadsFieldsVerdictsSignaturesMrzAndQr_FromCheckReport()
    {
        var report = VerifyPipeline.Decisions.CaseReport.Parse("""
            { "decision": "review", "reasons": ["SIGNATURE_MISMATCH"],
              "rules": [
                { "rule": "expiry", "verdict": "pass", "confidence": 0.98, "reasons": [], "evidence": { "expiry_date": "2031-03-01", "as_of": "2026-11-23" } },
                { "rule": "signature", "verdict": "uncertain", "confidence": 0.5, "reasons": ["SIGNATURE_MISMATCH"],
                  "evidence": { "score": 0.41, "mode": "compatible", "thresholds": { "pass_at_or_above": 0.6, "fail_below": 0.3 } } } ],
              "signature_crops": { "form": "sha256/aa/aa", "document": "sha256/bb/bb" },
              "documents": [
                { "kind": "form", "pages": [1], "fields": { "surname": "ROSSI", "given_names": "MARIO", "codice_fiscale": "RSSMRA80A01H501U" }, "mrz": null },
                { "kind": "id_back", "pages": [3], "fields": { "document_number": "CA00000AB", "expiry_date": "2031-03-01" },
                  "mrz": { "format": "TD1", "valid": false, "lines": ["C<ITACA00000AB<<<<<<<<<<<<<<<", "8001014M3103012ITA<<<<<<<<<<<0", "ROSSI<<MARIO<<<<<<<<<<<<<<<<<<"],
                           "checks": [{ "field": "document_number", "ok": false }, { "field": "birth_date", "ok": true }] } } ],
              "qr": { "found": true, "valid": true, "request_id": "r-1", "form_version": "VP1" } }
            """);
        var e = CaseEvidence.From(Declared, report, "x");
        Assert.True(e.Report);
        var number = Assert.Single(e.Fields, f => f.Field == "document_number");
        Assert.Equal(("CA00000AA", "CA00000AB", 3, "id_back"), (number.Declared, number.Read, number.Page, number.Where));
        Assert.Equal("ROSSI", e.Fields.Single(f => f.Field == "surname").Read);
        Assert.Equal(["expiry", "signature"], e.Rules.Select(r => r.Rule));
        Assert.Equal("Validità del documento", e.Rules[0].Label);
        Assert.Equal("pass", e.Rules[0].Verdict);
        Assert.Equal(0.41, e.Signatures!.Score);
        Assert.Equal("/cases/x/signatures/document", e.Signatures.DocumentCrop); // the route serving the blob the report names
        Assert.Equal("/cases/x/signatures/form", e.Signatures.FormCrop);
        Assert.Equal((0.6, 0.3), (e.Signatures.PassAtOrAbove, e.Signatures.FailBelow));
        var mrz = Assert.Single(e.Mrz);
        Assert.Equal("TD1", mrz.Format);
        Assert.Equal([("document_number", false), ("birth_date", true)], mrz.Checks);
        Assert.True(e.Qr!.Valid);
    }
}
