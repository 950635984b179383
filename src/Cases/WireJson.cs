using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace VerifyPipeline.Cases;

/// <summary>The JSON of the reports (DESIGN.md's `check` report shape): the one the pipeline stores with a case, the one
/// `verify check/eval/bench` print, the one the review UI reads. snake_case names, enums by their snake_case names, nulls
/// written (DESIGN.md shows <c>"mrz": null</c>), text not escaped beyond JSON's own rules (Italian accents and
/// apostrophes stay readable: no <c>\u0027</c>). The case store's own columns keep their serializer (stored rows).</summary>
public static class WireJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary><see cref="Options"/>, indented for a person reading a terminal.</summary>
    public static readonly JsonSerializerOptions Indented = new(Options) { WriteIndented = true };
}
