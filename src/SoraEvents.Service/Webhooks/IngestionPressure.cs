using Microsoft.Extensions.Options;

namespace SoraEvents.Service.Webhooks;

/// <summary>
/// Decides whether a stored callback is worked on now or yields the machine to the webhook. Gateways left waiting
/// for their answer time out and send again, adding to a burst; a stored callback is already safe in the broker.
/// But an event held back is an event late, so the consumer yields only when both measurements say the pipeline
/// cannot keep up anyway: the callback has waited longer than <see cref="WebhookOptions.YieldWhenBehindMilliseconds"/>
/// (the backlog is growing) and the process is saturated (<see cref="ISaturationGauge"/>).
/// </summary>
/// <remarks>
/// Measured in docs/benchmarks.md. While the pipeline keeps up, callbacks are younger than the bound and none
/// ever waits, on a fast machine or a slow one. Under an overload the consumer gives the cores to the webhook
/// for up to <see cref="WebhookOptions.MaxYieldMilliseconds"/> per callback, so under a flood that never ends
/// events still flow, only more slowly.
/// </remarks>
public sealed class IngestionPressure(IOptions<WebhookOptions> options, ISaturationGauge saturation, TimeProvider time)
{
    private static readonly TimeSpan Step = TimeSpan.FromMilliseconds(20);

    /// <summary>
    /// Waits while the callback received at <paramref name="receivedAt"/> is behind and the process saturated,
    /// at most <see cref="WebhookOptions.MaxYieldMilliseconds"/>.
    /// </summary>
    public async Task YieldWhileOverloadedAsync(DateTimeOffset receivedAt, CancellationToken ct)
    {
        if (options.Value.YieldWhenBehindMilliseconds is not { } behindMs) return;
        var now = time.GetUtcNow();
        if (now - receivedAt < TimeSpan.FromMilliseconds(behindMs) || !saturation.IsSaturated) return;
        var giveUpAt = now + TimeSpan.FromMilliseconds(options.Value.MaxYieldMilliseconds);
        while (saturation.IsSaturated && time.GetUtcNow() < giveUpAt)
            await Task.Delay(Step, time, ct);
    }
}
