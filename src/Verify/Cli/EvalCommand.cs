using System.Globalization;
using System.Text;
using System.Text.Json;
using VerifyPipeline.Decisions;
using VerifyPipeline.Rules;
using VerifyPipeline.Rules.Decisions;
using VerifyPipeline.Cases;
using VerifyPipeline.Rules.Facts;
using VerifyPipeline.Corpus;
using VerifyPipeline.Worker.Reading;

namespace VerifyPipeline.Cli;

/// <summary>
/// <c>verify eval DIR [--limit N]</c> (also <c>verify bench --corpus DIR</c>): runs <c>verify check</c>'s code on every submission of a generated corpus
/// (<c>labels.jsonl</c>) with its declared request, PIN status and as-of date, and compares with the labels: the
/// confusion matrix of decisions, per-reason precision / recall, page classification accuracy, and field accuracy per
/// document type and capture, and timings (per submission and per stage p50/p95, pages/s, peak memory). One line per
/// submission on stderr, the summary as JSON on stdout. The summary also says why cases went to a person
/// (<c>review_causes</c>: the rules left open and the reason codes raised, per expected decision) and counts apart the
/// approvals of a skilled forgery that is the file's only defect: a tracing of the holder's signature cannot be told from
/// one reference (docs/signatures.md), so it is reported, not counted as a wrong approval. <c>--reports DIR</c> writes each
/// submission's report (the <c>verify check</c> JSON) as <c>DIR/FILE.json</c>; with <c>--reuse-reports</c> a submission
/// whose report is already there is not read again but decided anew on the report's facts with this configuration's policy
/// (the pipeline's Decide stage: no OCR), so a long run can be resumed or split, and a policy re-measured in seconds.
/// <c>signature_edges</c> says what other compatible edges would have done to the same submissions (each re-decided by
/// the rules on its facts): automatic decisions, wrong approvals, tracings approved, wrong rejections. It is a
/// sensitivity, not a fit: an edge is chosen on the calibration sets (docs/signatures.md), never on the corpus reported.
/// </summary>
public static class EvalCommand
{
    public static Task<int> RunAsync(string[] args)
    {
        string? dir = null, reportsDir = null;
        var limit = int.MaxValue;
        var reuse = false;
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "--limit" && i + 1 < args.Length) limit = int.Parse(args[++i], CultureInfo.InvariantCulture);
            else if (args[i] == "--reports" && i + 1 < args.Length) reportsDir = args[++i];
            else if (args[i] == "--reuse-reports") reuse = true;
            else if (args[i].StartsWith('-')) throw new UsageException($"unknown option '{args[i]}' for eval");
            else dir = args[i];
        }
        if (dir is null || !Directory.Exists(dir))
            throw new UsageException("eval needs a corpus directory (verify sample --out DIR, or tests/TestData/submissions)");
        var labels = LabelsIn(dir).Take(limit).ToList();
        if (labels.Count == 0) throw new UsageException($"no {CorpusGenerator.LabelsFile} nor *.expected.json in '{dir}'");
        if (reuse && reportsDir is null) throw new UsageException("--reuse-reports needs --reports DIR (where the reports are)");
        if (reportsDir is not null) Directory.CreateDirectory(reportsDir);
        var policy = CheckCommand.Runner.Value.Policy;
        var decided = new List<(SubmissionLabel Label, VerifyPipeline.Decisions.CaseReport Report)>();
        var causes = new ReviewCauses();
        var skilledApproved = new List<string>();
        var confusion = new SortedDictionary<string, SortedDictionary<string, int>>();
        var reasons = new SortedDictionary<string, int[]>(); // tp, fp, fn
        var fields = new SortedDictionary<string, int[]>(); // right, total
        int pagesRight = 0, pagesTotal = 0;
        var wrong = new List<string>();
        var seconds = new List<double>();
        var stages = new Dictionary<string, List<double>>();
        var pageCount = 0;
        var readWatch = new System.Diagnostics.Stopwatch();
        foreach (var label in labels)
        {
            var watch = System.Diagnostics.Stopwatch.StartNew();
            readWatch.Start();
            var reportPath = reportsDir is null ? null : Path.Combine(reportsDir, Path.GetFileName(label.File ?? label.External ?? $"{label.Index:0000}") + ".json");
            var stored = reuse && File.Exists(reportPath) ? VerifyPipeline.Decisions.CaseReport.Parse(File.ReadAllText(reportPath)) : null;
            if ((stored is null ? Evaluate(label, dir) : ((VerifyPipeline.Decisions.CaseReport, SubmissionRead?)?)(Assessment.Redecide(stored, policy)?.Report ?? stored, null)) is not var (report, read)) { readWatch.Stop(); Console.Error.WriteLine($"skip {label.File ?? label.External}: file not found"); continue; }
            readWatch.Stop();
            seconds.Add(watch.Elapsed.TotalSeconds);
            pageCount += report.Pages.Count;
            foreach (var (stage, ms) in read?.TimingsMs ?? new Dictionary<string, long>())
                (stages.TryGetValue(stage, out var l) ? l : stages[stage] = []).Add(ms);
            (stages.TryGetValue("unpack+pages", out var up) ? up : stages["unpack+pages"] = []).Add(report.TimingsMs!.Unpack + report.TimingsMs.Pages);

            var expected = label.Expected.Decision;
            var actual = Codes.Of(report.Decision);
            if (reportPath is not null && stored is null) File.WriteAllText(reportPath, JsonSerializer.Serialize(report, CheckCommand.Json));
            decided.Add((label, report));
            if (report.Decision == Outcome.Review) causes.Add(expected, report);
            // A tracing approved in compatible mode is what the notice and the cooling-off are for: counted apart.
            var onlySkilled = label.Defects.Count == 1 && label.Defects[0] == Defects.SkilledForgery;
            if (onlySkilled && report.Decision == Outcome.Approve) { skilledApproved.Add(label.File ?? ""); expected = "approve_if_traced"; }
            if (!confusion.TryGetValue(expected, out var row)) confusion[expected] = row = [];
            row[actual] = row.GetValueOrDefault(actual) + 1;
            foreach (var code in label.Expected.Reasons.Union(report.Reasons))
            {
                if (!reasons.TryGetValue(code, out var c)) reasons[code] = c = new int[3];
                var inE = label.Expected.Reasons.Contains(code);
                var inA = report.Reasons.Contains(code);
                if (inE && inA) c[0]++; else if (inA) c[1]++; else c[2]++;
            }
            if (read is not null)
            {
                foreach (var page in label.Pages)
                {
                    var truth = string.Join(" + ", page.Content.Select(c => PageCode(c, label)).Order());
                    var mine = read.PageReads.FirstOrDefault(p => p.Page == page.Index)?.Classification ?? "missing";
                    var mineSorted = string.Join(" + ", mine.Split(" + ").Order());
                    pagesTotal++;
                    if (truth == mineSorted) pagesRight++;
                    else Console.Error.WriteLine($"  page {page.Index} of {label.File}: {truth} read as {mine}");
                }
                ScoreFields(label, read, fields);
            }
            var flag = expected == actual ? "ok   " : expected == "approve_if_traced" ? "TRACED" : actual == "approve" ? "WRONG-APPROVE" : expected == "approve" || actual == "reject" ? "MISS " : "diff ";
            if (flag != "ok   ") wrong.Add($"{label.File}: expected {expected} [{string.Join(",", label.Expected.Reasons)}] got {actual} [{string.Join(",", report.Reasons)}]");
            Console.Error.WriteLine($"{flag} {watch.Elapsed.TotalSeconds,5:0.0}s {label.File}: expected {expected} [{string.Join(",", label.Expected.Reasons)}] got {actual} [{string.Join(",", report.Reasons)}]");
        }
        int total = confusion.Values.Sum(r => r.Values.Sum());
        int automatic = confusion.Values.Sum(r => r.Where(kv => kv.Key != "review").Sum(kv => kv.Value));
        int wrongApprovals = confusion.Where(kv => kv.Key is not ("approve" or "approve_if_traced")).Sum(kv => kv.Value.GetValueOrDefault("approve"));
        int wrongRejections = confusion.Where(kv => kv.Key != "reject").Sum(kv => kv.Value.GetValueOrDefault("reject"));
        var summary = new
        {
            submissions = total,
            confusion = confusion.ToDictionary(kv => "expected_" + kv.Key, kv => kv.Value),
            automatic_rate = Math.Round((double)automatic / Math.Max(1, total), 3),
            wrong_approvals = wrongApprovals,
            wrong_automatic_rejections = wrongRejections,
            skilled_forgeries_approved = skilledApproved,
            review_causes = causes.Summary(),
            signature_edges = EdgeSensitivity(decided, policy),
            reasons = reasons.ToDictionary(kv => kv.Key, kv => new
            {
                tp = kv.Value[0], fp = kv.Value[1], fn = kv.Value[2],
                precision = kv.Value[0] + kv.Value[1] == 0 ? (double?)null : Math.Round((double)kv.Value[0] / (kv.Value[0] + kv.Value[1]), 3),
                recall = kv.Value[0] + kv.Value[2] == 0 ? (double?)null : Math.Round((double)kv.Value[0] / (kv.Value[0] + kv.Value[2]), 3),
            }),
            page_classification = new { right = pagesRight, total = pagesTotal, accuracy = Math.Round((double)pagesRight / Math.Max(1, pagesTotal), 4) },
            fields = fields.ToDictionary(kv => kv.Key, kv => new { right = kv.Value[0], total = kv.Value[1], accuracy = Math.Round((double)kv.Value[0] / Math.Max(1, kv.Value[1]), 3) }),
            seconds_per_submission_median = seconds.Count == 0 ? 0 : Math.Round(seconds.Order().ElementAt(seconds.Count / 2), 2),
            timings = new
            {
                submission_ms = new { p50 = Percentile(seconds.Select(x => x * 1000), 0.5), p95 = Percentile(seconds.Select(x => x * 1000), 0.95) },
                stages_ms = stages.ToDictionary(kv => kv.Key, kv => new { p50 = Percentile(kv.Value, 0.5), p95 = Percentile(kv.Value, 0.95) }),
                pages = pageCount,
                pages_per_second = Math.Round(pageCount / Math.Max(0.001, readWatch.Elapsed.TotalSeconds), 2),
                peak_working_set_mb = Math.Round(System.Diagnostics.Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0),
            },
            not_matching = wrong,
        };
        Console.WriteLine(JsonSerializer.Serialize(summary, CheckCommand.Json));
        return Task.FromResult(Commands.Ok);
    }

    /// <summary>The corpus's outcomes had the compatible edge been another (the configured one among them): each report
    /// decided again by the rules on its stored facts. Empty unless the configured mode is compatible.</summary>
    private static IReadOnlyList<object> EdgeSensitivity(IReadOnlyList<(SubmissionLabel Label, VerifyPipeline.Decisions.CaseReport Report)> decided, DecisionPolicy policy)
    {
        if (policy.Signature.ModeValue != SignatureMode.Compatible) return [];
        var s = policy.Signature;
        return new[] { 0.95, s.StrictPass, s.CompatiblePass, 0.8, 0.733, 0.7, 0.6, 0.5 }.Distinct().Order().Select(edge =>
        {
            var at = policy with { Signature = s with { CompatiblePass = edge, StrictPass = Math.Max(edge, s.StrictPass), Fail = Math.Min(edge, s.Fail) } };
            int automatic = 0, wrongApprovals = 0, traced = 0, wrongRejections = 0;
            foreach (var (label, report) in decided)
            {
                var outcome = Assessment.Redecide(report, at)?.Decision.Outcome ?? report.Decision;
                var expected = label.Expected.Decision;
                if (outcome != Outcome.Review) automatic++;
                if (outcome == Outcome.Approve && expected != "approve")
                {
                    if (label.Defects.Count == 1 && label.Defects[0] == Defects.SkilledForgery) traced++; else wrongApprovals++;
                }
                if (outcome == Outcome.Reject && expected != "reject") wrongRejections++;
            }
            return (object)new
            {
                compatible_pass = edge, in_force = edge == s.CompatiblePass, automatic,
                automatic_rate = Math.Round((double)automatic / Math.Max(1, decided.Count), 3),
                wrong_approvals = wrongApprovals, skilled_forgeries_approved = traced, wrong_automatic_rejections = wrongRejections,
            };
        }).ToList();
    }

    /// <summary>Why cases went to a person: per case, the rules that did not pass (<c>rule:verdict</c>) and the reason
    /// codes raised; summed over all cases in review and per expected decision, with the cases whose single open rule is
    /// that rule (the ones that would be decided automatically were that rule to pass).</summary>
    private sealed class ReviewCauses
    {
        private int cases;
        private readonly SortedDictionary<string, int> byRule = new(StringComparer.Ordinal), onlyRule = new(StringComparer.Ordinal), byReason = new(StringComparer.Ordinal);
        private readonly SortedDictionary<string, SortedDictionary<string, int>> byExpected = new(StringComparer.Ordinal);

        public void Add(string expected, VerifyPipeline.Decisions.CaseReport report)
        {
            cases++;
            var open = report.Rules.Where(r => r.Verdict != Verdict.Pass).Select(r => $"{r.Rule}:{Codes.Of(r.Verdict)}").ToList();
            foreach (var r in open) byRule[r] = byRule.GetValueOrDefault(r) + 1;
            if (open.Count == 1) onlyRule[open[0]] = onlyRule.GetValueOrDefault(open[0]) + 1;
            foreach (var code in report.Reasons) byReason[code] = byReason.GetValueOrDefault(code) + 1;
            var key = open.Count == 0 ? "(none)" : string.Join(" + ", open);
            if (!byExpected.TryGetValue(expected, out var row)) byExpected[expected] = row = new(StringComparer.Ordinal);
            row[key] = row.GetValueOrDefault(key) + 1;
        }

        public object Summary() => new
        {
            cases,
            by_rule = byRule,
            only_open_rule = onlyRule,
            by_reason = byReason,
            open_rules_by_expected_decision = byExpected,
        };
    }

    /// <summary>The labels of a corpus directory: labels.jsonl (verify sample), else every NAME.expected.json (the fixed sample).</summary>
    public static IEnumerable<SubmissionLabel> LabelsIn(string dir)
    {
        var jsonl = Path.Combine(dir, CorpusGenerator.LabelsFile);
        return File.Exists(jsonl)
            ? File.ReadLines(jsonl).Select(l => JsonSerializer.Deserialize<SubmissionLabel>(l, Labels.Json)!)
            : Directory.GetFiles(dir, "*.expected.json").Order(StringComparer.Ordinal)
                .Select(f => JsonSerializer.Deserialize<SubmissionLabel>(File.ReadAllText(f), Labels.Json)!);
    }

    /// <summary>`verify check` on one labelled submission with its declared request, PIN status and as-of date; null
    /// when its file is not there (an external file of shared/testdata that is absent).</summary>
    internal static (VerifyPipeline.Decisions.CaseReport Report, SubmissionRead? Read)? Evaluate(SubmissionLabel label, string dir)
    {
        var path = label.File is { } f && File.Exists(Path.Combine(dir, f)) ? Path.Combine(dir, f)
            : label.External is { } e ? ExternalPath(e) : null;
        if (path is null || !File.Exists(path)) return null;
        var declared = DeclaredOf(label);
        var options = new CheckCommand.Options(path, null, label.Pin.Status, null, DateOnly.Parse(label.AsOf, CultureInfo.InvariantCulture), label.Pin.CodiceFiscale);
        var (report, _, read) = CheckCommand.Run(options, declared, CancellationToken.None);
        return (report, read);
    }

    /// <summary>The request as the portal declared it (the body of POST /api/requests).</summary>
    internal static RequestData DeclaredOf(SubmissionLabel label)
    {
        var r = label.Request;
        return new RequestData(r.PinReference, r.CodiceFiscale, r.Surname, r.GivenNames, r.BirthDate, r.BirthPlace, r.Email, r.Phone,
            new VerifyPipeline.Cases.DeclaredDocument(r.Document.Type, r.Document.Number, r.Document.IssuedBy, r.Document.IssueDate, r.Document.ExpiryDate));
    }

    /// <summary>shared/testdata/real/… next to the repository (the corpus references those files, never copies them).</summary>
    internal static string? ExternalPath(string relative)
    {
        foreach (var start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
            for (var d = new DirectoryInfo(start); d is not null; d = d.Parent)
            {
                var candidate = Path.Combine(d.FullName, "shared", "testdata", "real", relative);
                if (File.Exists(candidate)) return candidate;
            }
        return null;
    }

    private static double Percentile(IEnumerable<double> values, double p)
    {
        var l = values.Order().ToList();
        return l.Count == 0 ? 0 : Math.Round(l[Math.Min(l.Count - 1, (int)Math.Ceiling(p * l.Count) - 1 < 0 ? 0 : (int)Math.Ceiling(p * l.Count) - 1)], 1);
    }

    /// <summary>What a page holds according to its label, in the reader's classification codes.</summary>
    internal static string PageCode(PageContentLabel c, SubmissionLabel label)
    {
        if (c.Kind == "form") return "form";
        if (c.Kind == "unrelated") return "other";
        var kind = label.Documents[c.Document].Kind;
        return kind switch
        {
            "passport" => "passport_data",
            "paper_id" => c.Side == "front" ? "paper_id_inside" : "paper_id_outside",
            _ => $"{kind}_{c.Side}",
        };
    }

    /// <summary>Field accuracy of the identity document: each truth field the document type prints, against the value the
    /// rules would rely on (MRZ when its check digit holds, else the printed reading), per "type/capture".</summary>
    private static void ScoreFields(SubmissionLabel label, SubmissionRead read, SortedDictionary<string, int[]> fields)
    {
        var truthDoc = label.Documents.FirstOrDefault(d => d.Kind is "cie" or "passport" or "driving_licence" or "paper_id");
        if (truthDoc is null || truthDoc.Pages.Count == 0) return;
        var page = label.Pages.First(p => p.Index == truthDoc.Pages[0].Page);
        var capture = page.Capture == "fax" ? (page.DpiY == 98 ? "fax_standard" : "fax_fine") : page.Capture;
        if (page.Illegible is not null) return;
        var doc = read.Documents.FirstOrDefault(d => d.Kind.ToString().Equals(truthDoc.Kind.Replace("_", ""), StringComparison.OrdinalIgnoreCase));
        var t = truthDoc.Fields;
        void Score(string name, string? truth, string? value, Func<string?, string?, bool>? same = null, double? confidence = null)
        {
            if (truth is null) return;
            var key = $"{truthDoc.Kind}/{capture}/{name}";
            if (!fields.TryGetValue(key, out var c)) fields[key] = c = new int[2];
            c[1]++;
            if (value is not null && (same ?? ((a, b) => Norm(a!) == Norm(b!)))(value, truth)) c[0]++;
            else Console.Error.WriteLine($"  field {key} of {label.File}: {truth} read as {value ?? "nothing"}{(value is null || confidence is null ? "" : $" (confidence {confidence:0.00})")}");
        }
        var mrz = doc?.Mrz is { Result.Valid: true } m ? m.Result.Fields : null;

        string? Mrz(string f) => mrz is not null && mrz.TryGetValue(f, out var v) && v.Length > 0 ? v : null;
        Score("document_number", t.GetValueOrDefault("document_number"), Mrz("document_number") ?? doc?.Fields.Number?.Value,
            confidence: Mrz("document_number") is null ? doc?.Fields.Number?.Confidence : 1);
        // Names as the rules compare them (accents, apostrophes, spaces folded: the MRZ writes DELLORTO for Dell'Orto).
        Score("surname", t.GetValueOrDefault("surname"), doc?.Fields.Surname?.Value ?? Mrz("surname"), VerifyPipeline.Rules.Identity.PersonNames.SameSurname);
        Score("given_names", t.GetValueOrDefault("given_names"), doc?.Fields.GivenNames?.Value ?? Mrz("given_names"), VerifyPipeline.Rules.Identity.PersonNames.SameGivenNames);
        Score("birth_date", t.GetValueOrDefault("birth_date"), Mrz("birth_date") ?? doc?.Fields.BirthDate?.Value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        Score("expiry_date", t.GetValueOrDefault("expiry_date"), Mrz("expiry_date") ?? doc?.Fields.ExpiryDate?.Value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        if (truthDoc.Kind == "cie") Score("codice_fiscale", t.GetValueOrDefault("codice_fiscale"), doc?.Fields.CodiceFiscale?.Value);
        if (truthDoc.Mrz is not null) Score("mrz_valid", "yes", doc?.Mrz is { Result.Valid: true } ? "yes" : "no");
    }

    private static string Norm(string s)
    {
        var d = s.Normalize(NormalizationForm.FormD);
        var sb = new StringBuilder();
        foreach (var ch in d)
            if (CharUnicodeInfo.GetUnicodeCategory(ch) != UnicodeCategory.NonSpacingMark) sb.Append(char.ToUpperInvariant(ch));
        return sb.ToString().Replace("'", " ").Replace("  ", " ").Trim();
    }
}
