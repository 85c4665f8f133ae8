namespace SoraEvents.Simulator.Limits;

/// <summary>
/// Allows at most a number of calls in any window of time, as a gateway's "N requests per minute" does:
/// a sliding window over the calls actually allowed, so a burst at the end of one minute and another at
/// the start of the next is refused. Refused calls do not count.
/// </summary>
internal sealed class SlidingWindowLimiter(int limit, TimeSpan window, TimeProvider clock)
{
    private readonly Lock gate = new();
    private readonly Queue<DateTimeOffset> allowed = new();

    /// <summary>Counts the call and allows it, or refuses it saying in <paramref name="retryAfter"/> when the oldest call leaves the window.</summary>
    public bool TryAcquire(out TimeSpan retryAfter)
    {
        var now = clock.GetUtcNow();
        lock (gate)
        {
            while (this.allowed.Count > 0 && this.allowed.Peek() <= now - window)
            {
                this.allowed.Dequeue();
            }

            if (this.allowed.Count >= limit)
            {
                retryAfter = this.allowed.Peek() + window - now;
                return false;
            }

            this.allowed.Enqueue(now);
            retryAfter = TimeSpan.Zero;
            return true;
        }
    }
}
