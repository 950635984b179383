using Hangfire;
using Npgsql;
using VerifyPipeline.Cases;

namespace VerifyPipeline.Cases.Tests.Storage;

/// <summary>The job queue on a real PostgreSQL: what happens to the job of a worker killed with SIGKILL.</summary>
public sealed class JobStorageTests
{

    [Fact]
    public async Task AbandonedJob_IsTakenBeforeLaterJobs_OnceHandedBack_AndALiveWorkersJobIsLeftAlone()
    {
        var o = new JobOptions { Provider = JobProvider.Postgres, Connection = TestBackends.NewPostgresDatabase() };
        var storage = JobStorageSetup.Create(o);
        var client = new BackgroundJobClient(storage);
        string[] queues = ["default"];
        var a = client.Enqueue(() => QueuedWork.Run("a"));
        using var connection = storage.GetConnection();
        // a worker takes A and is killed: the fetch is neither removed nor kept alive; its timeout passes
        Assert.Equal(a, connection.FetchNextJob(queues, CancellationToken.None).JobId);
        await using (var pg = new NpgsqlConnection(o.Connection))
        {
            await pg.OpenAsync();
            await using var age = new NpgsqlCommand("update hangfire.jobqueue set fetchedat = fetchedat - @by where jobid = @id", pg);
            age.Parameters.AddWithValue("by", o.InvisibilityTimeout + TimeSpan.FromSeconds(1));
            age.Parameters.AddWithValue("id", long.Parse(a));
            Assert.Equal(1, await age.ExecuteNonQueryAsync());
        }
        var b = client.Enqueue(() => QueuedWork.Run("b"));
        var c = client.Enqueue(() => QueuedWork.Run("c"));

        // Hangfire.PostgreSql on its own takes every job never fetched before the abandoned one (fetchedat NULLS FIRST)
        var live = connection.FetchNextJob(queues, CancellationToken.None);
        Assert.Equal(b, live.JobId);
        // handed back: A is first again, ahead of C, which came after it; B, fetched by a live worker, stays with it
        Assert.Equal(1, await JobStorageSetup.RequeueAbandonedAsync(o, CancellationToken.None));
        Assert.Equal(a, connection.FetchNextJob(queues, CancellationToken.None).JobId);
        Assert.Equal(c, connection.FetchNextJob(queues, CancellationToken.None).JobId);
        live.RemoveFromQueue();
    }

    /// <summary>Later stages first (issue 14): with a backlog of every stage, a worker takes a decision before a read, a read
    /// before making pages, and unpacks a new file last, on both job stores.</summary>
    [Theory]
    [InlineData(JobProvider.InMemory)]
    [InlineData(JobProvider.Postgres)]
    public void StageQueues_AreServedLaterStagesFirst_OnBothStores(JobProvider provider)
    {
        var o = new JobOptions { Provider = provider, Connection = provider == JobProvider.Postgres ? TestBackends.NewPostgresDatabase() : null };
        var storage = JobStorageSetup.Create(o);
        var client = new BackgroundJobClient(storage);
        // enqueued in the order a backlog builds up: first stages first, and one job left in the old shared queue
        var unpack = client.Create(() => QueuedWork.Run("unpack"), new Hangfire.States.EnqueuedState(StageQueues.Unpack));
        var old = client.Create(() => QueuedWork.Run("old"), new Hangfire.States.EnqueuedState("default"));
        var pages = client.Create(() => QueuedWork.Run("pages"), new Hangfire.States.EnqueuedState(StageQueues.Pages));
        var read = client.Create(() => QueuedWork.Run("read"), new Hangfire.States.EnqueuedState(StageQueues.Read));
        var decide = client.Create(() => QueuedWork.Run("decide"), new Hangfire.States.EnqueuedState(StageQueues.Decide));
        var resume = client.Create(() => QueuedWork.Run("resume"), new Hangfire.States.EnqueuedState(StageQueues.Resume));

        using var connection = storage.GetConnection();
        var taken = new List<string>();
        for (var i = 0; i < 6; i++)
        {
            using var job = connection.FetchNextJob(StageQueues.InPriority, CancellationToken.None);
            taken.Add(job.JobId);
            job.RemoveFromQueue();
        }
        Assert.Equal([resume, decide, read, pages, old, unpack], taken);
        Assert.Equal(StageQueues.InPriority.Order(StringComparer.Ordinal), StageQueues.InPriority);
    }

    /// <summary>Each stage's job goes to its own queue, the one <see cref="StageQueues"/> names (Hangfire reads the attribute
    /// when the job is created, from the method the expression calls).</summary>
    [Fact]
    public void EachStage_NamesItsQueue()
    {
        var entry = typeof(IPipelineEntry).GetMethod(nameof(IPipelineEntry.Resume))!;
        Assert.Equal(StageQueues.Resume, entry.GetCustomAttributes(typeof(QueueAttribute), false).Cast<QueueAttribute>().Single().Queue);
    }

    [Fact]
    public async Task RequeueAbandoned_DoesNothing_WithTheInMemoryStore()
        => Assert.Equal(0, await JobStorageSetup.RequeueAbandonedAsync(new JobOptions { Provider = JobProvider.InMemory }, CancellationToken.None));
}

/// <summary>What the queued jobs would run (never run here: the test only fetches them).</summary>
public static class QueuedWork
{
    public static void Run(string name) => Console.WriteLine(name);
}
