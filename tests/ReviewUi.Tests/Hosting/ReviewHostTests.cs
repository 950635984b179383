using System.Diagnostics;
using System.Text.RegularExpressions;
using VerifyPipeline.Cases.Tests.Storage;

namespace VerifyPipeline.ReviewUi.Tests.Hosting;

/// <summary>Issue 12: the review/ingest host (src/ReviewUi) is built without the imaging stack and starts without it; the
/// pipeline's jobs run in `verify worker` or in the all-in-one host (src/Host, ./run.sh).</summary>
public sealed partial class ReviewHostTests : IDisposable
{
    private readonly TempDir _tmp = new();
    public void Dispose() => _tmp.Dispose();

    /// <summary>What the review host must neither ship nor load: the Worker and what only reading needs.</summary>
    private static readonly string[] ImagingStack =
        ["VerifyPipeline.Worker", "OpenCvSharp", "libOpenCvSharpExtern", "tesseract", "UglyToad.PdfPig", "SharpCompress", "MailKit", "zxing"];

    private static string Output(string project)
    {
        var config = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Debug{Path.DirectorySeparatorChar}") ? "Debug" : "Release";
        var output = Path.Combine(Samples.RepoRoot(), "src", project, "bin", config, "net10.0");
        Assert.True(Directory.Exists(output), $"{output} is not built");
        return output;
    }

    [Fact]
    public void ReviewHostOutput_HoldsNoImagingStack()
    {
        var shipped = Directory.EnumerateFiles(Output("ReviewUi"), "*", SearchOption.AllDirectories)
            .Where(f => ImagingStack.Any(n => Path.GetFileName(f).Contains(n, StringComparison.OrdinalIgnoreCase))).ToList();
        Assert.True(shipped.Count == 0, string.Join(", ", shipped));
    }

    [Fact]
    public void WorkerHostOutput_HoldsNoCorpusNorReviewUi()
    {
        // Issue 12: the worker deployable (src/WorkerHost) ships the reading code, not the corpus generator, the document
        // families of the evaluation or the review UI (`verify`, which has them, is the command line, not a deployable).
        var output = Output("WorkerHost");
        Assert.True(File.Exists(Path.Combine(output, "VerifyPipeline.Worker.dll")));
        string[] notShipped = ["VerifyPipeline.Corpus", "VerifyPipeline.DocumentFamilies", "VerifyPipeline.ReviewUi", "verify.dll"];
        var shipped = Directory.EnumerateFiles(output, "*", SearchOption.AllDirectories)
            .Where(f => notShipped.Any(n => Path.GetFileName(f).StartsWith(n, StringComparison.OrdinalIgnoreCase))).ToList();
        Assert.True(shipped.Count == 0, string.Join(", ", shipped));
    }

    [Fact]
    public async Task ReviewHost_StartsAndServes_WithoutLoadingTheImagingStack()
    {
        using var host = Start(_tmp.Path);
        var address = await host.AddressAsync();
        using var http = new HttpClient { BaseAddress = new Uri(address) };
        Assert.Equal(System.Net.HttpStatusCode.OK, (await http.GetAsync("/health/live")).StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.OK, (await http.GetAsync("/login")).StatusCode);
        var maps = await File.ReadAllTextAsync($"/proc/{host.Process.Id}/maps");
        Assert.Contains("VerifyPipeline.ReviewUi.dll", maps);
        Assert.DoesNotContain(ImagingStack, n => maps.Contains(n, StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task ReviewHost_RefusesToStart_WhenAskedToRunJobs()
    {
        using var host = Start(_tmp.Path, "--Hosting:RunJobs=true");
        Assert.True(host.Process.WaitForExit(60_000), "the host kept running");
        Assert.NotEqual(0, host.Process.ExitCode);
        Assert.Contains("verify worker", await host.Process.StandardError.ReadToEndAsync() + host.Output);
    }

    private static RunningHost Start(string dir, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = dir, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(Output("ReviewUi"), "VerifyPipeline.ReviewUi.dll"));
        // The review role of README's scaled set (the ingest role needs API client keys of its own).
        foreach (var a in (string[])["--urls", "http://127.0.0.1:0", "--Hosting:ServeIngest=false", .. args]) start.ArgumentList.Add(a);
        start.Environment["VP_DEMO_CREDENTIALS"] = "off";
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        return new RunningHost(Process.Start(start)!);
    }

    private sealed class RunningHost : IDisposable
    {
        private readonly TaskCompletionSource<string> _address = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly System.Text.StringBuilder _output = new();
        public Process Process { get; }
        public string Output { get { lock (_output) return _output.ToString(); } }

        public RunningHost(Process process)
        {
            Process = process;
            process.OutputDataReceived += (_, e) =>
            {
                if (e.Data is null) return;
                lock (_output) _output.AppendLine(e.Data);
                if (Listening().Match(e.Data) is { Success: true } m) _address.TrySetResult(m.Groups[1].Value);
            };
            process.BeginOutputReadLine();
        }

        public async Task<string> AddressAsync()
        {
            var done = await Task.WhenAny(_address.Task, Process.WaitForExitAsync(), Task.Delay(TimeSpan.FromSeconds(60)));
            Assert.True(done == _address.Task, $"the review host did not start: {Output} {(Process.HasExited ? await Process.StandardError.ReadToEndAsync() : "")}");
            return await _address.Task;
        }

        public void Dispose()
        {
            if (!Process.HasExited) Process.Kill(entireProcessTree: true);
            Process.WaitForExit();
            Process.Dispose();
        }
    }

    [GeneratedRegex(@"is running \(\w+ mode\) on (http://[^,\s]+)")]
    private static partial Regex Listening();
}
