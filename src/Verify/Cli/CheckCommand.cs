using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Configuration;
using VerifyPipeline.Cases;
using VerifyPipeline.Rules;
using VerifyPipeline.Rules.Decisions;
using VerifyPipeline.Rules.Facts;
using VerifyPipeline.Worker.Documents;
using VerifyPipeline.Decisions;
using VerifyPipeline.Worker.Reading;
using VerifyPipeline.Worker.Pipeline;
using VerifyPipeline.Worker.Reading.Ocr;

namespace VerifyPipeline.Cli;

/// <summary><c>verify check FILE …</c> (DESIGN.md contract): one JSON report on stdout; exit 0 for any decision,
/// 2 for usage errors, 3 when the file could not be read at all (still with a report). Sniff → unpack → pages → read
/// (<see cref="SubmissionReader"/>) → rules and policy, in-process, the pipeline's own runner (<see cref="SubmissionRunner"/>)
/// with the budgets and the policy of the worker's configuration (<c>Pipeline:*</c> from appsettings.json and environment
/// variables such as <c>Pipeline__Policy__AutoRejectReasons__0</c>). The form's QR is verified with VERIFY_FORM_HMAC_KEY,
/// else the development key (as `verify form`).</summary>
public static class CheckCommand
{
    private static readonly string[] PinStatuses = ["online", "dispositivo", "revoked", "unknown"];

    /// <summary>The wire JSON (<see cref="WireJson"/>), indented.</summary>
    internal static JsonSerializerOptions Json => WireJson.Indented;

    public static async Task<int> RunAsync(string[] args)
    {
        var options = Parse(args);
        var (report, exit) = await Task.Run(() => Check(options, CancellationToken.None));
        await Console.Out.WriteLineAsync(JsonSerializer.Serialize(report, Json));
        return exit;
    }

    /// <param name="PinHolderCf">The PIN registry's codice fiscale for the PIN (the pipeline reads it from the registry).</param>
    /// <param name="RequestId">The request's id, as the pipeline knows it (the identity rule compares the form's QR with it).</param>
    internal sealed record Options(string File, string? Cf, string? PinStatus, string? DeclaredFile, DateOnly? AsOf, string? PinHolderCf = null, string? RequestId = null);

    internal static Options Parse(string[] args)
    {
        string? file = null, cf = null, pin = null, declared = null, holder = null;
        DateOnly? asOf = null;
        for (int i = 0; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : throw new UsageException($"option {args[i]} needs a value");
            switch (args[i])
            {
                case "--cf": cf = Value(); break;
                case "--pin-holder-cf":
                    holder = Value().Trim().ToUpperInvariant();
                    if (!VerifyPipeline.Rules.Identity.CodiceFiscale.Parse(holder, DateOnly.FromDateTime(DateTime.UtcNow)).Valid)
                        throw new UsageException($"--pin-holder-cf '{holder}' is not a valid codice fiscale");
                    break;
                case "--pin-status":
                    pin = Value();
                    if (!PinStatuses.Contains(pin)) throw new UsageException($"--pin-status must be one of {string.Join('|', PinStatuses)}, not '{pin}'");
                    break;
                case "--declared":
                    declared = Value();
                    if (!File.Exists(declared)) throw new UsageException($"--declared file '{declared}' does not exist");
                    break;
                case "--as-of":
                    var text = Value();
                    if (!DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d))
                        throw new UsageException($"--as-of must be a date YYYY-MM-DD, not '{text}'");
                    asOf = d;
                    break;
                case var a when a.StartsWith('-') && a.Length > 1:
                    throw new UsageException($"unknown option '{a}' for check");
                default:
                    if (file is not null) throw new UsageException($"check takes one FILE, got '{file}' and '{args[i]}'");
                    file = args[i];
                    break;
            }
        }
        if (file is null) throw new UsageException("check needs a FILE");
        if (!File.Exists(file)) throw new UsageException($"file '{file}' does not exist");
        return new Options(file, cf, pin, declared, asOf, holder);
    }

    internal static (CaseReport Report, int ExitCode) Check(string file, CancellationToken ct) => Check(new Options(file, null, null, null, null), ct);

    internal static (CaseReport Report, int ExitCode) Check(Options options, CancellationToken ct) {
        var (report, exit, _) = Run(options, null, ct);
        return (report, exit);
    }

    /// <summary>The pipeline's runner, in-process: unpack, pages, read, then the rules and the policy on what is known
    /// (the PIN status given, the declared data). A file that cannot be opened is the fact UNREADABLE_FILE, decided by the
    /// rules and the policy like any other (exit 3).</summary>
    /// <param name="declaredData">The declared request when the caller has it in hand (`verify eval`) instead of a file.</param>
    /// <param name="runner">Another configuration's runner (tests); this process's when null.</param>
    internal static (CaseReport Report, int ExitCode, SubmissionRead? Read) Run(Options options, RequestData? declaredData, CancellationToken ct, SubmissionRunner? runner = null)
    {
        runner ??= Runner.Value;
        var file = options.File;
        var total = Stopwatch.StartNew();
        long unpackMs = 0, pagesMs = 0, readMs = 0;
        var inputs = new List<PageInput>();
        var pages = new List<PageInfo>();
        var parts = new List<PartReport>();
        var notes = new List<string>();
        var workDir = Path.Combine(Path.GetTempPath(), "verify-check-" + Guid.NewGuid().ToString("N"));
        var declared = declaredData ?? (options.DeclaredFile is null ? null : ReadDeclared(options.DeclaredFile));
        if (options.Cf is { } cf) declared = (declared ?? EmptyDeclared) with { CodiceFiscale = cf.Trim().ToUpperInvariant() };
        var asOf = options.AsOf ?? DateOnly.FromDateTime(DateTime.UtcNow);
        var pinStatus = options.PinStatus switch
        {
            "online" => PinStatus.Online,
            "dispositivo" => PinStatus.Dispositivo,
            "revoked" => PinStatus.Revoked,
            _ => PinStatus.Unknown,
        };
        var pinKnown = options.PinStatus is not null;
        try
        {
            var name = Path.GetFileName(file);
            var kind = Sniff(file);
            var step = Stopwatch.StartNew();
            var unpacked = runner.Unpack(file, name, kind, workDir, ct);
            unpackMs = step.ElapsedMilliseconds;
            notes.AddRange(unpacked.Notes);
            step.Restart();
            parts.AddRange(unpacked.Files.Select(part => new PartReport(part.Source, part.Kind.ToString().ToLowerInvariant(), part.SizeBytes, part.Sha256)));
            foreach (var (index, page) in runner.Pages(unpacked.Files.Select(f => (f.Path, f.Source, f.Kind)), ct))
            {
                inputs.Add(new PageInput(index, page.Source, page.Bytes, page.DpiX, page.DpiY));
                pages.Add(new PageInfo(index, page.Source, page.WidthPx, page.HeightPx, page.DpiX, page.DpiY,
                    Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(page.Bytes)), page.MediaType, page.Origin, page.Note));
            }
            pagesMs = step.ElapsedMilliseconds;
            step.Restart();
            var key = Environment.GetEnvironmentVariable("VERIFY_FORM_HMAC_KEY") is { Length: > 0 } k ? k : VerifyPipeline.Cases.Forms.FormQr.DevelopmentKey;
            var read = runner.Read(inputs, key, asOf, ct);
            readMs = step.ElapsedMilliseconds;
            var facts = Assessment.FactsFor(options.RequestId, declared, pinStatus, options.PinHolderCf, asOf, read);
            var decision = runner.Decide(facts, pinKnown);
            return (Assessment.Report(decision, pages, read, facts) with
            {
                TimingsMs = new TimingsReport(total.ElapsedMilliseconds, unpackMs, pagesMs, readMs, read.TimingsMs), Parts = parts, Notes = notes,
            }, Commands.Ok, read);
        }
        catch (BadInputException e)
        {
            var facts = SubmissionRunner.Unreadable(Assessment.FactsFor(options.RequestId, declared, pinStatus, options.PinHolderCf, asOf), e);
            var decision = runner.Decide(facts, pinKnown);
            return (Assessment.Report(decision, pages, facts: facts) with
            {
                TimingsMs = new TimingsReport(total.ElapsedMilliseconds, unpackMs, pagesMs, readMs, null), Parts = parts, Notes = notes, Error = e.Message,
            }, Commands.Unreadable, null);
        }
        finally
        {
            if (Directory.Exists(workDir)) Directory.Delete(workDir, recursive: true);
        }
    }

    private static readonly RequestData EmptyDeclared = new("", "", "", "", default, null, null, null, new VerifyPipeline.Cases.DeclaredDocument("", "", null, null, default));

    /// <summary>The body of POST /api/requests (DESIGN.md), snake_case.</summary>
    private static RequestData ReadDeclared(string path)
    {
        try
        {
            return JsonSerializer.Deserialize<RequestData>(File.ReadAllText(path), WireJson.Options)
                ?? throw new UsageException($"--declared file '{path}' is empty");
        }
        catch (JsonException e) { throw new UsageException($"--declared file '{path}' is not the JSON body of POST /api/requests: {e.Message}"); }
    }

    private static FileKind Sniff(string file)
    {
        Span<byte> head = stackalloc byte[FileSniffer.HeaderBytes];
        using var fs = File.OpenRead(file);
        int n = fs.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        return FileSniffer.Sniff(head[..n]);
    }

    /// <summary>One engine pool per process (engines load the ita+eng model once).</summary>
    internal static readonly Lazy<OcrEnginePool> Ocr = new(() => new OcrEnginePool());

    /// <summary>The runner of this process's configuration, as the worker binds and validates it.</summary>
    internal static readonly Lazy<SubmissionRunner> Runner = new(() =>
    {
        var config = new ConfigurationBuilder().AddVerifyPipelineDefaults()
            .AddJsonFile(Path.Combine(Directory.GetCurrentDirectory(), "appsettings.json"), optional: true)
            .AddEnvironmentVariables().Build();
        var runner = SubmissionRunner.FromConfiguration(config, Ocr.Value);
        try { _ = runner.Options; _ = runner.Policy; }
        catch (Microsoft.Extensions.Options.OptionsValidationException e) { throw new UsageException($"the configuration is not valid: {string.Join(" ", e.Failures)}"); }
        return runner;
    });

}
