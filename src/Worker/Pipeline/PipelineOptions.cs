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
    // The decision policy (Pipeline:Policy) is VerifyPipeline.Decisions.DecisionOptions: the review host uses it too.
}
