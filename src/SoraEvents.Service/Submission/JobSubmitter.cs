using MassTransit;
using Microsoft.Extensions.Options;
using SoraEvents.Contracts;
using SoraEvents.Service.Jobs;
using SoraEvents.Service.Providers;
using SoraEvents.Service.Telemetry;
using SoraEvents.Service.Webhooks;

namespace SoraEvents.Service.Submission;

/// <summary>
/// Submits a job to a gateway at most once per attempt: the job is claimed in the store before the paid call,
/// and the claim is given back only when the gateway certainly created nothing. Gateways are tried in the
/// routing plan's order; a job moves on to the next one when its gateway has no balance or stays unavailable
/// through every retry.
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

        var plan = router.Plan(job.Request);
        if (plan.IsRefused)
        {
            await terminal.FinishAsync(job.JobId, JobEnding.Failed(null, null, VideoFailureCodes.InvalidRequest,
                string.Join(Environment.NewLine, plan.Refusals)), publish, ct);
            return;
        }

        GatewayRejectedException? lastBalanceRefusal = null;
        GatewayUnavailableException? lastUnavailable = null;
        foreach (var gateway in Ordered(plan.Candidates, job.AvoidProvider))
        {
            using var scope = logger.BeginScope(new Dictionary<string, object> { ["JobId"] = job.JobId, ["Provider"] = gateway.Name });
            switch (await store.TryClaimSubmissionAsync(job.JobId, gateway.Name, gateway.Limits.ConcurrentTasks, time.GetUtcNow(), ct))
            {
                case ClaimResult.NotQueued:
                    return;
                case ClaimResult.AtLimit:
                    // Waiting beats failing over: the gateway was chosen for this request and a slot frees within minutes.
                    logger.LogInformation("Job {JobId} waits for a free {Provider} slot", job.JobId, gateway.Name);
                    await store.DeferAsync(job.JobId, time.GetUtcNow() + options.Value.SlotWait, ct);
                    return;
            }

            try
            {
                using var activity = ServiceTelemetry.Activities.StartActivity("submit");
                activity?.SetTag("soraevents.job_id", job.JobId).SetTag("soraevents.provider", gateway.Name);
                var submission = await SubmitWithRetriesAsync(gateway, job, ct);
                await RecordSubmissionAsync(job, gateway, submission, publish, ct);
                return;
            }
            catch (GatewayRejectedException ex) when (ex.Code == VideoFailureCodes.InsufficientBalance)
            {
                logger.LogWarning("{Provider} has no balance for job {JobId}: {Reason}", gateway.Name, job.JobId, ex.Reason);
                await store.ReleaseSubmissionAsync(job.JobId, time.GetUtcNow(), CancellationToken.None);
                lastBalanceRefusal = ex;
            }
            catch (GatewayRejectedException ex)
            {
                logger.LogWarning("{Provider} rejected job {JobId}: {Code} {Reason}", gateway.Name, job.JobId, ex.Code, ex.Reason);
                await terminal.FinishAsync(job.JobId, JobEnding.Failed(gateway.Name, null, ex.Code, ex.Reason), publish, ct);
                return;
            }
            catch (GatewayUnavailableException ex)
            {
                logger.LogWarning("{Provider} stayed unavailable for job {JobId}: {Reason}", gateway.Name, job.JobId, ex.Message);
                await store.ReleaseSubmissionAsync(job.JobId, time.GetUtcNow(), CancellationToken.None);
                lastUnavailable = ex;
            }
            catch (GatewayOutcomeUnknownException ex)
            {
                // The gateway may have created (and charged) the task: the claim stays, nothing else is tried, and the
                // job's callback URL still leads the outcome home, else its deadline ends it.
                logger.LogWarning("{Provider} may have taken job {JobId}; waiting for its callback: {Reason}", gateway.Name, job.JobId, ex.Message);
                return;
            }
        }

        if (lastUnavailable is not null) throw lastUnavailable; // to <queue>_error with its fault, for an operator to replay
        if (lastBalanceRefusal is not null)
            await terminal.FinishAsync(job.JobId, JobEnding.Failed(lastBalanceRefusal.Provider, null, lastBalanceRefusal.Code,
                lastBalanceRefusal.Reason), publish, ct);
    }

    /// <summary>A gateway that failed this job without charging goes last, if another can serve it.</summary>
    private static IEnumerable<IVideoGateway> Ordered(IReadOnlyList<IVideoGateway> candidates, string? avoid) =>
        avoid is null ? candidates : candidates.OrderBy(g => string.Equals(g.Name, avoid, StringComparison.OrdinalIgnoreCase));

    /// <summary>Retries only what certainly created no task, waiting the gateway's Retry-After when it sent one.</summary>
    private async Task<GatewaySubmission> SubmitWithRetriesAsync(IVideoGateway gateway, Job job, CancellationToken ct)
    {
        var delays = options.Value.RetryDelays();
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return await gateway.SubmitAsync(job.Request, callbacks.For(gateway.Name, job.JobId), ct);
            }
            catch (GatewayUnavailableException ex) when (attempt < delays.Length)
            {
                var wait = ex.RetryAfter is { } retryAfter ? Min(retryAfter, options.Value.MaxRetryAfter) : delays[attempt];
                logger.LogInformation("{Provider} could not take job {JobId} ({Reason}); retry {Retry} in {Wait}",
                    gateway.Name, job.JobId, ex.Message, attempt + 1, wait);
                await Task.Delay(wait, time, ct);
            }
        }
    }

    private async Task RecordSubmissionAsync(Job job, IVideoGateway gateway, GatewaySubmission submission, IPublishEndpoint publish, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        if (!await store.MarkSubmittedAsync(job.JobId, gateway.Name, submission.ProviderRequestId, now, now + gateway.Polling.First, ct))
        {
            logger.LogInformation("Job {JobId} ended before its submission was recorded", job.JobId);
            return;
        }
        await publish.Publish(new VideoSubmitted(job.JobId, gateway.Name, submission.ProviderRequestId, now, job.Metadata), ct);
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
}
