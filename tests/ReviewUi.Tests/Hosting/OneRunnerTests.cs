using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using VerifyPipeline.Cases;
using VerifyPipeline.Cases.Tests.Storage;
using VerifyPipeline.Cli;
using VerifyPipeline.ReviewUi.Tests.Review;
using VerifyPipeline.Worker.Pipeline;

namespace VerifyPipeline.ReviewUi.Tests.Hosting;

/// <summary>Issue 12: the Hangfire jobs and `verify check` run one runner (<see cref="SubmissionRunner"/>), so the same file
/// with the same configuration, declared data, PIN and date gives the same report.</summary>
public sealed class OneRunnerTests : IDisposable
{
    private readonly TempDir _tmp = new();
    public void Dispose() => _tmp.Dispose();

    [Fact]
    public async Task CheckAndThePipeline_GiveByteIdenticalReports_ForTheSameFileAndConfiguration_AndThePipelineTimesItsStages()
    {
        // `verify check` verifies the form's QR with the development key unless VERIFY_FORM_HMAC_KEY says otherwise: the host uses it too.
        await using var host = ReviewFixture.Host("embedded", _tmp.Path, new() { ["Forms:HmacKey"] = VerifyPipeline.Cases.Forms.FormQr.DevelopmentKey });
        var sample = Path.Combine(Samples.RepoRoot(), "tests", "TestData", "submissions", "fax-204x98-g3-cie-signature-skilled-forgery.tif");
        var requestId = await host.CreateRequestAsync(host.Portal(), pin: "PIN-R-0001");
        var upload = await TestHost.UploadAsync(host.Portal(), requestId, await File.ReadAllBytesAsync(sample), Path.GetFileName(sample));
        var caseId = (await upload.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("case_id").GetString()!;
        // one OCR of a fax page: generous for a loaded machine
        var c = await host.WaitForStateAsync(caseId, TimeSpan.FromMinutes(5), CaseState.InReview, CaseState.Approved, CaseState.Rejected, CaseState.NeedsAttention);
        var request = (await host.Store.GetRequestAsync(requestId))!;
        var pin = (await host.Store.GetPinAsync(request.Data.PinReference))!;

        var options = new CheckCommand.Options(sample, null, "online", null, DateOnly.FromDateTime(c.CreatedAt.UtcDateTime), pin.CodiceFiscale, requestId);
        var (report, exit, _) = CheckCommand.Run(options, request.Data, default, host.Services.GetRequiredService<SubmissionRunner>());

        Assert.Equal(Commands.Ok, exit);
        using var stored = JsonDocument.Parse(c.Report!);
        using var checkedNow = JsonDocument.Parse(JsonSerializer.Serialize(report, WireJson.Options));
        // Every field, byte for byte as each was written, but the timings (they differ from run to run), the blob keys of the
        // crops (only the pipeline stores them) and what only `verify check` adds (its parts, notes, error).
        var skipped = new[] { "timings_ms", "signature_crops", "parts", "notes", "error" };
        var fields = stored.RootElement.EnumerateObject().Select(p => p.Name).Where(n => !skipped.Contains(n)).ToList();
        Assert.Equal(fields, checkedNow.RootElement.EnumerateObject().Select(p => p.Name).Where(n => !skipped.Contains(n)));
        Assert.Contains("facts", fields);
        foreach (var field in fields)
            Assert.Equal(stored.RootElement.GetProperty(field).GetRawText(), checkedNow.RootElement.GetProperty(field).GetRawText());

        // The pipeline's timings are each stage's duration as saved with the stage.
        var t = VerifyPipeline.Decisions.CaseReport.Parse(c.Report)!.TimingsMs!;
        Assert.Equal((c.StageMs.Unpack, c.StageMs.Pages, c.StageMs.Read), ((long?)t.Unpack, (long?)t.Pages, (long?)t.Read));
        // Rendering a fax page and reading it (OCR) take well over a millisecond each.
        Assert.True(t.Pages > 0 && t.Read > 0, $"pages {t.Pages} ms, read {t.Read} ms");
        Assert.Equal(t.Unpack + t.Pages + t.Read, t.Total);
    }
}
