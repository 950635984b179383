using VerifyPipeline.Worker.Documents;

namespace VerifyPipeline.Worker.Pipeline;

public sealed class PipelineOptions
{
    public const string Section = "Pipeline";
    /// <summary>Where stages unpack and render (defaults to the system temp folder); each run gets its own subfolder, deleted after.</summary>
    public string? WorkFolder { get; set; }
    /// <summary>At start, left-over <c>vp-*</c> work folders under <see cref="WorkFolder"/> untouched this long are removed (a killed stage leaves its folder).</summary>
    public TimeSpan WorkFolderCleanupAfter { get; set; } = TimeSpan.FromMinutes(15);
    public UnpackBudget Unpack { get; set; } = new();
    public PageBudget Pages { get; set; } = new();
    /// <summary>A Received or Processing case untouched this long is re-enqueued by the sweep (jobs are idempotent).</summary>
    public TimeSpan StuckAfter { get; set; } = TimeSpan.FromMinutes(10);
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromMinutes(1);
    /// <summary>The notice to the PIN's holder that goes with an approval (<see cref="PinNotices"/>).</summary>
    public NoticeOptions Notice { get; set; } = new();
    /// <summary>Which certain failures the machine may reject on its own; everything else goes to a person.</summary>
    public VerifyPipeline.Rules.Decisions.DecisionPolicy Policy { get; set; } = new();
}

/// <summary><c>Pipeline:Notice</c>: what the notice of an approval gives its reader.</summary>
public sealed class NoticeOptions
{
    /// <summary>The public address the citizen opens the "non sono stato io" link at (the host serving the ingest API).</summary>
    public string LinkBase { get; set; } = "http://127.0.0.1:5080";
    /// <summary>The contact centre's number, printed in every notice.</summary>
    public string ContactCentre { get; set; } = "803 164";
    /// <summary>How long the link works after the notice: past the cooling-off, a dispute turns a converted PIN back to online.</summary>
    public TimeSpan LinkValidFor { get; set; } = TimeSpan.FromDays(14);
}
