using SkiaSharp;
using static VerifyPipeline.DocumentFamilies.Sketch;

namespace VerifyPipeline.DocumentFamilies;

/// <summary>Tessera sanitaria (TS-CNS): not an identity document. It carries the codice fiscale, a chip and on the back
/// the European health insurance card, so a reader that takes it for an identity document is caught.</summary>
internal static class HealthCardFamilies
{
    public static IReadOnlyList<Family> All { get; } =
    [
        new("health-card-a", DocumentTypes.HealthCard,
            "Distractor: blue 'TESSERA SANITARIA' band, codice fiscale with barcode, chip; EHIC fields 3-9 on the back.",
            false, 85.6, 53.98, 3.18, ["front", "back"]) { Drawer = Draw },
    ];

    private static void Draw(Sketch s, string side)
    {
        var p = s.Person; var f = s.Fields;
        s.Gradient(Rgb(0xF4F7FB), Rgb(0xDDE8F4));
        s.Guilloche(Rgb(0xCFDDEB), 12, 3, 40, 0.1);
        var st = new Style(Faces.Sans, s.Z(1.3), Rgb(0x29507A), Faces.SansBold, s.Z(2.0), Rgb(0x111111));
        if (side == "front")
        {
            s.Band(0, 0, s.W, 8, Rgb(0x2A5C9A));
            s.Text("TESSERA SANITARIA", s.J(4), s.J(5.6, 0.3), Faces.SansBold, s.Z(3.0), SKColors.White);
            s.Text("Ministero dell'Economia e delle Finanze", s.J(4), s.J(10.8), Faces.SansItalic, 1.4f, st.LabelColor);
            s.Frame(s.W - 15, 11, 11, 8.5f, Rgb(0x8A6A20), 0.2f, 1.2f);
            s.Band(s.W - 14.6f, 11.4f, 10.2f, 7.7f, Rgb(0xD9B45A));
            s.Field(4, 12.5f, "Codice fiscale", f.CodiceFiscale, LabelAt.Above, st with { ValueMm = s.Z(2.6) });
            s.Barcode(f.CodiceFiscale, s.J(4), s.J(19.5, 0.3), 48, 5, SKColors.Black);
            var y = 26.5f;
            y = s.Field(4, y, "Cognome", f.Surname, LabelAt.Left, st with { LabelColumnMm = 17 }, 76);
            y = s.Field(4, y, "Nome", f.GivenNames, LabelAt.Left, st with { LabelColumnMm = 17 }, 76);
            y = s.Field(4, y, "Luogo di nascita", p.BirthPlace.ToUpperInvariant(), LabelAt.Left, st with { LabelColumnMm = 17 }, 50);
            s.Field(56, y - 3.2f, "Provincia", p.BirthProvince, LabelAt.Inline, st);
            y = s.Field(4, y, "Data di nascita", Dates.Slashes(f.BirthDate), LabelAt.Left, st with { LabelColumnMm = 17 }, 50);
            s.Field(56, y - 3.2f, "Sesso", f.Sex, LabelAt.Inline, st);
            s.Field(4, y, "Data di scadenza", Dates.Slashes(f.ExpiryDate), LabelAt.Left, st with { LabelColumnMm = 17 }, 50);
        }
        else
        {
            s.EuFlag(s.J(3), s.J(3), 11, 8, "IT");
            s.Text("TESSERA EUROPEA DI", s.J(17), s.J(6), Faces.SansBold, 2.0f, Rgb(0x1D3C66));
            s.Text("ASSICURAZIONE MALATTIA", s.J(17), s.J(9), Faces.SansBold, 2.0f, Rgb(0x1D3C66));
            var y = 14f;
            y = s.Field(4, y, "3. Cognome", f.Surname, LabelAt.Above, st, 76);
            y = s.Field(4, y, "4. Nome", f.GivenNames, LabelAt.Above, st, 76);
            s.Field(4, y, "5. Data di nascita", Dates.Slashes(f.BirthDate), LabelAt.Above, st);
            y = s.Field(34, y, "6. Numero di identificazione personale", f.CodiceFiscale, LabelAt.Above, st);
            y = s.Field(4, y, "7. Numero di identificazione dell'istituzione", "SSN-MIN SALUTE", LabelAt.Above, st);
            s.Field(4, y, "8. Numero di identificazione della tessera", f.DocumentNumber, LabelAt.Above, st with { ValueFace = Faces.Mono });
            s.Field(58, y, "9. Scadenza", Dates.Slashes(f.ExpiryDate), LabelAt.Above, st);
        }
    }
}
