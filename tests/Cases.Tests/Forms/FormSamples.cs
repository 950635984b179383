using VerifyPipeline.Cases.Forms;

namespace VerifyPipeline.Cases.Tests.Forms;

/// <summary>Synthetic applicants only (STYLE 12): invented names, a codice fiscale with a correct check character
/// computed for the invented data, document numbers in the right format that belong to nobody.</summary>
internal static class FormSamples
{
    public const string Key = "test-form-key-0123456789abcdef0123456789abcdef";
    public const string RequestId = "0195f2a4c3b87d2e9a1b4c5d6e7f8091";

    /// <summary>Maria Lucía D'Àmico, born in Roma on 14/07/1985: apostrophe, grave and acute accents.</summary>
    public static ConversionRequest DAmico(string? givenNames = null, string? surname = null, string? email = null) => new(
        RequestId, "test-portal", new DateTimeOffset(2026, 3, 5, 9, 30, 0, TimeSpan.Zero),
        new RequestData(
            PinReference: "PIN-7Q4K2M9X", CodiceFiscale: "DMCMLC85L54H501A",
            Surname: surname ?? "D'Àmico", GivenNames: givenNames ?? "Maria Lucía",
            BirthDate: new DateOnly(1985, 7, 14), BirthPlace: "Roma (RM)",
            Email: email ?? "maria.damico@example.it", Phone: "+39 333 123 4567",
            Document: new DeclaredDocument("cie", "CA12345XY", "Comune di Roma", new DateOnly(2021, 7, 14), new DateOnly(2031, 7, 14))));

    public static FormRenderOptions Options => new(Key, PrintedOn: new DateOnly(2026, 3, 5));
}
