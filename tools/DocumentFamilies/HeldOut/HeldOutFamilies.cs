namespace VerifyPipeline.DocumentFamilies;

/// <summary>
/// One layout family per identity type written after the reader was tuned on every other family, by code that never
/// looked at the reader: its figures on these are held-out figures. Nobody may tune the reader on them (look at their
/// failures item by item); once someone has, they stop being held out and a new family is needed.
/// </summary>
internal static class HeldOutFamilies
{
    private const double CardW = 85.6, CardH = 53.98, CardCorner = 3.18;

    public static IReadOnlyList<Family> All { get; } =
    [
        new("cie-c", DocumentTypes.Cie,
            "Held out. Header split left/right, red number under it, photo left and ghost portrait, title-case bilingual labels ('Cognome / Surname') in a condensed sans over geometric-sans values, dashed dates; back: barcode with the code under it, TD1 MRZ on the woven background.",
            false, CardW, CardH, CardCorner, ["front", "back"]) { Drawer = CieC.Draw, HeldOut = true },
        new("passport-c", DocumentTypes.Passport,
            "Held out. Title split left/right, photo left with the signature strip under it, ghost portrait top right, 'COGNOME · Surname' labels in italic serif, bold serif values, '05 MAR 1980' dates, moiré rings; facing page of visas.",
            false, 125, 88, 0, ["data_page", "facing_page"]) { Drawer = PassportC.Draw, HeldOut = true },
        new("licence-c", DocumentTypes.DrivingLicence,
            "Held out. Annex I numbering in a small purple sans before condensed bold values, 4a./4b. on one line, 9. under the photo, 7. beside it, peach-lilac hatching; back: categories table 9.-12. with pictograms, 13./14. on the right.",
            false, CardW, CardH, CardCorner, ["front", "back"]) { Drawer = LicenceC.Draw, HeldOut = true },
        new("paper-c", DocumentTypes.PaperId,
            "Held out. Blue-grey stapled booklet: Courier-like typed values with upper-case labels printed under dotted lines, number top right in red, 'VALIDA FINO AL' inside, photo at the right edge, the official's signature beside the holder's.",
            false, 210, 74, 1, ["outside", "inside"]) { Drawer = PaperIdC.Draw, HeldOut = true },
    ];
}
