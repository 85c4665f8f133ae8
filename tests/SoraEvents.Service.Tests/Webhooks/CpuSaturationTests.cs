using Microsoft.Extensions.Time.Testing;
using SoraEvents.Service.Webhooks;

namespace SoraEvents.Service.Tests.Webhooks;

public sealed class CpuSaturationTests
{
    [Fact]
    public void Proc_stat_counts_idle_and_iowait_as_not_busy() =>
        Assert.Equal(new CpuTimes(1000, 700), CpuTimes.Parse("cpu  400 100 200 250 50 0 0 0 0 0"));

    [Theory]
    [InlineData("intr 1 2 3")]
    [InlineData("cpu 1 2 x 4")]
    [InlineData("")]
    [InlineData(null)]
    public void An_unreadable_line_reads_as_nothing(string? line) => Assert.Null(CpuTimes.Parse(line));

    [Fact]
    public void Busy_cores_since_the_previous_reading_saturate_and_idle_ones_do_not()
    {
        var clock = new FakeTimeProvider();
        var readings = new Queue<CpuTimes>([new(0, 0), new(1000, 950), new(2000, 1200)]);
        var gauge = new CpuSaturation(clock) { ReadCpuTimes = () => readings.Dequeue(), PendingWork = () => 0 };

        _ = gauge.IsSaturated; // the first reading only sets the starting point
        clock.Advance(TimeSpan.FromMilliseconds(100));
        Assert.True(gauge.IsSaturated); // 95 % busy
        Assert.True(gauge.IsSaturated); // read again only after 100 ms: the same answer, no reading used
        clock.Advance(TimeSpan.FromMilliseconds(100));
        Assert.False(gauge.IsSaturated); // 20 % busy
        Assert.Empty(readings);
    }

    [Fact]
    public void A_thread_pool_queue_longer_than_the_cores_saturates_an_idle_machine()
    {
        var gauge = new CpuSaturation(new FakeTimeProvider()) { ReadCpuTimes = () => null, PendingWork = () => Environment.ProcessorCount };
        Assert.True(gauge.IsSaturated);
    }
}
