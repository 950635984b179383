using System.Text.Json;
using VerifyPipeline.Rules.Identity;
using VerifyPipeline.Worker.Reading.Mrz;

namespace VerifyPipeline.Cli;

/// <summary>
/// <c>verify mrz --text "L1\nL2[\nL3]" [--correct] [--as-of YYYY-MM-DD]</c> (DESIGN.md contract): the parsed zone as JSON;
/// the two characters backslash-n separate lines, as real newlines do. --correct first applies the check-digit-guided
/// OCR repair and lists what it changed. Exit 0 whether the zone is valid or not, 2 for usage errors.
/// <c>verify mrz --image FILE</c> finds and reads the zone in a page or card image (<see cref="MrzImageReader"/>), always
/// with the check-digit-guided repair, and adds <c>found</c>, the <c>lines</c> as read (before repair) and <c>seconds</c>;
/// exit 3 when the file cannot be decoded as an image.
/// </summary>
public static class MrzCommand
{
    internal sealed record Check(string Field, bool Ok, string Expected, string Found);

    internal sealed record Report(
        bool Valid, string Format, IReadOnlyDictionary<string, string> Fields, IReadOnlyList<Check> Checks,
        IReadOnlyList<string> Errors, string? CorrectedText, IReadOnlyList<MrzChange>? Corrections, IReadOnlyList<string>? CorrectionNotes,
        bool? Found = null, IReadOnlyList<string>? Lines = null, double? Seconds = null);

    public static int Run(string[] args)
    {
        string? text = null, image = null;
        var correct = false;
        var (positional, asOf) = CfCommand.ParseArgs(args, "mrz", (a, value) =>
        {
            switch (a)
            {
                case "--text": text = value(); return true;
                case "--correct": correct = true; return true;
                case "--image": image = value(); return true;
                default: return false;
            }
        });
        if (positional.Count > 0) throw new UsageException($"unexpected argument '{positional[0]}' for mrz");
        if (text is not null && image is not null) throw new UsageException("mrz takes --text or --image, not both");
        if (image is not null) return RunImage(image, asOf);
        if (text is null) throw new UsageException("mrz needs --text \"L1\\nL2[\\nL3]\" or --image FILE");

        MrzCorrection? correction = correct ? Mrz.TryCorrect(text, asOf) : null;
        var r = correction?.Result ?? Mrz.Parse(text, asOf);
        var report = new Report(r.Valid, r.Format, r.Fields,
            [.. r.Checks.Select(c => new Check(c.Field, c.Ok, c.Expected.ToString(), c.Found.ToString()))], r.Errors,
            correction?.Text, correction?.Changes, correction?.Notes);
        Console.Out.WriteLine(JsonSerializer.Serialize(report, CfCommand.Json));
        return Commands.Ok;
    }

    private static int RunImage(string path, DateOnly asOf)
    {
        if (!File.Exists(path)) throw new UsageException($"mrz --image: no file '{path}'");
        using var grey = OpenCvSharp.Cv2.ImRead(path, OpenCvSharp.ImreadModes.Grayscale);
        if (grey.Empty())
        {
            Console.Error.WriteLine($"verify: mrz --image: '{path}' is not an image this reader can decode");
            return Commands.Unreadable;
        }
        var read = MrzImageReader.Read(grey, asOf);
        var r = read.Result ?? Mrz.Parse(read.Lines, asOf);
        var errors = read.Failure is { } f ? [f, .. r.Errors] : r.Errors;
        var report = new Report(r.Valid, r.Format, r.Fields,
            [.. r.Checks.Select(c => new Check(c.Field, c.Ok, c.Expected.ToString(), c.Found.ToString()))], errors,
            read.Correction?.Text, read.Correction?.Changes, read.Correction?.Notes,
            read.Found, read.Lines, Math.Round(read.Seconds, 3));
        Console.Out.WriteLine(JsonSerializer.Serialize(report, CfCommand.Json));
        return Commands.Ok;
    }
}
