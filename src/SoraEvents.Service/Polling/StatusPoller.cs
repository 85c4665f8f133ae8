using MassTransit;
using Microsoft.Extensions.Options;
using SoraEvents.Service.Jobs;
using SoraEvents.Service.Providers;
using SoraEvents.Service.Scheduling;
using SoraEvents.Service.Telemetry;

namespace SoraEvents.Service.Polling;

/// <summary>
/// Asks the gateways' status APIs about submitted jobs whose check is due, so a callback that never comes
/// still ends its job. Each sweep reads only the due jobs (an index on the due time), so its cost follows the
/// jobs due, not the jobs stored; the calls go through the gateway's shared rate limit like any other.
/// </summary>
public sealed class StatusPoller(
    IServiceScopeFactory scopes,
    IJobStore store,
    IBus bus,
    IOptions<JobsOptions> options,
    TimeProvider time,
    ILogger<StatusPoller> logger) : PeriodicWork(options, time, logger)
{
    private const int ParallelChecks = 8;

    public override async Task RunOnceAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        foreach (var gateway in scope.ServiceProvider.GetServices<IVideoGateway>())
        {
            // A full batch means more may be due: keep going within this sweep rather than fall behind the schedule.
            IReadOnlyList<Job> due;
            do
            {
                var now = Time.GetUtcNow();
                due = await store.ClaimDuePollsAsync(gateway.Name, now, now + gateway.Polling.Every, Batch, ct);
                await Parallel.ForEachAsync(due, new ParallelOptions { MaxDegreeOfParallelism = ParallelChecks, CancellationToken = ct },
                    async (job, token) => await CheckAsync(gateway, job, token));
            }
            while (due.Count == Batch && !ct.IsCancellationRequested);
        }
    }

    private async Task CheckAsync(IVideoGateway gateway, Job job, CancellationToken ct)
    {
        using var logScope = logger.BeginScope(new Dictionary<string, object> { ["JobId"] = job.JobId, ["Provider"] = gateway.Name });
        try
        {
            using var activity = ServiceTelemetry.Activities.StartActivity("poll");
            activity?.SetTag("soraevents.job_id", job.JobId).SetTag("soraevents.provider", gateway.Name);
            var outcome = await gateway.GetStatusAsync(job.Request, job.ProviderRequestId!, ct);
            await using var scope = scopes.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<OutcomeApplier>().ApplyAsync(job, gateway, outcome, bus, ct);
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            // The next check is already scheduled; a failed one only means asking again later.
            logger.LogWarning("Status check of job {JobId} on {Provider} failed: {Reason}", job.JobId, gateway.Name, ex.Message);
        }
    }
}
