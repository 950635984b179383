using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace VerifyPipeline.Cases;

/// <summary>The one set of JSON options of the wire: the reports (DESIGN.md's `check` report shape) the pipeline stores
/// with a case, `verify check/eval/bench` print and the review UI reads; the HTTP API (<see cref="Configure"/>); the case
/// store's JSON columns; the callbacks and the PIN service's HTTP calls. snake_case names, enums by their snake_case names
/// unless a member names itself (<c>JsonStringEnumMemberName</c>: a contract's spelling, e.g. a verdict's), nulls written
/// (DESIGN.md shows <c>"mrz": null</c>), text not escaped beyond JSON's own rules (Italian accents and apostrophes stay
/// readable: no <c>\u0027</c>). Reading is case-insensitive for names and enum values, so rows written before the store
/// used these options (enums as <c>Pdf</c>, <c>Portal</c>) still read.</summary>
public static class WireJson
{
    public static readonly JsonSerializerOptions Options = Configure(new JsonSerializerOptions(JsonSerializerDefaults.Web));

    /// <summary>Gives options the wire's settings: for the options a framework owns (ASP.NET Core's
    /// <c>ConfigureHttpJsonOptions</c>), so that the HTTP API writes exactly as the reports and the store do.</summary>
    public static JsonSerializerOptions Configure(JsonSerializerOptions o)
    {
        o.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
        o.PropertyNameCaseInsensitive = true;
        o.NumberHandling = JsonNumberHandling.AllowReadingFromString;
        o.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower));
        o.Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping;
        o.DefaultIgnoreCondition = JsonIgnoreCondition.Never;
        return o;
    }

    /// <summary><see cref="Options"/>, indented for a person reading a terminal.</summary>
    public static readonly JsonSerializerOptions Indented = new(Options) { WriteIndented = true };
}
