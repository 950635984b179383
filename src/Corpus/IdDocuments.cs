using System.Globalization;
using System.Text;
using VerifyPipeline.Rules.Identity;

namespace VerifyPipeline.Corpus;

/// <summary>Document kinds of the corpus. The first four are the types of the API (<c>cie|passport|driving_licence|paper_id</c>);
/// <see cref="HealthCard"/> is a real card that is not an identity document (ID_TYPE_NOT_ACCEPTED).</summary>
public enum DocKind { Cie, Passport, DrivingLicence, PaperId, HealthCard }

public enum SignatureKind { Genuine, RandomForgery, SkilledForgery }

/// <summary>Who wrote a signature and whose shape it has. Genuine: writer = shape owner. Random forgery: the writer's own
/// hand. Skilled forgery: the writer imitating the owner's shape. <see cref="VariationSeed"/> makes each repetition
/// differ a little, as real signatures do.</summary>
public sealed record SignatureSpec(string ShapeOf, string WrittenBy, SignatureKind Kind, int VariationSeed);

/// <summary>The ground truth of one identity document. <see cref="Mrz"/> holds the MRZ lines exactly as printed (null for
/// documents without one). <see cref="Signature"/> is null when no signature is visible on it.</summary>
public sealed record IdDocument(
    DocKind Kind, Person Holder, string Number, DateOnly IssueDate, DateOnly ExpiryDate, string IssuedBy,
    IReadOnlyList<string>? Mrz, SignatureSpec? Signature)
{
    public bool HasSides => Kind != DocKind.Passport;

    /// <summary>The API's type code; <c>null</c> for a document the API has no code for.</summary>
    public string? ApiType => Kind switch
    {
        DocKind.Cie => "cie",
        DocKind.Passport => "passport",
        DocKind.DrivingLicence => "driving_licence",
        DocKind.PaperId => "paper_id",
        _ => null,
    };
}

/// <summary>Document numbers, validity and MRZ as the public descriptions give them (shared/domain/README.md).</summary>
public static class IdDocuments
{
    private const string Letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";

    /// <summary>Regulation (EU) 2019/1157 art. 5(2)(a): identity cards without a functional MRZ ceased to be valid on this day.</summary>
    public static readonly DateOnly PaperIdNotValidAfter = new(2026, 8, 3);

    public static IdDocument Create(Random rng, DocKind kind, Person holder, DateOnly asOf, bool expired, SignatureSpec? signature)
    {
        // Issue date: for a valid document, so that it is still valid on asOf; for an expired one, long enough ago.
        var (years, onBirthday) = kind switch
        {
            DocKind.Cie => (AgeOn(holder.BirthDate, asOf) < 18 ? 5 : 10, true),
            DocKind.Passport => (10, false),
            DocKind.DrivingLicence => (10, true),
            DocKind.PaperId => (10, true),
            _ => (6, false),
        };
        DateOnly issue, expiry;
        var tries = 0;
        do
        {
            issue = expired
                ? asOf.AddDays(-(years * 365 + 30 + rng.Next(4 * 365)))
                : asOf.AddDays(-rng.Next(30, years * 365 - 60));
            if (issue < holder.BirthDate.AddYears(16)) issue = holder.BirthDate.AddYears(16).AddDays(rng.Next(200));
            expiry = onBirthday ? NextBirthday(holder.BirthDate, issue.AddYears(years)) : issue.AddYears(years).AddDays(-1);
        } while (++tries < 20 && (expired ? expiry >= asOf : expiry < asOf));
        if (expired && expiry >= asOf) expiry = asOf.AddDays(-rng.Next(1, 400));
        if (!expired && expiry < asOf) expiry = asOf.AddDays(rng.Next(30, 2000));

        var number = Number(rng, kind);
        var issuedBy = kind switch
        {
            DocKind.Cie or DocKind.PaperId => "Comune di " + holder.Town,
            DocKind.Passport => "Questura di " + holder.Town,
            DocKind.DrivingLicence => "MIT-UCO",
            _ => "Agenzia delle Entrate",
        };
        IReadOnlyList<string>? mrz = kind switch
        {
            DocKind.Cie => Td1("CI", number, holder, expiry),
            DocKind.Passport => Td3(number, holder, expiry),
            _ => null,
        };
        return new IdDocument(kind, holder, number, issue, expiry, issuedBy, mrz, signature);
    }

    /// <summary>A document number of the kind's format: CIE <c>CA00000AA</c>, passport <c>YA1234567</c>, patente
    /// letter + A|V + 7 digits + letter, paper card <c>AX1234567</c> (printed with a space), health card 20 digits.</summary>
    public static string Number(Random rng, DocKind kind)
    {
        string D(int n) { var sb = new StringBuilder(); for (var i = 0; i < n; i++) sb.Append((char)('0' + rng.Next(10))); return sb.ToString(); }
        char L() => Letters[rng.Next(26)];
        return kind switch
        {
            DocKind.Cie => $"C{"ABCDE"[rng.Next(5)]}{D(5)}{L()}{L()}",
            DocKind.Passport => $"Y{"ABC"[rng.Next(3)]}{D(7)}",
            DocKind.DrivingLicence => $"{"UABT"[rng.Next(4)]}{(rng.Next(2) == 0 ? 'A' : 'V')}{D(7)}{L()}",
            DocKind.PaperId => $"A{"SUXY"[rng.Next(4)]}{D(7)}",
            _ => "80380" + D(15),
        };
    }

    /// <summary>A plausible wrong number for the form: one character changed, or two swapped (a typing slip).</summary>
    public static string Mistype(Random rng, string number)
    {
        var c = number.ToCharArray();
        var i = rng.Next(2, c.Length - 1);
        if (rng.Next(2) == 0 && c[i] != c[i - 1]) (c[i], c[i - 1]) = (c[i - 1], c[i]);
        else c[i] = char.IsAsciiDigit(c[i]) ? (char)('0' + (c[i] - '0' + 1 + rng.Next(8)) % 10) : Letters[(c[i] - 'A' + 1 + rng.Next(24)) % 26];
        return new string(c);
    }

    public static int AgeOn(DateOnly birth, DateOnly day) =>
        day.Year - birth.Year - (day < new DateOnly(day.Year, birth.Month, Math.Min(birth.Day, DateTime.DaysInMonth(day.Year, birth.Month))) ? 1 : 0);

    private static DateOnly NextBirthday(DateOnly birth, DateOnly from)
    {
        var d = new DateOnly(from.Year, birth.Month, Math.Min(birth.Day, DateTime.DaysInMonth(from.Year, birth.Month)));
        return d >= from ? d : d.AddYears(1);
    }

    // ---------- MRZ (ICAO 9303) ----------

    /// <summary>ICAO 9303-3 §4.6 transliteration for the MRZ: accents dropped, apostrophes omitted, spaces and hyphens
    /// become a filler.</summary>
    public static string MrzName(string s)
    {
        var sb = new StringBuilder();
        foreach (var ch in s.Normalize(NormalizationForm.FormD).ToUpperInvariant())
        {
            if (ch is >= 'A' and <= 'Z') sb.Append(ch);
            else if (ch is ' ' or '-') sb.Append('<');
        }
        return sb.ToString();
    }

    private static string NameField(Person p, int width)
    {
        var s = MrzName(p.Surname) + "<<" + MrzName(p.GivenNames);
        return s.Length > width ? s[..width] : s.PadRight(width, '<');
    }

    private static string Yymmdd(DateOnly d) => d.ToString("yyMMdd", CultureInfo.InvariantCulture);

    /// <summary>TD1 (ICAO 9303-5): 3 lines of 30; check digits on number, birth, expiry and the composite.</summary>
    public static IReadOnlyList<string> Td1(string code, string number, Person p, DateOnly expiry)
    {
        var num = number.PadRight(9, '<');
        var l1 = (code.PadRight(2, '<') + "ITA" + num + Mrz.CheckDigit(num)).PadRight(30, '<');
        var birth = Yymmdd(p.BirthDate);
        var exp = Yymmdd(expiry);
        var l2 = birth + Mrz.CheckDigit(birth) + p.Sex + exp + Mrz.CheckDigit(exp) + "ITA" + new string('<', 11);
        var composite = l1[5..30] + l2[0..7] + l2[8..15] + l2[18..29];
        l2 += Mrz.CheckDigit(composite);
        return [l1, l2, NameField(p, 30)];
    }

    /// <summary>TD3 (ICAO 9303-4): 2 lines of 44; the personal number is empty, its check digit 0 (9303-4 allows 0 or '&lt;').</summary>
    public static IReadOnlyList<string> Td3(string number, Person p, DateOnly expiry)
    {
        var l1 = ("P<ITA" + NameField(p, 39)).PadRight(44, '<');
        var num = number.PadRight(9, '<');
        var birth = Yymmdd(p.BirthDate);
        var exp = Yymmdd(expiry);
        var personal = new string('<', 14);
        var l2 = num + Mrz.CheckDigit(num) + "ITA" + birth + Mrz.CheckDigit(birth) + p.Sex + exp + Mrz.CheckDigit(exp)
                 + personal + Mrz.CheckDigit(personal);
        var composite = l2[0..10] + l2[13..20] + l2[21..43];
        l2 += Mrz.CheckDigit(composite);
        return [l1, l2];
    }
}
