using VerifyPipeline.ReviewUi.Review;
using VerifyPipeline.Rules;
using VerifyPipeline.Rules.Facts;
using VerifyPipeline.Rules.Identity;
using VerifyPipeline.Decisions;

namespace VerifyPipeline.ReviewUi.Tests.Review;

/// <summary>The presenter reads the report the pipeline stores (<see cref="Assessment.ReportJson"/> of a real decision on
/// rule facts, no hand-written JSON) and says in Italian what each rule compared and why it concluded (issue 15).</summary>
public sealed class EvidenceViewTests
{
    private static readonly DateOnly AsOf = ReportSamples.AsOf;
    private const string RequestId = ReportSamples.RequestId;
    private static readonly string Cf = ReportSamples.Cf;
    private static readonly string FatherCf = ReportSamples.FatherCf;
    private static readonly DateOnly Birth = ReportSamples.Birth;

    private static SubmissionFacts Good(string declaredCf, string? qrRequestId = null, double signature = 0.95) =>
        ReportSamples.Facts(declaredCf, qrRequestId, signature);

    private static string Report(SubmissionFacts facts) => ReportSamples.Report(facts);

    private static IEnumerable<string> AllText(EvidenceView v) =>
        v.Rules.SelectMany(r => new[] { r.Label, r.VerdictText, r.Sentence }.Concat(r.Notes)
            .Concat(r.Comparisons.SelectMany(c => c.Values.SelectMany(x => new[] { c.Label, x.Source, x.Value }))))
        .Append(v.Card.Sentence).Concat(v.Card.Questions);

    [Fact]
    public void From_PassesEveryRuleInItalian_WhenTheSubmissionIsGood()
    {
        var v = EvidenceView.From(Report(Good(Cf)), RequestId, "c1");
        Assert.True(v.Report);
        Assert.All(v.Rules, r => Assert.Equal("superata", r.VerdictText));
        Assert.Equal("Il sistema ha approvato la pratica: tutte le verifiche sono superate.", v.Card.Sentence);
        Assert.Empty(v.Card.Questions);
        var birth = v.Rules.Single(r => r.Rule == "identity").Comparisons.Single(c => c.Attribute == "birth_date");
        Assert.Contains(birth.Values, x => x is { Source: "dal codice fiscale", Value: "14/07/1985", Differs: false });
        Assert.Contains(birth.Values, x => x is { Source: "dichiarato", Value: "14/07/1985" });
        Assert.DoesNotContain(AllText(v), t => t.Contains('{') || t.Contains("declared") || t.Contains("_"));
    }

    [Fact]
    public void From_HighlightsTheRelativesCodiceFiscale_DecodedBirthDateAndSex_WhenTheDeclaredCodeIsAnotherPersons()
    {
        // The request declares the father's codice fiscale with the daughter's name and birth date (issue 15: every row of
        // the readable table was equal).
        var v = EvidenceView.From(Report(Good(FatherCf)), RequestId, "c1");
        var identity = v.Rules.Single(r => r.Rule == "identity");
        Assert.Equal(("fail", "non superata"), (identity.Verdict, identity.VerdictText));
        Assert.Contains("non corrispondono", identity.Sentence);
        var cf = identity.Comparisons.Single(c => c.Attribute == "codice_fiscale");
        Assert.False(cf.Agree);
        Assert.Contains(cf.Values, x => x is { Source: "documento", Differs: true, Page: 3 } && x.Value == Cf);
        var birth = identity.Comparisons.Single(c => c.Attribute == "birth_date");
        Assert.Contains(birth.Values, x => x is { Source: "dal codice fiscale", Value: "03/02/1955", Differs: true });
        var sex = identity.Comparisons.Single(c => c.Attribute == "sex");
        Assert.Contains(sex.Values, x => x is { Source: "dal codice fiscale", Value: "maschile" });
        Assert.Contains(sex.Values, x => x is { Source: "documento", Value: "femminile", Differs: true });
        var decoded = Assert.Single(v.Decoded, d => d.Code == FatherCf);
        Assert.Equal(("03/02/1955", 'M', "H501", "maschile"), (decoded.BirthDate, decoded.Sex, decoded.PlaceCode, decoded.SexText));
        Assert.Contains(ReasonCodes.IdentityMismatch, v.Card.ProposedReasons); // pre-ticked in the rejection form
        Assert.Contains(v.Card.Questions, q => q.StartsWith("Identità: ", StringComparison.Ordinal));
        Assert.DoesNotContain(AllText(v), t => t.Contains('{') || t.Contains("\\u"));
    }

    [Fact]
    public void From_ShowsTheFormQrRequestIdBesideTheCases_WhenTheFormBelongsToAnotherRequest()
    {
        var v = EvidenceView.From(Report(Good(Cf, qrRequestId: "0195f2a4c3b87d2e9a1b4c5d6e7f0000")), RequestId, "c1");
        var ids = v.Rules.Single(r => r.Rule == "identity").Comparisons.Single(c => c.Attribute == "request_id");
        Assert.False(ids.Agree);
        Assert.Equal("Identificativo della richiesta", ids.Label);
        Assert.Contains(ids.Values, x => x is { Source: "questa pratica", Value: RequestId, Differs: false });
        Assert.Contains(ids.Values, x => x is { Source: "QR del modulo", Value: "0195f2a4c3b87d2e9a1b4c5d6e7f0000", Differs: true, Page: 1 });
    }

    [Fact]
    public void From_SaysTheSignatureIsUncertain_AndProposesNoReason_WhenTheScoreIsInTheGreyBand()
    {
        var report = Report(Good(Cf, signature: 0.88));
        var v = EvidenceView.From(report, RequestId, "c1");
        var sig = v.Card.Signature!;
        Assert.Equal("Firma incerta: somiglianza 0,88; passa da 0,89.", sig.Sentence);
        Assert.Equal("da valutare", v.Rules.Single(r => r.Rule == "signature").VerdictText);
        Assert.Empty(v.Card.ProposedReasons); // a doubt is a question, not a reason to reject
        Assert.Equal("uncertain", EvidenceView.SignatureVerdict(report));
        Assert.Equal("Firma da verificare", ReviewText.QueueReason(ReasonCodes.SignatureMismatch, EvidenceView.SignatureVerdict(report)));
        Assert.StartsWith("Il sistema non ha trovato motivi certi", v.Card.Sentence);
    }

    [Fact]
    public void From_SaysTheSignatureDiffers_OnlyWhenTheVerdictFailed()
    {
        var report = Report(Good(Cf, signature: 0.10));
        var v = EvidenceView.From(report, RequestId, "c1");
        Assert.Equal("Firma diversa: somiglianza 0,10, sotto la soglia di 0,20.", v.Card.Signature!.Sentence);
        Assert.Equal("Firma del modulo diversa da quella del documento", ReviewText.QueueReason(ReasonCodes.SignatureMismatch, EvidenceView.SignatureVerdict(report)));
        Assert.Contains(ReasonCodes.SignatureMismatch, v.Card.ProposedReasons);
    }

    [Fact]
    public void From_SaysThereIsNoReading_WhenThereIsNoReport()
    {
        var v = EvidenceView.From((string?)null, RequestId, "c1");
        Assert.False(v.Report);
        Assert.Empty(v.Rules);
        Assert.Contains("non è disponibile", v.Card.Sentence);
    }

    [Theory]
    [InlineData("Svizzera", "Z133", 'F', "Nata in Svizzera")]
    [InlineData("Roma", "H501", 'M', "Nato a Roma")]
    [InlineData("Roma", "H501", 'F', "Nata a Roma")]
    public void BornIn_AgreesWithTheSex_AndSaysInForACountry(string place, string code, char sex, string expected) =>
        Assert.Equal(expected, ReviewText.BornIn(place, CodiceFiscale.Compute("Bianchi", "Giulia", Birth, sex, code)));

    [Fact]
    public void EventDetail_TranslatesMachineTexts_AndKeepsReviewersNotes()
    {
        Assert.Equal("Zip, 1,9 MB, SHA-256 0123456789ab…", ReviewText.EventDetail("received", "Zip, 2003585 bytes, sha256 0123456789abcdef0123"));
        Assert.Equal("3 pagine lette; Firma da verificare: decide un revisore",
            ReviewText.EventDetail("decided", "3 page(s) read; SIGNATURE_MISMATCH: a reviewer decides"));
        Assert.Equal("respinta da revisore1: Modulo non firmato; nota: la firma manca, ok?",
            ReviewText.EventDetail("decided", "reject: respinta da revisore1: FORM_NOT_SIGNED; nota: la firma manca, ok?"));
        Assert.Equal("non confermo: è la stessa firma", ReviewText.EventDetail("proposal_declined", "non confermo: è la stessa firma"));
        Assert.Equal("2 pagine", ReviewText.EventDetail("paged", "2 page(s)"));
        Assert.Equal("47,1 KB", ReviewText.Size(48_213));
        // A file that joined the open case (one conversion per PIN at a time): both files named, in Italian.
        Assert.Equal("file 2 per fax: Tiff, 47,1 KB (fax.tif); il file precedente (1): Pdf, 1,9 MB (primo.pdf); la pratica era «In revisione» e attendeva un nuovo file",
            ReviewText.EventDetail("resubmitted", $"file 2 from fax: Tiff, 48213 bytes, sha256 {new string('a', 64)} (fax.tif) (case 0195f2a4c3b8); previous file 1: Pdf, 2003585 bytes, sha256 {new string('b', 64)} (primo.pdf); case was InReview, waiting for a new file"));
    }

    /// <summary>Dates GG/MM/AAAA and times on Rome's clock, summer and winter (issue 15: UTC was shown beside Rome times).</summary>
    [Fact]
    public void Local_ShowsRomeTime_InSummerAndWinter()
    {
        Assert.Equal("23/11/2026 11:30", ReviewText.Local(new DateTimeOffset(2026, 11, 23, 10, 30, 0, TimeSpan.Zero)));
        Assert.Equal("01/07/2026 12:30", ReviewText.Local(new DateTimeOffset(2026, 7, 1, 10, 30, 0, TimeSpan.Zero)));
    }
}
