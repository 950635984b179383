using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using VerifyPipeline.Cases;
using VerifyPipeline.DocumentFamilies;
using VerifyPipeline.Rules;
using VerifyPipeline.Rules.Decisions;
using VerifyPipeline.Rules.Facts;
using VerifyPipeline.Worker.Reading;

namespace VerifyPipeline.Cli;

/// <summary>
/// <c>verify families [--per N] [--seed S] [--families ID,…] [--captures …] [--submissions] [--tuned ID,…]</c>: the reader
/// measured on identity documents drawn by independent code (tools/DocumentFamilies: three layout families per type,
/// one after the real layout). Per family and capture: the document recognised with the right type and every side,
/// number / expiry / names / codice fiscale read right, the MRZ valid; with <c>--submissions</c> whole submissions (the
/// signed form plus the document as PDF, zip, fax and a collage JPEG) decided with their true declared data: a valid
/// submission rejected automatically, and every reason of an automatic rejection, are counted. Families named in
/// <c>--tuned</c> are those the reader was tuned on (their failures were looked at); the others are held out, and the
/// summary gives both figures apart. By default every family but the held-out ones (<see cref="Families.HeldOut"/>: the
/// blind <c>-e</c> families, drawn 2026-12-03) counts as tuned; <c>--held-out</c> measures the held-out families alone
/// (refused if there are none). JSON on stdout; one line per item on stderr (<c>--keep DIR</c> keeps each item's captures there, named
/// family-capture-seed, to look at a miss — of a tuned family). <c>--list</c> prints the families; <c>--render DIR</c>
/// writes each chosen family's sides, captures and submissions with labels.json (<see cref="Families.WriteSamples"/>)
/// without running the reader.
/// </summary>
public static class FamiliesCommand
{
    public static readonly string[] AllCaptures = ["scan300", "scan150", "photo", "fax-fine", "fax-standard"];

    public static async Task<int> RunAsync(string[] args)
    {
        int per = 2, seed = 1000;
        string[] families = Families.All.Select(f => f.Id).ToArray(), captures = AllCaptures, tuned = Families.Tuned.Select(f => f.Id).ToArray();
        var submissions = false;
        var list = false;
        string? render = null;
        string? keep = null; // where each measured capture is kept (named family-capture-seed), to look at a miss
        for (var i = 0; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : throw new UsageException($"option {args[i]} needs a value");
            switch (args[i])
            {
                case "--per": per = int.TryParse(Value(), out var p) && p > 0 ? p : throw new UsageException("--per must be a positive number"); break;
                case "--seed": seed = int.TryParse(Value(), out var s) ? s : throw new UsageException("--seed must be a number"); break;
                case "--families": families = Value().Split(',', StringSplitOptions.RemoveEmptyEntries); break;
                case "--captures": captures = Value().Split(',', StringSplitOptions.RemoveEmptyEntries); break;
                case "--tuned": tuned = Value().Split(',', StringSplitOptions.RemoveEmptyEntries); break;
                case "--submissions": submissions = true; break;
                case "--held-out":
                    families = Families.HeldOut.Select(f => f.Id).ToArray();
                    if (families.Length == 0)
                        throw new UsageException("no held-out family: the reader has been tuned on every family; "
                            + "draw a new set blind, without opening or running the reader (tools/DocumentFamilies/README.md)");
                    break;
                case "--list": list = true; break;
                case "--render": render = Value(); break;
                case "--keep": keep = Value(); break;
                default: throw new UsageException($"unknown option '{args[i]}' for families");
            }
        }
        foreach (var id in families.Concat(tuned))
            if (Families.All.All(f => f.Id != id)) throw new UsageException($"no family '{id}' (known: {string.Join(", ", Families.All.Select(f => f.Id))})");
        foreach (var c in captures)
            if (!AllCaptures.Contains(c)) throw new UsageException($"no capture '{c}' (known: {string.Join(", ", AllCaptures)})");
        if (list)
        {
            foreach (var f in families.Select(Families.Get))
                Console.WriteLine($"{f.Id,-14} {f.DocumentType,-16} {(tuned.Contains(f.Id) ? "tuned" : "held out"),-9} {f.Description}");
            return Commands.Ok;
        }
        if (render is not null)
        {
            // Drawing only: the reader is not run, so rendering a held-out family to look at it does not tune on it.
            var labels = Families.WriteSamples(render, seed, families);
            Console.Error.WriteLine($"{labels.Count} files of {families.Length} families in {render} (labels.json beside them)");
            return Commands.Ok;
        }

        var rows = new List<Row>();
        var decisions = new List<DecisionRow>();
        await Task.Run(() =>
        {
            foreach (var id in families)
            {
                var family = Families.Get(id);
                for (var n = 0; n < per; n++)
                {
                    var s = seed + n * 7919 + id.Sum(c => c) % 1000; // string hashes change per process: this one does not
                    var person = People.Make(s);
                    using var doc = Families.Draw(family, person, s);
                    foreach (var capture in captures) rows.Add(Measure(family, doc, capture, s, keep));
                    if (submissions)
                        foreach (var kind in Enum.GetValues<SubmissionKind>())
                            decisions.Add(Decide(family, doc, person, kind, s, keep));
                }
            }
        });
        var summary = new
        {
            tuned_on = tuned,
            held_out = families.Except(tuned).ToArray(),
            recognition = new
            {
                all = Rates(rows), tuned = Rates(rows.Where(r => tuned.Contains(r.Family)).ToList()), held_out = Rates(rows.Where(r => !tuned.Contains(r.Family)).ToList()),
            },
            per_family = rows.GroupBy(r => r.Family).ToDictionary(g => g.Key, g => Rates(g.ToList())),
            per_capture = rows.GroupBy(r => r.Capture).ToDictionary(g => g.Key, g => Rates(g.ToList())),
            per_family_capture = rows.GroupBy(r => $"{r.Family}/{r.Capture}").ToDictionary(g => g.Key, g => Rates(g.ToList())),
            submissions = decisions.Count == 0 ? null : new
            {
                total = decisions.Count,
                approved = decisions.Count(d => d.Decision == "approve"),
                review = decisions.Count(d => d.Decision == "review"),
                rejected = decisions.Count(d => d.Decision == "reject"),
                valid_rejected_automatically = decisions.Count(d => d.Valid && d.Decision == "reject"),
                false_reasons_in_rejections = decisions.Where(d => d.Decision == "reject").Sum(d => d.FalseReasons.Count),
                wrong_approvals = decisions.Count(d => !d.Valid && d.Decision == "approve"),
                per_kind = decisions.GroupBy(d => d.Kind).ToDictionary(g => g.Key, g => new
                {
                    n = g.Count(), approve = g.Count(d => d.Decision == "approve"), review = g.Count(d => d.Decision == "review"),
                    reject = g.Count(d => d.Decision == "reject"), document_found = g.Count(d => d.DocumentFound),
                }),
                median_seconds = Median(decisions.Select(d => d.Seconds)),
                max_seconds = decisions.Max(d => d.Seconds),
            },
            median_seconds_per_file = Median(rows.Select(r => r.Seconds)),
        };
        Console.WriteLine(JsonSerializer.Serialize(summary, WireJson.Indented));
        return Commands.Ok;
    }

    private sealed record Row(string Family, string Capture, bool Recognised, int FieldsRight, int FieldsTotal, bool? MrzValid, double Seconds);

    private sealed record DecisionRow(string Family, string Kind, bool Valid, string Decision, IReadOnlyList<string> Reasons,
        IReadOnlyList<string> FalseReasons, bool DocumentFound, double Seconds);

    private static object Rates(List<Row> rows) => new
    {
        n = rows.Count,
        recognised = Pct(rows.Count(r => r.Recognised), rows.Count),
        fields = Pct(rows.Sum(r => r.FieldsRight), rows.Sum(r => r.FieldsTotal)),
        mrz_valid = Pct(rows.Count(r => r.MrzValid == true), rows.Count(r => r.MrzValid is not null)),
    };

    private static string Pct(int a, int b) => b == 0 ? "-" : $"{a}/{b} = {100.0 * a / b:0.0} %";

    private static double Median(IEnumerable<double> xs)
    {
        var l = xs.Order().ToList();
        return l.Count == 0 ? 0 : Math.Round(l[l.Count / 2], 2);
    }

    private static DocumentKind KindOf(string type) => type switch
    {
        DocumentTypes.Cie => DocumentKind.Cie,
        DocumentTypes.Passport => DocumentKind.Passport,
        DocumentTypes.DrivingLicence => DocumentKind.DrivingLicence,
        DocumentTypes.PaperId => DocumentKind.PaperId,
        _ => DocumentKind.Other,
    };

    private static DocumentSide SideOf(string name) => name is "back" or "outside" or "facing_page" ? DocumentSide.Back : DocumentSide.Front;

    /// <summary>The sides the procedure asks for: a passport's data page; both faces of a card.</summary>
    private static IEnumerable<DocumentSide> Wanted(Family family) =>
        family.DocumentType == DocumentTypes.Passport ? [DocumentSide.Front] : family.SideNames.Select(SideOf).Distinct();

    private static Row Measure(Family family, DrawnDocument doc, string capture, int seed, string? keep)
    {
        var files = capture switch
        {
            "scan300" => Captures.Scan300(doc, seed),
            "scan150" => Captures.Scan150(doc, seed),
            "photo" => doc.Sides.Select((s, i) => Captures.Phone(s, seed + i)).ToList(),
            "fax-fine" => [Captures.Fax(doc, FaxMode.Fine, g4: true, seed)],
            _ => [Captures.Fax(doc, FaxMode.Standard, g4: false, seed)],
        };
        var watch = Stopwatch.StartNew();
        var docs = new List<IdDocumentFacts>();
        var dir = keep is null ? Directory.CreateTempSubdirectory("verify-families-") : Directory.CreateDirectory(keep);
        try
        {
            var k = 0;
            foreach (var f in files)
            {
                var path = Path.Combine(dir.FullName, $"{family.Id}-{capture}-{seed}-{k++}{f.Extension}");
                File.WriteAllBytes(path, f.Bytes);
                var (_, _, read) = CheckCommand.Run(new CheckCommand.Options(path, null, null, null, new DateOnly(2026, 11, 23)), null, CancellationToken.None);
                if (read is not null) docs.AddRange(read.Documents);
            }
        }
        finally { if (keep is null) dir.Delete(recursive: true); }
        var seconds = watch.Elapsed.TotalSeconds;

        var kind = KindOf(family.DocumentType);
        var mine = docs.Where(d => d.Kind == kind).ToList();
        var sides = mine.SelectMany(d => d.Sides.Select(s => s.Side)).ToHashSet();
        var recognised = mine.Count > 0 && (kind == DocumentKind.Other || Wanted(family).All(sides.Contains));
        var truth = doc.Fields;
        var checks = new List<(string Name, string? Want, string? Got)>();
        if (kind != DocumentKind.Other)
        {
            string? Get(Func<IdDocumentFacts, string?> f) => mine.Select(f).FirstOrDefault(v => v is not null);
            string? Mrz(string key) => mine.Select(d => d.Mrz?.Result is { Valid: true } r && r.Fields.TryGetValue(key, out var v) && v.Length > 0 ? v : null).FirstOrDefault(v => v is not null);
            checks.Add(("number", truth.DocumentNumber, Get(d => d.Fields.Number?.Value) ?? Mrz("document_number")));
            checks.Add(("expiry_date", Iso(truth.ExpiryDate), Get(d => d.Fields.ExpiryDate is { } e ? Iso(e.Value) : null) ?? Mrz("expiry_date")));
            checks.Add(("surname", Fold(truth.Surname), Fold(Get(d => d.Fields.Surname?.Value) ?? Mrz("surname"))));
            checks.Add(("given_names", Fold(truth.GivenNames), Fold(Get(d => d.Fields.GivenNames?.Value) ?? Mrz("given_names"))));
            if (truth.Printed.Contains("codice_fiscale")) checks.Add(("codice_fiscale", truth.CodiceFiscale, Get(d => d.Fields.CodiceFiscale?.Value)));
        }
        var right = checks.Count(c => string.Equals(c.Want, c.Got, StringComparison.OrdinalIgnoreCase));
        bool? mrzValid = truth.Mrz.Count > 0 ? mine.Any(d => d.Mrz?.Result.Valid == true) : null;
        var found = string.Join(" ", docs.Select(d => $"{VerifyPipeline.Rules.Codes.Of(d.Kind)}[{string.Join(",", d.Sides.Select(s => $"{VerifyPipeline.Rules.Codes.Of(s.Side)}@{s.Page}"))}]"));
        Console.Error.WriteLine($"{(recognised ? "ok  " : "MISS")} {family.Id,-14} {capture,-12} {seconds,5:0.0}s fields {right}/{checks.Count} mrz {(mrzValid is null ? "-" : mrzValid.Value ? "valid" : "NOT")} found: {found}"
            + string.Concat(checks.Where(c => !string.Equals(c.Want, c.Got, StringComparison.OrdinalIgnoreCase)).Select(c => $" | {c.Name}: want {c.Want} got {c.Got ?? "-"}")));
        return new Row(family.Id, capture, recognised, right, checks.Count, mrzValid, seconds);
    }

    /// <summary>A submission decided with its true declared data, an online PIN held by the document's holder, judged on the
    /// request's date: a valid one must never be rejected, and a rejection's every reason must be true.</summary>
    private static DecisionRow Decide(Family family, DrawnDocument doc, Person person, SubmissionKind kind, int seed, string? keep)
    {
        var file = Submissions.Build(doc, person, kind, seed);
        var request = file.Label.Request!;
        var asOf = DateOnly.FromDateTime(request.CreatedAt.UtcDateTime);
        var dir = keep is null ? Directory.CreateTempSubdirectory("verify-families-") : Directory.CreateDirectory(keep);
        var watch = Stopwatch.StartNew();
        try
        {
            var path = Path.Combine(dir.FullName, file.FileName);
            File.WriteAllBytes(path, file.Bytes);
            var declared = request.Data with { Email = request.Data.Email ?? "cittadino@example.org" };
            var (report, _, read) = CheckCommand.Run(new CheckCommand.Options(path, null, "online", null, asOf, request.Data.CodiceFiscale), declared, CancellationToken.None);
            // A health card declared as a CIE: it is not an identity document, the declared CIE is absent. A paper card is
            // drawn in force, but ceased to be valid on 3 August 2026 (Reg. (EU) 2019/1157): after that it is expired.
            var paperExpired = family.DocumentType == DocumentTypes.PaperId && asOf > new DateOnly(2026, 8, 3);
            var valid = family.DocumentType != DocumentTypes.HealthCard && !paperExpired;
            string[] trueReasons = paperExpired ? ["ID_EXPIRED"] : valid ? [] : ["ID_TYPE_NOT_ACCEPTED", "ID_MISSING", "DOCUMENT_DATA_MISMATCH"];
            var falseReasons = report.Decision == Outcome.Reject ? report.Reasons.Where(r => !trueReasons.Contains(r)).ToList() : [];
            var found = read?.Documents.Any(d => d.Kind == KindOf(family.DocumentType)) == true;
            var seconds = watch.Elapsed.TotalSeconds;
            Console.Error.WriteLine($"{(report.Decision == Outcome.Reject && valid ? "FALSE-REJECT" : falseReasons.Count > 0 ? "FALSE-REASON" : "ok          ")} {family.Id,-14} {kind,-12} {seconds,5:0.0}s {report.Decision} [{string.Join(",", report.Reasons)}] document found: {found}");
            if (report.Decision == Outcome.Reject && (valid || falseReasons.Count > 0))
                Console.Error.WriteLine("             what was found: " + string.Join(" ", (read?.Documents ?? []).Select(d => $"{VerifyPipeline.Rules.Codes.Of(d.Kind)}[{string.Join(",", d.Sides.Select(s => $"{VerifyPipeline.Rules.Codes.Of(s.Side)}@{s.Page}"))}]"))
                    + $"; form@{read?.Form.Page}; pages {read?.Pages.Count}; unplaced print on [{string.Join(",", read?.UnplacedPrint ?? [])}]");
            return new DecisionRow(family.Id, kind.ToString(), valid, Codes.Of(report.Decision), report.Reasons, falseReasons, found, seconds);
        }
        finally { if (keep is null) dir.Delete(recursive: true); }
    }

    private static string Iso(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string? Fold(string? name) => name is null ? null
        : new string(VerifyPipeline.Worker.Reading.Documents.TextDocumentReader.Normal(name).Where(char.IsAsciiLetter).ToArray());
}
