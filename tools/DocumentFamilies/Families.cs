using SkiaSharp;

namespace VerifyPipeline.DocumentFamilies;

/// <summary>
/// The layout families and the one entry point that draws a document. Everything is deterministic by seed: the same
/// family, person and seed give the same pixels.
/// </summary>
public static partial class Families
{
    /// <summary>Resolution of the drawn sides: 12 px/mm (≈ 305 dpi), above what every capture samples down to.</summary>
    public const double PxPerMm = 12;

    /// <summary>Every family. Each later set (the <c>-c</c>, the <c>-d</c>, then the held-out <c>-e</c>) is appended
    /// after the others, so adding it shifted no seed of <see cref="WriteSamples"/> for the families before it.</summary>
    public static IReadOnlyList<Family> All { get; } =
        [.. CieFamilies.All, .. PassportFamilies.All, .. LicenceFamilies.All, .. PaperIdFamilies.All, .. HealthCardFamilies.All,
         .. HeldOutFamilies.All, .. BlindFamiliesD.All, .. BlindFamiliesE.All];

    /// <summary>The families the reader has been tuned on (their failures were looked at): every one but the held out.</summary>
    public static IReadOnlyList<Family> Tuned { get; } = [.. All.Where(f => !f.HeldOut)];

    /// <summary>One family per identity type that the reader was never tuned on (<see cref="Family.HeldOut"/>): the
    /// <c>-e</c> families, drawn blind on 2026-12-03 after the reader had been tuned on the <c>-c</c> and <c>-d</c> ones
    /// (tools/DocumentFamilies/README.md).</summary>
    public static IReadOnlyList<Family> HeldOut { get; } = [.. All.Where(f => f.HeldOut)];

    public static Family Get(string id) =>
        All.FirstOrDefault(f => f.Id == id) ?? throw new ArgumentException($"no family '{id}'; known: {string.Join(", ", All.Select(f => f.Id))}", nameof(id));

    public static IEnumerable<Family> OfType(string documentType) => All.Where(f => f.DocumentType == documentType);

    /// <summary>
    /// Draws every side of <paramref name="family"/> for <paramref name="person"/>. The document number and dates come
    /// from <paramref name="seed"/> unless given; by default the document is issued 2018–2025 and not expired before 2028.
    /// </summary>
    public static DrawnDocument Draw(Family family, Person person, int seed, DateOnly? issueDate = null, DateOnly? expiryDate = null)
    {
        ArgumentNullException.ThrowIfNull(family);
        ArgumentNullException.ThrowIfNull(person);
        var drawer = family.Drawer ?? throw new ArgumentException($"family '{family.Id}' is not one of Families.All", nameof(family));
        var rng = new Random(seed);
        var fields = Truth(family.DocumentType, person, rng, issueDate, expiryDate);
        var personSeed = PersonSeed(person);
        var sides = new List<DrawnSide>();
        foreach (var name in family.SideNames)
        {
            var w = (int)Math.Round(family.WidthMm * PxPerMm);
            var h = (int)Math.Round(family.HeightMm * PxPerMm);
            var bitmap = new SKBitmap(new SKImageInfo(w, h, SKColorType.Rgba8888, SKAlphaType.Premul));
            using (var canvas = new SKCanvas(bitmap))
            {
                canvas.Clear(SKColors.White);
                canvas.Scale((float)PxPerMm);
                // Each side gets its own random stream so adding a side never shifts the jitter of another.
                var sideRng = new Random(seed * 31 + (int)Signatures.Fnv(name));
                var sketch = new Sketch(canvas, sideRng, person, fields, family.WidthMm, family.HeightMm, personSeed);
                drawer(sketch, name);
            }
            sides.Add(new DrawnSide(name, bitmap, PxPerMm, family.WidthMm, family.HeightMm, family.CornerRadiusMm));
        }
        return new DrawnDocument(family, fields, sides);
    }

    /// <summary>The truth <see cref="Draw"/> would print for these arguments, without drawing.</summary>
    public static DocumentFields Describe(Family family, Person person, int seed, DateOnly? issueDate = null, DateOnly? expiryDate = null)
    {
        ArgumentNullException.ThrowIfNull(family);
        ArgumentNullException.ThrowIfNull(person);
        return Truth(family.DocumentType, person, new Random(seed), issueDate, expiryDate);
    }

    /// <summary>The seed of the person's signature shape: the same on the form and on every document of theirs.</summary>
    internal static int PersonSeed(Person p) => (int)Signatures.Fnv($"{p.Surname}|{p.GivenNames}|{p.BirthDate:O}");

    private static DocumentFields Truth(string type, Person p, Random rng, DateOnly? issue, DateOnly? expiry)
    {
        char L() => (char)('A' + rng.Next(26));
        string D(int n) => string.Concat(Enumerable.Range(0, n).Select(_ => (char)('0' + rng.Next(10))));
        var issued = issue ?? new DateOnly(2018, 1, 1).AddDays(rng.Next(0, 365 * 7 + 180));
        var cf = p.CodiceFiscale;
        var sex = p.Sex.ToString();
        return type switch
        {
            DocumentTypes.Cie => Make($"C{(char)('A' + rng.Next(4))}{D(5)}{L()}{L()}", OnBirthday(issued, 10), $"COMUNE DI {p.Comune.ToUpperInvariant()}",
                (n, e) => MrzText.Td1("CI", n, p.BirthDate, p.Sex, e, p.Surname, p.GivenNames),
                ["surname", "given_names", "birth_date", "sex", "codice_fiscale", "document_number", "issue_date", "expiry_date", "issued_by", "mrz"]),
            DocumentTypes.Passport => Make($"Y{(char)('A' + rng.Next(8))}{D(7)}", issued.AddYears(10).AddDays(-1), $"QUESTURA DI {p.Comune.ToUpperInvariant()}",
                (n, e) => MrzText.Td3(n, p.BirthDate, p.Sex, e, p.Surname, p.GivenNames),
                ["surname", "given_names", "birth_date", "sex", "document_number", "issue_date", "expiry_date", "issued_by", "mrz"]),
            DocumentTypes.DrivingLicence => Make($"U1{L()}{L()}{L()}{D(4)}{L()}", OnBirthday(issued, 10), "MIT-UCO", null,
                ["surname", "given_names", "birth_date", "document_number", "issue_date", "expiry_date", "issued_by"]),
            DocumentTypes.PaperId => Make($"A{(char)('R' + rng.Next(6))}{D(7)}", OnBirthday(issued, 10), $"COMUNE DI {p.Comune.ToUpperInvariant()}", null,
                ["surname", "given_names", "birth_date", "document_number", "issue_date", "expiry_date", "issued_by"]),
            DocumentTypes.HealthCard => Make($"80380{D(15)}", issued.AddYears(6), "MINISTERO DELL'ECONOMIA E DELLE FINANZE", null,
                ["surname", "given_names", "birth_date", "sex", "codice_fiscale", "document_number", "expiry_date"]),
            _ => throw new ArgumentException($"unknown document type '{type}'", nameof(type)),
        };

        DocumentFields Make(string number, DateOnly defaultExpiry, string issuedBy, Func<string, DateOnly, IReadOnlyList<string>>? mrz, string[] printed)
        {
            var exp = expiry ?? defaultExpiry;
            return new DocumentFields(p.Surname.ToUpperInvariant(), p.GivenNames.ToUpperInvariant(), p.BirthDate, sex, cf, number,
                issued, exp, issuedBy, mrz?.Invoke(number, exp) ?? [], printed);
        }

        // Italian identity documents and licences expire on the holder's birthday (DL 5/2012 art. 7).
        DateOnly OnBirthday(DateOnly from, int years)
        {
            var y = from.Year + years;
            var day = Math.Min(p.BirthDate.Day, DateTime.DaysInMonth(y, p.BirthDate.Month));
            return new DateOnly(y, p.BirthDate.Month, day);
        }
    }
}
