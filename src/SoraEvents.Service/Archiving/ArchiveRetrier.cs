using Microsoft.Extensions.Options;
using SoraEvents.Service.Jobs;
using SoraEvents.Service.Scheduling;

namespace SoraEvents.Service.Archiving;

/// <summary>
/// Retries archive downloads that did not finish before the terminal event, with growing waits, until one
/// succeeds or <c>Archive:MaxAttempts</c> is reached. The location lands on the job (<c>GET /v1/videos/{id}</c>).
/// </summary>
/// <remarks>
/// A singleton, so the scoped <see cref="ArchiveBeforePublish"/> and the typed client <see cref="ArchiveDownloader"/> come from
/// a scope of each sweep: held for the life of the process, the client would never see its handler rotated.
/// </remarks>
public sealed class ArchiveRetrier(
    IJobStore store,
    IServiceScopeFactory scopes,
    IOptions<ArchiveOptions> archive,
    IOptions<JobsOptions> options,
    TimeProvider time,
    ILogger<ArchiveRetrier> logger) : PeriodicWork(options, time, logger)
{
    public override async Task RunOnceAsync(CancellationToken ct)
    {
        if (!archive.Value.Enabled) return;
        await using var sweep = scopes.CreateAsyncScope();
        var archiving = sweep.ServiceProvider.GetRequiredService<ArchiveBeforePublish>();
        var archiver = sweep.ServiceProvider.GetRequiredService<ArchiveDownloader>();
        var now = Time.GetUtcNow();
        // The claim reschedules with the shortest wait; a failure below pushes the next try further out.
        foreach (var job in await store.ClaimDueArchivesAsync(now, now + archiving.RetryDelay(1), Batch, ct))
        {
            using var scope = logger.BeginScope(new Dictionary<string, object> { ["JobId"] = job.JobId, ["Provider"] = job.Provider ?? "none" });
            try
            {
                var location = await archiver.ArchiveAsync(job.JobId, job.VideoUrls[0], ct);
                await store.MarkArchivedAsync(job.JobId, location, ct);
            }
            catch (Exception ex) when (!ct.IsCancellationRequested)
            {
                var giveUp = ex is ArchiveTooLargeException or ArchiveRefusedException || job.ArchiveAttempts >= archive.Value.MaxAttempts;
                logger.LogWarning("Archive attempt {Attempt} for job {JobId} failed: {Reason}{Outcome}", job.ArchiveAttempts, job.JobId, ex.Message,
                    giveUp ? "; giving up" : "");
                if (giveUp) await store.MarkArchivedAsync(job.JobId, null, ct);
            }
        }
    }
}
