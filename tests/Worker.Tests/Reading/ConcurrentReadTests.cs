using VerifyPipeline.Cases;
using VerifyPipeline.Cases.Forms;
using VerifyPipeline.Decisions;
using VerifyPipeline.Worker.Documents;
using VerifyPipeline.Worker.Reading;
using VerifyPipeline.Worker.Reading.Ocr;
using VerifyPipeline.Worker.Tests.Documents;

namespace VerifyPipeline.Worker.Tests.Reading;

/// <summary>A worker reads one submission per core at once, in one process: the reader's shared state (the OCR-B
/// templates, the specimens, the form's layout) must hold under that. Found by the throughput bench: the embedded host
/// died (SIGSEGV in Cv2.Repeat) when its first two submissions were read together — the MRZ templates' matrices were
/// built lazily by whichever thread came first, and the other could see half of them. Without the fix this test killed
/// the test host in 3 of 5 runs and failed in a fourth.</summary>
public sealed class ConcurrentReadTests
{
    [Fact]
    public void SubmissionsReadOnTwoThreadsAtOnce_GiveTheSameReadAsAlone()
    {
        var files = new[] { ("pdf-scan-cie-ok.pdf", FileKind.Pdf), ("fax-204x98-g3-passport-ok.tif", FileKind.Tiff), ("fax-204x196-g4-cie-ok.tif", FileKind.Tiff) };
        var inputs = files.Select(f => PageExtractor.Extract(Path.Combine(TestFiles.Submissions, f.Item1), f.Item1, f.Item2, new PageBudget(), CancellationToken.None)
            .Select((p, i) => new PageInput(i + 1, f.Item1, p.Bytes, p.DpiX, p.DpiY)).ToList()).ToList();
        var asOf = new DateOnly(2026, 12, 3);
        using var pool = new OcrEnginePool(capacity: 2);
        var together = new string[6];
        Parallel.For(0, together.Length, new ParallelOptions { MaxDegreeOfParallelism = 2 }, i =>
            together[i] = Summary(SubmissionReader.Read(inputs[i % inputs.Count], FormQr.DevelopmentKey, pool, asOf)));
        for (var i = 0; i < inputs.Count; i++)
        {
            var alone = Summary(SubmissionReader.Read(inputs[i], FormQr.DevelopmentKey, pool, asOf));
            Assert.Equal(alone, together[i]);
            Assert.Equal(alone, together[i + inputs.Count]);
        }
    }

    private static string Summary(SubmissionRead read) =>
        string.Join("; ", read.PageReads.Select(p => $"{p.Page}:{p.Classification}")) + " | "
        + System.Text.Json.JsonSerializer.Serialize(new { read.Form, read.Documents, read.Signature });
}
