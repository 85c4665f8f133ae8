using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using SoraEvents.Service.Webhooks;

namespace SoraEvents.Service.Tests.Webhooks;

/// <summary>
/// When a stored callback yields to the webhook, on a clock the test moves and a saturation the test sets: no test
/// depends on how fast or how busy two shared cores are.
/// </summary>
public sealed class IngestionPressureTests
{
    private readonly FakeTimeProvider clock = ServiceClock.StartingNow();
    private readonly SettableSaturation saturation = new();

    private IngestionPressure Pressure(int? behindMs = 250, int maxYieldMs = 30_000) =>
        new(Options.Create(new WebhookOptions { YieldWhenBehindMilliseconds = behindMs, MaxYieldMilliseconds = maxYieldMs }), saturation, clock);

    private DateTimeOffset ReceivedAgo(int milliseconds) => clock.GetUtcNow() - TimeSpan.FromMilliseconds(milliseconds);

    /// <summary>Moves the clock on in small steps until <paramref name="waiting"/> ends; returns how far it moved.</summary>
    private async Task<TimeSpan> AdvanceUntilDoneAsync(Task waiting)
    {
        var start = clock.GetUtcNow();
        await clock.AdvanceUntilAsync(TimeSpan.FromMilliseconds(20), () => waiting.IsCompleted, "the stored callback to go on");
        await waiting;
        return clock.GetUtcNow() - start;
    }

    [Fact]
    public async Task A_callback_younger_than_the_bound_never_waits_even_on_a_saturated_machine()
    {
        saturation.IsSaturated = true;
        var waiting = Pressure(behindMs: 250).YieldWhileOverloadedAsync(ReceivedAgo(249), CancellationToken.None);
        Assert.True(waiting.IsCompletedSuccessfully);
        await waiting;
    }

    [Fact]
    public async Task A_callback_behind_the_bound_does_not_wait_while_the_machine_has_cores_to_spare()
    {
        saturation.IsSaturated = false;
        var waiting = Pressure(behindMs: 250).YieldWhileOverloadedAsync(ReceivedAgo(5_000), CancellationToken.None);
        Assert.True(waiting.IsCompletedSuccessfully);
        await waiting;
    }

    [Fact]
    public async Task A_callback_behind_the_bound_waits_while_the_machine_is_saturated_and_goes_on_once_it_is_not()
    {
        saturation.IsSaturated = true;
        var waiting = Pressure(behindMs: 250, maxYieldMs: 30_000).YieldWhileOverloadedAsync(ReceivedAgo(250), CancellationToken.None);
        await clock.AdvanceByAsync(TimeSpan.FromSeconds(2), TimeSpan.FromMilliseconds(100));
        Assert.False(waiting.IsCompleted);

        saturation.IsSaturated = false;
        var waitedAfterCalm = await AdvanceUntilDoneAsync(waiting);
        // It went on because the saturation ended, long before its cap would have let it.
        Assert.True(waitedAfterCalm < TimeSpan.FromSeconds(20), $"went on {waitedAfterCalm} after the saturation ended");
    }

    [Fact]
    public async Task A_wait_is_capped_so_events_still_flow_under_an_overload_that_never_ends()
    {
        saturation.IsSaturated = true;
        var waiting = Pressure(behindMs: 0, maxYieldMs: 300).YieldWhileOverloadedAsync(ReceivedAgo(1_000), CancellationToken.None);
        Assert.False(waiting.IsCompleted);

        var waited = await AdvanceUntilDoneAsync(waiting);
        Assert.True(waited >= TimeSpan.FromMilliseconds(300), $"gave up after {waited}, before its cap");
        Assert.True(waited < TimeSpan.FromSeconds(1), $"waited {waited}, well past its cap");
    }

    [Fact]
    public async Task Without_a_bound_stored_callbacks_never_wait()
    {
        saturation.IsSaturated = true;
        var waiting = Pressure(behindMs: null).YieldWhileOverloadedAsync(ReceivedAgo(60_000), CancellationToken.None);
        Assert.True(waiting.IsCompletedSuccessfully);
        await waiting;
    }

    private sealed class SettableSaturation : ISaturationGauge
    {
        public bool IsSaturated { get; set; }
    }
}
