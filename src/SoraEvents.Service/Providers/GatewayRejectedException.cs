namespace SoraEvents.Service.Providers;

/// <summary>The gateway refused the job for good (validation, content policy, balance, authentication). Not retried.</summary>
public sealed class GatewayRejectedException(string provider, string code, string reason, int? httpStatus = null)
    : Exception($"{provider} rejected the job ({code}): {reason}")
{
    public string Provider { get; } = provider;

    /// <summary>A <c>VideoFailureCodes</c> value.</summary>
    public string Code { get; } = code;

    public string Reason { get; } = reason;

    public int? HttpStatus { get; } = httpStatus;
}
