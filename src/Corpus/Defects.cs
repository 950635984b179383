using VerifyPipeline.Rules;

namespace VerifyPipeline.Corpus;

/// <summary>What the planner can do wrong in a submission, each with the reason code it exists to produce. The labels
/// are not taken from here: <see cref="Expectations"/> derives them from the resulting facts (a defect may cause more
/// than its own code, e.g. someone else's document also carries someone else's signature).</summary>
public static class Defects
{
    public const string FormMissing = "form_missing";
    public const string IdMissing = "id_missing";
    public const string IdBackMissing = "id_back_missing";
    public const string IdFrontMissing = "id_front_missing";
    public const string FormUnsigned = "form_unsigned";
    public const string IdSignatureAbsent = "id_signature_absent";
    public const string IdExpired = "id_expired";
    public const string PaperIdAfterCutoff = "paper_id_after_cutoff";
    public const string HealthCardInstead = "health_card_instead_of_id";
    public const string RandomForgery = "signature_random_forgery";
    public const string SkilledForgery = "signature_skilled_forgery";
    public const string IllegibleBlur = "illegible_blur";
    public const string IllegibleDark = "illegible_dark";
    public const string IllegibleSmall = "illegible_small";
    public const string OtherPersonsDocument = "other_persons_document";
    public const string OtherPersonsCf = "other_persons_codice_fiscale";
    public const string NumberTypo = "form_document_number_typo";
    public const string ExpiryDiffers = "form_expiry_differs";
    public const string PinDispositivo = "pin_already_dispositivo";
    public const string PinRevoked = "pin_revoked";
    public const string PinUnknown = "pin_unknown";
    public const string FileTruncated = "file_truncated";
    public const string FileGarbage = "file_garbage";
    public const string FileEncryptedZip = "file_encrypted_zip";
    public const string ExternalEncrypted = "external_encrypted_archive";
    public const string ExternalOther = "external_other_archive";

    /// <summary>Every defect and the code it is meant to produce, in a fixed order (the hard profile cycles through it).</summary>
    public static IReadOnlyList<(string Defect, string Reason)> All { get; } =
    [
        (FormMissing, ReasonCodes.FormMissing),
        (IdMissing, ReasonCodes.IdMissing),
        (IdBackMissing, ReasonCodes.IdSideMissing),
        (IdFrontMissing, ReasonCodes.IdSideMissing),
        (FormUnsigned, ReasonCodes.FormNotSigned),
        (IdSignatureAbsent, ReasonCodes.IdSignatureNotVisible),
        (IdExpired, ReasonCodes.IdExpired),
        (PaperIdAfterCutoff, ReasonCodes.IdExpired),
        (HealthCardInstead, ReasonCodes.IdTypeNotAccepted),
        (RandomForgery, ReasonCodes.SignatureMismatch),
        (SkilledForgery, ReasonCodes.SignatureMismatch),
        (IllegibleBlur, ReasonCodes.Illegible),
        (IllegibleDark, ReasonCodes.Illegible),
        (IllegibleSmall, ReasonCodes.Illegible),
        (OtherPersonsDocument, ReasonCodes.IdentityMismatch),
        (OtherPersonsCf, ReasonCodes.IdentityMismatch),
        (NumberTypo, ReasonCodes.DocumentDataMismatch),
        (ExpiryDiffers, ReasonCodes.DocumentDataMismatch),
        (PinDispositivo, ReasonCodes.PinAlreadyDispositivo),
        (PinRevoked, ReasonCodes.PinNotEligible),
        (PinUnknown, ReasonCodes.PinNotEligible),
        (FileTruncated, ReasonCodes.UnreadableFile),
        (FileGarbage, ReasonCodes.UnreadableFile),
        (FileEncryptedZip, ReasonCodes.UnreadableFile),
        (ExternalEncrypted, ReasonCodes.UnreadableFile),
        (ExternalOther, ReasonCodes.FormMissing),
    ];

    public static string ReasonOf(string defect) => All.First(d => d.Defect == defect).Reason;

    /// <summary>Weights of the realistic profile: what goes wrong, roughly how often relative to each other.</summary>
    public static IReadOnlyDictionary<string, int> RealisticWeights { get; } = new Dictionary<string, int>
    {
        [FormMissing] = 6, [IdMissing] = 5, [IdBackMissing] = 10, [IdFrontMissing] = 3, [FormUnsigned] = 8,
        [IdSignatureAbsent] = 2, [IdExpired] = 9, [PaperIdAfterCutoff] = 8, [HealthCardInstead] = 3,
        [RandomForgery] = 2, [SkilledForgery] = 2, [IllegibleBlur] = 5, [IllegibleDark] = 4, [IllegibleSmall] = 4,
        [OtherPersonsDocument] = 2, [OtherPersonsCf] = 3, [NumberTypo] = 6, [ExpiryDiffers] = 3,
        [PinDispositivo] = 6, [PinRevoked] = 2, [PinUnknown] = 2,
        [FileTruncated] = 2, [FileGarbage] = 1, [FileEncryptedZip] = 1, [ExternalEncrypted] = 1, [ExternalOther] = 1,
    };

    private static readonly string[] PinGroup = [PinDispositivo, PinRevoked, PinUnknown];
    private static readonly string[] FileGroup = [FileTruncated, FileGarbage, FileEncryptedZip, ExternalEncrypted, ExternalOther];
    private static readonly string[] IllegibleGroup = [IllegibleBlur, IllegibleDark, IllegibleSmall];
    private static readonly string[] SideGroup = [IdBackMissing, IdFrontMissing];
    private static readonly string[] ForgeryGroup = [RandomForgery, SkilledForgery];
    private static readonly string[] ExpiryGroup = [IdExpired, PaperIdAfterCutoff];

    /// <summary>Defects that need the identity document to be there (and be an accepted one).</summary>
    private static readonly string[] NeedsId =
    [
        IdBackMissing, IdFrontMissing, IdSignatureAbsent, IdExpired, PaperIdAfterCutoff, RandomForgery, SkilledForgery,
        OtherPersonsDocument, NumberTypo, ExpiryDiffers,
    ];

    /// <summary>Defects that need the form.</summary>
    private static readonly string[] NeedsForm = [FormUnsigned, RandomForgery, SkilledForgery];

    /// <summary>Defects whose evidence is on the front of the card (signature, number, expiry of a patente).</summary>
    private static readonly string[] NeedsFront = [IdSignatureAbsent, RandomForgery, SkilledForgery, NumberTypo, ExpiryDiffers, IdExpired, OtherPersonsDocument];

    /// <summary>Defects whose evidence must be read on the identity document (so it must not be the illegible page).</summary>
    private static readonly string[] ReadsId = [IdSignatureAbsent, IdExpired, RandomForgery, SkilledForgery, OtherPersonsDocument, NumberTypo, ExpiryDiffers, PaperIdAfterCutoff];

    /// <summary>True when the defects can occur together in one submission and each still shows (see the rules in
    /// docs/corpus.md): at most one of each group; nothing in the file's content when the file itself is unreadable;
    /// nothing about a document that is not there; an illegible page is never the one another defect must be read on.</summary>
    public static bool Compatible(IReadOnlyCollection<string> set, bool fax)
    {
        int Count(string[] group) => set.Count(group.Contains);
        if (Count(PinGroup) > 1 || Count(FileGroup) > 1 || Count(IllegibleGroup) > 1 || Count(SideGroup) > 1
            || Count(ForgeryGroup) > 1 || Count(ExpiryGroup) > 1) return false;
        if (Count(FileGroup) == 1 && set.Any(d => !PinGroup.Contains(d) && !FileGroup.Contains(d))) return false;
        if (fax && set.Any(d => d is FileGarbage or FileEncryptedZip or ExternalEncrypted or ExternalOther)) return false;
        var noId = set.Contains(IdMissing) || set.Contains(HealthCardInstead);
        if (set.Contains(IdMissing) && set.Contains(HealthCardInstead)) return false;
        if (noId && set.Any(NeedsId.Contains)) return false;
        if (set.Contains(FormMissing) && set.Any(NeedsForm.Contains)) return false;
        if (set.Contains(IdFrontMissing) && set.Any(NeedsFront.Contains)) return false;
        if (set.Contains(IdBackMissing) && set.Contains(PaperIdAfterCutoff)) return false;
        if (set.Contains(OtherPersonsDocument) && set.Contains(OtherPersonsCf)) return false;
        // A forgery needs a signature on the form and one on the document to differ from.
        if (Count(ForgeryGroup) == 1 && (set.Contains(FormUnsigned) || set.Contains(IdSignatureAbsent))) return false;
        if (Count(IllegibleGroup) == 1)
        {
            // The illegible page is the form when the form is there and nothing must be read on it, else the document.
            var formFree = !set.Contains(FormMissing) && !set.Any(NeedsForm.Contains);
            var idFree = !noId && !set.Any(ReadsId.Contains) && !set.Any(SideGroup.Contains);
            if (!formFree && !idFree) return false;
        }
        return true;
    }
}
