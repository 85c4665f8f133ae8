namespace SoraEvents.Simulator.Tests.Support;

/// <summary>
/// A clock whose "now" only moves when a test says so. Timers stay real (the base class's), which is
/// all that status tests need: statuses are read from "now", not driven by timers.
/// </summary>
internal sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    private readonly Lock gate = new();
    private DateTimeOffset now = start;

    public override DateTimeOffset GetUtcNow()
    {
        lock (gate)
        {
            return now;
        }
    }

    public void Advance(TimeSpan by)
    {
        lock (gate)
        {
            now += by;
        }
    }
}
