namespace SoraEvents.Simulator.Tests.Support;

/// <summary>
/// A clock whose "now" only moves when a test says so. Timers stay real (the base class's), which is
/// all that status tests need: statuses are read from "now", not driven by timers.
/// </summary>
internal sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    private readonly Lock _gate = new();
    private DateTimeOffset _now = start;

    public override DateTimeOffset GetUtcNow()
    {
        lock (_gate)
        {
            return _now;
        }
    }

    public void Advance(TimeSpan by)
    {
        lock (_gate)
        {
            _now += by;
        }
    }
}
