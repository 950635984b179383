using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using VerifyPipeline.Cases;
using VerifyPipeline.Decisions;
using VerifyPipeline.Rules;
using VerifyPipeline.Rules.Decisions;
using VerifyPipeline.Rules.Facts;
using VerifyPipeline.Worker.Documents;
using VerifyPipeline.Worker.Reading;
using VerifyPipeline.Worker.Reading.Ocr;

namespace VerifyPipeline.Worker.Pipeline;

/// <summary>The steps of one submission — unpack → pages → read → decide — with the budgets (<see cref="PipelineOptions"/>)
/// and the policy (<see cref="DecisionOptions"/>) of one configuration: the same code for the Hangfire jobs
/// (<see cref="CasePipeline"/>, which persists between the steps) and for <c>verify check/eval/bench</c> (in memory).
/// Bad input is a fact (<see cref="SubmissionFacts.UnreadableFile"/>) that goes through the rules and the policy like
/// every other (issue 12).</summary>
public sealed class SubmissionRunner(IOptions<PipelineOptions> options, IOptions<DecisionOptions> decisions, OcrEnginePool ocr)
{
    public PipelineOptions Options => options.Value;
    public DecisionPolicy Policy => decisions.Value.Policy;

    /// <summary>The runner of a configuration outside a host (<c>verify check</c>): options bound and validated by the
    /// same code as the worker's (<see cref="PipelineServices.AddRunner"/>).</summary>
    public static SubmissionRunner FromConfiguration(IConfiguration config, OcrEnginePool ocr)
    {
        var services = new ServiceCollection().AddSingleton(config).AddSingleton(ocr).AddRunner().BuildServiceProvider();
        return services.GetRequiredService<SubmissionRunner>();
    }

    /// <summary>1. The one file to its leaf files (archives opened within <see cref="PipelineOptions.Unpack"/>).</summary>
    public UnpackResult Unpack(string path, string name, FileKind kind, string workDir, CancellationToken ct) =>
        Unpacker.Unpack(path, name, kind, options.Value.Unpack, workDir, ct);

    /// <summary>2. Every page of every leaf file, in order, numbered from 1; more than <see cref="PageBudget.MaxPages"/> in
    /// all is bad input (a file's own page count is checked by <see cref="PageExtractor"/>).</summary>
    public IEnumerable<(int Index, PageImage Page)> Pages(IEnumerable<(string Path, string Source, FileKind Kind)> parts, CancellationToken ct)
    {
        var budget = options.Value.Pages;
        var index = 0;
        foreach (var part in parts)
            foreach (var page in PageExtractor.Extract(part.Path, part.Source, part.Kind, budget, ct))
            {
                if (++index > budget.MaxPages)
                    throw new BadInputException(ReasonCodes.UnreadableFile,
                        $"The file has more than {budget.MaxPages} pages. Send only the signed form and the identity document, front and back.");
                yield return (index, page);
            }
    }

    /// <summary>3. Read: form, document sides, fields, MRZ, signatures, legibility.</summary>
    public SubmissionRead Read(IEnumerable<PageInput> pages, string formKey, DateOnly asOf, CancellationToken ct) =>
        SubmissionReader.Read(pages, formKey, ocr, asOf, ct);

    /// <summary>4. Decide: the rules and the configured policy on the facts.</summary>
    /// <param name="pinKnown">False when nobody told the PIN's status (`verify check` without --pin-status).</param>
    public Decision Decide(SubmissionFacts facts, bool pinKnown = true) =>
        Assessment.Decide(facts, decisions.Value.Policy, RuleContext.For(facts.RequestDate), pinKnown);

    /// <summary>The facts of a file that could not be opened: nothing read, the reader's explanation as the fact.</summary>
    public static SubmissionFacts Unreadable(SubmissionFacts facts, BadInputException e) => facts with { UnreadableFile = e.Message };
}
