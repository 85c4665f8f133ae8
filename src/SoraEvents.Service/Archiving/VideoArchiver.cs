using Microsoft.Extensions.Options;

namespace SoraEvents.Service.Archiving;

/// <summary>
/// Downloads one finished video into the archive folder, bounded in size and time, and names it after the
/// job, so a repeated download overwrites rather than duplicates. The file appears only once complete.
/// </summary>
public sealed class VideoArchiver(HttpClient http, IOptions<ArchiveOptions> options, IHostEnvironment environment, ILogger<VideoArchiver> logger)
{
    /// <summary>The archived location (a URL under <c>Archive:PublicBaseUrl</c>, else the file path).</summary>
    public async Task<string> ArchiveAsync(Guid jobId, string videoUrl, CancellationToken ct)
    {
        var settings = options.Value;
        var folder = System.IO.Path.GetFullPath(settings.Path!, environment.ContentRootPath);
        Directory.CreateDirectory(folder);
        var name = $"{jobId:N}.mp4";
        var target = System.IO.Path.Combine(folder, name);
        var partial = target + ".partial";

        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(ct);
        bounded.CancelAfter(TimeSpan.FromSeconds(settings.DownloadTimeoutSeconds));
        using var response = await http.GetAsync(videoUrl, HttpCompletionOption.ResponseHeadersRead, bounded.Token);
        response.EnsureSuccessStatusCode();
        if (response.Content.Headers.ContentLength > settings.MaxBytes)
            throw new ArchiveTooLargeException(response.Content.Headers.ContentLength.Value, settings.MaxBytes);

        try
        {
            await using (var source = await response.Content.ReadAsStreamAsync(bounded.Token))
            await using (var file = File.Create(partial))
            {
                var buffer = new byte[81920];
                long total = 0;
                int read;
                while ((read = await source.ReadAsync(buffer, bounded.Token)) > 0)
                {
                    // The length header may be absent or wrong; the limit holds on what actually arrives.
                    total += read;
                    if (total > settings.MaxBytes) throw new ArchiveTooLargeException(total, settings.MaxBytes);
                    await file.WriteAsync(buffer.AsMemory(0, read), bounded.Token);
                }
            }
            File.Move(partial, target, overwrite: true);
        }
        catch
        {
            File.Delete(partial);
            throw;
        }
        logger.LogInformation("Archived the video of job {JobId} ({Bytes} bytes)", jobId, new FileInfo(target).Length);
        return settings.PublicBaseUrl is { Length: > 0 } baseUrl ? $"{baseUrl.TrimEnd('/')}/{name}" : target;
    }
}
