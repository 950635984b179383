using System.ComponentModel.DataAnnotations;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;

namespace VerifyPipeline.Cases;

public enum BlobProvider { Folder, Azure }

public sealed class BlobOptions
{
    public const string Section = "Storage:Blobs";
    public BlobProvider Provider { get; set; } = BlobProvider.Folder;
    /// <summary>Folder: a path (relative to the content root). Azure: a storage connection string.</summary>
    [Required] public string Connection { get; set; } = "data/blobs";
    public string Container { get; set; } = "verifypipeline";
}

/// <summary>Immutable blobs by key. Two backends (a local folder, Azure Blob Storage), chosen by configuration.</summary>
public interface IBlobStore
{
    /// <summary>Writes the blob unless a blob with that key already exists (keys are content hashes: same key, same bytes).</summary>
    Task PutIfAbsentAsync(string key, Stream content, CancellationToken ct = default);
    /// <summary>Like <see cref="PutIfAbsentAsync(string, Stream, CancellationToken)"/> from a local file, which the store
    /// may take over (the folder store renames it into place instead of copying it).</summary>
    Task PutFileIfAbsentAsync(string key, string path, CancellationToken ct = default);
    Task<Stream> OpenReadAsync(string key, CancellationToken ct = default);
    Task<bool> ExistsAsync(string key, CancellationToken ct = default);
    Task DeleteAsync(string key, CancellationToken ct = default);
    Task PingAsync(CancellationToken ct = default);
}

public sealed class FolderBlobStore : IBlobStore
{
    private readonly string _root;
    public FolderBlobStore(string root) { _root = Path.GetFullPath(root); PrivateFiles.EnsureFolder(_root); }

    private string PathOf(string key)
    {
        var p = Path.GetFullPath(Path.Combine(_root, key));
        if (!p.StartsWith(_root + Path.DirectorySeparatorChar, StringComparison.Ordinal)) throw new ArgumentException("Blob key escapes the store.", nameof(key));
        return p;
    }

    public async Task PutIfAbsentAsync(string key, Stream content, CancellationToken ct = default)
    {
        var target = PathOf(key);
        if (File.Exists(target)) return;
        PrivateFiles.EnsureFolder(Path.GetDirectoryName(target)!);
        var tmp = target + "." + Guid.NewGuid().ToString("N") + ".tmp";
        try
        {
            await using (var f = PrivateFiles.CreateNew(tmp, 81920, FileOptions.Asynchronous))
                await content.CopyToAsync(f, ct);
            // rename(2) is atomic: readers see the whole blob or none. Losing the race to an identical blob is fine.
            try { File.Move(tmp, target, overwrite: false); }
            catch (IOException) when (File.Exists(target)) { }
        }
        finally { if (File.Exists(tmp)) File.Delete(tmp); }
    }

    public Task PutFileIfAbsentAsync(string key, string path, CancellationToken ct = default)
    {
        var target = PathOf(key);
        if (File.Exists(target)) return Task.CompletedTask;
        PrivateFiles.EnsureFolder(Path.GetDirectoryName(target)!);
        // Take the file over instead of copying its bytes: a rename into a staging name beside the target (a copy
        // only when the temp folder is on another file system), then an atomic rename(2) to the target.
        var staging = target + "." + Guid.NewGuid().ToString("N") + ".tmp";
        try
        {
            File.Move(path, staging);
            PrivateFiles.Restrict(staging); // a fax keeps the gateway's mode, an upload its temp file's
            try { File.Move(staging, target, overwrite: false); }
            catch (IOException) when (File.Exists(target)) { }
        }
        finally { if (File.Exists(staging)) File.Delete(staging); }
        return Task.CompletedTask;
    }

    public Task<Stream> OpenReadAsync(string key, CancellationToken ct = default)
    {
        var p = PathOf(key);
        if (!File.Exists(p)) throw new FileNotFoundException($"Blob {key} not found.");
        return Task.FromResult<Stream>(new FileStream(p, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, FileOptions.Asynchronous | FileOptions.SequentialScan));
    }

    public Task<bool> ExistsAsync(string key, CancellationToken ct = default) => Task.FromResult(File.Exists(PathOf(key)));

    public Task DeleteAsync(string key, CancellationToken ct = default) { File.Delete(PathOf(key)); return Task.CompletedTask; }

    public Task PingAsync(CancellationToken ct = default)
    {
        if (!Directory.Exists(_root)) throw new DirectoryNotFoundException($"Blob folder {_root} is missing.");
        return Task.CompletedTask;
    }
}

public sealed class AzureBlobStore : IBlobStore
{
    private readonly BlobContainerClient _container;
    private volatile bool _ready;

    public AzureBlobStore(string connectionString, string container)
    {
        _container = new BlobContainerClient(connectionString, container);
    }

    private async Task EnsureContainerAsync(CancellationToken ct)
    {
        if (_ready) return;
        await _container.CreateIfNotExistsAsync(cancellationToken: ct);
        _ready = true;
    }

    public async Task PutIfAbsentAsync(string key, Stream content, CancellationToken ct = default)
    {
        await EnsureContainerAsync(ct);
        try
        {
            await _container.GetBlobClient(key).UploadAsync(content,
                new BlobUploadOptions { Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All } }, ct);
        }
        catch (RequestFailedException e) when (e.Status == 409 || e.ErrorCode == BlobErrorCode.BlobAlreadyExists) { }
    }

    public async Task PutFileIfAbsentAsync(string key, string path, CancellationToken ct = default)
    {
        await using var f = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, FileOptions.Asynchronous | FileOptions.SequentialScan);
        await PutIfAbsentAsync(key, f, ct);
    }

    public async Task<Stream> OpenReadAsync(string key, CancellationToken ct = default)
    {
        await EnsureContainerAsync(ct);
        try { return await _container.GetBlobClient(key).OpenReadAsync(cancellationToken: ct); }
        catch (RequestFailedException e) when (e.Status == 404) { throw new FileNotFoundException($"Blob {key} not found.", e); }
    }

    public async Task<bool> ExistsAsync(string key, CancellationToken ct = default)
    {
        await EnsureContainerAsync(ct);
        return await _container.GetBlobClient(key).ExistsAsync(ct);
    }

    public async Task DeleteAsync(string key, CancellationToken ct = default)
    {
        await EnsureContainerAsync(ct);
        await _container.GetBlobClient(key).DeleteIfExistsAsync(cancellationToken: ct);
    }

    public async Task PingAsync(CancellationToken ct = default)
    {
        await EnsureContainerAsync(ct);
        await _container.GetPropertiesAsync(cancellationToken: ct);
    }
}
