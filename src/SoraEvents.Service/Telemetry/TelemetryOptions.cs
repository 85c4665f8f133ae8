using Microsoft.Extensions.Configuration;

namespace SoraEvents.Service.Telemetry;

/// <summary>The standard OpenTelemetry environment variables, read through configuration so tests can set them too.</summary>
public sealed class TelemetryOptions
{
    /// <summary>Where an OTLP collector listens, e.g. <c>http://otel-collector:4318</c>. Empty: nothing is exported.</summary>
    [ConfigurationKeyName("OTEL_EXPORTER_OTLP_ENDPOINT")]
    public string? Endpoint { get; set; }

    /// <summary><c>http/protobuf</c> (default) or <c>grpc</c>.</summary>
    [ConfigurationKeyName("OTEL_EXPORTER_OTLP_PROTOCOL")]
    public string Protocol { get; set; } = "http/protobuf";

    [ConfigurationKeyName("OTEL_SERVICE_NAME")]
    public string ServiceName { get; set; } = "soraevents";

    /// <summary>How often metrics are pushed, in milliseconds.</summary>
    [ConfigurationKeyName("OTEL_METRIC_EXPORT_INTERVAL")]
    public int MetricExportIntervalMs { get; set; } = 60_000;

    public bool Enabled => !string.IsNullOrWhiteSpace(Endpoint);
}
