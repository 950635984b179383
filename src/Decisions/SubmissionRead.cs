using System.Text.Json;
using System.Text.Json.Serialization;
using VerifyPipeline.Cases;
using VerifyPipeline.Rules.Facts;

namespace VerifyPipeline.Decisions;

/// <summary>What one page turned out to be, for the report's <c>pages</c> and the reviewer.</summary>
public sealed record PageRead(int Page, string Source, string Classification, double Confidence, IReadOnlyList<string> Found, PageLegibility Legibility, long Ms);

/// <summary>The reading of a whole submission: the facts the rules take, and the detail the report and reviewer show.</summary>
public sealed record SubmissionRead(
    FormFacts Form, IReadOnlyList<IdDocumentFacts> Documents, IReadOnlyList<PageLegibility> Pages, SignatureComparison Signature,
    IReadOnlyList<PageRead> PageReads, IReadOnlyList<DocumentReport> DocumentReports, IReadOnlyDictionary<string, long> TimingsMs,
    IReadOnlyList<int> UnplacedPrint, [property: JsonIgnore] (byte[]? Form, byte[]? Document) SignatureCrops = default);

/// <summary>The Read stage's result as the case keeps it (issue 12: Read and Decide are separate, persisted stages): what
/// was read, and the blob keys of the signature crops (the images themselves are blobs, like pages). The Decide stage —
/// and a re-run of it after a reviewer's request or a policy change — decides on this without reading a page again.</summary>
public sealed record StoredRead(SubmissionRead Read, IReadOnlyDictionary<string, string> SignatureCrops)
{
    public static StoredRead? Parse(string? json) => json is null ? null : JsonSerializer.Deserialize<StoredRead>(json, WireJson.Options);
}
