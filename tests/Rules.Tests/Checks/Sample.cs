using VerifyPipeline.Rules.Facts;
using VerifyPipeline.Rules.Identity;

namespace VerifyPipeline.Rules.Tests.Checks;

/// <summary>
/// A synthetic submission that passes every rule (the person of docs/form-example.request.json): the form on page 1 with a
/// verified QR, a CIE front on page 2 and back (MRZ) on page 3. Tests change one fact with <c>with</c>.
/// </summary>
internal static class Sample
{
    public static readonly DateOnly AsOf = new(2026, 3, 10);
    public static readonly DateOnly BirthDate = new(1985, 7, 14);
    public static readonly DateOnly Expiry = new(2031, 7, 14);
    public const string RequestId = "0195f2a4c3b87d2e9a1b4c5d6e7f8091";
    public const string Number = "CA12345XY";
    public static readonly string Cf = CodiceFiscale.Compute("D'Àmico", "Maria Lucía", BirthDate, 'F', "H501");
    /// <summary>Another synthetic person's valid code.</summary>
    public static readonly string OtherCf = CodiceFiscale.Compute("Rossi", "Mario", new DateOnly(1980, 1, 1), 'M', "F205");

    public static RuleContext Context(DateOnly? asOf = null) => RuleContext.For(asOf ?? AsOf);

    public static Read<T> R<T>(T value, int page, string region, double confidence = 0.95) => new(value, confidence, new Source(page, region));

    public static PageLegibility GoodPage(int page) => new(page, 300, 20, 400, 0.7, 0.9);

    public static SubmissionFacts Good() => new(
        new DeclaredRequest(RequestId, "PIN-7Q4K2M9X", Cf, "D'Àmico", "Maria Lucía", BirthDate,
            new DeclaredDocument(DocumentKind.Cie, Number, Expiry)),
        PinStatus.Online,
        AsOf,
        new FormFacts(true, 1, new FormQr(true, RequestId, Cf, new Source(1, "qr")), R(true, 1, "signature"),
            new FormFields(
                CodiceFiscale: R(Cf, 1, "codice_fiscale"), Surname: R("D'AMICO", 1, "surname"), GivenNames: R("MARIA LUCIA", 1, "given_names"),
                BirthDate: R(BirthDate, 1, "birth_date"), DocumentType: R(DocumentKind.Cie, 1, "document_type"),
                DocumentNumber: R(Number, 1, "document_number"), DocumentExpiry: R(Expiry, 1, "document_expiry_date"))),
        [Cie()],
        [GoodPage(1), GoodPage(2), GoodPage(3)],
        new SignatureComparison(0.95, new Source(1, "signature"), new Source(2, "signature")),
        PinHolderCodiceFiscale: Cf);

    public static IdDocumentFacts Cie(DateOnly? printedExpiry = null, DateOnly? mrzExpiry = null, string number = Number, char sex = 'F',
        string surname = "D'AMICO", string given = "MARIA LUCIA") => new(
        DocumentKind.Cie,
        [new SidePage(DocumentSide.Front, 2), new SidePage(DocumentSide.Back, 3)],
        new DocumentFields(
            Number: R(number, 2, "number"), Surname: R(surname, 2, "surname"), GivenNames: R(given, 2, "given_names"),
            BirthDate: R(BirthDate, 2, "birth_date"), Sex: R(sex, 2, "sex"), CodiceFiscale: R(Cf, 3, "codice_fiscale"),
            IssueDate: R(new DateOnly(2021, 7, 14), 2, "issue_date"), ExpiryDate: R(printedExpiry ?? Expiry, 2, "expiry_date")),
        new MrzRead(Mrz.Parse(Td1(number, BirthDate, sex, mrzExpiry ?? printedExpiry ?? Expiry, "DAMICO", "MARIA<LUCIA"), AsOf), 0.95,
            new Source(3, "mrz")),
        R(true, 2, "signature"));

    public static SubmissionFacts WithDocument(this SubmissionFacts f, IdDocumentFacts doc) => f with { Documents = [doc] };

    /// <summary>A TD1 (ICAO 9303-5) zone with correct check digits.</summary>
    public static string Td1(string number, DateOnly birth, char sex, DateOnly expiry, string surname, string given)
    {
        var l1 = ("C<ITA" + number.PadRight(9, '<') + Mrz.CheckDigit(number.PadRight(9, '<'))).PadRight(30, '<');
        var b = birth.ToString("yyMMdd", System.Globalization.CultureInfo.InvariantCulture);
        var e = expiry.ToString("yyMMdd", System.Globalization.CultureInfo.InvariantCulture);
        var l2 = (b + Mrz.CheckDigit(b) + sex + e + Mrz.CheckDigit(e) + "ITA").PadRight(29, '<');
        l2 += Mrz.CheckDigit(l1[5..30] + l2[..7] + l2[8..15] + l2[18..29]);
        var l3 = (surname + "<<" + given).PadRight(30, '<');
        return $"{l1}\n{l2}\n{l3}";
    }

    /// <summary>The same zone with the expiry check digit made wrong.</summary>
    public static string BreakExpiryCheck(string td1)
    {
        var lines = td1.Split('\n');
        var c = lines[1][14];
        lines[1] = lines[1][..14] + (char)('0' + (c - '0' + 1) % 10) + lines[1][15..];
        return string.Join('\n', lines);
    }
}
