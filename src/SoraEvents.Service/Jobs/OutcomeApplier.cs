using MassTransit;
using Microsoft.Extensions.Options;
using SoraEvents.Contracts;
using SoraEvents.Service.Archiving;
using SoraEvents.Service.Providers;
using SoraEvents.Service.Submission;

namespace SoraEvents.Service.Jobs;

/// <summary>
/// Applies what a gateway said about a job (from a callback or a status query). Whatever order and however
/// often outcomes arrive, the job ends once.
/// </summary>
public sealed class OutcomeApplier(
    IJobStore store,
    TerminalEvents terminal,
    ArchiveBeforePublish archiving,
    StatusQueries statusQueries,
    IOptions<SubmissionOptions> submission,
    TimeProvider time,
    ILogger<OutcomeApplier> logger)
{
    /// <summary>Applies the outcome; true when it ended the job.</summary>
    public async Task<bool> ApplyAsync(Job job, IVideoGateway gateway, GatewayOutcome outcome, IPublishEndpoint publish, CancellationToken ct)
    {
        if (IsAboutAnotherTask(job, gateway, outcome))
        {
            logger.LogWarning("Outcome for job {JobId} from {Provider} concerns task {ProviderRequestId}, not the job's current one; ignored",
                job.JobId, gateway.Name, outcome.ProviderRequestId);
            return false;
        }

        var requestId = outcome.ProviderRequestId ?? job.ProviderRequestId;
        switch (outcome)
        {
            case GatewayOutcome.Succeeded s:
                var completed = JobEnding.Completed(gateway.Name, requestId, s.VideoUrls, s.ExpiresAt);
                // A duplicate for a job that already ended downloads nothing: it can change nothing.
                if (!job.Status.IsTerminal()) completed = await archiving.BeforeFinishAsync(job.JobId, completed, ct);
                return await terminal.FinishAsync(job.JobId, completed, publish, ct);
            case GatewayOutcome.Failed f:
                return await terminal.FinishAsync(job.JobId, JobEnding.Failed(gateway.Name, requestId, f.Code, f.Reason), publish, ct);
            case GatewayOutcome.FailedUncharged u:
                return await RetryUnchargedAsync(job, gateway, requestId, u.Reason, publish, ct);
            case GatewayOutcome.Pending p:
                logger.LogDebug("Job {JobId} is {State} on {Provider}", job.JobId, p.State, gateway.Name);
                return false;
            case GatewayOutcome.Unreadable when job.Status.IsTerminal():
                // A redelivered or late callback for a job that has ended: whatever the gateway says now changes nothing.
                logger.LogDebug("Unreadable outcome for job {JobId} from {Provider} after it ended; no status query", job.JobId, gateway.Name);
                return false;
            case GatewayOutcome.Unreadable u when requestId is not null:
                logger.LogInformation("Unreadable outcome for job {JobId} from {Provider} ({Why}); asking its status API", job.JobId, gateway.Name, u.Why);
                // Collapsed per job in the store: a burst of unreadable callbacks makes one query per poll interval.
                var status = await statusQueries.AskAsync(job, gateway, requestId, ct);
                if (status is null) return false;
                if (status is not GatewayOutcome.Unreadable again) return await ApplyAsync(job, gateway, status, publish, ct);
                logger.LogWarning("Status of job {JobId} on {Provider} is unreadable too: {Why}", job.JobId, gateway.Name, again.Why);
                return false;
            case GatewayOutcome.Unreadable u:
                logger.LogWarning("Unreadable outcome for job {JobId} from {Provider} ({Why}) and no task id to ask about", job.JobId, gateway.Name, u.Why);
                return false;
            default:
                return false;
        }
    }

    private static bool IsAboutAnotherTask(Job job, IVideoGateway gateway, GatewayOutcome outcome) =>
        (job.Provider is not null && !string.Equals(job.Provider, gateway.Name, StringComparison.OrdinalIgnoreCase))
        || (outcome.ProviderRequestId is not null && job.ProviderRequestId is not null && outcome.ProviderRequestId != job.ProviderRequestId);

    /// <summary>
    /// The gateway failed without charging: the job goes back to the queue, due now, preferring another gateway,
    /// unless it has had its share of attempts.
    /// </summary>
    private async Task<bool> RetryUnchargedAsync(Job job, IVideoGateway gateway, string? requestId, string reason, IPublishEndpoint publish, CancellationToken ct)
    {
        var maxAttempts = submission.Value.MaxAttempts;
        if (job.Attempt >= maxAttempts)
            return await terminal.FinishAsync(job.JobId, JobEnding.Failed(gateway.Name, requestId, VideoFailureCodes.ProviderError,
                $"{reason} (gave up after {maxAttempts} attempts)"), publish, ct);
        if (requestId is null || !await store.TryRequeueAsync(job.JobId, requestId, gateway.Name, time.GetUtcNow(), ct))
            logger.LogInformation("Job {JobId}: uncharged failure on {Provider} already handled", job.JobId, gateway.Name);
        else
        {
            logger.LogWarning("{Provider} failed job {JobId} without charge ({Reason}); attempt {Attempt} is queued", gateway.Name, job.JobId, reason, job.Attempt + 1);
            try
            {
                await store.EndAttemptAsync(job.JobId, $"{gateway.Name}: failed without charge: {reason}", time.GetUtcNow(), ct);
            }
            catch (Exception ex) when (!ct.IsCancellationRequested)
            {
                // Only what the job shows of its attempts: the requeue itself is stored, and a retry of this outcome would find it done.
                logger.LogWarning(ex, "Closing the attempt of job {JobId} on {Provider} failed", job.JobId, gateway.Name);
            }
        }
        return false;
    }
}
