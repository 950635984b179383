using System.Text.Json;
using VerifyPipeline.Rules.Identity;

namespace VerifyPipeline.Worker.Cli;

/// <summary>
/// <c>verify mrz --text "L1\nL2[\nL3]" [--correct] [--as-of YYYY-MM-DD]</c> (DESIGN.md contract): the parsed zone as JSON;
/// the two characters backslash-n separate lines, as real newlines do. --correct first applies the check-digit-guided
/// OCR repair and lists what it changed. Exit 0 whether the zone is valid or not, 2 for usage errors.
/// </summary>
public static class MrzCommand
{
    internal sealed record Check(string Field, bool Ok, string Expected, string Found);

    internal sealed record Report(
        bool Valid, string Format, IReadOnlyDictionary<string, string> Fields, IReadOnlyList<Check> Checks,
        IReadOnlyList<string> Errors, string? CorrectedText, IReadOnlyList<MrzChange>? Corrections, IReadOnlyList<string>? CorrectionNotes);

    public static int Run(string[] args)
    {
        string? text = null;
        var correct = false;
        var (positional, asOf) = CfCommand.ParseArgs(args, "mrz", (a, value) =>
        {
            switch (a)
            {
                case "--text": text = value(); return true;
                case "--correct": correct = true; return true;
                case "--image": throw new UsageException("mrz --image: reading the MRZ from an image is not built yet; pass the zone with --text");
                default: return false;
            }
        });
        if (positional.Count > 0) throw new UsageException($"unexpected argument '{positional[0]}' for mrz");
        if (text is null) throw new UsageException("mrz needs --text \"L1\\nL2[\\nL3]\"");

        MrzCorrection? correction = correct ? Mrz.TryCorrect(text, asOf) : null;
        var r = correction?.Result ?? Mrz.Parse(text, asOf);
        var report = new Report(r.Valid, r.Format, r.Fields,
            [.. r.Checks.Select(c => new Check(c.Field, c.Ok, c.Expected.ToString(), c.Found.ToString()))], r.Errors,
            correction?.Text, correction?.Changes, correction?.Notes);
        Console.Out.WriteLine(JsonSerializer.Serialize(report, CfCommand.Json));
        return Commands.Ok;
    }
}
