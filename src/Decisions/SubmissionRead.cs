using VerifyPipeline.Rules.Facts;

namespace VerifyPipeline.Decisions;

/// <summary>What one page turned out to be, for the report's <c>pages</c> and the reviewer.</summary>
public sealed record PageRead(int Page, string Source, string Classification, double Confidence, IReadOnlyList<string> Found, PageLegibility Legibility, long Ms);

/// <summary>The reading of a whole submission: the facts the rules take, and the detail the report and reviewer show.</summary>
public sealed record SubmissionRead(
    FormFacts Form, IReadOnlyList<IdDocumentFacts> Documents, IReadOnlyList<PageLegibility> Pages, SignatureComparison Signature,
    IReadOnlyList<PageRead> PageReads, IReadOnlyList<object> DocumentReports, IReadOnlyDictionary<string, long> TimingsMs,
    IReadOnlyList<int> UnplacedPrint, (byte[]? Form, byte[]? Document) SignatureCrops = default);
