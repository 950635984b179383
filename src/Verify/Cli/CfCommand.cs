using VerifyPipeline.Cases;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using VerifyPipeline.Rules.Identity;

namespace VerifyPipeline.Cli;

/// <summary>
/// <c>verify cf CODE [--as-of YYYY-MM-DD]</c> (DESIGN.md contract): the decoded codice fiscale as JSON; exit 0 whether the
/// code is valid or not, 2 for usage errors. The two-digit year is resolved against --as-of (default: today).
/// </summary>
public static class CfCommand
{
    internal static readonly JsonSerializerOptions Json = new(WireJson.Indented) { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    internal sealed record Report(
        bool Valid, string Normalized, bool Omocodia, string? Canonical, DateOnly? BirthDate, string? Sex,
        string? PlaceCode, string? PlaceName, string? PlaceProvince, bool CheckCharOk, string? ExpectedCheckChar,
        IReadOnlyList<CfError> Errors);

    public static int Run(string[] args)
    {
        var (positional, asOf) = ParseArgs(args, "cf");
        if (positional.Count == 0) throw new UsageException("cf needs a CODE");
        var r = CodiceFiscale.Parse(string.Join(' ', positional), asOf, CadastralPlaces.Embedded);
        var report = new Report(r.Valid, r.Normalized, r.Omocodia, r.Canonical, r.BirthDate, r.Sex?.ToString(),
            r.PlaceCode, r.Place?.Name, r.Place?.Province, r.CheckCharOk, r.ExpectedCheckChar?.ToString(), r.Errors);
        Console.Out.WriteLine(JsonSerializer.Serialize(report, Json));
        return Commands.Ok;
    }

    /// <summary>Positional arguments and --as-of (default today); any other option is a usage error.</summary>
    internal static (List<string> Positional, DateOnly AsOf) ParseArgs(string[] args, string command, Func<string, Func<string>, bool>? option = null)
    {
        var positional = new List<string>();
        DateOnly? asOf = null;
        for (var i = 0; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : throw new UsageException($"option {args[i]} needs a value");
            var a = args[i];
            if (a == "--as-of")
            {
                var text = Value();
                asOf = DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)
                    ? d : throw new UsageException($"--as-of must be a date YYYY-MM-DD, not '{text}'");
            }
            else if (option is not null && option(a, Value)) { }
            else if (a.StartsWith("--", StringComparison.Ordinal)) throw new UsageException($"unknown option '{a}' for {command}");
            else positional.Add(a);
        }
        return (positional, asOf ?? DateOnly.FromDateTime(DateTime.Today));
    }
}
