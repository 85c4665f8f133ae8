using MassTransit;
using Microsoft.Extensions.Options;
using SoraEvents.Contracts;
using SoraEvents.Service.Jobs;
using SoraEvents.Service.Providers;
using SoraEvents.Service.Webhooks;

namespace SoraEvents.Service.Submission;

/// <summary>
/// Submits a job to its gateway at most once per attempt: the job is claimed in the store before the paid call,
/// and the claim is given back only when the gateway certainly created nothing.
/// </summary>
public sealed class JobSubmitter(
    IJobStore store,
    GatewayRouter router,
    CallbackUrls callbacks,
    TerminalEvents terminal,
    IOptions<SubmissionOptions> options,
    TimeProvider time,
    ILogger<JobSubmitter> logger)
{
    public async Task SubmitAsync(GenerateVideo command, IPublishEndpoint publish, CancellationToken ct)
    {
        var job = await store.CreateIfAbsentAsync(command, time.GetUtcNow(), ct);
        if (job.Status.IsTerminal())
        {
            // A redelivery after a crash may find the job ended but its event unsent.
            await terminal.PublishIfDueAsync(job.JobId, publish, ct);
            return;
        }
        if (job.Status != JobStatus.Queued)
        {
            logger.LogInformation("Job {JobId} is already {Status} on {Provider}; nothing submitted", job.JobId, job.Status.ToText(), job.Provider);
            return;
        }

        IVideoGateway gateway;
        try
        {
            gateway = router.Choose(job.Request.Provider);
        }
        catch (GatewayRejectedException ex)
        {
            await terminal.FinishAsync(job.JobId, JobEnding.Failed(null, null, ex.Code, ex.Reason), publish, ct);
            return;
        }

        if (!await store.TryClaimSubmissionAsync(job.JobId, gateway.Name, time.GetUtcNow(), ct)) return;

        GatewaySubmission submission;
        try
        {
            submission = await gateway.SubmitAsync(job.Request, callbacks.For(gateway.Name, job.JobId), ct);
        }
        catch (GatewayRejectedException ex)
        {
            logger.LogWarning("{Provider} rejected job {JobId}: {Code} {Reason}", gateway.Name, job.JobId, ex.Code, ex.Reason);
            await terminal.FinishAsync(job.JobId, JobEnding.Failed(gateway.Name, null, ex.Code, ex.Reason), publish, ct);
            return;
        }
        catch (GatewayUnavailableException ex)
        {
            await store.ReleaseSubmissionAsync(job.JobId, time.GetUtcNow(), CancellationToken.None);
            logger.LogWarning("{Provider} could not take job {JobId} now: {Reason}", gateway.Name, job.JobId, ex.Message);
            await HonourRetryAfterAsync(ex, ct);
            throw;
        }
        // Any other failure (a timeout, an unreadable answer) may hide a task the gateway did create: the claim
        // stays, so no retry pays again, and the job's callback URL still leads the outcome home.

        var recorded = await store.MarkSubmittedAsync(job.JobId, gateway.Name, submission.ProviderRequestId, time.GetUtcNow(), ct);
        if (!recorded)
        {
            logger.LogInformation("Job {JobId} ended before its submission was recorded", job.JobId);
            return;
        }
        await publish.Publish(new VideoSubmitted(job.JobId, gateway.Name, submission.ProviderRequestId, time.GetUtcNow(), job.Metadata), ct);
    }

    private async Task HonourRetryAfterAsync(GatewayUnavailableException ex, CancellationToken ct)
    {
        if (ex.RetryAfter is not { } wait) return;
        var cap = TimeSpan.FromSeconds(options.Value.MaxRetryAfterSeconds);
        await Task.Delay(wait < cap ? wait : cap, time, ct);
    }
}
