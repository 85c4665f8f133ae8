using Microsoft.Extensions.Options;

namespace SoraEvents.Service.Webhooks;

/// <summary>
/// Gives the webhook first claim on the machine during a burst. A callback is safe once the broker has it, but a
/// gateway left waiting for its answer times out and sends again, adding to the burst; so while many callbacks
/// are being received at once, the consumer that works off stored callbacks holds back for a short, bounded time.
/// </summary>
/// <remarks>
/// Measured in docs/benchmarks.md: on two cores the consumer working at full speed beside the webhook cost it
/// about a third of its throughput. The wait per stored callback is capped, so under a flood that never ends
/// events still flow, only more slowly.
/// </remarks>
public sealed class IngestionPressure(IOptions<WebhookOptions> options, TimeProvider time)
{
    private static readonly TimeSpan Step = TimeSpan.FromMilliseconds(20);

    private int receiving;

    /// <summary>Callbacks being received right now, on this instance.</summary>
    public int Receiving => Volatile.Read(ref receiving);

    /// <summary>Counts one callback in flight until the returned scope is disposed.</summary>
    public Scope Receive()
    {
        Interlocked.Increment(ref receiving);
        return new Scope(this);
    }

    /// <summary>Waits while the webhook is busy, at most <see cref="WebhookOptions.MaxYieldMilliseconds"/>.</summary>
    public async Task YieldWhileBusyAsync(CancellationToken ct)
    {
        var threshold = options.Value.YieldAboveReceiving;
        if (threshold is null || Receiving < threshold) return;
        var giveUpAt = time.GetUtcNow() + TimeSpan.FromMilliseconds(options.Value.MaxYieldMilliseconds);
        while (Receiving >= threshold && time.GetUtcNow() < giveUpAt)
            await Task.Delay(Step, time, ct);
    }

    public readonly struct Scope(IngestionPressure owner) : IDisposable
    {
        public void Dispose() => Interlocked.Decrement(ref owner.receiving);
    }
}
