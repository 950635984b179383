using System.Text.Json;
using System.Text.RegularExpressions;
using VerifyPipeline.Rules.Identity;

namespace VerifyPipeline.Rules.Tests.Identity;

/// <summary>
/// Every row of shared/testdata/real/03_mrz/mrz_vectors.tsv and mrz_checkdigit_vectors.tsv. The expected verdict is the
/// source test's (source_valid), or the collector's ICAO recomputation where the source asserts none; the rows where we
/// follow ICAO 9303 instead of the source are listed in <see cref="Departures"/> with the reason.
/// </summary>
public sealed partial class MrzVectorTests
{
    private static readonly DateOnly AsOf = new(2026, 1, 15);
    private const string VectorFile = "testdata/real/03_mrz/mrz_vectors.tsv";

    /// <summary>Vector id → (the verdict we give, why it differs from what the source asserts).</summary>
    public static readonly IReadOnlyDictionary<int, (bool Valid, string Reason)> Departures = new Dictionary<int, (bool, string)>
    {
        [3] = (false, "French driving licence (1×30): a national layout, not ICAO 9303; reported as UNKNOWN format"),
        [5] = (false, "French national identity card 1988-2021 (2×36 'IDFRA'): a national layout, not ICAO TD2; read as TD2 its check digits fail"),
        [6] = (false, "French national identity card 1988-2021: national layout, not ICAO TD2 (as vector 5)"),
        [9] = (false, "Swiss driving licence (9+30+30): a national layout, not ICAO 9303; reported as UNKNOWN format"),
        [18] = (true, "cheminfo rejects the issuing state UTO, but UTO (Utopia) is ICAO 9303's own specimen state and every check digit agrees; state codes are not part of MRZ validity"),
        [19] = (true, "UTO specimen state (see 18); all check digits agree"),
        [20] = (true, "UTO specimen state (see 18); all check digits agree (ICAO 9303-11 D.2 long document number D23145890734)"),
        [23] = (false, "Belgian BEL-BO-03003 computes the long document number's check digit with the filler at position 15 included ('000590240<601' → 3); ICAO 9303-5 §4.2.2 and the 9303-11 worked example compute it over the document number alone ('000590240601' → 1), so the document number check fails"),
        [26] = (true, "UTO specimen state (see 18); all check digits agree"),
        [28] = (true, "UTO specimen state (see 18); all check digits agree"),
        [44] = (true, "Arg0s1080 fails it only because check_expiry=True and the visa expired in 1996; expiry against the request date is the ID_EXPIRED rule's business, not MRZ validity"),
        [47] = (true, "Arg0s1080 fails it only because BOS is not an ISO 3166 code; all check digits agree and state codes are not part of MRZ validity"),
    };

    /// <summary>National (non-ICAO) layouts: their field names and positions are not ICAO's, so fields are not compared.</summary>
    private static readonly HashSet<int> NationalLayouts = [3, 4, 5, 6, 7, 8, 9, 10, 11];

    /// <summary>OCR rows whose clean reference is a national (non-ICAO) layout or whose text cannot be cut to a zone.</summary>
    public static readonly IReadOnlyDictionary<int, string> CorrectionNotApplicable = new Dictionary<int, string>
    {
        [4] = "French driving licence: not an ICAO layout (see 3)",
        [8] = "French national identity card: not an ICAO layout (see 5)",
        [11] = "Swiss driving licence: not an ICAO layout (see 9)",
        [42] = "PassportEye asserts only its cleaner's intermediate output, whose first line still has 54 characters ('…extrachars'); no run of lines fits 2×44, and we do not guess where to cut",
    };

    /// <summary>Field-level differences in representation, not in verdict.</summary>
    public static readonly IReadOnlyDictionary<(int Id, string Key), string> FieldDepartures = new Dictionary<(int, string), string>
    {
        [(13, "optional1")] = "cheminfo keeps the long document number's overflow ('ZZ92') in optional data 1; per ICAO 9303-5 §4.2.2 those characters are the document number and its check digit, so optional_data_1 is ''",
        [(14, "optional1")] = "overflow of the long document number, not optional data (see 13)",
        [(15, "optional1")] = "overflow of the long document number, not optional data (see 13)",
        [(16, "optional1")] = "overflow of the long document number, not optional data (see 13)",
        [(23, "optional1")] = "overflow of the long document number, not optional data (see 13)",
    };

    public static TheoryData<int> VectorIds() => [.. SharedTestData.ReadTsv(VectorFile).Select(r => int.Parse(r["id"]))];

    private static IReadOnlyDictionary<string, string> Row(int id) =>
        SharedTestData.ReadTsv(VectorFile).Single(r => r["id"] == id.ToString());

    [Theory]
    [MemberData(nameof(VectorIds))]
    public void Parse_GivesTheExpectedVerdictAndFields_ForRealVector(int id)
    {
        var row = Row(id);
        var result = Mrz.Parse(row["mrz_text"], AsOf);

        if (row["input_kind"] == "ocr_noisy")
        {
            Assert.False(result.Valid, "raw OCR text must not pass before correction");
            return; // the corrected form is checked by TryCorrect_RepairsOcrVector
        }

        var expected = Departures.TryGetValue(id, out var dep) ? dep.Valid : ExpectedValidity(row);
        Assert.True(expected == result.Valid,
            $"vector {id}: expected valid={expected}, got {result.Valid} ({result.Format}); errors: {string.Join("; ", result.Errors)}");
        if (row["input_kind"] == "malformed") Assert.Equal(Mrz.Unknown, result.Format);

        if (!NationalLayouts.Contains(id))
            AssertFields(id, row["expected_fields_json"], result);
    }

    public static TheoryData<int> OcrVectorIds() =>
        [.. SharedTestData.ReadTsv(VectorFile).Where(r => r["input_kind"] == "ocr_noisy").Select(r => int.Parse(r["id"]))];

    [Theory]
    [MemberData(nameof(OcrVectorIds))]
    public void TryCorrect_RepairsOcrVector_ToTheSourcesCleanReference(int id)
    {
        var row = Row(id);
        var corrected = Mrz.TryCorrect(row["mrz_text"], AsOf);
        if (CorrectionNotApplicable.ContainsKey(id))
        {
            Assert.False(corrected.Result.Valid);
            return;
        }
        Assert.True(corrected.Result.Valid, $"vector {id}: {string.Join("; ", corrected.Result.Errors)}\n{corrected.Text}");
        Assert.NotEmpty(corrected.Changes);
        var reference = CleanReference().Match(row["source_assertion"]);
        if (reference.Success)
            Assert.Equal(reference.Groups[1].Value.Replace("\\n", "\n"), corrected.Text);
        AssertFields(id, row["expected_fields_json"], corrected.Result);
    }

    public static TheoryData<string, char, bool, char> CheckDigitVectors()
    {
        var data = new TheoryData<string, char, bool, char>();
        foreach (var r in SharedTestData.ReadTsv("testdata/real/03_mrz/mrz_checkdigit_vectors.tsv"))
            data.Add(r["input"], r["check_digit"][0], r["source_says_valid"].StartsWith("true"), r["collector_computed_digit"][0]);
        return data;
    }

    [Theory]
    [MemberData(nameof(CheckDigitVectors))]
    public void CheckDigit_AgreesWithSourceAndCollector_ForRealVector(string input, char checkDigit, bool sourceSaysValid, char collectorDigit)
    {
        var digit = Mrz.CheckDigit(input);
        Assert.Equal(collectorDigit, digit);
        Assert.Equal(sourceSaysValid, digit == checkDigit);
    }

    private static bool ExpectedValidity(IReadOnlyDictionary<string, string> row)
    {
        if (row["input_kind"] == "malformed") return false;
        var source = row["source_valid"];
        if (source.StartsWith("true")) return true;
        if (source.StartsWith("false")) return false;
        Assert.True(row["collector_icao_checkdigits_ok"] is "true" || row["collector_icao_checkdigits_ok"].StartsWith("false"),
            $"vector {row["id"]}: neither the source nor the collector gives a verdict");
        return row["collector_icao_checkdigits_ok"] == "true";
    }

    private static readonly Dictionary<string, string> FieldOfKey = new()
    {
        ["documentCode"] = "document_code", ["type"] = "document_code", ["document_type"] = "document_code", ["DocumentType"] = "document_code",
        ["issuingState"] = "issuing_state", ["country"] = "issuing_state", ["CountryCode"] = "issuing_state",
        ["documentNumber"] = "document_number", ["number"] = "document_number", ["document_number"] = "document_number", ["DocumentNumber"] = "document_number",
        ["nationality"] = "nationality", ["Nationality"] = "nationality",
        ["birthDate"] = "birth_date", ["date_of_birth"] = "birth_date", ["birth_date"] = "birth_date", ["BirthDate"] = "birth_date", ["dateOfBirth"] = "birth_date",
        ["expirationDate"] = "expiry_date", ["expiration_date"] = "expiry_date", ["expiry_date"] = "expiry_date", ["ExpiryDate"] = "expiry_date", ["dateOfExpiry"] = "expiry_date",
        ["sex"] = "sex", ["gender"] = "sex", ["Sex"] = "sex",
        ["lastName"] = "surname", ["surname"] = "surname",
        ["firstName"] = "given_names", ["names"] = "given_names", ["name"] = "given_names",
        ["personalNumber"] = "personal_number", ["personal_number"] = "personal_number",
        ["optional1"] = "optional_data_1", ["OptionalData1"] = "optional_data_1",
        ["optional2"] = "optional_data_2", ["OptionalData2"] = "optional_data_2", ["optional_data_2"] = "optional_data_2",
    };

    private static readonly Dictionary<string, string> CheckOfKey = new()
    {
        ["documentNumberCheckDigit"] = "document_number", ["check_number"] = "document_number", ["document_number_hash"] = "document_number", ["DocumentNumberCheckDigit"] = "document_number",
        ["birthDateCheckDigit"] = "birth_date", ["check_date_of_birth"] = "birth_date", ["birth_date_hash"] = "birth_date", ["BirthDateCheckDigit"] = "birth_date",
        ["expirationDateCheckDigit"] = "expiry_date", ["check_expiration_date"] = "expiry_date", ["expiry_date_hash"] = "expiry_date", ["ExpiryDateCheckDigit"] = "expiry_date",
        ["personalNumberCheckDigit"] = "personal_number", ["check_personal_number"] = "personal_number",
        ["compositeCheckDigit"] = "composite", ["check_composite"] = "composite", ["final_hash"] = "composite", ["OverallCheckDigit"] = "composite",
    };

    /// <summary>Keys that describe something other than the zone's content (generator inputs, the source's own labels).</summary>
    private static readonly HashSet<string> IgnoredKeys = ["surname_input", "name_input"];

    private static void AssertFields(int id, string json, MrzResult result)
    {
        if (string.IsNullOrWhiteSpace(json)) return;
        if (result.Format == Mrz.Unknown) Assert.Empty(result.Fields);
        using var doc = JsonDocument.Parse(json);
        foreach (var p in doc.RootElement.EnumerateObject())
        {
            if (p.Value.ValueKind == JsonValueKind.Null || IgnoredKeys.Contains(p.Name) || FieldDepartures.ContainsKey((id, p.Name))) continue;
            var expected = Regex.Replace(p.Value.ToString(), @"\s*\(from .*\)$", "");
            if (p.Name is "mrz_type" or "version" or "Type")
            {
                Assert.Equal(expected.ToUpperInvariant(), result.Format);
                continue;
            }
            if (p.Name == "Names")
            {
                Assert.Equal(expected, $"{result.Fields["surname"]}, {result.Fields["given_names"]}");
                continue;
            }
            if (p.Name is "optional_data" or "optionalData" or "OptionalData" or "optional")
            {
                var field = result.Format switch { Mrz.Td1 => "optional_data_1", Mrz.Td3 => "personal_number", _ => "optional_data" };
                Assert.Equal(Filler(expected), result.Fields[field]);
                continue;
            }
            if (CheckOfKey.TryGetValue(p.Name, out var check))
            {
                Assert.Equal(expected[0], result.Checks.Single(c => c.Field == check).Found);
                continue;
            }
            Assert.True(FieldOfKey.TryGetValue(p.Name, out var name), $"vector {id}: unmapped key '{p.Name}'");
            var actual = result.Fields[name];
            switch (name)
            {
                case "sex":
                    Assert.Equal(expected[..1].ToUpperInvariant(), actual);
                    break;
                case "birth_date" or "expiry_date" when expected.Length == 6:
                    Assert.Equal(expected, actual.Length == 0 ? "" : DateOnly.Parse(actual).ToString("yyMMdd"));
                    break;
                default:
                    Assert.True(Filler(expected) == actual, $"vector {id}: {p.Name}: expected '{Filler(expected)}', got '{actual}'");
                    break;
            }
        }
    }

    private static string Filler(string s) => string.Join(' ', s.Split(['<', ' '], StringSplitOptions.RemoveEmptyEntries));

    [GeneratedRegex(@"clean reference: (\S+)")]
    private static partial Regex CleanReference();
}
