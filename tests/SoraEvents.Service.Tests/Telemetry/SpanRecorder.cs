using System.Collections.ObjectModel;
using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Trace;

namespace SoraEvents.Service.Tests.Telemetry;

/// <summary>
/// Switches tracing on for an in-process service (an OTLP endpoint is configured, so the service builds its tracer
/// provider) and keeps every finished span in memory for the test to read. Attach before the service's first use.
/// </summary>
public sealed class SpanRecorder
{
    private readonly Finished spans = new();

    public SpanRecorder(ServiceFactory factory)
    {
        // Nothing listens there: the OTLP exports fail quietly, and the spans are read from memory instead.
        factory.Settings["OTEL_EXPORTER_OTLP_ENDPOINT"] = "http://127.0.0.1:9";
        var others = factory.TestServices;
        factory.TestServices = services =>
        {
            others?.Invoke(services);
            services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddInMemoryExporter(spans));
        };
    }

    /// <summary>The spans finished so far.</summary>
    public IReadOnlyList<Activity> Spans => spans.Snapshot();

    /// <summary>The exporter adds from its own thread while the test reads, and its collection takes no lock of its own.</summary>
    private sealed class Finished : Collection<Activity>
    {
        private readonly Lock gate = new();

        protected override void InsertItem(int index, Activity item)
        {
            lock (gate) base.InsertItem(index, item);
        }

        public Activity[] Snapshot()
        {
            lock (gate) return [.. this];
        }
    }
}
