using MassTransit;
using Microsoft.Extensions.Options;
using SoraEvents.Contracts;
using SoraEvents.Service.Jobs;
using SoraEvents.Service.Messaging;
using SoraEvents.Service.Providers;
using SoraEvents.Service.Telemetry;
using SoraEvents.Service.Webhooks;

namespace SoraEvents.Service.Submission;

/// <summary>
/// Submits a job to a gateway at most once per attempt: the job is claimed in the store before the paid call,
/// and the claim is given back only when the gateway certainly created nothing. Gateways are tried in the
/// routing plan's order; a job moves on to the next one when its gateway has no balance or stays unavailable
/// through every retry. Every call, every failure and every gateway left is recorded on the job, so its status
/// says what is happening while it waits.
/// </summary>
public sealed class JobSubmitter(
    IJobStore store,
    GatewayRouter router,
    CallbackUrls callbacks,
    TerminalEvents terminal,
    IOptions<SubmissionOptions> options,
    IOptions<BusOptions> bus,
    TimeProvider time,
    ILogger<JobSubmitter> logger)
{
    /// <summary>
    /// Submits the job of a command taken from <c>generate-video</c>. On RabbitMQ, a command whose every gateway stayed
    /// unavailable goes to <c>generate-video_error</c> for an operator to replay; the in-memory bus has no such queue.
    /// </summary>
    public Task SubmitAsync(GenerateVideo command, IPublishEndpoint publish, CancellationToken ct) =>
        SubmitAsync(command, publish, bus.Value.UsesRabbitMq, ct);

    /// <summary>Submits a stored job whose due time has come; no command of its waits anywhere for a replay.</summary>
    public Task SubmitDueAsync(GenerateVideo command, IPublishEndpoint publish, CancellationToken ct) =>
        SubmitAsync(command, publish, operatorQueue: false, ct);

    private async Task SubmitAsync(GenerateVideo command, IPublishEndpoint publish, bool operatorQueue, CancellationToken ct)
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
            await NoteAsync(() => store.StartAttemptAsync(job.JobId, gateway.Name, time.GetUtcNow(), CancellationToken.None));

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
                await LeaveAsync(job, Describe(ex));
                lastBalanceRefusal = ex;
            }
            catch (GatewayRejectedException ex)
            {
                logger.LogWarning("{Provider} rejected job {JobId}: {Code} {Reason}", gateway.Name, job.JobId, ex.Code, ex.Reason);
                await LeaveAsync(job, Describe(ex));
                await terminal.FinishAsync(job.JobId, JobEnding.Failed(gateway.Name, null, ex.Code, ex.Reason), publish, ct);
                return;
            }
            catch (GatewayUnavailableException ex)
            {
                logger.LogWarning("{Provider} stayed unavailable for job {JobId}: {Reason}", gateway.Name, job.JobId, ex.Message);
                await store.ReleaseSubmissionAsync(job.JobId, time.GetUtcNow(), CancellationToken.None);
                await LeaveAsync(job, Describe(ex));
                lastUnavailable = ex;
            }
            catch (SubmissionNotSentException ex)
            {
                // Nothing reached the gateway; the job is due again, so this message has done its part.
                await LeaveAsync(job, $"{gateway.Name}: the request never left ({ex.InnerException?.Message ?? ex.Message})");
                await GiveBackAsync(job, gateway, ex);
                return;
            }
            catch (GatewayOutcomeUnknownException ex)
            {
                // The gateway may have created (and charged) the task: the claim stays, nothing else is tried, and the
                // job's callback URL still leads the outcome home, else its deadline ends it.
                logger.LogWarning("{Provider} may have taken job {JobId}; waiting for its callback: {Reason}", gateway.Name, job.JobId, ex.Message);
                return;
            }
            // Any other failure (a timeout, an unreadable answer) may hide a task the gateway did create: the claim
            // stays, nothing else is tried, and the job's callback URL still leads the outcome home.
        }

        if (lastUnavailable is not null)
        {
            if (operatorQueue)
            {
                await NoteAsync(() => store.MarkAwaitingReplayAsync(job.JobId, CancellationToken.None));
                throw lastUnavailable; // to <queue>_error with its fault, for an operator to replay
            }
            // Nothing would ever bring this job back: it ends now, with the failure that ended it.
            await terminal.FinishAsync(job.JobId, JobEnding.Failed(lastUnavailable.Provider, null, VideoFailureCodes.ProviderError,
                $"Every gateway stayed unavailable; the last failure: {Describe(lastUnavailable)}"), publish, ct);
            return;
        }
        if (lastBalanceRefusal is not null)
            await terminal.FinishAsync(job.JobId, JobEnding.Failed(lastBalanceRefusal.Provider, null, lastBalanceRefusal.Code,
                lastBalanceRefusal.Reason), publish, ct);
    }

    /// <summary>A gateway that failed this job without charging goes last, if another can serve it.</summary>
    private static IEnumerable<IVideoGateway> Ordered(IReadOnlyList<IVideoGateway> candidates, string? avoid) =>
        avoid is null ? candidates : candidates.OrderBy(g => string.Equals(g.Name, avoid, StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// Retries only what certainly created no task, waiting the gateway's Retry-After when it sent one. Anything
    /// else that fails before a request could have left (the store behind the request budget, a shutdown during a
    /// wait) comes out as <see cref="SubmissionNotSentException"/>.
    /// </summary>
    private async Task<GatewaySubmission> SubmitWithRetriesAsync(IVideoGateway gateway, Job job, CancellationToken ct)
    {
        var delays = options.Value.RetryDelays();
        for (var attempt = 0; ; attempt++)
        {
            var watched = GatewayRequestWatch.Start();
            TimeSpan wait;
            try
            {
                var submission = await gateway.SubmitAsync(job.Request, callbacks.For(gateway.Name, job.JobId), ct);
                await RecordCallAsync(job, null, null);
                return submission;
            }
            catch (GatewayUnavailableException ex) when (attempt < delays.Length)
            {
                wait = ex.RetryAfter is { } retryAfter ? Min(retryAfter, options.Value.MaxRetryAfter) : delays[attempt];
                logger.LogInformation("{Provider} could not take job {JobId} ({Reason}); retry {Retry} in {Wait}",
                    gateway.Name, job.JobId, ex.Message, attempt + 1, wait);
                await RecordCallAsync(job, Describe(ex), time.GetUtcNow() + wait);
            }
            catch (Exception ex) when (ex is not (GatewayUnavailableException or GatewayRejectedException) && !watched.RequestStarted)
            {
                throw new SubmissionNotSentException(gateway.Name, ex);
            }
            catch (Exception ex) when (!ct.IsCancellationRequested)
            {
                // A refusal, the last unavailable answer, or a call whose outcome is unknown (a timeout): counted all the same.
                await RecordCallAsync(job, ex is GatewayUnavailableException or GatewayRejectedException ? Describe(ex) : $"{gateway.Name}: {ex.Message}", null);
                throw;
            }

            try
            {
                await Task.Delay(wait, time, ct);
            }
            catch (OperationCanceledException ex)
            {
                throw new SubmissionNotSentException(gateway.Name, ex); // the last attempt certainly created nothing
            }
        }
    }

    /// <summary>
    /// Gives the claim back to a job whose request never left, due again after the first retry interval, so the
    /// dispatcher of any instance tries it anew instead of the job staying <c>submitting</c> until its deadline.
    /// </summary>
    private async Task GiveBackAsync(Job job, IVideoGateway gateway, SubmissionNotSentException failure)
    {
        var retryAt = time.GetUtcNow() + options.Value.RetryDelays()[0];
        logger.LogWarning(failure.InnerException, "Submitting job {JobId} to {Provider} failed before its request left; the claim is given back and the job is due again at {RetryAt}",
            job.JobId, gateway.Name, retryAt);
        // The store has just failed once; a give-back lost to a second failure would strand the job, so it is tried a few times.
        foreach (var pause in GiveBackPauses)
        {
            try
            {
                await Task.Delay(pause, time, CancellationToken.None);
                await store.ReleaseSubmissionAsync(job.JobId, time.GetUtcNow(), retryAt, CancellationToken.None);
                return;
            }
            catch (Exception ex)
            {
                logger.LogError(ex, "Giving back the claim of job {JobId} failed", job.JobId);
            }
        }
    }

    private static readonly TimeSpan[] GiveBackPauses = [TimeSpan.Zero, TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5)];

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

    /// <summary>A gateway failure as the job shows it: the gateway, then what it answered.</summary>
    private static string Describe(Exception failure) => failure switch
    {
        GatewayUnavailableException u => u.Message, // "<gateway> is unavailable: <answer>"
        GatewayRejectedException r => $"{r.Provider}: {r.Code}: {r.Reason}",
        _ => failure.Message,
    };

    private Task RecordCallAsync(Job job, string? failure, DateTimeOffset? nextAttemptAt) =>
        NoteAsync(() => store.RecordGatewayCallAsync(job.JobId, failure, nextAttemptAt, time.GetUtcNow(), CancellationToken.None));

    private Task LeaveAsync(Job job, string why) =>
        NoteAsync(() => store.EndAttemptAsync(job.JobId, why, time.GetUtcNow(), CancellationToken.None));

    /// <summary>
    /// What a job shows of its attempts only informs: a store failure writing it must not stop a submission that
    /// may already have been paid for, so it is logged and the submission goes on.
    /// </summary>
    private async Task NoteAsync(Func<Task> write)
    {
        try
        {
            await write();
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "Recording a job's gateway attempt failed; its status may lag");
        }
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
}
