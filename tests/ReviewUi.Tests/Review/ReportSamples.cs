using VerifyPipeline.Rules;
using VerifyPipeline.Rules.Decisions;
using VerifyPipeline.Rules.Facts;
using VerifyPipeline.Rules.Identity;
using VerifyPipeline.Decisions;

namespace VerifyPipeline.ReviewUi.Tests.Review;

/// <summary>Rule facts of a synthetic submission (Giulia Bianchi, born in Rome; her father Paolo), decided by the real
/// rules and policy and stored as the pipeline stores it (<see cref="Assessment.ReportJson"/>): the reports the case page
/// and the queue are tested on.</summary>
internal static class ReportSamples
{
    public static readonly DateOnly AsOf = new(2026, 3, 10);
    public static readonly DateOnly Birth = new(1985, 7, 14);
    public static readonly DateOnly Expiry = new(2031, 7, 14);
    public const string RequestId = "0195f2a4c3b87d2e9a1b4c5d6e7f8091";
    public const string Number = "CA12345XY";
    public static readonly string Cf = CodiceFiscale.Compute("Bianchi", "Giulia", Birth, 'F', "H501");
    public static readonly string FatherCf = CodiceFiscale.Compute("Bianchi", "Paolo", new DateOnly(1955, 2, 3), 'M', "H501");

    private static Read<T> R<T>(T value, int page, string region) => new(value, 0.95, new Source(page, region));

    /// <summary>A submission every rule passes (verified QR, a CIE front and back, signatures scored 0.95), unless the
    /// declared codice fiscale is another's, the QR names another request, or the signature score is lower.</summary>
    public static SubmissionFacts Facts(string declaredCf, string? qrRequestId = null, double signature = 0.95, string requestId = RequestId, string pin = "PIN-1") => new(
        new DeclaredRequest(requestId, pin, declaredCf, "Bianchi", "Giulia", Birth, new DeclaredDocument(DocumentKind.Cie, Number, Expiry)),
        PinStatus.Online, AsOf,
        new FormFacts(true, 1, new FormQr(true, qrRequestId ?? requestId, declaredCf, new Source(1, "qr")), R(true, 1, "signature"),
            new FormFields(CodiceFiscale: R(declaredCf, 1, "codice_fiscale"), Surname: R("BIANCHI", 1, "surname"), GivenNames: R("GIULIA", 1, "given_names"),
                BirthDate: R(Birth, 1, "birth_date"), DocumentType: R(DocumentKind.Cie, 1, "document_type"),
                DocumentNumber: R(Number, 1, "document_number"), DocumentExpiry: R(Expiry, 1, "document_expiry_date"))),
        [new IdDocumentFacts(DocumentKind.Cie, [new SidePage(DocumentSide.Front, 2), new SidePage(DocumentSide.Back, 3)],
            new DocumentFields(Number: R(Number, 2, "number"), Surname: R("BIANCHI", 2, "surname"), GivenNames: R("GIULIA", 2, "given_names"),
                BirthDate: R(Birth, 2, "birth_date"), Sex: R('F', 2, "sex"), CodiceFiscale: R(Cf, 3, "codice_fiscale"),
                IssueDate: R(new DateOnly(2021, 7, 14), 2, "issue_date"), ExpiryDate: R(Expiry, 2, "expiry_date")),
            null, R(true, 2, "signature"))],
        [new PageLegibility(1, 300, 20, 400, 0.7, 0.9), new PageLegibility(2, 300, 20, 400, 0.7, 0.9), new PageLegibility(3, 300, 20, 400, 0.7, 0.9)],
        new SignatureComparison(signature, new Source(1, "signature"), new Source(2, "signature")),
        PinHolderCodiceFiscale: declaredCf);

    public static Decision Decide(SubmissionFacts facts) => Assessment.Decide(facts, new DecisionPolicy(), RuleContext.For(AsOf));

    /// <param name="crops">The signature crops' blob keys by name (<c>form</c>, <c>document</c>), as the Read stage stores them.</param>
    public static string Report(SubmissionFacts facts, IReadOnlyDictionary<string, string>? crops = null) =>
        Assessment.ReportJson(Decide(facts), [], facts: facts, signatureCrops: crops);

    /// <summary>A signature pair drawn by the corpus's synthetic hand (<paramref name="writer"/>): the form's box and the
    /// identity card's signature area, as a flatbed scan at 300 dpi, stored in the host's blob store like the Read stage's
    /// crops. Synthetic people only; the crops look like what a reviewer sees.</summary>
    public static async Task<IReadOnlyDictionary<string, string>> SignatureCropsAsync(VerifyPipeline.Cases.IBlobStore blobs, int writer)
    {
        var hand = VerifyPipeline.Corpus.SignatureHand.FromSeed(writer);
        var scan = VerifyPipeline.Corpus.CaptureResolution.All[0];
        var keys = new Dictionary<string, string>();
        foreach (var (name, mat) in new[]
                 {
                     ("form", VerifyPipeline.Corpus.SyntheticSignatures.Form(hand, VerifyPipeline.Corpus.SignatureKind.Genuine, 1, scan, writer)),
                     ("document", VerifyPipeline.Corpus.SyntheticSignatures.Card(hand, VerifyPipeline.Corpus.SignatureKind.Genuine, 2, scan, writer + 1)),
                 })
        {
            using (mat)
            {
                OpenCvSharp.Cv2.ImEncode(".png", mat, out var png);
                var key = VerifyPipeline.Cases.BlobKeys.ForContent(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(png)));
                await blobs.PutIfAbsentAsync(key, new MemoryStream(png), default);
                keys[name] = key;
            }
        }
        return keys;
    }
}
