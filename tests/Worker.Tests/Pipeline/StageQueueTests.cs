using Hangfire;
using VerifyPipeline.Cases;
using VerifyPipeline.Worker.Pipeline;

namespace VerifyPipeline.Worker.Tests.Pipeline;

/// <summary>Each stage of the pipeline is enqueued on its own queue (issue 14: later stages first); the order in which a
/// worker serves them is tested on both job stores in Cases.Tests (JobStorageTests).</summary>
public sealed class StageQueueTests
{
    [Theory]
    [InlineData(nameof(CasePipeline.Resume), StageQueues.Resume)]
    [InlineData(nameof(CasePipeline.Unpack), StageQueues.Unpack)]
    [InlineData(nameof(CasePipeline.Pages), StageQueues.Pages)]
    [InlineData(nameof(CasePipeline.Read), StageQueues.Read)]
    [InlineData(nameof(CasePipeline.Decide), StageQueues.Decide)]
    public void EachStage_IsEnqueuedOnItsOwnQueue(string stage, string queue)
    {
        var method = typeof(CasePipeline).GetMethod(stage)!;
        var attribute = Assert.Single(method.GetCustomAttributes(typeof(QueueAttribute), false).Cast<QueueAttribute>());
        Assert.Equal(queue, attribute.Queue);
        Assert.Contains(queue, StageQueues.InPriority);
    }
}
