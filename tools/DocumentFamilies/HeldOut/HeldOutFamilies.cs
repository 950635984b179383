namespace VerifyPipeline.DocumentFamilies;

/// <summary>
/// The <c>-c</c> families: one per identity type, written after the reader was tuned on every family before them, by
/// code that never looked at the reader. They were the held-out set until the reader was tuned on them (2026-12); they
/// now count as tuned, and the blind <c>-d</c> families (<see cref="BlindFamiliesD"/>) are held out in their place.
/// </summary>
internal static class HeldOutFamilies
{
    private const double CardW = 85.6, CardH = 53.98, CardCorner = 3.18;

    public static IReadOnlyList<Family> All { get; } =
    [
        new("cie-c", DocumentTypes.Cie,
            "Tuned (held out until 2026-12). Header split left/right, red number under it, photo left and ghost portrait, title-case bilingual labels ('Cognome / Surname') in a condensed sans over geometric-sans values, dashed dates; back: barcode with the code under it, TD1 MRZ on the woven background.",
            false, CardW, CardH, CardCorner, ["front", "back"]) { Drawer = CieC.Draw, },
        new("passport-c", DocumentTypes.Passport,
            "Tuned (held out until 2026-12). Title split left/right, photo left with the signature strip under it, ghost portrait top right, 'COGNOME · Surname' labels in italic serif, bold serif values, '05 MAR 1980' dates, moiré rings; facing page of visas.",
            false, 125, 88, 0, ["data_page", "facing_page"]) { Drawer = PassportC.Draw, },
        new("licence-c", DocumentTypes.DrivingLicence,
            "Tuned (held out until 2026-12). Annex I numbering in a small purple sans before condensed bold values, 4a./4b. on one line, 9. under the photo, 7. beside it, peach-lilac hatching; back: categories table 9.-12. with pictograms, 13./14. on the right.",
            false, CardW, CardH, CardCorner, ["front", "back"]) { Drawer = LicenceC.Draw, },
        new("paper-c", DocumentTypes.PaperId,
            "Tuned (held out until 2026-12). Blue-grey stapled booklet: Courier-like typed values with upper-case labels printed under dotted lines, number top right in red, 'VALIDA FINO AL' inside, photo at the right edge, the official's signature beside the holder's.",
            false, 210, 74, 1, ["outside", "inside"]) { Drawer = PaperIdC.Draw, },
    ];
}
