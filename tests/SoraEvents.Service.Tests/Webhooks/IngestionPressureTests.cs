using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using SoraEvents.Service.Webhooks;

namespace SoraEvents.Service.Tests.Webhooks;

/// <summary>The webhook's claim on the machine, on a clock the test moves: no test depends on how fast two busy cores are.</summary>
public sealed class IngestionPressureTests
{
    private readonly FakeTimeProvider clock = ServiceClock.StartingNow();

    private IngestionPressure Pressure(int? threshold, int maxYieldMs) =>
        new(Options.Create(new WebhookOptions { YieldAboveReceiving = threshold, MaxYieldMilliseconds = maxYieldMs }), clock);

    /// <summary>Moves the clock on in small steps until <paramref name="waiting"/> ends; returns how far it moved.</summary>
    private async Task<TimeSpan> AdvanceUntilDoneAsync(Task waiting)
    {
        var start = clock.GetUtcNow();
        await clock.AdvanceUntilAsync(TimeSpan.FromMilliseconds(20), () => waiting.IsCompleted, "the stored callback to go on");
        await waiting;
        return clock.GetUtcNow() - start;
    }

    [Fact]
    public void Receiving_counts_the_callbacks_in_flight()
    {
        var pressure = Pressure(16, 1000);
        using (pressure.Receive())
        using (pressure.Receive())
            Assert.Equal(2, pressure.Receiving);
        Assert.Equal(0, pressure.Receiving);
    }

    [Fact]
    public async Task Stored_callbacks_do_not_wait_while_the_webhook_is_calm()
    {
        var pressure = Pressure(2, 30_000);
        using var one = pressure.Receive();
        var waiting = pressure.YieldWhileBusyAsync(CancellationToken.None);
        Assert.True(waiting.IsCompletedSuccessfully);
        await waiting;
    }

    [Fact]
    public async Task Stored_callbacks_wait_while_the_webhook_is_busy_and_go_on_once_it_calms()
    {
        var pressure = Pressure(2, 30_000);
        var first = pressure.Receive();
        using var second = pressure.Receive();

        var waiting = pressure.YieldWhileBusyAsync(CancellationToken.None);
        await clock.AdvanceByAsync(TimeSpan.FromSeconds(2), TimeSpan.FromMilliseconds(100));
        Assert.False(waiting.IsCompleted);

        first.Dispose();
        var waitedAfterCalm = await AdvanceUntilDoneAsync(waiting);
        // It went on because the webhook calmed, long before its cap would have let it.
        Assert.True(waitedAfterCalm < TimeSpan.FromSeconds(20), $"went on {waitedAfterCalm} after the webhook calmed");
    }

    [Fact]
    public async Task A_wait_is_capped_so_events_still_flow_under_a_flood_that_never_ends()
    {
        var pressure = Pressure(1, 300);
        using var flood = pressure.Receive();
        var waiting = pressure.YieldWhileBusyAsync(CancellationToken.None);
        Assert.False(waiting.IsCompleted);

        var waited = await AdvanceUntilDoneAsync(waiting);
        Assert.True(waited >= TimeSpan.FromMilliseconds(300), $"gave up after {waited}, before its cap");
        Assert.Equal(1, pressure.Receiving);
    }

    [Fact]
    public async Task Without_a_threshold_stored_callbacks_never_wait()
    {
        var pressure = Pressure(null, 30_000);
        using var flood = pressure.Receive();
        var waiting = pressure.YieldWhileBusyAsync(CancellationToken.None);
        Assert.True(waiting.IsCompletedSuccessfully);
        await waiting;
    }
}
