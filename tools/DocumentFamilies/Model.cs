using System.Globalization;
using System.Text.Json.Serialization;
using SkiaSharp;
using VerifyPipeline.Rules.Identity;

namespace VerifyPipeline.DocumentFamilies;

/// <summary>The document type codes of the API (DESIGN.md), plus the health card, which is not an identity document
/// and is drawn only as a distractor.</summary>
public static class DocumentTypes
{
    public const string Cie = "cie", Passport = "passport", DrivingLicence = "driving_licence", PaperId = "paper_id",
        HealthCard = "health_card";

    public static IReadOnlyList<string> All { get; } = [Cie, Passport, DrivingLicence, PaperId, HealthCard];
}

/// <summary>An invented person. <see cref="PlaceCode"/> is the cadastral code of the birth place (H501 Roma).</summary>
public sealed record Person(
    string Surname, string GivenNames, DateOnly BirthDate, char Sex, string BirthPlace, string BirthProvince,
    string PlaceCode, string Comune, string Address, int HeightCm)
{
    public string CodiceFiscale => VerifyPipeline.Rules.Identity.CodiceFiscale.Compute(Surname, GivenNames, BirthDate, Sex, PlaceCode);
}

/// <summary>Synthetic people only (house style 12): names are drawn from short invented lists, never from any register.</summary>
public static class People
{
    private static readonly string[] Surnames =
    [
        "Bellandi", "Ferraresi", "Cantoni", "Marzotti", "Pelosini", "Rinaldelli", "Zuccaro", "Albertazzi", "D'Ambrosio",
        "Lo Verde", "Sgarbossa", "Tornabuoni", "Quaranta", "Vitellozzi", "Nicoletti", "Ghirardelli", "De Santis", "Orsatti",
    ];

    private static readonly string[] Male = ["Marco", "Giuseppe Antonio", "Luca", "Niccolò", "Andrea", "Davide", "Salvatore", "Pietro Paolo", "Emanuele"];
    private static readonly string[] Female = ["Giulia", "Maria Grazia", "Chiara", "Federica", "Anna Lisa", "Beatrice", "Noemi", "Rosaria", "Elena"];

    private static readonly (string Place, string Province, string Code)[] Places =
    [
        ("Roma", "RM", "H501"), ("Milano", "MI", "F205"), ("Napoli", "NA", "F839"), ("Torino", "TO", "L219"),
        ("Bologna", "BO", "A944"), ("Firenze", "FI", "D612"), ("Palermo", "PA", "G273"), ("Bari", "BA", "A662"),
        ("Genova", "GE", "D969"), ("Venezia", "VE", "L736"),
    ];

    private static readonly string[] Streets = ["Via Roma", "Via Garibaldi", "Corso Italia", "Via dei Mille", "Piazza Verdi", "Viale Europa", "Via Mazzini"];

    /// <summary>The same seed always gives the same person.</summary>
    public static Person Make(int seed)
    {
        var rng = new Random(seed);
        var sex = rng.Next(2) == 0 ? 'M' : 'F';
        var given = sex == 'M' ? Male[rng.Next(Male.Length)] : Female[rng.Next(Female.Length)];
        var surname = Surnames[rng.Next(Surnames.Length)];
        var birth = new DateOnly(1950, 1, 1).AddDays(rng.Next(0, 365 * 55));
        var born = Places[rng.Next(Places.Length)];
        var lives = Places[rng.Next(Places.Length)];
        var address = $"{Streets[rng.Next(Streets.Length)]} {rng.Next(1, 180)}, {lives.Place} ({lives.Province})";
        return new Person(surname, given, birth, sex, born.Place, born.Province, born.Code, lives.Place, address,
            rng.Next(sex == 'M' ? 165 : 152, sex == 'M' ? 196 : 182));
    }
}

/// <summary>
/// What a reader should find on a drawn document. <see cref="CodiceFiscale"/> is the holder's code whether or not the
/// document prints it: <see cref="Printed"/> names the fields that are actually printed (a passport and a licence do not
/// print the codice fiscale). <see cref="Mrz"/> is empty when the document has no machine readable zone. Dates are ISO.
/// </summary>
public sealed record DocumentFields(
    [property: JsonPropertyName("surname")] string Surname,
    [property: JsonPropertyName("given_names")] string GivenNames,
    [property: JsonPropertyName("birth_date")] DateOnly BirthDate,
    [property: JsonPropertyName("sex")] string Sex,
    [property: JsonPropertyName("codice_fiscale")] string CodiceFiscale,
    [property: JsonPropertyName("document_number")] string DocumentNumber,
    [property: JsonPropertyName("issue_date")] DateOnly IssueDate,
    [property: JsonPropertyName("expiry_date")] DateOnly ExpiryDate,
    [property: JsonPropertyName("issued_by")] string IssuedBy,
    [property: JsonPropertyName("mrz")] IReadOnlyList<string> Mrz,
    [property: JsonPropertyName("printed")] IReadOnlyList<string> Printed);

/// <summary>One drawn side (or booklet page pair) at <see cref="PxPerMm"/>, opaque, with the corner radius of the
/// physical object so a capture can cut it out.</summary>
public sealed class DrawnSide(string name, SKBitmap bitmap, double pxPerMm, double widthMm, double heightMm, double cornerRadiusMm) : IDisposable
{
    public string Name { get; } = name;
    public SKBitmap Bitmap { get; } = bitmap;
    public double PxPerMm { get; } = pxPerMm;
    public double WidthMm { get; } = widthMm;
    public double HeightMm { get; } = heightMm;
    public double CornerRadiusMm { get; } = cornerRadiusMm;

    public byte[] EncodePng()
    {
        using var data = Bitmap.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }

    public void Dispose() => Bitmap.Dispose();
}

/// <summary>A drawn document: its family, its sides in a fixed order (front first) and its truth.</summary>
public sealed class DrawnDocument(Family family, DocumentFields fields, IReadOnlyList<DrawnSide> sides) : IDisposable
{
    public Family Family { get; } = family;
    public DocumentFields Fields { get; } = fields;
    public IReadOnlyList<DrawnSide> Sides { get; } = sides;

    public DrawnSide Side(string name) => Sides.First(s => s.Name == name);

    public void Dispose()
    {
        foreach (var s in Sides) s.Dispose();
    }
}

/// <summary>A layout family. <see cref="FollowsRealLayout"/> marks the one per type drawn after the public description
/// of the real document; the others share only its information.</summary>
public sealed record Family(
    string Id, string DocumentType, string Description, bool FollowsRealLayout, double WidthMm, double HeightMm,
    double CornerRadiusMm, IReadOnlyList<string> SideNames)
{
    [JsonIgnore] internal Action<Sketch, string>? Drawer { get; init; }

    /// <summary>Drawn after the reader was tuned, never looked at item by item: the reader's figures on it are held-out
    /// figures (<see cref="Families.HeldOut"/>).</summary>
    [JsonPropertyName("held_out")] public bool HeldOut { get; init; }
}

internal static class Dates
{
    private static readonly string[] MonthsIt = ["GEN", "FEB", "MAR", "APR", "MAG", "GIU", "LUG", "AGO", "SET", "OTT", "NOV", "DIC"];
    private static readonly string[] MonthsEn = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];

    public static string Dots(DateOnly d) => d.ToString("dd.MM.yyyy", CultureInfo.InvariantCulture);
    public static string Slashes(DateOnly d) => d.ToString("dd/MM/yyyy", CultureInfo.InvariantCulture);
    public static string ShortSlashes(DateOnly d) => d.ToString("dd/MM/yy", CultureInfo.InvariantCulture);
    public static string Bilingual(DateOnly d) => $"{d.Day:00} {MonthsIt[d.Month - 1]}/{MonthsEn[d.Month - 1]} {d.Year}";
    public static string English(DateOnly d) => $"{d.Day:00} {MonthsEn[d.Month - 1]} {d.Year}";
}
