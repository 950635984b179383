namespace VerifyPipeline.DocumentFamilies;

/// <summary>
/// One layout family per identity type written blind on 2026-12-02 — without opening the reader's code
/// (src/Worker/Reading, src/Worker/Documents) and without running the reader on them — after the reader had been tuned
/// on the <c>-c</c> families. Held out and measured once in session 4; the reader was tuned on them in session 5
/// (their failures looked at item by item), so they now count as tuned and a new blind set (<c>-e</c>) is needed.
/// </summary>
internal static class BlindFamiliesD
{
    private const double CardW = 85.6, CardH = 53.98, CardCorner = 3.18;

    public static IReadOnlyList<Family> All { get; } =
    [
        new("cie-d", DocumentTypes.Cie,
            "Tuned (blind, held out until session 5). Title left with a trilingual subtitle, number top right beside a small EU emblem, photo right with a line-screened ghost under it, lower-case trilingual labels ('cognome / surname / nom') in a light condensed sans, '07 11 1964' dates, sunburst; back: codice fiscale over its Code 128, TD1 MRZ on a pale wave plate.",
            false, CardW, CardH, CardCorner, ["front", "back"]) { Drawer = CieD.Draw },
        new("passport-d", DocumentTypes.Passport,
            "Tuned (blind, held out until session 5). 'PASSAPORTO' top left, state top right, photo right with a ghost at its lower left, '(1) Cognome / Surname / Nom' bracket-numbered italic serif labels, '07 NOV/NOV 1964' dates, line-relief plate, MRZ on a light wave pattern; the holder's signature (10) on the facing page.",
            false, 125, 88, 0, ["data_page", "facing_page"]) { Drawer = PassportD.Draw },
        new("licence-d", DocumentTypes.DrivingLicence,
            "Tuned (blind, held out until session 5). Mixed-case title and values ('Bellandi', 'Roma (RM)') after bare numbers 1.-9., field 8. printed, photo right with 9. under it, 7. with the signature bottom left, '07.11.64' dates, spirographs; back: categories table split into two blocks side by side.",
            false, CardW, CardH, CardCorner, ["front", "back"]) { Drawer = LicenceD.Draw },
        new("paper-d", DocumentTypes.PaperId,
            "Tuned (blind, held out until session 5). Aged buff booklet: old-style serif labels ('Data di nascita', 'Comune di residenza'), values typed askew on a worn ribbon (or handwritten in one in four), dates in words ('7 NOVEMBRE 1964'), violet machine-numbered cover, photo with a dry seal, 'Data di scadenza' inside.",
            false, 210, 74, 1, ["outside", "inside"]) { Drawer = PaperIdD.Draw },
    ];
}
