using Microsoft.Extensions.Time.Testing;

namespace SoraEvents.Testing;

/// <summary>
/// Driving the <see cref="FakeTimeProvider"/> a service waits on (<see cref="ServiceFactory.Clock"/>), so a test
/// moves through deadlines, sweeps and retry waits without waiting for them in real time.
/// </summary>
public static class ServiceClock
{
    /// <summary>How long, in real time, a test waits for the service to react before it fails: generous, because a loaded machine only makes this slower.</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    /// <summary>A fake clock standing at the real time, so rows the test writes with the wall clock compare sensibly with the service's.</summary>
    public static FakeTimeProvider StartingNow() => new(DateTimeOffset.UtcNow);

    /// <summary>
    /// Moves the clock on by <paramref name="step"/> at a time until <paramref name="condition"/> holds.
    /// </summary>
    /// <remarks>
    /// A loop that waits on the clock arms its next timer only after the work the previous tick started has run,
    /// on another thread; one big jump could pass a due time before its timer exists. Small steps, with a moment
    /// between them for the woken work, reach every due time, and overshooting one only moves the clock further,
    /// which no condition waited on here can undo.
    /// </remarks>
    public static async Task AdvanceUntilAsync(this FakeTimeProvider clock, TimeSpan step, Func<Task<bool>> condition, string what)
    {
        var start = clock.GetUtcNow();
        var giveUpAt = DateTime.UtcNow + Patience;
        while (!await condition())
        {
            if (DateTime.UtcNow > giveUpAt)
                Assert.Fail($"Waited {Patience.TotalSeconds:0} s (real) and moved the service's clock on by {clock.GetUtcNow() - start} for: {what}");
            clock.Advance(step);
            await Task.Delay(10);
        }
    }

    /// <inheritdoc cref="AdvanceUntilAsync(FakeTimeProvider, TimeSpan, Func{Task{bool}}, string)"/>
    public static Task AdvanceUntilAsync(this FakeTimeProvider clock, TimeSpan step, Func<bool> condition, string what) =>
        clock.AdvanceUntilAsync(step, () => Task.FromResult(condition()), what);

    /// <summary>Moves the clock on by <paramref name="total"/> in steps of <paramref name="step"/>, giving woken work a moment between them.</summary>
    public static async Task AdvanceByAsync(this FakeTimeProvider clock, TimeSpan total, TimeSpan step)
    {
        for (var moved = TimeSpan.Zero; moved < total; moved += step)
        {
            clock.Advance(step < total - moved ? step : total - moved);
            await Task.Delay(10);
        }
    }
}
