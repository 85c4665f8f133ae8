namespace SoraEvents.Service.Providers;

/// <summary>
/// The gateway's answer does not say whether it created the task (a 500, 502, 504 or 408 from the gateway or the
/// API gateway in front of it, a 503 without <c>Retry-After</c>, no answer in time, an acceptance we cannot read).
/// The task may exist and be charged, so the job keeps its claim: nothing is retried or failed over, and the
/// callback URL, which names the job, brings the outcome home; else the job's deadline ends it.
/// </summary>
public sealed class GatewayOutcomeUnknownException(string provider, string reason, Exception? inner = null)
    : Exception($"{provider} may or may not have created the task: {reason}", inner)
{
    public string Provider { get; } = provider;
}
