using Microsoft.Extensions.Options;
using SoraEvents.Service.Jobs;

namespace SoraEvents.Service.Archiving;

/// <summary>
/// The first archive download of a completed job, made before its terminal event so the event can name the
/// copy — but never for longer than <c>Archive:WaitBeforePublishSeconds</c>: after that the event goes out
/// without it and the <see cref="ArchiveRetrier"/> keeps trying.
/// </summary>
public sealed class ArchiveBeforePublish(ArchiveDownloader archiver, IOptions<ArchiveOptions> options, TimeProvider time, ILogger<ArchiveBeforePublish> logger)
{
    public bool Enabled => options.Value.Enabled;

    public TimeSpan RetryDelay(int attempt) =>
        TimeSpan.FromSeconds(Math.Min(3600, options.Value.RetryAfterSeconds * Math.Pow(2, Math.Max(0, attempt - 1))));

    public async Task<JobEnding> BeforeFinishAsync(Guid jobId, JobEnding ending, CancellationToken ct)
    {
        if (!Enabled || ending.Status != JobStatus.Completed || ending.VideoUrls.Count == 0) return ending;

        using var wait = CancellationTokenSource.CreateLinkedTokenSource(ct);
        wait.CancelAfter(TimeSpan.FromSeconds(options.Value.WaitBeforePublishSeconds));
        try
        {
            return ending with { ArchivedLocation = await archiver.ArchiveAsync(jobId, ending.VideoUrls[0], wait.Token) };
        }
        catch (Exception ex) when (ex is ArchiveTooLargeException or ArchiveRefusedException)
        {
            // Retrying cannot help: the event goes out with the gateway's URL and no copy.
            logger.LogWarning("Video of job {JobId} not archived: {Reason}", jobId, ex.Message);
            return ending;
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            logger.LogWarning("Archiving the video of job {JobId} did not finish before its event ({Reason}); retrying in the background",
                jobId, ex.Message);
            return ending with { ArchiveRetryAt = time.GetUtcNow() + RetryDelay(1) };
        }
    }
}
