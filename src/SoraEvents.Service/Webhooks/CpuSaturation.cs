namespace SoraEvents.Service.Webhooks;

/// <summary>
/// Saturated while the machine's CPUs are nearly all busy (at least <see cref="BusyShare"/> of the time since the
/// previous reading, from <c>/proc/stat</c>), or while the thread pool holds more queued work than there are cores.
/// The first is what a flood of callbacks looks like from outside the process (the broker, the load and the service
/// share the cores, and work queued in sockets or the broker never shows in the thread pool); the second catches a
/// process starved on a machine that is not. Where <c>/proc/stat</c> cannot be read, the thread pool alone decides.
/// </summary>
public sealed class CpuSaturation(TimeProvider time) : ISaturationGauge
{
    public const double BusyShare = 0.9;

    private static readonly TimeSpan ReadEvery = TimeSpan.FromMilliseconds(100);

    private readonly Lock gate = new();
    private CpuTimes? previous;
    private DateTimeOffset readAt = DateTimeOffset.MinValue;
    private bool busy;

    /// <summary>Reads the machine's CPU counters; replaced in tests.</summary>
    public Func<CpuTimes?> ReadCpuTimes { get; init; } = CpuTimes.FromProcStat;

    /// <summary>Work items waiting in the thread pool; replaced in tests.</summary>
    public Func<long> PendingWork { get; init; } = () => ThreadPool.PendingWorkItemCount;

    public bool IsSaturated => PendingWork() >= Environment.ProcessorCount || MachineBusy();

    private bool MachineBusy()
    {
        var now = time.GetUtcNow();
        lock (gate)
        {
            if (now - readAt < ReadEvery) return busy;
            readAt = now;
            var current = ReadCpuTimes();
            if (current is null) return busy = false;
            if (previous is { } before && current.Total > before.Total)
                busy = (double)(current.Busy - before.Busy) / (current.Total - before.Total) >= BusyShare;
            previous = current;
            return busy;
        }
    }
}

/// <summary>Jiffies the machine's CPUs spent in all states and in busy ones, as the first line of <c>/proc/stat</c> counts them.</summary>
public sealed record CpuTimes(long Total, long Busy)
{
    public static CpuTimes? FromProcStat()
    {
        try
        {
            using var reader = new StreamReader("/proc/stat");
            return Parse(reader.ReadLine());
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary><c>cpu user nice system idle iowait irq softirq steal …</c>; idle and iowait are the time not busy.</summary>
    public static CpuTimes? Parse(string? line)
    {
        var fields = line?.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (fields is null || fields.Length < 5 || fields[0] != "cpu") return null;
        var values = new List<long>();
        foreach (var field in fields.Skip(1).Take(8))
        {
            if (!long.TryParse(field, out var value)) return null;
            values.Add(value);
        }
        var total = values.Sum();
        var notBusy = values[3] + (values.Count > 4 ? values[4] : 0);
        return new CpuTimes(total, total - notBusy);
    }
}
