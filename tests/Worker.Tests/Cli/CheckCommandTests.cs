using Microsoft.Extensions.Configuration;
using VerifyPipeline.Cli;
using VerifyPipeline.Worker.Pipeline;
using VerifyPipeline.Worker.Tests.Documents;

namespace VerifyPipeline.Worker.Tests.Cli;

public sealed class CheckCommandTests
{
    [Fact]
    public void Check_ReportsReviewWithPages_WhenTheFileIsReadable()
    {
        var (report, exit) = CheckCommand.Check(TestFiles.Real("02_fax_tiff/pillow__g4-multi.tiff"), default);

        Assert.Equal((Commands.Ok, "review"), (exit, VerifyPipeline.Rules.Codes.Of(report.Decision)));
        Assert.Equal([1, 2, 3], report.Pages.Select(p => p.Index));
        // the same assessment as the pipeline: seven rules; three pages of test patterns hold neither a form nor a document,
        // which is not certain (the pages are not accounted for), so a person looks
        Assert.Equal(7, report.Rules.Count);
        Assert.Equal(["FORM_MISSING", "ID_MISSING"], report.Reasons.Where(r => r is "FORM_MISSING" or "ID_MISSING"));
        Assert.All(report.Pages, p => Assert.Equal("other", p.Classification!.Kind));
    }

    [Fact]
    public void Check_RejectsWithTheInpsSentence_WhenThePinIsAlreadyDispositivo()
    {
        var (report, exit) = CheckCommand.Check(new CheckCommand.Options(TestFiles.Real("02_fax_tiff/pillow__g4-multi.tiff"), "RSSMRA80A01H501U", "dispositivo", null, new DateOnly(2026, 11, 23)), default);

        Assert.Equal((Commands.Ok, "reject"), (exit, VerifyPipeline.Rules.Codes.Of(report.Decision)));
        Assert.Equal(["PIN_ALREADY_DISPOSITIVO"], report.Reasons);
    }

    [Fact]
    public void Check_RejectsWithUnreadableFileAndExit3_WhenTheFileIsEncrypted()
    {
        var (report, exit) = CheckCommand.Check(TestFiles.Real("01_archives_sharpcompress/zipcrypto.zip"), default);

        Assert.Equal((Commands.Unreadable, "reject"), (exit, VerifyPipeline.Rules.Codes.Of(report.Decision)));
        Assert.Equal(["UNREADABLE_FILE"], report.Reasons);
        Assert.Contains("password-protected", report.Error);
    }

    private static SubmissionRunner RunnerOf(params (string Key, string Value)[] settings) => SubmissionRunner.FromConfiguration(
        new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => KeyValuePair.Create(s.Key, (string?)s.Value))).Build(), CheckCommand.Ocr.Value);

    [Fact]
    public void Check_AppliesTheConfiguredPageBudget_AndTheRulesDecideTheUnreadableFile()
    {
        var options = new CheckCommand.Options(TestFiles.Real("02_fax_tiff/pillow__g4-multi.tiff"), null, null, null, new DateOnly(2026, 11, 23));
        var (report, exit, _) = CheckCommand.Run(options, null, default, RunnerOf(("Pipeline:Pages:MaxPages", "2")));

        Assert.Equal((Commands.Unreadable, "reject"), (exit, VerifyPipeline.Rules.Codes.Of(report.Decision)));
        Assert.Equal(["UNREADABLE_FILE"], report.Reasons);
        Assert.Equal(VerifyPipeline.Rules.Verdict.Fail, report.Rule("completeness")!.Verdict);
        Assert.Contains("2", report.Error);
    }

    [Fact]
    public void Check_DecidesWithTheConfiguredPolicy_WhenTheFileIsUnreadable()
    {
        // a policy that leaves unreadable files to a person: the fact goes through it like any other
        var runner = RunnerOf(("Pipeline:Policy:AutoRejectReasons:0", "FORM_MISSING"));
        var (report, exit, _) = CheckCommand.Run(new CheckCommand.Options(TestFiles.Real("01_archives_sharpcompress/zipcrypto.zip"), null, null, null, null), null, default, runner);

        Assert.Equal((Commands.Unreadable, "review"), (exit, VerifyPipeline.Rules.Codes.Of(report.Decision)));
        Assert.Contains("UNREADABLE_FILE", report.Reasons);
        Assert.Equal(["FORM_MISSING"], runner.Policy.AutoRejectReasons);
    }

    [Fact]
    public void Runner_RefusesAnInvalidPolicy()
    {
        var e = Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(() => RunnerOf(("Pipeline:Policy:AutoRejectReasons:0", "ID_EXPIRD")).Policy);
        Assert.Contains("Pipeline:Policy", e.Message);
    }

    [Fact]
    public void Runner_BindsTheSignatureEdges_FromPipelinePolicySignature()
    {
        var policy = RunnerOf(("Pipeline:Policy:Signature:CompatiblePass", "0.8"), ("Pipeline:Policy:Signature:Fail", "0.25")).Policy;

        var t = policy.ContextFor(new DateOnly(2026, 11, 23)).Thresholds;
        Assert.Equal((0.8, new VerifyPipeline.Rules.Thresholds().SignaturePass, 0.25), (t.SignatureCompatiblePass, t.SignaturePass, t.SignatureFail));
    }

    [Fact]
    public void Runner_RefusesASignatureEdgeOutOfPlace_NamingItsKey()
    {
        var e = Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(
            () => RunnerOf(("Pipeline:Policy:Signature:CompatiblePass", "0.95")).Policy);
        Assert.Contains("Pipeline:Policy:Signature:CompatiblePass (0.95) must not be above Signature:StrictPass (0.9)", e.Message);
    }

    [Fact]
    public void Check_WritesSnakeCaseContractFields()
    {
        var (report, _) = CheckCommand.Check(TestFiles.Real("02_fax_tiff/commonsimaging__1pagefax.tif"), default);

        var json = System.Text.Json.JsonSerializer.Serialize(report, CheckCommand.Json);

        foreach (var field in new[] { "\"decision\"", "\"reasons\"", "\"rules\"", "\"documents\"", "\"pages\"", "\"legibility\"", "\"timings_ms\"", "\"dpi_x\": 204", "\"dpi_y\": 98" })
            Assert.Contains(field, json);
        Assert.DoesNotContain("\"error\"", json);
    }

    [Theory]
    [InlineData(new string[0], "needs a FILE")]
    [InlineData(new[] { "x.pdf", "--bogus" }, "unknown option")]
    [InlineData(new[] { "--as-of", "2024-02-30", "x.pdf" }, "--as-of must be a date")]
    [InlineData(new[] { "--pin-status", "maybe", "x.pdf" }, "--pin-status must be one of")]
    public void Parse_ThrowsUsageException_OnCommandLineMistakes(string[] args, string message)
    {
        var e = Assert.Throws<UsageException>(() => CheckCommand.Parse(args));
        Assert.Contains(message, e.Message);
    }
}
