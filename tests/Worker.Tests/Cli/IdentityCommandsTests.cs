using System.Diagnostics;
using System.Text.Json;

namespace VerifyPipeline.Worker.Tests.Cli;

/// <summary>
/// <c>verify cf</c> and <c>verify mrz</c> run as the real executable (its own process, so no shared Console state with
/// other tests): the JSON contract of DESIGN.md and the exit codes.
/// </summary>
public sealed class IdentityCommandsTests
{
    private static (int Exit, string Out, string Err) Verify(params string[] args) => VerifyPipeline.Worker.Tests.Cli.VerifyProcess.Run(args);

    [Fact]
    public void Cf_PrintsTheContractFields_ForAnOmocode()
    {
        var (exit, output, _) = Verify("cf", "cccfba85d03l21ve", "--as-of", "2026-01-15");

        Assert.Equal(0, exit);
        var j = JsonDocument.Parse(output).RootElement;
        Assert.True(j.GetProperty("valid").GetBoolean());
        Assert.Equal("CCCFBA85D03L21VE", j.GetProperty("normalized").GetString());
        Assert.True(j.GetProperty("omocodia").GetBoolean());
        Assert.Equal("1985-04-03", j.GetProperty("birth_date").GetString());
        Assert.Equal("M", j.GetProperty("sex").GetString());
        Assert.Equal("L219", j.GetProperty("place_code").GetString());
        Assert.Equal("CCCFBA85D03L219P", j.GetProperty("canonical").GetString());
    }

    [Fact]
    public void Mrz_PrintsFormatFieldsAndChecks_AndExitsZeroForAnInvalidZone()
    {
        var (exit, output, _) = Verify("mrz", "--text",
            @"I<UTOD231458907<<<<<<<<<<<<<<<\n7408122F1204159UTO<<<<<<<<<<<5\nERIKSSON<<ANNA<MARIA<<<<<<<<<<", "--as-of", "2026-01-15");

        Assert.Equal(0, exit);
        var j = JsonDocument.Parse(output).RootElement;
        Assert.False(j.GetProperty("valid").GetBoolean());
        Assert.Equal("TD1", j.GetProperty("format").GetString());
        Assert.Equal("ERIKSSON", j.GetProperty("fields").GetProperty("surname").GetString());
        var composite = j.GetProperty("checks").EnumerateArray().Single(c => c.GetProperty("field").GetString() == "composite");
        Assert.False(composite.GetProperty("ok").GetBoolean());
    }

    [Fact]
    public void Mrz_ReadsAnImage_WithTheSameShapePlusLinesAndTime()
    {
        var path = Documents.TestFiles.Real("03_mrz/images_passporteye/tests__passport-td3.png");
        var (exit, output, _) = Verify("mrz", "--image", path, "--as-of", "2026-01-15");

        Assert.Equal(0, exit);
        var j = JsonDocument.Parse(output).RootElement;
        Assert.True(j.GetProperty("valid").GetBoolean());
        Assert.Equal("TD3", j.GetProperty("format").GetString());
        Assert.Equal("ERIKSSON", j.GetProperty("fields").GetProperty("surname").GetString());
        Assert.Equal(2, j.GetProperty("lines").GetArrayLength());
        Assert.True(j.GetProperty("found").GetBoolean());
        Assert.True(j.GetProperty("seconds").GetDouble() > 0); // how long is the benchmarks' business: this run may share the cores
        Assert.Equal("P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10",
            j.GetProperty("corrected_text").GetString());
    }

    [Fact]
    public void Mrz_IsAUsageError_WithAMissingImage()
    {
        var (exit, _, err) = Verify("mrz", "--image", "no-such-scan.png");
        Assert.Equal(2, exit);
        Assert.Contains("no file", err);
    }
}
