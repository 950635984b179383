using System.Text;
using VerifyPipeline.Cases;

namespace VerifyPipeline.Cases.Tests.Storage;

/// <summary>Both blob backends: a local folder (embedded) and Azure Blob Storage through a real Azurite.</summary>
public sealed class BlobStoreTests : IDisposable
{
    private readonly TempDir _tmp = new();
    public void Dispose() => _tmp.Dispose();

    public static TheoryData<string> Backends => new() { "folder", "azure" };

    [Theory, MemberData(nameof(Backends))]
    public async Task PutIfAbsent_KeepsFirstContent_WhenKeyExists(string backend)
    {
        var blobs = TestBackends.Blobs(backend, _tmp.Path);
        var key = BlobKeys.ForContent(new string('a', 64));
        await blobs.PutIfAbsentAsync(key, new MemoryStream(Encoding.ASCII.GetBytes("first")));
        await blobs.PutIfAbsentAsync(key, new MemoryStream(Encoding.ASCII.GetBytes("second")));
        await using var s = await blobs.OpenReadAsync(key);
        Assert.Equal("first", await new StreamReader(s).ReadToEndAsync());
        Assert.True(await blobs.ExistsAsync(key));
    }

    [Theory, MemberData(nameof(Backends))]
    public async Task OpenRead_ThrowsFileNotFound_WhenMissing(string backend)
    {
        var blobs = TestBackends.Blobs(backend, _tmp.Path);
        await Assert.ThrowsAsync<FileNotFoundException>(() => blobs.OpenReadAsync(BlobKeys.ForContent(new string('b', 64))));
    }

    [Theory, MemberData(nameof(Backends))]
    public async Task PutIfAbsent_StoresOneBlob_WhenRacedConcurrently(string backend)
    {
        var blobs = TestBackends.Blobs(backend, _tmp.Path);
        var key = BlobKeys.ForContent(new string('c', 64));
        var payload = new byte[300_000];
        Random.Shared.NextBytes(payload);
        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => blobs.PutIfAbsentAsync(key, new MemoryStream(payload))));
        await using var s = await blobs.OpenReadAsync(key);
        var copy = new MemoryStream();
        await s.CopyToAsync(copy);
        Assert.Equal(payload, copy.ToArray());
    }

    [Fact]
    public async Task FolderStore_RefusesKeysThatEscapeIt()
    {
        var blobs = new FolderBlobStore(Path.Combine(_tmp.Path, "b"));
        await Assert.ThrowsAsync<ArgumentException>(() => blobs.PutIfAbsentAsync("../evil", new MemoryStream([1])));
    }
}
