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

    /// <summary>
    /// The settings as they stand before the host is built, when the exporters and the log sink are chosen. Read as
    /// plain strings: binding would throw on an unreadable interval before the host could name the bad setting.
    /// </summary>
    public static TelemetryOptions ReadEarly(IConfiguration configuration)
    {
        var settings = new TelemetryOptions { Endpoint = configuration["OTEL_EXPORTER_OTLP_ENDPOINT"] };
        if (configuration["OTEL_EXPORTER_OTLP_PROTOCOL"] is { Length: > 0 } protocol) settings.Protocol = protocol;
        if (configuration["OTEL_SERVICE_NAME"] is { Length: > 0 } serviceName) settings.ServiceName = serviceName;
        if (int.TryParse(configuration["OTEL_METRIC_EXPORT_INTERVAL"], out var interval)) settings.MetricExportIntervalMs = interval;
        return settings;
    }

    public bool IsGrpc => Protocol.Equals("grpc", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Where one signal (<c>v1/traces</c>, <c>v1/metrics</c>, <c>v1/logs</c>) is sent: over HTTP each has its own path
    /// under the endpoint, as the OTLP specification says; over gRPC the endpoint itself.
    /// </summary>
    public Uri SignalEndpoint(string signalPath) =>
        IsGrpc ? new Uri(Endpoint!) : new Uri(new Uri(Endpoint!.TrimEnd('/') + "/"), signalPath);
}
