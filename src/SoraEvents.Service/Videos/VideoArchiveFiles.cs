using Microsoft.Extensions.Options;
using SoraEvents.Service.Archiving;

namespace SoraEvents.Service.Videos;

/// <summary>
/// A job's archived MP4 on disk (<c>Archive:Path</c>/<c>{jobId:N}.mp4</c>, as <see cref="ArchiveDownloader"/> names it).
/// The path is worked out from the job id, never taken from the stored location, which may be a public URL.
/// </summary>
public sealed class VideoArchiveFiles(IOptions<ArchiveOptions> options, IHostEnvironment environment)
{
    /// <summary>The archived copy's path, or null when archiving is off or there is no copy.</summary>
    public string? Find(Guid jobId)
    {
        if (!options.Value.Enabled) return null;
        var path = Path.Combine(Path.GetFullPath(options.Value.Path!, environment.ContentRootPath), $"{jobId:N}.mp4");
        return File.Exists(path) ? path : null;
    }

    public void Delete(Guid jobId)
    {
        if (Find(jobId) is { } path) File.Delete(path);
    }
}
