namespace SoraEvents.Service.Providers;

/// <summary>
/// The gateway did not take the job this time and certainly created no task (429, 503 with <c>Retry-After</c>,
/// a refused connection, our own request budget used up), so trying again cannot pay twice. Retried with backoff,
/// then failed over. <see cref="GatewayAnswers"/> decides which answers are this certain.
/// </summary>
public sealed class GatewayUnavailableException(string provider, string reason, TimeSpan? retryAfter = null, Exception? inner = null)
    : Exception($"{provider} is unavailable: {reason}", inner)
{
    public string Provider { get; } = provider;

    /// <summary>The gateway's <c>Retry-After</c>, when it sent one.</summary>
    public TimeSpan? RetryAfter { get; } = retryAfter;
}
