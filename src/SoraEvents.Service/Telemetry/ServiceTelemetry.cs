using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace SoraEvents.Service.Telemetry;

/// <summary>
/// The service's own traces and metrics. Instruments are always recorded (cheap when nobody listens);
/// <see cref="TelemetryRegistration"/> sends them over OTLP when an endpoint is configured.
/// </summary>
public sealed class ServiceTelemetry : IDisposable
{
    public const string Name = "SoraEvents";

    public static readonly ActivitySource Activities = new(Name);

    private readonly Meter meter;
    private readonly Counter<long> jobsEnded;
    private readonly Histogram<double> callbackToEvent;
    private readonly Counter<long> callbacksRefused;
    private readonly Histogram<double> webhookAttempts;
    private long waitingJobs;

    public ServiceTelemetry(IMeterFactory meters)
    {
        meter = meters.Create(Name);
        jobsEnded = meter.CreateCounter<long>("soraevents.jobs.ended", unit: "{job}",
            description: "Jobs that reached their terminal state, by outcome, provider and failure code.");
        callbackToEvent = meter.CreateHistogram<double>("soraevents.callback.to_event", unit: "ms",
            description: "From a callback received at the webhook to the terminal event it caused being published.");
        callbacksRefused = meter.CreateCounter<long>("soraevents.webhook.refused", unit: "{callback}",
            description: "Callbacks the webhook refused, by provider and reason (unauthenticated, too_large, unreadable, body_not_received).");
        webhookAttempts = meter.CreateHistogram<double>("soraevents.webhooks.outbound.attempt", unit: "ms",
            description: "Outbound webhook attempts and how long each took, by endpoint and outcome (delivered, failed, exhausted).");
        meter.CreateObservableGauge("soraevents.jobs.waiting", () => Interlocked.Read(ref waitingJobs), unit: "{job}",
            description: "Jobs queued and not yet submitted to a gateway, as counted by the last sweep.");
    }

    /// <summary>Called by each dispatcher sweep, so collecting the gauge never waits on the store.</summary>
    public void WaitingJobs(long count) => Interlocked.Exchange(ref waitingJobs, count);

    public void JobEnded(string outcome, string? provider, string? code) =>
        jobsEnded.Add(1, new("outcome", outcome), new("provider", provider ?? "none"), new("code", code ?? "none"));

    public void CallbackEndedJob(string provider, TimeSpan sinceReceived) =>
        callbackToEvent.Record(sinceReceived.TotalMilliseconds, new KeyValuePair<string, object?>("provider", provider));

    public void CallbackRefused(string provider, string reason) =>
        callbacksRefused.Add(1, new KeyValuePair<string, object?>("provider", provider), new KeyValuePair<string, object?>("reason", reason));

    public void WebhookAttempt(string endpoint, string outcome, TimeSpan took) =>
        webhookAttempts.Record(took.TotalMilliseconds, new KeyValuePair<string, object?>("endpoint", endpoint), new KeyValuePair<string, object?>("outcome", outcome));

    public void Dispose() => meter.Dispose();
}
