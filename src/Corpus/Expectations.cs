using PinStatus = VerifyPipeline.Rules.Facts.PinStatus;
using VerifyPipeline.Cases;
using VerifyPipeline.Rules;
using VerifyPipeline.Rules.Identity;

namespace VerifyPipeline.Corpus;

/// <summary>
/// The expected decision and reasons of a submission, derived from its facts (not from the defects asked for).
/// Policy (docs/corpus.md): certain failures reject; doubts that a person must weigh go to review; otherwise approve.
/// </summary>
public static class Expectations
{
    /// <summary>Failures a machine can be certain of: each alone rejects the request.</summary>
    public static readonly IReadOnlySet<string> Rejecting = new HashSet<string>
    {
        ReasonCodes.PinAlreadyDispositivo, ReasonCodes.PinNotEligible, ReasonCodes.FormMissing, ReasonCodes.IdMissing,
        ReasonCodes.IdSideMissing, ReasonCodes.FormNotSigned, ReasonCodes.IdExpired, ReasonCodes.IdTypeNotAccepted,
        ReasonCodes.UnreadableFile,
    };

    /// <summary>Order of codes in the labels: the order of shared/domain/README.md.</summary>
    private static readonly string[] Order =
    [
        ReasonCodes.FormMissing, ReasonCodes.IdMissing, ReasonCodes.IdSideMissing, ReasonCodes.FormNotSigned,
        ReasonCodes.IdSignatureNotVisible, ReasonCodes.IdExpired, ReasonCodes.IdTypeNotAccepted, ReasonCodes.SignatureMismatch,
        ReasonCodes.Illegible, ReasonCodes.IdentityMismatch, ReasonCodes.DocumentDataMismatch, ReasonCodes.PinAlreadyDispositivo,
        ReasonCodes.PinNotEligible, ReasonCodes.UnreadableFile,
    ];

    public static Expected Derive(
        PinStatus pin, Person pinHolder, RequestData declared, IReadOnlyList<PlannedDocument> documents,
        IEnumerable<PlannedPage> pages, FileDamage damage, bool externalOther, DateOnly asOf)
    {
        var reasons = new HashSet<string>();
        if (pin == PinStatus.Dispositivo) reasons.Add(ReasonCodes.PinAlreadyDispositivo);
        if (pin is PinStatus.Revoked or PinStatus.Unknown) reasons.Add(ReasonCodes.PinNotEligible);

        // The declared data (request and printed form) against the PIN holder. A PIN registered to another codice fiscale
        // than the request's is not this requester's to convert (PinStatusRule): certain, from the registry and the portal.
        if (pin == PinStatus.Online && !CodiceFiscale.EqualModuloOmocodia(declared.CodiceFiscale, pinHolder.CodiceFiscale))
            reasons.Add(ReasonCodes.PinNotEligible);
        if (!CodiceFiscale.EqualModuloOmocodia(declared.CodiceFiscale, pinHolder.CodiceFiscale)
            || declared.Surname != pinHolder.Surname || declared.GivenNames != pinHolder.GivenNames
            || declared.BirthDate != pinHolder.BirthDate)
            reasons.Add(ReasonCodes.IdentityMismatch);

        if (damage != FileDamage.None) return Done(ReasonCodes.UnreadableFile);
        if (externalOther) return Done(ReasonCodes.FormMissing, ReasonCodes.IdMissing);

        var pageList = pages.ToList();
        if (pageList.Any(p => p.Illegible != Illegibility.None)) reasons.Add(ReasonCodes.Illegible);

        bool Shown(int doc, string? side = null) =>
            pageList.Any(p => p.Items.Any(i => i.Document == doc && (side is null || i.Side == side)));

        var formIndex = Find(d => d.Form is not null);
        if (formIndex < 0 || !Shown(formIndex)) reasons.Add(ReasonCodes.FormMissing);

        var idIndex = Find(d => d.Id is { Kind: not DocKind.HealthCard });
        var otherCard = Find(d => d.Id is { Kind: DocKind.HealthCard });
        IdDocument? id = idIndex >= 0 && Shown(idIndex) ? documents[idIndex].Id : null;
        if (id is null)
            reasons.Add(otherCard >= 0 && Shown(otherCard) ? ReasonCodes.IdTypeNotAccepted : ReasonCodes.IdMissing);

        var signatureSideShown = false;
        if (id is not null)
        {
            var front = !id.HasSides || Shown(idIndex, "front");
            var back = !id.HasSides || Shown(idIndex, "back");
            if (!front || !back) reasons.Add(ReasonCodes.IdSideMissing);
            signatureSideShown = front;
            if (front && id.Signature is null) reasons.Add(ReasonCodes.IdSignatureNotVisible);
            if (id.ExpiryDate < asOf || (id.Kind == DocKind.PaperId && asOf > IdDocuments.PaperIdNotValidAfter))
                reasons.Add(ReasonCodes.IdExpired);
            if (id.Holder.Id != pinHolder.Id) reasons.Add(ReasonCodes.IdentityMismatch);
            var d = declared.Document;
            if (!string.Equals(d.Number, id.Number, StringComparison.OrdinalIgnoreCase) || d.ExpiryDate != id.ExpiryDate
                || d.Type != id.ApiType)
                reasons.Add(ReasonCodes.DocumentDataMismatch);
        }

        if (formIndex >= 0 && Shown(formIndex))
        {
            var form = documents[formIndex].Form!;
            if (form.Signature is null) reasons.Add(ReasonCodes.FormNotSigned);
            else if (id?.Signature is { } idSignature && signatureSideShown && idSignature.WrittenBy != form.Signature.WrittenBy)
                reasons.Add(ReasonCodes.SignatureMismatch);
        }
        return Done();

        int Find(Func<PlannedDocument, bool> f)
        {
            for (var i = 0; i < documents.Count; i++) if (f(documents[i])) return i;
            return -1;
        }

        Expected Done(params string[] more)
        {
            foreach (var m in more) reasons.Add(m);
            var ordered = Order.Where(reasons.Contains).ToList();
            var decision = ordered.Count == 0 ? "approve" : ordered.Any(Rejecting.Contains) ? "reject" : "review";
            return new Expected(decision, ordered);
        }
    }
}
