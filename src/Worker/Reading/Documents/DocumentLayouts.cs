using VerifyPipeline.Cases.Forms;
using VerifyPipeline.Rules.Facts;

namespace VerifyPipeline.Worker.Reading.Documents;

/// <summary>What a located card or page is: an identity document's side, or a card that is not an identity document.</summary>
public enum SpecimenKind { CieFront, CieBack, PassportData, LicenceFront, LicenceBack, PaperIdInside, PaperIdOutside, HealthFront, HealthBack, IdentityFront, IdentityBack }

/// <summary>A field printed at a known place of a document side, in millimetres from the side's top-left corner.
/// <see cref="Format"/> says how the text is parsed: name, date (dd.MM.yyyy or dd/MM/yyyy), number, cf, sex, text.</summary>
public sealed record FieldZone(string Name, MmRect Rect, string Format);

/// <summary>
/// The layout of one side of a document type: its size, the fields a reader needs, where the holder signs and where the
/// MRZ is. These are the public descriptions of the documents (CIE: Ministero dell'Interno; licence: Directive
/// 2006/126/EC annex I field numbers; passport TD3: ICAO 9303-4) as printed by the generator; a real deployment would
/// take them from the PRADO specimens. Zones are generous (± 1 mm) because cards lie a little rotated.
/// </summary>
public sealed record DocumentLayout(
    SpecimenKind Specimen, DocumentKind? Kind, DocumentSide Side, double WidthMm, double HeightMm,
    IReadOnlyList<FieldZone> Fields, MmRect? Signature, MmRect? Mrz, string Title)
{
    public bool IsIdentityDocument => Kind is not null;
}

public static class DocumentLayouts
{
    public const double CardW = 85.6, CardH = 53.98, PassportW = 125, PassportH = 88, PaperIdW = 150, PaperIdH = 105;

    // Baselines of the generator's values sit at y; a line of capitals 2–3 mm high spans roughly [y − 2.6, y + 0.8].
    private static MmRect Line(double x, double baseline, double width, double size = 2.5) =>
        new(x - 0.8, baseline - size * 1.05 - 0.6, width + 1.6, size * 1.05 + 1.6);

    // The paper card's rows are underlined by a dotted rule 0.8 mm below the baseline (0.15 mm thick): inside the zone
    // it reads as a row of extra letters ("VALENTINI" → "VALERITI LI"), so these zones stop 0.45 mm below the baseline —
    // capitals have no descenders, and the rule stays out with the ± 0.25° and ± 0.15 mm the refinement leaves.
    private static MmRect Row(double x, double baseline, double width, double size) =>
        new(x - 0.8, baseline - size * 1.05 - 0.6, width + 1.6, size * 1.05 + 0.6 + 0.45);

    public static readonly IReadOnlyList<DocumentLayout> All =
    [
        new(SpecimenKind.CieFront, DocumentKind.Cie, DocumentSide.Front, CardW, CardH,
        [
            new("number", Line(66, 5.2, 18, 2.6), "number"),
            new("surname", Line(27, 22.4, 56), "name"),
            new("given_names", Line(27, 28.0, 56), "name"),
            new("birth", Line(27, 33.4, 56, 2), "text"),
            new("sex", Line(27, 38.6, 6, 2), "sex"),
            new("issue_date", Line(27, 43.8, 22, 2), "date"),
            new("expiry_date", Line(51, 43.8, 22, 2), "date"),
        ], new MmRect(3.5, 44.5, 32.5, 8.5), null, "CARTA DI IDENTITÀ"),
        new(SpecimenKind.CieBack, DocumentKind.Cie, DocumentSide.Back, CardW, CardH,
        [
            // Clear of its label, whose baseline (y 5) is 1.3 mm above the code's cap height; 2 mm of slack on the left,
            // where a side placed 1 mm off cut the first letter (M read as I). The reader keeps only the line's glyphs.
            new("codice_fiscale", new MmRect(1.2, 5.5, 46.5, 3.8), "cf"),
        ], null, new MmRect(0, CardH - 17.5, CardW, 17.5), "CARTA DI IDENTITÀ (retro)"),
        new(SpecimenKind.PassportData, DocumentKind.Passport, DocumentSide.Front, PassportW, PassportH,
        [
            new("number", Line(82, 20.2, 30, 3), "number"),
            new("surname", Line(40, 27.3, 80, 3), "name"),
            new("given_names", Line(40, 34.3, 80, 3), "name"),
            new("birth_date", Line(82, 41.2, 28, 2.6), "date"),
            new("sex", Line(40, 48.2, 6, 2.6), "sex"),
            new("issue_date", Line(40, 55.2, 28, 2.6), "date"),
            new("expiry_date", Line(40, 62.2, 28, 2.6), "date"),
        ], new MmRect(5, 58.5, 33, 9.5), new MmRect(0, PassportH - 14, PassportW, 14), "PASSAPORTO"),
        new(SpecimenKind.LicenceFront, DocumentKind.DrivingLicence, DocumentSide.Front, CardW, CardH,
        [
            new("surname", Line(31.5, 16.0, 52, 2.2), "name"),
            new("given_names", Line(31.5, 20.1, 52, 2.2), "name"),
            new("birth", Line(31.5, 24.2, 52, 2), "text"),
            new("issue_date", Line(31.5, 28.3, 22, 2), "date"),
            new("expiry_date", Line(31.5, 32.4, 22, 2), "date"),
            new("number", Line(31.5, 36.5, 30, 2.4), "number"),
        ], new MmRect(30, 39.6, 33, 7.5), null, "PATENTE DI GUIDA"),
        new(SpecimenKind.LicenceBack, DocumentKind.DrivingLicence, DocumentSide.Back, CardW, CardH, [], null, null, "PATENTE DI GUIDA (retro)"),
        new(SpecimenKind.PaperIdInside, DocumentKind.PaperId, DocumentSide.Front, PaperIdW, PaperIdH,
        [
            // "N. AS 1234567" centred on x 37.5 in 3 mm monospace (1.8 mm a character): the number's nine characters
            // start at 31.2 mm, clear of the "N." before them, which would otherwise become part of the number.
            new("number", Line(31, 24, 19.5, 3), "number"),
            new("surname", Row(30, 32, 42.5, 2.6), "name"),
            new("given_names", Row(30, 37.6, 42.5, 2.6), "name"),
            new("birth_date", Row(30, 43.2, 42.5, 2.6), "date"),
            // "<TOWN>, li dd/MM/yyyy" from x 108, as far as the card's edge: the date's place depends on the town's length.
            new("issue", Line(107.2, 86, 42, 2.3), "text"),
        ], new MmRect(85, 63, 55, 13), null, "CARTA D'IDENTITÀ (cartacea)"),
        new(SpecimenKind.PaperIdOutside, DocumentKind.PaperId, DocumentSide.Back, PaperIdW, PaperIdH,
        [
            new("expiry_date", Line(30, 76, 40, 2.8), "date"),
        ], null, null, "CARTA D'IDENTITÀ (cartacea, esterno)"),
        new(SpecimenKind.HealthFront, null, DocumentSide.Front, CardW, CardH, [], null, null, "TESSERA SANITARIA"),
        new(SpecimenKind.HealthBack, null, DocumentSide.Back, CardW, CardH, [], null, null, "TESSERA SANITARIA (retro)"),
    ];

    public static DocumentLayout Of(SpecimenKind kind) => All[(int)kind];
}
