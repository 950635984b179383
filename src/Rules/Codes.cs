using VerifyPipeline.Rules.Facts;

namespace VerifyPipeline.Rules;

/// <summary>The lower-case identifiers used in evidence and reports (DESIGN.md's <c>check</c> report).</summary>
public static class Codes
{
    public static string Of(DocumentKind kind) => kind switch
    {
        DocumentKind.Cie => "cie",
        DocumentKind.Passport => "passport",
        DocumentKind.DrivingLicence => "driving_licence",
        DocumentKind.PaperId => "paper_id",
        DocumentKind.Other => "other",
        _ => "unknown",
    };

    public static string Of(Decisions.Outcome outcome) => outcome switch
    {
        Decisions.Outcome.Approve => "approve",
        Decisions.Outcome.Reject => "reject",
        _ => "review",
    };

    public static string Of(Verdict verdict) => verdict switch
    {
        Verdict.Pass => "pass",
        Verdict.Fail => "fail",
        _ => "uncertain",
    };

    public static string Of(PinStatus status) => status switch
    {
        PinStatus.Online => "online",
        PinStatus.Dispositivo => "dispositivo",
        PinStatus.Revoked => "revoked",
        _ => "unknown",
    };

    public static string Of(SignatureMode mode) => mode switch
    {
        SignatureMode.Strict => "strict",
        SignatureMode.Manual => "manual",
        _ => "compatible",
    };

    /// <summary>The signature mode named by its code (case-insensitive), null for anything else.</summary>
    public static SignatureMode? SignatureModeOf(string? code) => code?.Trim().ToLowerInvariant() switch
    {
        "compatible" => SignatureMode.Compatible,
        "strict" => SignatureMode.Strict,
        "manual" => SignatureMode.Manual,
        _ => null,
    };

    public static string Of(DocumentSide side) => side == DocumentSide.Front ? "front" : "back";

    public static string Iso(DateOnly date) => date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
}
