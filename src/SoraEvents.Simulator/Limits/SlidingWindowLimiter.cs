namespace SoraEvents.Simulator.Limits;

/// <summary>
/// Allows at most a number of calls in any window of time, as a gateway's "N requests per minute" does:
/// a sliding window over the calls actually allowed, so a burst at the end of one minute and another at
/// the start of the next is refused. Refused calls do not count.
/// </summary>
internal sealed class SlidingWindowLimiter(int limit, TimeSpan window, TimeProvider clock)
{
    private readonly Lock _gate = new();
    private readonly Queue<DateTimeOffset> _allowed = new();

    /// <summary>Counts the call and allows it, or refuses it saying in <paramref name="retryAfter"/> when the oldest call leaves the window.</summary>
    public bool TryAcquire(out TimeSpan retryAfter)
    {
        var now = clock.GetUtcNow();
        lock (_gate)
        {
            while (_allowed.Count > 0 && _allowed.Peek() <= now - window)
            {
                _allowed.Dequeue();
            }

            if (_allowed.Count >= limit)
            {
                retryAfter = _allowed.Peek() + window - now;
                return false;
            }

            _allowed.Enqueue(now);
            retryAfter = TimeSpan.Zero;
            return true;
        }
    }
}
