namespace SoraEvents.Service.ApiAccess;

/// <summary>
/// Requests without a valid key cost an attacker nothing, so their warning must not cost us a log line each: one line
/// per <see cref="Interval"/>, carrying how many were refused since the last one (the idea of the webhooks'
/// <c>RefusedCallbackLog</c>). The line names the reason, never the key presented.
/// </summary>
public sealed class RefusedApiKeyLog(TimeProvider time, ILogger<RefusedApiKeyLog> logger)
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(30);

    private readonly Lock gate = new();
    private DateTimeOffset? loggedAt;
    private long suppressed;

    /// <param name="reason">A fixed text of ours ("no key", "unknown key"), never anything the request sent.</param>
    public void Refused(string reason)
    {
        var now = time.GetUtcNow();
        long before;
        lock (gate)
        {
            if (loggedAt is { } last && now - last < Interval)
            {
                suppressed++;
                return;
            }
            before = suppressed;
            suppressed = 0;
            loggedAt = now;
        }
        logger.LogWarning("API request refused: {Reason}; {Suppressed} more refused since the last such line", reason, before);
    }
}
