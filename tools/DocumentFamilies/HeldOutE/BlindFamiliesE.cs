namespace VerifyPipeline.DocumentFamilies;

/// <summary>
/// One layout family per identity type written blind on 2026-12-03 — without opening the reader's code
/// (src/Worker/Reading, src/Worker/Documents) or docs/reading.md, and without running the reader on them (only
/// <c>verify families --render</c>, which draws) — after the reader had been tuned on the <c>-d</c> families. They are the
/// held-out set (<see cref="Families.HeldOut"/>): measure them, do not tune on their items.
/// </summary>
internal static class BlindFamiliesE
{
    private const double CardW = 85.6, CardH = 53.98, CardCorner = 3.18;

    public static IReadOnlyList<Family> All { get; } =
    [
        new("cie-e", DocumentTypes.Cie,
            "Held out (blind, drawn 2026-12-03). Navy header band with the title in light type and the number in pale gold, photo left with the signature under it, values printed above small-capital Italian · English labels ('Cognome · Surname', 'Luogo e data di nascita · Place and date of birth', 'Valida fino al · Valid until'), ISO dates '1964-11-07', contour lines; back: Code 128 top left with the codice fiscale under it, residence right, navy strip, TD1 MRZ on a pale band.",
            false, CardW, CardH, CardCorner, ["front", "back"]) { Drawer = CieE.Draw, HeldOut = true },
        new("passport-e", DocumentTypes.Passport,
            "Held out (blind, drawn 2026-12-03). Dark petrol panel down the left with 'PASSAPORTO', the photo and type/code/number in light type, unnumbered 'Cognome (Surname)' labels in a humanist sans over bold serif values, '07/NOV/1964' dates, signature on the data page, Lissajous knot and halftone, MRZ on a white band under a petrol rule; facing page: the number perforated.",
            false, 125, 88, 0, ["data_page", "facing_page"]) { Drawer = PassportE.Draw, HeldOut = true },
        new("licence-e", DocumentTypes.DrivingLicence,
            "Held out (blind, drawn 2026-12-03). Aubergine top band with the EU emblem and the letter-spaced title in light type, photo left with 7. under it, field numbers on small dark tabs, upper-case values, '07 nov 1964' dates, 5. in dark red; back: the categories table transposed (categories across in two tiers, rows 9./10./11.), 12.-14. under it.",
            false, CardW, CardH, CardCorner, ["front", "back"]) { Drawer = LicenceE.Draw, HeldOut = true },
        new("paper-e", DocumentTypes.PaperId,
            "Held out (blind, drawn 2026-12-03). Pale sage booklet with a chevron watermark: values struck by a dot-matrix printer left, labels right-aligned on the right in an italic serif ('Luogo e data di nascita', 'Residenza', 'Via'), '07.XI.1964' dates, 'Rilasciata il' / 'Valevole fino al' inside, photo at the right edge under a rectangular blue stamp; cover with the star in a lettered ring and the number in dark green in a box.",
            false, 210, 74, 1, ["outside", "inside"]) { Drawer = PaperIdE.Draw, HeldOut = true },
    ];
}
