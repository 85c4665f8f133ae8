using MassTransit;
using Microsoft.Extensions.Options;
using SoraEvents.Service.Jobs;

namespace SoraEvents.Service.Submission;

/// <summary>
/// Submits queued jobs whose due time has come: jobs that waited for a gateway slot, and jobs starting a new
/// attempt. Due times live in the store, so the schedule survives restarts and needs no broker plugin; every
/// instance may run this, because claiming a job is atomic.
/// </summary>
public sealed class QueuedJobDispatcher(
    IServiceScopeFactory scopes,
    IJobStore store,
    IBus bus,
    IOptions<SubmissionOptions> options,
    TimeProvider time,
    ILogger<QueuedJobDispatcher> logger) : BackgroundService
{
    private const int Batch = 50;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.DispatchInterval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await DispatchDueAsync(stoppingToken);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(ex, "Dispatching due jobs failed; trying again on the next tick");
            }
        }
    }

    public async Task DispatchDueAsync(CancellationToken ct)
    {
        foreach (var job in await store.FindDueAsync(time.GetUtcNow(), Batch, ct))
        {
            await using var scope = scopes.CreateAsyncScope();
            try
            {
                await scope.ServiceProvider.GetRequiredService<JobSubmitter>().SubmitAsync(job.Request, bus, ct);
            }
            catch (Exception ex) when (!ct.IsCancellationRequested)
            {
                // One job's trouble must not hold back the others; its state says what happened.
                logger.LogWarning(ex, "Submitting due job {JobId} failed", job.JobId);
            }
        }
    }
}
