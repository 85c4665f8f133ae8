using Microsoft.Extensions.Options;
using SoraEvents.Service.OutboundHttp;

namespace SoraEvents.Service.Archiving;

/// <summary>
/// Downloads one finished video into the archive folder, bounded in size and time, and names it after the
/// job, so a repeated download overwrites rather than duplicates. The file appears only once complete. The URL
/// comes from a gateway, so the client is guarded (<see cref="ArchiveDownloadPolicy"/>) and only a video answer is kept.
/// </summary>
public sealed class ArchiveDownloader(HttpClient http, IOptions<ArchiveOptions> options, IHostEnvironment environment, ILogger<ArchiveDownloader> logger)
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

        if (!Uri.TryCreate(videoUrl, UriKind.Absolute, out var url)) throw new ArchiveRefusedException("the video URL is not an absolute URL");

        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(ct);
        bounded.CancelAfter(TimeSpan.FromSeconds(settings.DownloadTimeoutSeconds));
        try
        {
            using var response = await http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, bounded.Token);
            if (!response.IsSuccessStatusCode) throw new HttpRequestException(null, null, response.StatusCode);
            if (response.Content.Headers.ContentType?.MediaType is not { } type || !type.StartsWith("video/", StringComparison.OrdinalIgnoreCase))
                throw new ArchiveRefusedException($"the answer is not a video (content type {response.Content.Headers.ContentType?.MediaType ?? "none"})");
            if (response.Content.Headers.ContentLength > settings.MaxBytes)
                throw new ArchiveTooLargeException(response.Content.Headers.ContentLength.Value, settings.MaxBytes);
            await SaveAsync(response, partial, settings.MaxBytes, bounded.Token);
            File.Move(partial, target, overwrite: true);
        }
        catch (OutboundRefusedException ex)
        {
            throw new ArchiveRefusedException(ex.Message, ex);
        }
        catch (Exception ex) when (ex is HttpRequestException or HttpIOException && !ct.IsCancellationRequested)
        {
            File.Delete(partial);
            throw new ArchiveDownloadFailedException(ex);
        }
        catch
        {
            File.Delete(partial);
            throw;
        }
        logger.LogInformation("Archived the video of job {JobId} ({Bytes} bytes)", jobId, new FileInfo(target).Length);
        return settings.PublicBaseUrl is { Length: > 0 } baseUrl ? $"{baseUrl.TrimEnd('/')}/{name}" : target;
    }

    private static async Task SaveAsync(HttpResponseMessage response, string partial, long maxBytes, CancellationToken ct)
    {
        await using var source = await response.Content.ReadAsStreamAsync(ct);
        await using var file = File.Create(partial);
        var buffer = new byte[81920];
        long total = 0;
        int read;
        while ((read = await source.ReadAsync(buffer, ct)) > 0)
        {
            // The length header may be absent or wrong; the limit holds on what actually arrives.
            total += read;
            if (total > maxBytes) throw new ArchiveTooLargeException(total, maxBytes);
            await file.WriteAsync(buffer.AsMemory(0, read), ct);
        }
    }
}
