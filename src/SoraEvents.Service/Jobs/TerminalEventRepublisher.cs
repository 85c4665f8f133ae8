using MassTransit;
using Microsoft.Extensions.Options;
using SoraEvents.Service.Scheduling;

namespace SoraEvents.Service.Jobs;

/// <summary>
/// Publishes terminal events that a crash left unpublished: the job ended in the store, but the process died
/// before the broker confirmed the event. The stored MessageId makes the late event the same message.
/// </summary>
public sealed class TerminalEventRepublisher(
    IServiceScopeFactory scopes,
    IJobStore store,
    IBus bus,
    IOptions<JobsOptions> options,
    TimeProvider time,
    ILogger<TerminalEventRepublisher> logger) : PeriodicWork(options, time, logger)
{
    public override async Task RunOnceAsync(CancellationToken ct)
    {
        // Only jobs that ended longer ago than a publisher's lease: a live publisher has had its chance by then.
        var stranded = await store.FindUnpublishedEndedBeforeAsync(Time.GetUtcNow() - TerminalEvents.PublishLease, Batch, ct);
        if (stranded.Count == 0) return;

        await using var scope = scopes.CreateAsyncScope();
        var terminal = scope.ServiceProvider.GetRequiredService<TerminalEvents>();
        foreach (var jobId in stranded)
        {
            logger.LogWarning("Terminal event of job {JobId} was never confirmed; publishing it again", jobId);
            await terminal.PublishIfDueAsync(jobId, bus, ct);
        }
    }
}
