using Microsoft.Extensions.Options;
using SoraEvents.Service.Webhooks;

namespace SoraEvents.Service.Tests.Webhooks;

public sealed class IngestionPressureTests
{
    private static IngestionPressure Pressure(int? threshold, int maxYieldMs) =>
        new(Options.Create(new WebhookOptions { YieldAboveReceiving = threshold, MaxYieldMilliseconds = maxYieldMs }), TimeProvider.System);

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
        await Task.Delay(200);
        Assert.False(waiting.IsCompleted);

        first.Dispose();
        await waiting.WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task A_wait_is_capped_so_events_still_flow_under_a_flood_that_never_ends()
    {
        var pressure = Pressure(1, 300);
        using var flood = pressure.Receive();
        var waiting = pressure.YieldWhileBusyAsync(CancellationToken.None);
        await Task.Delay(100);
        Assert.False(waiting.IsCompleted);
        await waiting.WaitAsync(TimeSpan.FromSeconds(5));
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
