using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace SoraEvents.Service.Telemetry;

/// <summary>
/// The service's own traces and metrics. Instruments are always recorded (cheap when nobody listens);
/// <see cref="TelemetryExport"/> sends them over OTLP when an endpoint is configured.
/// </summary>
public sealed class ServiceTelemetry : IDisposable
{
    public const string Name = "SoraEvents";

    public static readonly ActivitySource Activities = new(Name);

    private readonly Meter meter;
    private readonly Counter<long> jobsEnded;
    private readonly Histogram<double> callbackToEvent;

    public ServiceTelemetry(IMeterFactory meters)
    {
        meter = meters.Create(Name);
        jobsEnded = meter.CreateCounter<long>("soraevents.jobs.ended", unit: "{job}",
            description: "Jobs that reached their terminal state, by outcome, provider and failure code.");
        callbackToEvent = meter.CreateHistogram<double>("soraevents.callback.to_event", unit: "ms",
            description: "From a callback received at the webhook to the terminal event it caused being published.");
    }

    /// <summary>Queued jobs, read when a metric reader collects; set once the store is available.</summary>
    public void ObserveWaitingJobs(Func<long> read) =>
        meter.CreateObservableGauge("soraevents.jobs.waiting", read, unit: "{job}", description: "Jobs queued and not yet submitted to a gateway.");

    public void JobEnded(string outcome, string? provider, string? code) =>
        jobsEnded.Add(1, new("outcome", outcome), new("provider", provider ?? "none"), new("code", code ?? "none"));

    public void CallbackEndedJob(string provider, TimeSpan sinceReceived) =>
        callbackToEvent.Record(sinceReceived.TotalMilliseconds, new KeyValuePair<string, object?>("provider", provider));

    public void Dispose() => meter.Dispose();
}
