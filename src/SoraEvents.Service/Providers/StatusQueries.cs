using SoraEvents.Service.Jobs;

namespace SoraEvents.Service.Providers;

/// <summary>
/// Status queries asked for by what a job's gateway said (an unreadable callback), collapsed per job in the store:
/// one in flight and at most one per poll interval, however many callbacks arrive on however many instances.
/// A burst of authentic but unreadable callbacks for one job would otherwise spend the gateway's whole request
/// budget on that job.
/// </summary>
public sealed class StatusQueries(IJobStore store, TimeProvider time, ILogger<StatusQueries> logger)
{
    /// <summary>
    /// Longer than any query can take (the rate-limit wait plus an HTTP timeout), and enforced: a query still
    /// running then is cancelled, so a second one can never overlap it.
    /// </summary>
    public static readonly TimeSpan Lease = GatewayTransport.MaxWait + TimeSpan.FromMinutes(1);

    /// <summary>What the gateway's status API says now, or null when a query for this job runs or ran within the interval.</summary>
    public async Task<GatewayOutcome?> AskAsync(Job job, IVideoGateway gateway, string providerRequestId, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var leaseUntil = now + Lease;
        if (!await store.TryClaimStatusQueryAsync(job.JobId, now, now + gateway.Polling.Every, leaseUntil, ct))
        {
            logger.LogDebug("Status query for job {JobId} on {Provider} skipped: one runs or ran within the poll interval", job.JobId, gateway.Name);
            return null;
        }

        using var lease = new CancellationTokenSource(Lease, time);
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(ct, lease.Token);
        try
        {
            return await gateway.GetStatusAsync(job.Request, providerRequestId, bounded.Token);
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            // Its status checks ask again on schedule; one failed query is no reason to fail the callback.
            logger.LogWarning("Status query for job {JobId} on {Provider} failed: {Reason}", job.JobId, gateway.Name, ex.Message);
            return null;
        }
        finally
        {
            await EndAsync(job, gateway, leaseUntil);
        }
    }

    private async Task EndAsync(Job job, IVideoGateway gateway, DateTimeOffset leaseUntil)
    {
        try
        {
            await store.EndStatusQueryAsync(job.JobId, leaseUntil, time.GetUtcNow() + gateway.Polling.Every, CancellationToken.None);
        }
        catch (Exception ex)
        {
            // The lease runs out by itself; until then the job's checks wait.
            logger.LogWarning("Could not end the status query of job {JobId}: {Reason}", job.JobId, ex.Message);
        }
    }
}
