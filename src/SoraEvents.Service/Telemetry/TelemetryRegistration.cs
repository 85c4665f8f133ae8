namespace SoraEvents.Service.Telemetry;

public static class TelemetryRegistration
{
    public static IServiceCollection AddServiceTelemetry(this IServiceCollection services)
    {
        // Bound from the configuration root: the OTEL_* names are the OpenTelemetry standard, not a section of ours.
        services.AddOptions<TelemetryOptions>().BindConfiguration("");
        services.AddMetrics();
        services.AddSingleton<ServiceTelemetry>();
        services.AddHostedService<TelemetryExport>();
        return services;
    }
}
