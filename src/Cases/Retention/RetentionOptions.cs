namespace VerifyPipeline.Cases.Retention;

/// <summary>How long each kind of personal data is kept (docs/data-retention.md). Case data is counted from the case's
/// decision; outbox messages from their delivery (or from when delivery was given up); quarantined files from their
/// last change. Cases not decided (open, in review, needing attention) keep everything. The defaults are a starting
/// point, not legal advice: the data protection officer sets them for the deployment.</summary>
public sealed class RetentionOptions
{
    public const string Section = "Retention";
    /// <summary>Page images, unpacked parts and signature crops of a decided case: the first to go.</summary>
    public TimeSpan PageImages { get; set; } = TimeSpan.FromDays(30);
    /// <summary>The original file as received, its name and the channel's metadata (a fax's caller number).</summary>
    public TimeSpan Originals { get; set; } = TimeSpan.FromDays(90);
    /// <summary>The stored report (values read from the documents, the facts the rules saw) and reviewers' notes.</summary>
    public TimeSpan Reports { get; set; } = TimeSpan.FromDays(180);
    /// <summary>The request's personal fields (PIN, codice fiscale, names, birth, contacts, declared document), counted
    /// from the last decision of its cases (from its creation when it has none).</summary>
    public TimeSpan Requests { get; set; } = TimeSpan.FromDays(365);
    /// <summary>The citizen's message: address and body in the outbox, and its <c>.eml</c> file in folder mode.</summary>
    public TimeSpan OutboxMessages { get; set; } = TimeSpan.FromDays(90);
    /// <summary>Files the fax inbox could not take (and their <c>.reason.txt</c>).</summary>
    public TimeSpan Quarantine { get; set; } = TimeSpan.FromDays(30);
    /// <summary>How often the purge runs (on every process that runs jobs; each step is conditional, so two at once do it once).</summary>
    public TimeSpan PurgeInterval { get; set; } = TimeSpan.FromHours(1);
    /// <summary>Rows taken per query in a pass.</summary>
    public int BatchSize { get; set; } = 200;

    /// <summary>Every problem, each naming the key to fix: periods positive, and a decided case's data going in the order
    /// images ≤ originals ≤ reports ≤ requests (an original outliving its pages is fine; a report outliving the request
    /// it judged, or pages outliving their original, is not what anyone meant).</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        foreach (var (key, value) in new[] { (nameof(PageImages), PageImages), (nameof(Originals), Originals), (nameof(Reports), Reports),
                     (nameof(Requests), Requests), (nameof(OutboxMessages), OutboxMessages), (nameof(Quarantine), Quarantine) })
            if (value <= TimeSpan.Zero) errors.Add($"{Section}:{key} must be a positive duration (e.g. 30.00:00:00 for 30 days); it is {value}.");
        if (PurgeInterval < TimeSpan.FromMinutes(1) || PurgeInterval > TimeSpan.FromDays(1))
            errors.Add($"{Section}:{nameof(PurgeInterval)} must be between 00:01:00 and 1.00:00:00; it is {PurgeInterval}.");
        if (BatchSize is < 1 or > 10_000) errors.Add($"{Section}:{nameof(BatchSize)} must be between 1 and 10000; it is {BatchSize}.");
        var order = new[] { (nameof(PageImages), PageImages), (nameof(Originals), Originals), (nameof(Reports), Reports), (nameof(Requests), Requests) };
        for (var i = 1; i < order.Length; i++)
            if (order[i].Item2 < order[i - 1].Item2)
                errors.Add($"{Section}:{order[i].Item1} ({order[i].Item2}) is shorter than {Section}:{order[i - 1].Item1} ({order[i - 1].Item2}): " +
                    "a decided case's data go in the order page images, originals, reports, requests.");
        return errors;
    }
}
