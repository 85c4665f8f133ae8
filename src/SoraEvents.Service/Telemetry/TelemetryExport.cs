using Microsoft.Extensions.Options;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace SoraEvents.Service.Telemetry;

/// <summary>
/// Owns the OpenTelemetry providers for the life of the host, built with the SDK directly rather than through
/// OpenTelemetry.Extensions.Hosting, so that nothing at all is created unless an OTLP endpoint is configured.
/// Exports our instruments plus ASP.NET Core's, HttpClient's and MassTransit's, which those libraries emit on their own.
/// </summary>
public sealed class TelemetryExport(IOptions<TelemetryOptions> options, ILogger<TelemetryExport> logger) : IHostedService, IDisposable
{
    private static readonly string[] Sources = [ServiceTelemetry.Name, "MassTransit", "Microsoft.AspNetCore", "System.Net.Http"];
    private static readonly string[] Meters = [ServiceTelemetry.Name, "MassTransit", "Microsoft.AspNetCore.Hosting", "System.Net.Http"];

    private TracerProvider? tracing;
    private MeterProvider? metrics;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (!settings.Enabled) return Task.CompletedTask;

        var resource = ResourceBuilder.CreateDefault().AddService(settings.ServiceName);
        tracing = Sdk.CreateTracerProviderBuilder().SetResourceBuilder(resource).AddSource(Sources)
            .AddOtlpExporter(o => Configure(o, settings, "v1/traces")).Build();
        metrics = Sdk.CreateMeterProviderBuilder().SetResourceBuilder(resource).AddMeter(Meters)
            .AddOtlpExporter((o, reader) =>
            {
                Configure(o, settings, "v1/metrics");
                reader.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = settings.MetricExportIntervalMs;
            }).Build();
        logger.LogInformation("Exporting traces and metrics over OTLP ({Protocol}) to {Endpoint}", settings.Protocol, settings.Endpoint);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        // Flush what was recorded before the host goes away.
        tracing?.ForceFlush(5_000);
        metrics?.ForceFlush(5_000);
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        tracing?.Dispose();
        metrics?.Dispose();
    }

    private static void Configure(OtlpExporterOptions exporter, TelemetryOptions settings, string signalPath)
    {
        var grpc = settings.Protocol.Equals("grpc", StringComparison.OrdinalIgnoreCase);
        exporter.Protocol = grpc ? OtlpExportProtocol.Grpc : OtlpExportProtocol.HttpProtobuf;
        // Over HTTP each signal has its own path under the endpoint, as the OTLP specification says.
        exporter.Endpoint = grpc ? new Uri(settings.Endpoint!) : new Uri(new Uri(settings.Endpoint!.TrimEnd('/') + "/"), signalPath);
    }
}
