namespace SoraEvents.Contracts;

/// <summary>
/// Terminal event: the job ended without a video. Published once per job; if it is ever published again it
/// carries the same <c>MessageId</c>, so subscribers can deduplicate on it.
/// </summary>
/// <param name="JobId">The caller's job id from <see cref="GenerateVideo"/>.</param>
/// <param name="Provider">The gateway involved, when the job reached one.</param>
/// <param name="ProviderRequestId">The gateway's own id, when the job reached one.</param>
/// <param name="Code">One of the values in <see cref="VideoFailureCodes"/>.</param>
/// <param name="Reason">Human-readable explanation; for <c>invalid_request</c> every validation message, one per line.</param>
/// <param name="FailedAt">When the failure was decided.</param>
/// <param name="Metadata">The command's metadata, unchanged (empty when it had none).</param>
public record VideoFailed(
    Guid JobId,
    string? Provider,
    string? ProviderRequestId,
    string Code,
    string Reason,
    DateTimeOffset FailedAt,
    IReadOnlyDictionary<string, string> Metadata);
