using System.Globalization;
using VerifyPipeline.Cases.Forms;
using VerifyPipeline.Corpus;

namespace VerifyPipeline.Cli;

/// <summary>
/// <c>verify sample --out DIR --count N --seed S [--profile realistic|hard|fax] [--as-of YYYY-MM-DD] [--labels-only]
/// [--preview DIR [--preview-size PX]] [--key KEY]</c>: a synthetic labelled corpus of submissions (docs/corpus.md). Progress on stderr, a one-line JSON
/// summary on stdout. The QR codes are signed with <c>--key</c>, else <c>VERIFY_FORM_HMAC_KEY</c>, else the
/// development key (the corpus is test data: no warning).
/// </summary>
public static class SampleCommand
{
    public static int Run(string[] args)
    {
        string? outDir = null;
        int? count = null, seed = null;
        var profile = CorpusProfile.Realistic;
        var asOf = CorpusOptions.DefaultAsOf;
        var labelsOnly = false;
        var previewSize = CorpusGenerator.PreviewMaxPixels;
        string? key = null, preview = null;
        for (var i = 0; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : throw new UsageException($"option {args[i]} needs a value");
            switch (args[i])
            {
                case "--out": outDir = Value(); break;
                case "--count": count = Int(Value(), "--count", 1, 1_000_000); break;
                case "--seed": seed = Int(Value(), "--seed", int.MinValue, int.MaxValue); break;
                case "--profile":
                    var p = Value();
                    profile = p switch
                    {
                        "realistic" => CorpusProfile.Realistic,
                        "hard" => CorpusProfile.Hard,
                        "fax" => CorpusProfile.Fax,
                        _ => throw new UsageException($"--profile must be realistic, hard or fax, not '{p}'"),
                    };
                    break;
                case "--as-of":
                    var text = Value();
                    if (!DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out asOf))
                        throw new UsageException($"--as-of must be a date YYYY-MM-DD, not '{text}'");
                    break;
                case "--labels-only": labelsOnly = true; break;
                case "--preview": preview = Value(); break;
                case "--preview-size": previewSize = Int(Value(), "--preview-size", 100, 10_000); break;
                case "--key": key = Value(); break;
                default: throw new UsageException($"unexpected argument '{args[i]}' for sample");
            }
        }
        if (outDir is null) throw new UsageException("sample needs --out DIR");
        if (count is null) throw new UsageException("sample needs --count N");
        if (seed is null) throw new UsageException("sample needs --seed S");
        key ??= Environment.GetEnvironmentVariable(FormCommand.KeyVariable);
        if (string.IsNullOrEmpty(key)) key = FormQr.DevelopmentKey;

        var options = new CorpusOptions(count.Value, seed.Value, profile, asOf, key);
        var summary = CorpusGenerator.Generate(options, outDir, labelsOnly, Console.Error, previewDir: preview, previewMaxPixels: previewSize);
        Console.Out.WriteLine(System.Text.Json.JsonSerializer.Serialize(new
        {
            @out = outDir,
            count = summary.Count,
            files = summary.Files,
            bytes = summary.Bytes,
            seconds = Math.Round(summary.Elapsed.TotalSeconds, 2),
            decisions = summary.Decisions,
        }));
        return Commands.Ok;
    }

    private static int Int(string text, string option, int min, int max) =>
        int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) && v >= min && v <= max
            ? v : throw new UsageException($"{option} must be an integer from {min} to {max}, not '{text}'");
}
