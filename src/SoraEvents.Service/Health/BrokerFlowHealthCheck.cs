using Microsoft.Extensions.Diagnostics.HealthChecks;
using SoraEvents.Service.Messaging;

namespace SoraEvents.Service.Health;

/// <summary>
/// Not ready while RabbitMQ blocks our publishers: the bus is still connected, yet no callback could be stored.
/// Known from the moment the webhook's connection tried to publish (that is when the broker says so).
/// </summary>
public sealed class BrokerFlowHealthCheck(BrokerFlow flow) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default) =>
        Task.FromResult(flow.Blocked is { } blocked
            ? HealthCheckResult.Unhealthy($"RabbitMQ blocks publishers since {blocked.Since:O}: {blocked.Reason}")
            : HealthCheckResult.Healthy("RabbitMQ accepts publishers."));
}
