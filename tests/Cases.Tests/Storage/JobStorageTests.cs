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

    [Fact]
    public async Task RequeueAbandoned_DoesNothing_WithTheInMemoryStore()
        => Assert.Equal(0, await JobStorageSetup.RequeueAbandonedAsync(new JobOptions { Provider = JobProvider.InMemory }, CancellationToken.None));
}

/// <summary>What the queued jobs would run (never run here: the test only fetches them).</summary>
public static class QueuedWork
{
    public static void Run(string name) => Console.WriteLine(name);
}
