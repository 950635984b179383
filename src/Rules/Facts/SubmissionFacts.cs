using System.Text.Json.Serialization;
using VerifyPipeline.Rules.Identity;

namespace VerifyPipeline.Rules.Facts;

/// <summary>Where a value was read: 1-based page of the submission and the name of the region (a form zone such as
/// <c>document_number</c>, or a document field such as <c>expiry_date</c>, <c>mrz</c>, <c>signature</c>).</summary>
public sealed record Source(int Page, string Region);

/// <summary>
/// A value read from a page with the reader's confidence in [0, 1] and where it was read, so evidence can cite it.
/// A value read below <see cref="Thresholds.MinFieldConfidence"/> is never relied upon by a rule.
/// </summary>
public sealed record Read<T>(T Value, double Confidence, Source Source);

/// <summary>State of the PIN in the INPS registry. <see cref="Unknown"/> means the registry does not know the PIN, never
/// "the registry could not be reached" (that is a transient fault: the host retries, it does not decide).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<PinStatus>))]
public enum PinStatus
{
    [JsonStringEnumMemberName("online")] Online,
    [JsonStringEnumMemberName("dispositivo")] Dispositivo,
    [JsonStringEnumMemberName("revoked")] Revoked,
    [JsonStringEnumMemberName("unknown")] Unknown,
}

/// <summary>Identity document kinds of shared/domain/README.md; <see cref="Other"/> is a document the reader recognised that is
/// not an identity document (a tessera sanitaria); <see cref="Unknown"/> is a document the reader could not classify.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<DocumentKind>))]
public enum DocumentKind
{
    [JsonStringEnumMemberName("cie")] Cie,
    [JsonStringEnumMemberName("passport")] Passport,
    [JsonStringEnumMemberName("driving_licence")] DrivingLicence,
    [JsonStringEnumMemberName("paper_id")] PaperId,
    [JsonStringEnumMemberName("unknown")] Unknown,
    [JsonStringEnumMemberName("other")] Other,
}

[JsonConverter(typeof(JsonStringEnumConverter<DocumentSide>))]
public enum DocumentSide
{
    [JsonStringEnumMemberName("front")] Front,
    [JsonStringEnumMemberName("back")] Back,
}

/// <summary>
/// Everything the rules know about one submission: what the request declared (the PIN holder's data), the PIN registry's
/// status, and what the reader (src/Worker) found in the file. Built by the reader; consumed, never changed, by the rules.
/// </summary>
/// <param name="UnreadableFile">Set (with the reader's explanation) when the file could not be opened at all: corrupt,
/// encrypted, unsupported or unsafe. Then nothing else in the facts is meaningful.</param>
/// <param name="Pages">Legibility measures of every page of the submission, in page order.</param>
/// <param name="Documents">Identity documents found, in the order found (the rules pick one, see <see cref="Submission.PrimaryDocument"/>).</param>
/// <param name="UnplacedPrint">Pages with print outside everything the reader placed (a side it did not recognise may be
/// there): an absence is then not certain.</param>
/// <param name="PinHolderCodiceFiscale">The codice fiscale the PIN registry holds for the PIN named by the request: the one
/// person whose PIN this request may convert. Null when nobody told it (`verify check` without <c>--pin-holder-cf</c>): the
/// PIN rule then cannot pass.</param>
public sealed record SubmissionFacts(
    DeclaredRequest Declared,
    PinStatus PinStatus,
    DateOnly RequestDate,
    FormFacts Form,
    IReadOnlyList<IdDocumentFacts> Documents,
    IReadOnlyList<PageLegibility> Pages,
    SignatureComparison Signature,
    string? UnreadableFile = null,
    IReadOnlyList<int>? UnplacedPrint = null,
    string? PinHolderCodiceFiscale = null);

/// <summary>The request as registered for the PIN holder (anagrafica and identity document as declared). Any field may be
/// null when the channel gave none (an unmatched fax, <c>verify check</c> without <c>--declared</c>): the rules then rely on
/// what the form says.</summary>
public sealed record DeclaredRequest(
    string? RequestId,
    string? PinReference,
    string? CodiceFiscale,
    string? Surname,
    string? GivenNames,
    DateOnly? BirthDate,
    DeclaredDocument? Document);

public sealed record DeclaredDocument(DocumentKind Type, string? Number, DateOnly? ExpiryDate);

/// <summary>The request form found in the file (<see cref="NotFound"/> when none).</summary>
/// <param name="Qr">The form's QR when one was decoded; null when none was found or decoded.</param>
/// <param name="Signed">Whether the signature box holds ink; null when the box was not assessed.</param>
public sealed record FormFacts(bool Found, int? Page, FormQr? Qr, Read<bool>? Signed, FormFields Fields)
{
    public static FormFacts NotFound { get; } = new(false, null, null, null, FormFields.None);
}

/// <summary>A decoded VP1 payload (docs/form.md). <see cref="Verified"/>: its MAC holds, so request id and codice fiscale
/// are the ones the form was generated for.</summary>
public sealed record FormQr(bool Verified, string? RequestId, string? CodiceFiscale, Source Source);

/// <summary>Values read from the form's boxes (zone names of <c>FormZones</c>).</summary>
public sealed record FormFields(
    Read<string>? CodiceFiscale = null,
    Read<string>? Surname = null,
    Read<string>? GivenNames = null,
    Read<DateOnly>? BirthDate = null,
    Read<DocumentKind>? DocumentType = null,
    Read<string>? DocumentNumber = null,
    Read<DateOnly>? DocumentExpiry = null)
{
    public static FormFields None { get; } = new();
}

/// <summary>One identity document found in the file.</summary>
/// <param name="Sides">The sides found and the page each is on (a passport's data page is its front).</param>
/// <param name="Mrz">The parsed machine readable zone, if the document has one and it was read.</param>
/// <param name="SignatureVisible">Whether the holder's signature is visible on the document; null when not assessed.</param>
public sealed record IdDocumentFacts(
    DocumentKind Kind,
    IReadOnlyList<SidePage> Sides,
    DocumentFields Fields,
    MrzRead? Mrz,
    Read<bool>? SignatureVisible);

public sealed record SidePage(DocumentSide Side, int Page);

/// <summary>Values printed on the document (outside the MRZ), as read.</summary>
public sealed record DocumentFields(
    Read<string>? Number = null,
    Read<string>? Surname = null,
    Read<string>? GivenNames = null,
    Read<DateOnly>? BirthDate = null,
    Read<char>? Sex = null,
    Read<string>? CodiceFiscale = null,
    Read<DateOnly>? IssueDate = null,
    Read<DateOnly>? ExpiryDate = null)
{
    public static DocumentFields None { get; } = new();
}

/// <summary>An MRZ as read: <see cref="Confidence"/> is the OCR confidence of the zone. A field covered by a check digit
/// that holds is relied upon whatever this confidence; the names (no check digit) are relied upon only at or above
/// <see cref="Thresholds.MinFieldConfidence"/>.</summary>
public sealed record MrzRead(MrzResult Result, double Confidence, Source Source);

/// <summary>
/// Legibility measures of one page (values only; the thresholds live in <see cref="Thresholds"/>).
/// </summary>
/// <param name="EffectiveDpi">The lower of the two resolutions after any resampling (a 204×98 fax is 98).</param>
/// <param name="XHeightPx">Median x-height of the text lines in pixels; null when the page has no text lines.</param>
/// <param name="BlurVariance">Variance of the Laplacian of the grey image (higher is sharper).</param>
/// <param name="Contrast">(95th − 5th percentile of grey levels) / 255, in [0, 1].</param>
/// <param name="OcrMeanConfidence">Mean word confidence of the OCR on the page in [0, 1]; null when no OCR ran.</param>
public sealed record PageLegibility(int Page, double EffectiveDpi, double? XHeightPx, double BlurVariance, double Contrast, double? OcrMeanConfidence);

/// <summary>Similarity of the form's signature to the document's, in [0, 1], computed in src/Worker; null when not computed.</summary>
public sealed record SignatureComparison(double? Score, Source? FormCrop, Source? DocumentCrop)
{
    public static SignatureComparison NotComputed { get; } = new(null, null, null);
}
