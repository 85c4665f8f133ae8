using System.Security.Claims;
using MassTransit;
using Microsoft.AspNetCore.Http.HttpResults;
using SoraEvents.Contracts;
using SoraEvents.Service.ApiAccess;
using SoraEvents.Service.Jobs;

namespace SoraEvents.Service.Videos;

/// <summary>
/// <c>DELETE /v1/videos/{id}</c>. An ended job leaves the API and its archived copy is deleted. A job no gateway
/// has yet is cancelled first, with no gateway call, and ends with <c>VideoFailed</c> (<c>cancelled</c>). A job at a
/// gateway cannot be stopped: neither gateway offers cancellation.
/// </summary>
public static class VideoDeletion
{
    /// <summary>How long the answer waits for the cancelled job's VideoFailed to be published; the republisher sends it otherwise.</summary>
    private static readonly TimeSpan PublishBound = TimeSpan.FromSeconds(5);

    internal static async Task<Results<Ok<VideoDeleted>, ProblemHttpResult>> DeleteAsync(
        string id, ClaimsPrincipal user, IJobStore store, TerminalEvents terminal, VideoArchiveFiles archive, IBus bus,
        TimeProvider time, ILoggerFactory loggers, CancellationToken ct)
    {
        var logger = loggers.CreateLogger(typeof(VideoDeletion));
        var job = await VideoEndpoints.FindVisibleAsync(id, user, store, ct);
        if (job is null) return ApiProblems.NotFound(id);

        if (job.Status == JobStatus.Queued)
        {
            var ending = JobEnding.Failed(null, null, VideoFailureCodes.Cancelled, $"Cancelled by {user.CallerName()} before it was handed to a gateway.");
            // Only while still queued: a dispatcher or consumer claiming it at this moment wins or finds it ended, never both.
            if (await store.TryCancelQueuedAsync(job.JobId, ending, NewId.NextGuid(), time.GetUtcNow(), ct))
            {
                logger.LogInformation("Job {JobId} cancelled before submission", job.JobId);
                await PublishCancellationAsync(job.JobId, terminal, bus, logger, ct);
            }
            job = await store.FindAsync(job.JobId, ct) ?? job;
        }

        if (!job.Status.IsTerminal())
            return ApiProblems.Create(StatusCodes.Status409Conflict, "Video in progress",
                $"Video {job.JobId} is in progress at {job.Provider ?? "a gateway"}, and neither gateway (Pixazo, APIXO) offers cancellation. " +
                "It will finish on its own; delete it then.", "id", "cancellation_unsupported");

        await store.MarkDeletedAsync(job.JobId, time.GetUtcNow(), ct);
        archive.Delete(job.JobId);
        logger.LogInformation("Job {JobId} deleted from the API", job.JobId);
        return TypedResults.Ok(new VideoDeleted(job.JobId));
    }

    private static async Task PublishCancellationAsync(Guid jobId, TerminalEvents terminal, IBus bus, ILogger logger, CancellationToken ct)
    {
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(ct);
        bounded.CancelAfter(PublishBound);
        try
        {
            await terminal.PublishIfDueAsync(jobId, bus, bounded.Token);
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            // The job has ended in the store; TerminalEventRepublisher publishes what is still unsent.
            logger.LogWarning(ex, "VideoFailed for cancelled job {JobId} not published yet; it is republished later", jobId);
        }
    }
}
