using System.Text.RegularExpressions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace VerifyPipeline.Worker.Pipeline;

/// <summary>Removes, at start, the work folders of stages that a killed process could not delete (each stage deletes its
/// own in a <c>finally</c>, which a kill skips). Only directly under the configured work folder (the system temp folder by
/// default, shared with other programs), only names this code makes (<c>vp-{case id}-{stage}-{guid}</c>, exactly),
/// only real folders (a link is never followed or removed), and only when nothing in them changed for
/// <see cref="PipelineOptions.WorkFolderCleanupAfter"/> (another worker on this machine may still be using a younger one).</summary>
public sealed partial class WorkFolderCleanup(IOptions<PipelineOptions> options, TimeProvider clock, ILogger<WorkFolderCleanup> log) : IHostedService
{
    [GeneratedRegex("^vp-[0-9a-f]{32}-[a-z]+-[0-9a-f]{32}$")]
    private static partial Regex OurName();

    public Task StartAsync(CancellationToken ct)
    {
        var root = options.Value.WorkFolder ?? Path.GetTempPath();
        if (!Directory.Exists(root)) return Task.CompletedTask;
        var now = clock.GetUtcNow();
        var removed = 0;
        foreach (var dir in new DirectoryInfo(root).EnumerateDirectories("vp-*"))
        {
            try
            {
                if (!OurName().IsMatch(dir.Name) || dir.LinkTarget is not null || dir.Attributes.HasFlag(FileAttributes.ReparsePoint)) continue;
                if (now - LastChange(dir) < options.Value.WorkFolderCleanupAfter) continue;
                dir.Delete(recursive: true);
                removed++;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                log.LogWarning("A left-over work folder could not be removed: {Error}", e.Message);
            }
        }
        if (removed > 0) log.LogInformation("Removed {Count} work folder(s) left by a stopped process under {Root}", removed, root);
        return Task.CompletedTask;
    }

    /// <summary>The newest write time of the folder and of everything in it (links are not followed).</summary>
    private static DateTimeOffset LastChange(DirectoryInfo dir)
    {
        var newest = dir.LastWriteTimeUtc;
        var all = new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.ReparsePoint, IgnoreInaccessible = true };
        foreach (var entry in dir.EnumerateFileSystemInfos("*", all))
            if (entry.LastWriteTimeUtc > newest) newest = entry.LastWriteTimeUtc;
        return new DateTimeOffset(newest, TimeSpan.Zero);
    }

    public Task StopAsync(CancellationToken ct) => Task.CompletedTask;
}
