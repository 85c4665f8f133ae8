namespace SoraEvents.Service.OutboundWebhooks;

/// <summary>Waits between attempts: 5 s, 30 s, 2 min, 10 min, 1 h, then hourly, as long as retrying lasts.</summary>
public static class RetrySchedule
{
    private static readonly TimeSpan[] Waits =
        [TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(10), TimeSpan.FromHours(1)];

    /// <summary>The wait after the <paramref name="failedAttempts"/>-th failed attempt (1 for the first).</summary>
    public static TimeSpan After(long failedAttempts) => Waits[(int)Math.Clamp(failedAttempts - 1, 0, Waits.Length - 1)];
}
