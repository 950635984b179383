using System.Globalization;
using System.Text;
using System.Text.Json;
using VerifyPipeline.Rules.Identity;

namespace VerifyPipeline.Rules.Tests.Identity;

/// <summary>
/// Every row of shared/testdata/real/04_codice_fiscale/codice_fiscale_vectors.tsv. Expected verdict: the source's
/// (source_valid; "partial" decoding is not a valid code), or the collector's recomputation where the source asserts
/// none. Rows where we differ from the source are in <see cref="Departures"/> / <see cref="FieldDepartures"/>.
/// </summary>
public sealed class CodiceFiscaleVectorTests
{
    private static readonly DateOnly AsOf = new(2026, 1, 15);
    private const string VectorFile = "testdata/real/04_codice_fiscale/codice_fiscale_vectors.tsv";

    public static readonly IReadOnlyDictionary<int, (bool Valid, string Reason)> Departures = new Dictionary<int, (bool, string)>
    {
        [20] = (false, "python-codicefiscale strips dashes; a dash is not a character of a codice fiscale and our normalisation removes white space only (upper-case, trim, spaces)"),
        [31] = (true, "python-codicefiscale rejects D354 as no municipality ever; our table (ISTAT 2020) lacks abolished municipalities, so an unknown code is 'not in the table', not invalid (shared/domain/data/README.md)"),
        [213] = (true, "Marketto rejects it because D620 did not exist on 1999-03-06; we hold no validity periods for municipalities, so the place/date consistency cannot be judged from the code"),
    };

    public static readonly IReadOnlyDictionary<(int Id, string Key), string> FieldDepartures = new Dictionary<(int, string), string>
    {
        [(49, "birthdate")] = "born 1907: the two-digit year 07 resolves to 2007 (latest century not after the reference date); python-codicefiscale knows Gallico was abolished before 2007, we have no such dates",
        [(48, "province")] = "province in 1942 (NA); our table holds the 2020 province (CE)",
        [(50, "province")] = "province CA before 2016; our table holds the 2020 province (SU, Sud Sardegna)",
    };

    /// <summary>Places the sources name that the 2020 table does not hold (abolished or historical), with what they were.</summary>
    public static readonly IReadOnlyDictionary<string, string> PlacesNotInTable = new Dictionary<string, string>
    {
        ["A558"] = "Porretta Terme, merged into Alto Reno Terme in 2016",
        ["Z105"] = "Cecoslovacchia (historical state)",
        ["Z111"] = "Repubblica Democratica Tedesca (historical state)",
        ["Z118"] = "Jugoslavia (historical state)",
        ["Z135"] = "Unione Repubbliche Socialiste Sovietiche (historical state)",
        ["Z157"] = "Serbia e Montenegro (historical state)",
        ["Z201"] = "Federazione dell'Arabia Meridionale (historical state)",
        ["Z202"] = "Protettorato dell'Arabia Meridionale (historical state)",
        ["Z250"] = "Yemen del Sud (historical state)",
        ["D877"] = "Gallico, merged into Reggio Calabria in 1927",
        ["A031"] = "Acquacanina, merged into Fiastra in 2017",
        ["D620"] = "not in ISTAT 2020: a municipality abolished before 2020 (Marketto's table gives it an end date before 1999)",
        ["I560"] = "not in ISTAT 2020: a municipality abolished before 2020",
    };

    /// <summary>Invalid rows: the error codes the result must carry.</summary>
    private static readonly Dictionary<int, string[]> ExpectedErrors = new()
    {
        [20] = [CfError.Length, CfError.BadChar], [21] = [CfError.Length], [22] = [CfError.BadCheckChar], [23] = [CfError.Length],
        [24] = [CfError.Length], [25] = [CfError.Length], [26] = [CfError.BadChar, CfError.BadMonth], [27] = [CfError.BadChar],
        [28] = [CfError.BadChar], [29] = [CfError.BadMonth], [30] = [CfError.BadDay, CfError.BadCheckChar], [54] = [CfError.BadCheckChar],
        [184] = [CfError.Length], [185] = [CfError.Length], [186] = [CfError.BadCheckChar], [198] = [CfError.BadChar],
        [202] = [CfError.BadChar], [212] = [CfError.BadCheckChar], [214] = [CfError.BadNamePart, CfError.BadCheckChar],
        [215] = [CfError.Empty], [220] = [CfError.Length, CfError.BadChar], [221] = [CfError.BadCheckChar],
        [223] = [CfError.BadCheckChar], [224] = [CfError.BadCheckChar], [225] = [CfError.BadDay], [226] = [CfError.Length, CfError.BadChar],
    };

    public static TheoryData<int> VectorIds() => [.. SharedTestData.ReadTsv(VectorFile).Select(r => int.Parse(r["id"]))];

    private static readonly Lazy<IReadOnlyList<IReadOnlyDictionary<string, string>>> Rows = new(() => SharedTestData.ReadTsv(VectorFile));

    [Theory]
    [MemberData(nameof(VectorIds))]
    public void Parse_GivesTheExpectedVerdictAndFields_ForRealVector(int id)
    {
        var row = Rows.Value.Single(r => r["id"] == id.ToString(CultureInfo.InvariantCulture));
        var code = row["code"];
        var result = CodiceFiscale.Parse(code, AsOf, CadastralPlaces.Embedded);

        var expected = Departures.TryGetValue(id, out var d) ? d.Valid : ExpectedValidity(row);
        Assert.True(expected == result.Valid, $"vector {id} '{code}': expected valid={expected}; errors: {string.Join("; ", result.Errors)}");
        if (!result.Valid)
        {
            Assert.True(ExpectedErrors.TryGetValue(id, out var codes), $"vector {id}: no expected errors listed; got {string.Join("; ", result.Errors)}");
            foreach (var c in codes) Assert.Contains(result.Errors, e => e.Code == c);
        }
        else
        {
            Assert.Empty(result.Errors);
            if (row["collector_deomocoded_code"] is { Length: > 0 } canonical) Assert.Equal(canonical, result.Canonical);
            Assert.Equal(row["collector_decoded"].Contains("omocode=yes"), result.Omocodia);
            Assert.True(CodiceFiscale.EqualModuloOmocodia(code, result.Canonical));
            if (result.Place is null)
                Assert.True(PlacesNotInTable.ContainsKey(result.PlaceCode!) || Departures.ContainsKey(id), $"vector {id}: place {result.PlaceCode} not in the table");
        }

        // Rows whose validity the source does not assert restate inputs of a pattern test, not decoded data; only the
        // transform they assert (deomocoded) is compared.
        if (row["source_valid"] == "") { AssertDeomocoded(row, result); return; }
        if (string.IsNullOrWhiteSpace(row["expected_fields_json"]) || !result.Valid) return;
        AssertFields(id, row, result);
    }

    private static void AssertDeomocoded(IReadOnlyDictionary<string, string> row, CodiceFiscaleResult result)
    {
        if (row["expected_fields_json"].Length == 0) return;
        using var doc = JsonDocument.Parse(row["expected_fields_json"]);
        if (doc.RootElement.TryGetProperty("deomocoded", out var de)) Assert.Equal(de.GetString(), result.Canonical);
    }

    private static bool ExpectedValidity(IReadOnlyDictionary<string, string> row) => row["source_valid"] switch
    {
        "true" => true,
        "false" or "partial" => false,
        _ => row["collector_format_ok"] == "true" && row["collector_checkchar_ok"] == "true",
    };

    private static void AssertFields(int id, IReadOnlyDictionary<string, string> row, CodiceFiscaleResult r)
    {
        using var doc = JsonDocument.Parse(row["expected_fields_json"]);
        var f = doc.RootElement.EnumerateObject().ToDictionary(p => p.Name, p => p.Value);
        string? S(string key) => f.TryGetValue(key, out var v) && v.ValueKind != JsonValueKind.Null ? v.ToString() : null;
        bool Skip(string key) => FieldDepartures.ContainsKey((id, key));

        if (S("gender") is { } g) Assert.Equal(g[0], r.Sex);
        foreach (var key in new[] { "birthdate", "birthday" })
            if (S(key) is { } bd && !Skip(key))
                Assert.Equal(ParseDate(bd), r.BirthDate);
        if (S("year") is { } y) Assert.Equal(int.Parse(y), r.BirthDate!.Value.Year);
        if (S("month") is { } m) Assert.Equal(int.Parse(m), r.BirthDate!.Value.Month);
        if (S("month0") is { } m0) Assert.Equal(int.Parse(m0) + 1, r.BirthDate!.Value.Month);
        if (S("day") is { } dd) Assert.Equal(int.Parse(dd), r.BirthDate!.Value.Day);
        foreach (var key in new[] { "code", "birthplace_code" })
            if (S(key) is { } pc) Assert.Equal(pc, r.PlaceCode);
        foreach (var key in new[] { "birthplace", "place" })
            if (S(key) is { } place && r.Place is not null && !(place.Length == 4 && place == r.PlaceCode))
                Assert.Equal(PlaceKey(place), PlaceKey(r.Place.Name));
        foreach (var key in new[] { "province", "birthplaceProvincia" })
            if (S(key) is { } prov && !Skip(key) && r.Place is not null)
                Assert.Equal(prov, r.Place.Province);
        if (S("is_omocode") is { } omo) Assert.Equal(bool.Parse(omo), r.Omocodia);
        if (S("omocodes_count") is { } count) Assert.Equal(int.Parse(count), CodiceFiscale.OmocodiaVariants(r.Normalized).Distinct().Count());
        if (S("omocodeId") is { } oid) Assert.Equal(int.Parse(oid), IndexOf(CodiceFiscale.OmocodiaVariants(r.Normalized), r.Normalized));
        if (S("deomocoded") is { } de) Assert.Equal(de, r.Canonical);

        // Inputs the source encodes into this code: Compute must give the same code.
        var names = S("encoded_from_lastname|firstname")?.Split('|')
            ?? (S("lastname") is { } ln && S("firstname") is { } fn ? new[] { ln, fn } : null)
            ?? (S("surname") is { } sn && S("name") is { } nm ? new[] { sn, nm } : null);
        if (names is not null)
            Assert.Equal(r.Canonical, CodiceFiscale.Compute(names[0], names[1], r.BirthDate!.Value, r.Sex!.Value, r.PlaceCode!));
    }

    private static int IndexOf(IReadOnlyList<string> list, string item)
    {
        for (var i = 0; i < list.Count; i++) if (list[i] == item) return i;
        return -1;
    }

    private static DateOnly ParseDate(string s) =>
        DateOnly.ParseExact(s, ["dd/MM/yyyy", "yyyy-MM-dd"], CultureInfo.InvariantCulture);

    /// <summary>"Roma (RM)", "NAPOLI", "Paternò" → comparable keys: no province suffix, no accents, upper case.</summary>
    private static string PlaceKey(string name)
    {
        var cut = name.IndexOf(" (", StringComparison.Ordinal);
        var s = (cut > 0 ? name[..cut] : name).Normalize(NormalizationForm.FormD);
        return new string(s.Where(c => CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark).ToArray()).ToUpperInvariant();
    }
}
