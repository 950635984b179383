using System.Text.Json;
using VerifyPipeline.Cases.Forms;

namespace VerifyPipeline.Corpus;

/// <summary>
/// The small sample committed under <c>tests/TestData/submissions</c>: one submission per case below, picked as the first
/// plan of a fixed corpus that matches, rendered and named after its case (no index prefix), with its label as
/// <c>NAME.expected.json</c>. A test regenerates it and compares bytes, so the committed files stay reproducible.
/// </summary>
public static class FixedSample
{
    public const int Seed = 20261123;

    public sealed record Pick(string Purpose, CorpusProfile Profile, Func<SubmissionPlan, bool> Matches);

    private static bool Only(SubmissionPlan p, string defect) => p.Defects.Count == 1 && p.Defects[0] == defect;
    private static bool Ok(SubmissionPlan p) => p.Defects.Count == 0;
    private static string? IdKind(SubmissionPlan p) => p.Documents.Count > 1 ? p.Documents[1].Kind : null;
    /// <summary>Keeps the committed sample small: scans at 150 dpi or faxes, no phone photos.</summary>
    private static bool Scan150(SubmissionPlan p) => p.Pages.All(g => g.Capture == Capture.Fax || (g.Capture == Capture.Scan && g.DpiX <= 150));

    public static IReadOnlyList<Pick> Picks { get; } =
    [
        new("fax, standard resolution, G3, form not signed", CorpusProfile.Fax,
            p => Only(p, Defects.FormUnsigned) && p.Pages.First().DpiY == 98 && p.Files[0].Format == PageFormat.TiffG3),
        new("fax, fine resolution, G4, everything in order", CorpusProfile.Fax,
            p => Ok(p) && p.Pages.First().DpiY == 196 && p.Files[0].Format == PageFormat.TiffG4 && IdKind(p) == "cie"),
        new("one PDF scan, CIE front and back on one page, everything in order", CorpusProfile.Realistic,
            p => Ok(p) && !p.IsBundle && p.Files[0].Format == PageFormat.Pdf && IdKind(p) == "cie" && Scan150(p)
                 && p.Pages.Any(g => g.Items.Count == 2) && p.Pages.All(g => g.Capture == Capture.Scan)),
        new("zip of phone photos, everything in order", CorpusProfile.Realistic,
            p => Ok(p) && p.IsBundle && p.Pages.All(g => g.Capture == Capture.Photo)),
        new("passport data page (TD3), everything in order", CorpusProfile.Realistic,
            p => Ok(p) && IdKind(p) == "passport" && !p.IsBundle && Scan150(p)),
        new("patente, everything in order, a page upside-down", CorpusProfile.Hard,
            p => Ok(p) && IdKind(p) == "driving_licence" && p.Pages.Any(g => g.UpsideDown) && Scan150(p)),
        new("paper identity card after 3 August 2026", CorpusProfile.Hard,
            p => Only(p, Defects.PaperIdAfterCutoff) && Scan150(p)),
        new("skilled forgery of the signature on the form", CorpusProfile.Hard,
            p => Only(p, Defects.SkilledForgery) && Scan150(p)),
        new("blurred page (illegible)", CorpusProfile.Hard, p => Only(p, Defects.IllegibleBlur) && Scan150(p)),
        new("someone else's identity document", CorpusProfile.Hard, p => Only(p, Defects.OtherPersonsDocument) && Scan150(p)),
        new("back of the card missing", CorpusProfile.Hard, p => Only(p, Defects.IdBackMissing) && Scan150(p)),
        new("password-protected zip", CorpusProfile.Hard, p => Only(p, Defects.FileEncryptedZip) && Scan150(p)),
        new("truncated upload", CorpusProfile.Hard, p => Only(p, Defects.FileTruncated) && Scan150(p)),
    ];

    public static readonly JsonSerializerOptions Pretty = new(Labels.Json) { WriteIndented = true };

    /// <summary>The chosen plans with their options (first match in submission order of each profile's corpus).</summary>
    public static IReadOnlyList<(Pick Pick, SubmissionPlan Plan, CorpusOptions Options)> Choose()
    {
        var result = new List<(Pick, SubmissionPlan, CorpusOptions)>();
        foreach (var pick in Picks)
        {
            var o = new CorpusOptions(0, Seed, pick.Profile, CorpusOptions.DefaultAsOf, FormQr.DevelopmentKey);
            var found = false;
            for (var i = 0; i < 5000 && !found; i++)
            {
                var plan = CorpusPlanner.Plan(o, i);
                if (!pick.Matches(plan)) continue;
                result.Add((pick, CorpusPlanner.Plan(o, i, indexPrefix: false), o));
                found = true;
            }
            if (!found) throw new InvalidOperationException($"no submission of the {pick.Profile} corpus matches '{pick.Purpose}'");
        }
        return result;
    }

    /// <summary>Writes every file and its <c>.expected.json</c> into <paramref name="dir"/>; returns the file names.</summary>
    public static IReadOnlyList<string> Write(string dir)
    {
        Directory.CreateDirectory(dir);
        var names = new List<string>();
        foreach (var (_, plan, o) in Choose())
        {
            File.WriteAllBytes(Path.Combine(dir, plan.FileName), CorpusGenerator.Render(plan, o));
            var label = Labels.From(plan, o);
            File.WriteAllText(Path.Combine(dir, plan.FileName + ".expected.json"), JsonSerializer.Serialize(label, Pretty) + "\n");
            names.Add(plan.FileName);
        }
        return names;
    }
}
