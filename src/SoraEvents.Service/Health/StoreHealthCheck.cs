using Microsoft.Extensions.Diagnostics.HealthChecks;
using SoraEvents.Service.Jobs;

namespace SoraEvents.Service.Health;

/// <summary>Ready only when the job store answers a query.</summary>
public sealed class StoreHealthCheck(IJobStore store) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
    {
        try
        {
            // A lookup of an id no job has: a real round trip through the store, reading nothing.
            await store.FindAsync(Guid.Empty, ct);
            return HealthCheckResult.Healthy("The job store answers.");
        }
        catch (Exception ex)
        {
            return HealthCheckResult.Unhealthy("The job store does not answer.", ex);
        }
    }
}
