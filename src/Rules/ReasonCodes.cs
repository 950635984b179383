namespace VerifyPipeline.Rules;

/// <summary>Stable reason identifiers (shared/domain/README.md). The UI and letters show the Italian text.</summary>
public static class ReasonCodes
{
    public const string FormMissing = "FORM_MISSING";
    public const string IdMissing = "ID_MISSING";
    public const string IdSideMissing = "ID_SIDE_MISSING";
    public const string FormNotSigned = "FORM_NOT_SIGNED";
    public const string IdSignatureNotVisible = "ID_SIGNATURE_NOT_VISIBLE";
    public const string IdExpired = "ID_EXPIRED";
    public const string IdTypeNotAccepted = "ID_TYPE_NOT_ACCEPTED";
    public const string SignatureMismatch = "SIGNATURE_MISMATCH";
    public const string Illegible = "ILLEGIBLE";
    public const string IdentityMismatch = "IDENTITY_MISMATCH";
    public const string DocumentDataMismatch = "DOCUMENT_DATA_MISMATCH";
    public const string PinAlreadyDispositivo = "PIN_ALREADY_DISPOSITIVO";
    public const string PinNotEligible = "PIN_NOT_ELIGIBLE";
    public const string UnreadableFile = "UNREADABLE_FILE";
}
