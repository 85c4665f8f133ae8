using Microsoft.Extensions.Logging;
using SoraEvents.Service.Scheduling;

namespace SoraEvents.Service.Tests.Scheduling;

public sealed class SweepFailureLogTests
{
    private readonly CapturedLogs logs = new();
    private readonly Microsoft.Extensions.Time.Testing.FakeTimeProvider clock = ServiceClock.StartingNow();

    private SweepFailureLog Log() => new(logs.CreateLogger("sweeps"), clock, "StatusPoller");

    [Fact]
    public void A_store_down_for_three_minutes_of_ten_sweeps_a_second_writes_four_lines_not_eighteen_hundred()
    {
        var log = Log();
        for (var sweep = 0; sweep < 1800; sweep++)
        {
            log.Failed(new InvalidOperationException("unable to open database file"));
            clock.Advance(TimeSpan.FromMilliseconds(100));
        }
        log.Succeeded();

        Assert.Equal(4, logs.Mentioning("StatusPoller").Count);
        Assert.Single(logs.Mentioning("failed; trying again"));
        Assert.Equal(2, logs.Mentioning("still failing").Count);
        Assert.Contains(logs.Mentioning("works again"), l => l.Contains("1800 failed sweeps"));
    }

    [Fact]
    public void A_new_run_of_failures_after_a_recovery_is_told_in_full_again()
    {
        var log = Log();
        log.Failed(new InvalidOperationException("first outage"));
        log.Succeeded();
        log.Failed(new InvalidOperationException("second outage"));

        Assert.Equal(2, logs.Mentioning("failed; trying again").Count);
        Assert.Equal(1, log.Failures);
    }
}
