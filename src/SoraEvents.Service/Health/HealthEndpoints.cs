using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace SoraEvents.Service.Health;

public static class HealthEndpoints
{
    public const string ReadyTag = "ready";

    public static IServiceCollection AddServiceHealth(this IServiceCollection services)
    {
        // The bus check is MassTransit's own, tagged "ready" in BusRegistration.
        services.AddHealthChecks()
            .AddCheck<StoreHealthCheck>("job-store", tags: [ReadyTag])
            .AddCheck<BrokerFlowHealthCheck>("broker-flow", tags: [ReadyTag]);
        return services;
    }

    /// <summary>
    /// <c>/health/live</c>: the process serves HTTP (no dependencies, so a broker outage never gets it restarted).
    /// <c>/health/ready</c>: the bus is connected, the broker does not block our publishers, and the store answers,
    /// each check listed with its status.
    /// </summary>
    public static IEndpointRouteBuilder MapServiceHealth(this IEndpointRouteBuilder app)
    {
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains(ReadyTag),
            ResponseWriter = WriteReportAsync,
            // MassTransit reports a bus that lost its broker as Degraded; not ready to take traffic either way.
            ResultStatusCodes =
            {
                [HealthStatus.Healthy] = StatusCodes.Status200OK,
                [HealthStatus.Degraded] = StatusCodes.Status503ServiceUnavailable,
                [HealthStatus.Unhealthy] = StatusCodes.Status503ServiceUnavailable,
            },
        });
        return app;
    }

    private static Task WriteReportAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(JsonSerializer.Serialize(new
        {
            status = report.Status.ToString(),
            checks = report.Entries.ToDictionary(e => e.Key, e => new { status = e.Value.Status.ToString(), e.Value.Description }),
        }, JsonSerializerOptions.Web));
    }
}
