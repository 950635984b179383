using Npgsql;
using VerifyPipeline.Cases;

namespace VerifyPipeline.Cases.Tests.Storage;

/// <summary>The real backends the test script starts: a throwaway PostgreSQL cluster (VP_TEST_POSTGRES) and Azurite
/// (VP_TEST_AZURITE), both on loopback. Missing variables fail the test with a message: run ./test.sh.</summary>
public static class TestBackends
{
    public static string Postgres => Environment.GetEnvironmentVariable("VP_TEST_POSTGRES")
        ?? throw new InvalidOperationException("VP_TEST_POSTGRES is not set: run the tests with ./test.sh, which starts PostgreSQL.");
    public static string Azurite => Environment.GetEnvironmentVariable("VP_TEST_AZURITE")
        ?? throw new InvalidOperationException("VP_TEST_AZURITE is not set: run the tests with ./test.sh, which starts Azurite.");

    /// <summary>A fresh database on the test cluster, so test classes never see each other's rows.</summary>
    public static string NewPostgresDatabase()
    {
        var name = "vp_" + Guid.NewGuid().ToString("N")[..12];
        using (var c = new NpgsqlConnection(Postgres))
        {
            c.Open();
            using var cmd = new NpgsqlCommand($"create database {name}", c);
            cmd.ExecuteNonQuery();
        }
        return new NpgsqlConnectionStringBuilder(Postgres) { Database = name }.ToString();
    }

    public static string NewContainerName() => "t" + Guid.NewGuid().ToString("N")[..20];

    public static async Task<CaseStore> StoreAsync(string backend, string tempDir)
    {
        var db = backend == "postgres"
            ? new Database(CaseDbProvider.Postgres, NewPostgresDatabase(), tempDir)
            : new Database(CaseDbProvider.Sqlite, Path.Combine(tempDir, "cases.db"), tempDir);
        await db.MigrateAsync();
        return new CaseStore(db, TimeProvider.System);
    }

    public static IBlobStore Blobs(string backend, string tempDir) => backend == "azure"
        ? new AzureBlobStore(Azurite, NewContainerName())
        : new FolderBlobStore(Path.Combine(tempDir, "blobs"));
}

public sealed class TempDir : IDisposable
{
    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "vp-test-" + Guid.NewGuid().ToString("N"));
    public TempDir() => Directory.CreateDirectory(Path);
    public void Dispose() { try { Directory.Delete(Path, true); } catch (IOException) { } }
}
