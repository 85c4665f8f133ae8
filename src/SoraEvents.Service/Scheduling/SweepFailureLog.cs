namespace SoraEvents.Service.Scheduling;

/// <summary>
/// What a sweep loop says when its sweeps fail: the first failure of a run in full, then at most one line a minute
/// with the count, and one line when a sweep works again. A store that is down would otherwise put a stack trace in
/// the log every sweep interval, from every loop of every instance.
/// </summary>
public sealed class SweepFailureLog(ILogger logger, TimeProvider time, string work)
{
    private static readonly TimeSpan Every = TimeSpan.FromMinutes(1);

    private int failures;
    private DateTimeOffset firstAt;
    private DateTimeOffset loggedAt;

    /// <summary>Sweeps that failed in a row, up to now.</summary>
    public int Failures => failures;

    public void Failed(Exception failure)
    {
        var now = time.GetUtcNow();
        if (failures++ == 0)
        {
            firstAt = loggedAt = now;
            logger.LogWarning(failure, "{Work} failed; trying again on the next sweep", work);
            return;
        }
        if (now - loggedAt < Every) return;
        loggedAt = now;
        logger.LogWarning("{Work} still failing: {Failures} sweeps in a row since {Since:u}; the latest: {Reason}",
            work, failures, firstAt, failure.Message);
    }

    public void Succeeded()
    {
        if (failures == 0) return;
        logger.LogInformation("{Work} works again after {Failures} failed sweeps", work, failures);
        failures = 0;
    }
}
