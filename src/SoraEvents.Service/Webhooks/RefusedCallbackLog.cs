using SoraEvents.Service.Telemetry;

namespace SoraEvents.Service.Webhooks;

/// <summary>
/// Unauthenticated callbacks cost an attacker nothing, so their warning must not cost us a log line each: one line
/// per provider per <see cref="Interval"/>, carrying how many were refused since the last one, while the metric
/// (<c>soraevents.webhook.refused</c>) counts every refusal.
/// </summary>
public sealed class RefusedCallbackLog(ServiceTelemetry telemetry, TimeProvider time, ILogger<RefusedCallbackLog> logger)
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(30);

    private readonly Dictionary<string, Window> windows = new(StringComparer.OrdinalIgnoreCase);

    /// <param name="provider">A known gateway's name: the webhook answers 404 before asking, so no caller can grow this.</param>
    public void Unauthenticated(string provider, Guid jobId)
    {
        telemetry.CallbackRefused(provider, "unauthenticated");
        var now = time.GetUtcNow();
        long suppressed;
        lock (windows)
        {
            if (windows.TryGetValue(provider, out var window) && now - window.LoggedAt < Interval)
            {
                window.Suppressed++;
                return;
            }
            suppressed = window?.Suppressed ?? 0;
            windows[provider] = new Window { LoggedAt = now };
        }
        logger.LogWarning("Callback for job {JobId} from {Provider} refused: missing or wrong token; {Suppressed} more refused since the last such line",
            jobId, provider, suppressed);
    }

    private sealed class Window
    {
        public DateTimeOffset LoggedAt { get; init; }
        public long Suppressed { get; set; }
    }
}
