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
            logger.LogWarning("Job {JobId} on {Provider} is still {Status} after {Deadline}; it times out", job.JobId, job.Provider, job.Status.ToText(), deadline);
            await terminal.FinishAsync(job.JobId, JobEnding.Failed(job.Provider, job.ProviderRequestId, VideoFailureCodes.TimedOut,
                $"The job did not finish within {deadline}."), bus, ct);
        }
    }
}
