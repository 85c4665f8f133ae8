using MassTransit;
using Microsoft.Extensions.Options;
using SoraEvents.Service.Jobs;
using SoraEvents.Service.Scheduling;
using SoraEvents.Service.Telemetry;

namespace SoraEvents.Service.Submission;

/// <summary>
/// Submits queued jobs whose due time has come: jobs that waited for a gateway slot, and jobs starting a new
/// attempt after a gateway failed them without charging.
/// </summary>
public sealed class QueuedJobDispatcher(
    IServiceScopeFactory scopes,
    IJobStore store,
    IBus bus,
    ServiceTelemetry telemetry,
    IOptions<JobsOptions> options,
    TimeProvider time,
    ILogger<QueuedJobDispatcher> logger) : PeriodicWork(options, time, logger)
{
    public override async Task RunOnceAsync(CancellationToken ct)
    {
        telemetry.WaitingJobs(await store.CountAsync(JobStatus.Queued, ct));
        foreach (var job in await store.FindDueAsync(Time.GetUtcNow(), Batch, ct))
        {
            await using var scope = scopes.CreateAsyncScope();
            try
            {
                await scope.ServiceProvider.GetRequiredService<JobSubmitter>().SubmitDueAsync(job.Request, bus, ct);
            }
            catch (Exception ex) when (!ct.IsCancellationRequested)
            {
                // One job's trouble must not hold back the others; its state says what happened.
                logger.LogWarning(ex, "Submitting due job {JobId} failed", job.JobId);
            }
        }
    }
}
