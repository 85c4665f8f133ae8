using Npgsql;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace SoraEvents.Service.Telemetry;

public static class TelemetryRegistration
{
    /// <summary>Where health probes are served: they would fill every trace store with one span per probe.</summary>
    private static readonly PathString HealthPaths = "/health";

    /// <summary>
    /// Our instruments are always recorded. Traces and metrics (ours, ASP.NET Core's, HttpClient's, Npgsql's and
    /// MassTransit's) go over OTLP only when an endpoint is configured; without one no OpenTelemetry provider is
    /// created at all, so nothing listens to those sources.
    /// </summary>
    public static WebApplicationBuilder AddServiceTelemetry(this WebApplicationBuilder builder)
    {
        // Bound from the configuration root: the OTEL_* names are the OpenTelemetry standard, not a section of ours.
        builder.Services.AddOptions<TelemetryOptions>().BindConfiguration("").ValidateOnStart();
        builder.Services.AddMetrics();
        builder.Services.AddSingleton<ServiceTelemetry>();

        // Read here, before the host exists, as the logger's OTLP sink has to be (see LoggingSetup).
        var settings = TelemetryOptions.ReadEarly(builder.Configuration);
        if (!settings.Enabled) return builder;

        builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(settings.ServiceName))
            .WithTracing(tracing => tracing
                .AddSource(ServiceTelemetry.Name, "MassTransit")
                .AddAspNetCoreInstrumentation(o => o.Filter = context => !context.Request.Path.StartsWithSegments(HealthPaths))
                .AddHttpClientInstrumentation()
                .AddNpgsql()
                .AddOtlpExporter(exporter => Configure(exporter, settings, "v1/traces")))
            .WithMetrics(metrics => metrics
                .AddMeter(ServiceTelemetry.Name, "MassTransit")
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddOtlpExporter((exporter, reader) =>
                {
                    Configure(exporter, settings, "v1/metrics");
                    reader.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = settings.MetricExportIntervalMs;
                }));
        return builder;
    }

    private static void Configure(OtlpExporterOptions exporter, TelemetryOptions settings, string signalPath)
    {
        exporter.Protocol = settings.IsGrpc ? OtlpExportProtocol.Grpc : OtlpExportProtocol.HttpProtobuf;
        exporter.Endpoint = settings.SignalEndpoint(signalPath);
    }
}
