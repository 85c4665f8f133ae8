namespace SoraEvents.Contracts;

/// <summary>
/// Terminal event: the video is ready. Published once per job; if it is ever published again it carries
/// the same <c>MessageId</c>, so subscribers can deduplicate on it.
/// </summary>
/// <param name="JobId">The caller's job id from <see cref="GenerateVideo"/>.</param>
/// <param name="Provider">The gateway that delivered the video.</param>
/// <param name="ProviderRequestId">The gateway's own id for the job.</param>
/// <param name="VideoUrl">Where to download the video (the first of <see cref="VideoUrls"/>).</param>
/// <param name="VideoUrls">Every URL the gateway returned.</param>
/// <param name="ExpiresAt">When the gateway stops serving the URLs, when known.</param>
/// <param name="CompletedAt">When the service learned the video was ready.</param>
/// <param name="Metadata">The command's metadata, unchanged (empty when it had none).</param>
/// <param name="ArchivedLocation">
/// Where the service keeps its own copy of the video (a file path, or a URL when the service publishes its archive),
/// when archiving is on and the copy was made before this event; null otherwise. Gateway URLs expire, this does not.
/// </param>
public record VideoCompleted(
    Guid JobId,
    string Provider,
    string ProviderRequestId,
    string VideoUrl,
    IReadOnlyList<string> VideoUrls,
    DateTimeOffset? ExpiresAt,
    DateTimeOffset CompletedAt,
    IReadOnlyDictionary<string, string> Metadata,
    string? ArchivedLocation = null);
