namespace SoraEvents.Service.Providers;

/// <summary>
/// The gateway did not take the job this time (429, 5xx, connection refused) and certainly created no task,
/// so trying again cannot pay twice. Retried with backoff.
/// </summary>
public sealed class GatewayUnavailableException(string provider, string reason, TimeSpan? retryAfter = null, Exception? inner = null)
    : Exception($"{provider} is unavailable: {reason}", inner)
{
    public string Provider { get; } = provider;

    /// <summary>The gateway's <c>Retry-After</c>, when it sent one.</summary>
    public TimeSpan? RetryAfter { get; } = retryAfter;
}
