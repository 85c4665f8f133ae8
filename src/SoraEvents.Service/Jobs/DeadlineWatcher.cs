using MassTransit;
using Microsoft.Extensions.Options;
using SoraEvents.Contracts;
using SoraEvents.Service.Scheduling;

namespace SoraEvents.Service.Jobs;

/// <summary>Ends every job still open after <c>Jobs:Deadline</c> with <c>timed_out</c>.</summary>
public sealed class DeadlineWatcher(
    IServiceScopeFactory scopes,
    IJobStore store,
    IBus bus,
    IOptions<JobsOptions> options,
    TimeProvider time,
    ILogger<DeadlineWatcher> logger) : PeriodicWork(options, time, logger)
{
    public override async Task RunOnceAsync(CancellationToken ct)
    {
        var deadline = Options.Deadline;
        var overdue = await store.FindOpenCreatedBeforeAsync(Time.GetUtcNow() - deadline, Batch, ct);
        if (overdue.Count == 0) return;

        await using var scope = scopes.CreateAsyncScope();
        var terminal = scope.ServiceProvider.GetRequiredService<TerminalEvents>();
        foreach (var job in overdue)
        {
            logger.LogWarning("Job {JobId} on {Provider} is still {Status} after {Deadline}; it times out (last gateway failure: {LastGatewayFailure})",
                job.JobId, job.Provider, job.Status.ToText(), deadline, job.LastGatewayFailure);
            await terminal.FinishAsync(job.JobId, JobEnding.Failed(job.Provider, job.ProviderRequestId, VideoFailureCodes.TimedOut,
                Reason(job, deadline)), bus, ct);
        }
    }

    /// <summary>The deadline is only when the job ended; what kept it from finishing is said too, when it is known.</summary>
    private static string Reason(Job job, TimeSpan deadline)
    {
        var reason = $"The job did not finish within {deadline}.";
        if (job.AwaitingReplay) reason += " Its command waited in generate-video_error for an operator's replay.";
        if (job.LastGatewayFailure is not null) reason += $" The last gateway failure: {job.LastGatewayFailure}";
        return reason;
    }
}
