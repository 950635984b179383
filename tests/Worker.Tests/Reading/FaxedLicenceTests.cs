using VerifyPipeline.Cases.Forms;
using VerifyPipeline.Cli;
using VerifyPipeline.Corpus;
using VerifyPipeline.Worker.Tests.Documents;

namespace VerifyPipeline.Worker.Tests.Reading;

/// <summary>Submissions of the realistic corpus (`verify sample --count 300 --seed 11 --profile realistic`) whose licence
/// front and back were faxed side by side on one page: the back, a grid of hairlines that keeps little print on a fax, was
/// missed (its print fell under the other-side bar meant for dense cards) and the file looked one side short.</summary>
public sealed class FaxedLicenceTests
{
    /// <summary>One file of that corpus rendered again and read as `verify eval` reads it, with its label.</summary>
    private static (SubmissionLabel Label, VerifyPipeline.Decisions.CaseReport Report, Decisions.SubmissionRead? Read) ReadCorpusFile(string file)
    {
        var options = new CorpusOptions(300, 11, CorpusProfile.Realistic, CorpusOptions.DefaultAsOf, FormQr.DevelopmentKey);
        var plan = CorpusGenerator.PlanAll(options).Single(p => p.FileName == file);
        using var dir = new TempDir();
        File.WriteAllBytes(dir.File(file), CorpusGenerator.Render(plan, options));
        var label = Labels.From(plan, options);
        var (report, read) = EvalCommand.Evaluate(label, dir.Path)!.Value;
        return (label, report, read);
    }

    [Theory]
    [InlineData("0203-fax-204x196-g4-driving-licence-ok.tif")]
    [InlineData("0239-fax-204x196-g4-driving-licence-ok.tif")]
    public void Read_FindsBothLicenceSides_WhenFaxedOnOnePage(string file)
    {
        var (label, report, read) = ReadCorpusFile(file);

        var page = label.Pages.Single(p => p.Content.Count == 2);
        Assert.Equal(["driving_licence_back", "driving_licence_front"], read!.PageReads.Single(p => p.Page == page.Index).Classification.Split(" + ").Order());
        Assert.DoesNotContain("ID_SIDE_MISSING", report.Reasons);
    }

    /// <summary>A fax's speck beside a value (read "05/07/2037 ." or "FERRI '") used to pull Tesseract's line confidence
    /// under the rules' 0.80 though the value was right: the value's own characters are what is scored.</summary>
    [Theory]
    [InlineData("0001-fax-204x196-g4-driving-licence-ok.tif", "expiry_date")]
    [InlineData("0104-fax-204x98-g3-driving-licence-ok.tif", "surname")]
    [InlineData("0104-fax-204x98-g3-driving-licence-ok.tif", "issue_date")]
    public void Read_TrustsAValueReadRight_WhenAStrayMarkIsReadBesideIt(string file, string field)
    {
        var (label, _, read) = ReadCorpusFile(file);

        var fields = read!.Documents.Single().Fields;
        var truth = label.Documents.Single(d => d.Kind == "driving_licence").Fields[field];
        var (value, confidence) = field switch
        {
            "surname" => (fields.Surname!.Value, fields.Surname.Confidence),
            "issue_date" => (fields.IssueDate!.Value.ToString("yyyy-MM-dd"), fields.IssueDate.Confidence),
            _ => (fields.ExpiryDate!.Value.ToString("yyyy-MM-dd"), fields.ExpiryDate.Confidence),
        };
        Assert.Equal(truth.ToUpperInvariant(), value);
        Assert.InRange(confidence, 0.8, 1);
    }
}
