using System.Globalization;
using System.Text;
using VerifyPipeline.Rules.Identity;

namespace VerifyPipeline.Corpus;

/// <summary>A synthetic person. <see cref="CodiceFiscale"/> is the code this person actually holds — an omocodia variant
/// of <see cref="CanonicalCodiceFiscale"/> for a few people, as the Agenzia assigns them. <see cref="HandSeed"/> fixes the
/// shape of the person's signature.</summary>
public sealed record Person(
    string Id, string Surname, string GivenNames, char Sex, DateOnly BirthDate,
    string BirthPlaceCode, string BirthPlaceName, string BirthProvince,
    string CodiceFiscale, string CanonicalCodiceFiscale, int OmocodiaIndex,
    string Residence, int HeightCm, int HandSeed)
{
    /// <summary>"Roma (RM)" for a municipality, the state's name for a foreign birth place — as the form prints it.</summary>
    public string BirthPlaceDisplay => BirthProvince == "EE" ? BirthPlaceName : $"{BirthPlaceName} ({BirthProvince})";

    /// <summary>The town of residence (after the CAP in <see cref="Residence"/>).</summary>
    public string Town => Residence[(Residence.LastIndexOf(", ", StringComparison.Ordinal) + 8)..];

    public string Email => $"{Ascii(GivenNames.Split(' ')[0])}.{Ascii(Surname)}@example.it".ToLowerInvariant();

    internal static string Ascii(string s)
    {
        var sb = new StringBuilder();
        foreach (var c in s.Normalize(NormalizationForm.FormD))
            if (char.IsAsciiLetterOrDigit(c)) sb.Append(c);
        return sb.ToString();
    }
}

/// <summary>Draws synthetic Italian people: names with apostrophes, accents and double surnames, birth places that are
/// real cadastral codes (checked against <see cref="CadastralPlaces.Embedded"/>), a correct codice fiscale from
/// <see cref="CodiceFiscale.Compute"/>, and now and then an omocodia variant of it.</summary>
public static class People
{
    private static readonly string[] Surnames =
    [
        "Rossi", "Russo", "Ferrari", "Esposito", "Bianchi", "Romano", "Colombo", "Ricci", "Marino", "Greco", "Bruno",
        "Gallo", "Conti", "De Luca", "Mancini", "Costa", "Giordano", "Rizzo", "Lombardi", "Moretti", "Barbieri",
        "Fontana", "Santoro", "Mariani", "Rinaldi", "Caruso", "Ferrara", "Galli", "Martini", "Leone", "Longo",
        "Gentile", "Martinelli", "Vitale", "Lombardo", "Serra", "Coppola", "De Santis", "D'Angelo", "Marchetti",
        "Parisi", "Villa", "Conte", "Ferraro", "Ferri", "Fabbri", "Bianco", "Marini", "Grasso", "Valentini",
        "D'Amico", "Dell'Acqua", "Lo Russo", "Di Pietro", "La Rosa", "Dall'Olio", "Nicolò", "Fiorè", "Mazzà",
        "Cocò", "Sciarrà", "Rossi Bianchi", "Esposito Ferraro", "De Rosa Conti", "Xu", "Fo", "Dell'Orto",
        "Zanotti", "Quaglia", "Pellegrini", "Cattaneo", "D'Alessandro", "Sanna", "Piras", "Melis", "Brambilla",
    ];

    private static readonly string[] MaleNames =
    [
        "Marco", "Giuseppe", "Luca", "Francesco", "Alessandro", "Andrea", "Matteo", "Lorenzo", "Davide", "Stefano",
        "Niccolò", "Nicolò", "Mattia", "Gabriele", "Riccardo", "Tommaso", "Pier Luigi", "Gian Marco", "Giovanni Battista",
        "Elia", "Fabrizio", "Salvatore", "Antonio", "Domenico", "Raffaele", "Gioele", "Jacopo", "Emanuele", "Ugo", "Ivo",
    ];

    private static readonly string[] FemaleNames =
    [
        "Maria", "Giulia", "Francesca", "Sara", "Chiara", "Martina", "Alessandra", "Elena", "Valentina", "Federica",
        "Anna Maria", "Maria Grazia", "Noemi", "Aurora", "Beatrice", "Ludovica", "Rosalìa", "Zoe", "Irene", "Ilaria",
        "Maria Lucia", "Agnese", "Elisa", "Anna", "Carlotta", "Gaia", "Ginevra", "Bianca", "Licia", "Ada",
    ];

    /// <summary>Cadastral codes drawn as birth places (~85 % Italian municipalities, the rest foreign states).</summary>
    private static readonly string[] ItalianPlaces =
    [
        "H501", "F205", "F839", "L219", "G273", "D612", "A944", "L736", "D969", "A662", "C351", "L424", "H224",
        "B354", "E506", "G478", "L781", "G224", "A271", "L049", "A029", "A051", "A129", "A137", "A157", "A215",
        "A266", "A324",
    ];

    private static readonly string[] ForeignPlaces = ["Z100", "Z110", "Z112", "Z129", "Z133", "Z330", "Z404", "Z602"];

    private static readonly string[] Streets =
    [
        "Via Roma", "Via Garibaldi", "Corso Italia", "Via Mazzini", "Piazza della Repubblica", "Via Dante Alighieri",
        "Viale dei Mille", "Via San Francesco d'Assisi", "Via XX Settembre", "Via Cavour", "Largo Augusto",
    ];

    /// <summary>A new person, born between 18 and 85 years before <paramref name="asOf"/>.</summary>
    public static Person Create(Random rng, string id, DateOnly asOf, double omocodiaChance, string? surname = null, char? sex = null)
    {
        var s = sex ?? (rng.Next(2) == 0 ? 'M' : 'F');
        var drawn = Surnames[rng.Next(Surnames.Length)];
        surname ??= drawn;
        var given = s == 'M' ? MaleNames[rng.Next(MaleNames.Length)] : FemaleNames[rng.Next(FemaleNames.Length)];
        var birth = asOf.AddYears(-18).AddDays(-rng.Next(67 * 365));
        var code = rng.NextDouble() < 0.85 ? ItalianPlaces[rng.Next(ItalianPlaces.Length)] : ForeignPlaces[rng.Next(ForeignPlaces.Length)];
        var place = CadastralPlaces.Embedded.Find(code)
            ?? throw new InvalidOperationException($"cadastral code {code} is not in the embedded table");
        var canonical = CodiceFiscale.Compute(surname, given, birth, s, code);
        // Omocodia: the Agenzia substitutes from the right, so the variants in use are 1, 3, 7 (OmocodiaVariants' order).
        var omocodia = rng.NextDouble() < omocodiaChance ? new[] { 1, 1, 1, 3, 7 }[rng.Next(5)] : 0;
        var cf = omocodia == 0 ? canonical : CodiceFiscale.OmocodiaVariants(canonical)[omocodia];
        var town = place.Province == "EE" ? ItalianTown(rng) : place.Name;
        var residence = string.Create(CultureInfo.InvariantCulture,
            $"{Streets[rng.Next(Streets.Length)]} {rng.Next(1, 180)}, {rng.Next(10, 98)}{rng.Next(100, 999)} {town}");
        return new Person(id, surname, given, s, birth, place.Code, place.Name, place.Province, cf, canonical, omocodia,
            residence, s == 'M' ? rng.Next(165, 192) : rng.Next(152, 180), rng.Next());
    }

    private static string ItalianTown(Random rng) => CadastralPlaces.Embedded.Find(ItalianPlaces[rng.Next(ItalianPlaces.Length)])!.Name;
}
