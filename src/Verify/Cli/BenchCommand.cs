using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using VerifyPipeline.Cases;
using VerifyPipeline.Cases.Forms;
using VerifyPipeline.Corpus;
using VerifyPipeline.Worker.Documents;
using VerifyPipeline.Worker.Reading;

namespace VerifyPipeline.Cli;

/// <summary>
/// <c>verify bench --corpus DIR [--limit N]</c>: timings per stage and per submission (p50/p95), pages/s, peak memory and
/// accuracy against the corpus labels (<see cref="EvalCommand"/>). <c>verify bench [--runs N]</c>: CPU time to read a typical 3-page scanned submission (the first realistic
/// <c>pdf-scan-cie-ok</c> of seed 1: form, CIE front, CIE back, 150–300 dpi) with the reader, against the naive way — the
/// <c>tesseract</c> command line on every full page with its default threads — in the same run, with the field accuracy
/// of each (surname, given names, document number, birth and expiry dates found right). Medians over the runs.
/// <c>verify bench --ocr-page</c> and <c>--mrz-images</c>: the engines alone (<see cref="ReadingBench"/>).
/// </summary>
public static class BenchCommand
{
    public static Task<int> RunAsync(string[] args)
    {
        var runs = 5;
        if (args.Length > 0 && args[0] == "--corpus") return EvalCommand.RunAsync(args[1..]);
        if (args.Length > 0 && args[0] == "--ocr-page") return Task.FromResult(ReadingBench.OcrPage());
        if (args.Length > 0 && args[0] == "--mrz-images") return Task.FromResult(ReadingBench.MrzImages(args[1..]));
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "--runs" && i + 1 < args.Length) runs = int.Parse(args[++i], CultureInfo.InvariantCulture);
            else throw new UsageException($"unknown option '{args[i]}' for bench");
        }
        var o = new CorpusOptions(400, 1, CorpusProfile.Realistic, CorpusOptions.DefaultAsOf, FormQr.DevelopmentKey);
        var plan = Enumerable.Range(0, 400).Select(i => CorpusPlanner.Plan(o, i))
            .First(p => p.FileName.Contains("pdf-scan-cie-ok", StringComparison.Ordinal) && p.Pages.Count() == 3);
        var bytes = CorpusGenerator.Render(plan, o);
        var work = Path.Combine(Path.GetTempPath(), "verify-bench-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(work);
        try
        {
            var file = Path.Combine(work, plan.FileName);
            File.WriteAllBytes(file, bytes);
            var pages = PageExtractor.Extract(file, plan.FileName, FileKind.Pdf, new PageBudget(), CancellationToken.None)
                .Select((p, i) => new PageInput(i + 1, p.Source, p.Bytes, p.DpiX, p.DpiY)).ToList();
            var truth = Truth(plan);
            var pool = CheckCommand.Ocr.Value;
            SubmissionReader.Read(pages, FormQr.DevelopmentKey, pool, o.AsOf); // warm-up: engine load, JIT, specimens

            var ours = new List<(double Cpu, double Wall, IReadOnlyDictionary<string, long> Steps, int Right)>();
            for (var r = 0; r < runs; r++)
            {
                var cpu = Process.GetCurrentProcess().TotalProcessorTime;
                var wall = Stopwatch.StartNew();
                var read = SubmissionReader.Read(pages, FormQr.DevelopmentKey, pool, o.AsOf);
                var cpuUsed = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
                var doc = read.Documents.FirstOrDefault();
                var mrz = doc?.Mrz is { Result.Valid: true } m ? m.Result.Fields : null;
                var found = new[]
                {
                    doc?.Fields.Surname?.Value, doc?.Fields.GivenNames?.Value,
                    mrz?.GetValueOrDefault("document_number") ?? doc?.Fields.Number?.Value,
                    (mrz?.GetValueOrDefault("birth_date") ?? doc?.Fields.BirthDate?.Value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
                    (mrz?.GetValueOrDefault("expiry_date") ?? doc?.Fields.ExpiryDate?.Value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
                };
                var right = truth.Zip(found).Count(t => t.Second is not null && Same(t.First.Iso ?? t.First.Text, t.Second));
                ours.Add((cpuUsed, wall.Elapsed.TotalSeconds, read.TimingsMs, right));
            }

            var images = new List<string>();
            for (var i = 0; i < pages.Count; i++)
            {
                var path = Path.Combine(work, $"page{i + 1}{(pages[i].Bytes[0] == 0xFF ? ".jpg" : ".png")}");
                File.WriteAllBytes(path, pages[i].Bytes);
                images.Add(path);
            }
            // The tesseract command line on every full page, twice: with its default threads (the naive way) and with
            // OMP_THREAD_LIMIT=1 (libgomp's spinning threads cost CPU on a busy machine: reference/README.md).
            List<(double Cpu, double Wall, int Right)> Cli(bool oneThread)
            {
                var runsOut = new List<(double Cpu, double Wall, int Right)>();
                for (var r = 0; r < Math.Max(1, runs / 2); r++)
                {
                    var wall = Stopwatch.StartNew();
                    double cpu = 0;
                    var text = new System.Text.StringBuilder();
                    foreach (var image in images)
                    {
                        var psi = new ProcessStartInfo("/usr/bin/time", ["-f", "%U %S", "tesseract", image, "-", "-l", "ita+eng"])
                        { RedirectStandardOutput = true, RedirectStandardError = true };
                        if (oneThread) psi.Environment["OMP_THREAD_LIMIT"] = "1";
                        else psi.Environment.Remove("OMP_THREAD_LIMIT");
                        using var p = Process.Start(psi)!;
                        var stdout = p.StandardOutput.ReadToEndAsync();
                        var stderr = p.StandardError.ReadToEnd();
                        p.WaitForExit();
                        text.AppendLine(stdout.Result);
                        var last = stderr.Trim().Split('\n')[^1].Split(' ');
                        if (last.Length == 2 && double.TryParse(last[0], CultureInfo.InvariantCulture, out var u) && double.TryParse(last[1], CultureInfo.InvariantCulture, out var sy)) cpu += u + sy;
                    }
                    var all = text.ToString().ToUpperInvariant();
                    runsOut.Add((cpu, wall.Elapsed.TotalSeconds, truth.Count(t => all.Contains(t.Printed.ToUpperInvariant(), StringComparison.Ordinal))));
                }
                return runsOut;
            }
            var naive = Cli(oneThread: false);
            var single = Cli(oneThread: true);

            double Median(IEnumerable<double> xs) { var l = xs.Order().ToList(); return l.Count == 0 ? 0 : l[l.Count / 2]; }
            var steps = ours[0].Steps.Keys.ToDictionary(k => k, k => Median(ours.Select(x => (double)x.Steps[k])));
            var report = new
            {
                submission = plan.FileName,
                pages = pages.Count,
                runs,
                reader = new { cpu_seconds_median = Math.Round(Median(ours.Select(x => x.Cpu)), 3), wall_seconds_median = Math.Round(Median(ours.Select(x => x.Wall)), 3), steps_ms_median = steps, fields_right = ours[0].Right, fields = truth.Count },
                naive_tesseract_cli = new { cpu_seconds_median = Math.Round(Median(naive.Select(x => x.Cpu)), 3), wall_seconds_median = Math.Round(Median(naive.Select(x => x.Wall)), 3), fields_right = naive[0].Right, fields = truth.Count },
                tesseract_cli_one_thread = new { cpu_seconds_median = Math.Round(Median(single.Select(x => x.Cpu)), 3), wall_seconds_median = Math.Round(Median(single.Select(x => x.Wall)), 3), fields_right = single[0].Right, fields = truth.Count },
                cpu_ratio = Math.Round(Median(naive.Select(x => x.Cpu)) / Math.Max(1e-6, Median(ours.Select(x => x.Cpu))), 1),
                cpu_ratio_one_thread = Math.Round(Median(single.Select(x => x.Cpu)) / Math.Max(1e-6, Median(ours.Select(x => x.Cpu))), 1),
                note = "naive = `tesseract PAGE - -l ita+eng` per page, default threads; one_thread = the same with OMP_THREAD_LIMIT=1; a field counts as right for it when its printed text appears in the output",
            };
            Console.WriteLine(JsonSerializer.Serialize(report, CheckCommand.Json));
            return Task.FromResult(Commands.Ok);
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    private sealed record TruthField(string Text, string? Iso, string Printed);

    private static List<TruthField> Truth(SubmissionPlan plan)
    {
        var id = plan.Documents.First(d => d.Id is not null).Id!;
        var p = id.Holder;
        static string D(DateOnly d) => d.ToString("dd.MM.yyyy", CultureInfo.InvariantCulture);
        static string Iso(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        return
        [
            new(p.Surname.ToUpperInvariant(), null, p.Surname.ToUpperInvariant()),
            new(p.GivenNames.ToUpperInvariant(), null, p.GivenNames.ToUpperInvariant()),
            new(id.Number, null, id.Number),
            new(D(p.BirthDate), Iso(p.BirthDate), D(p.BirthDate)),
            new(D(id.ExpiryDate), Iso(id.ExpiryDate), D(id.ExpiryDate)),
        ];
    }

    private static bool Same(string a, string b) =>
        string.Equals(Strip(a), Strip(b), StringComparison.OrdinalIgnoreCase);

    private static string Strip(string s) => new string(s.Normalize(System.Text.NormalizationForm.FormD)
        .Where(c => CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark).ToArray()).Trim();
}
