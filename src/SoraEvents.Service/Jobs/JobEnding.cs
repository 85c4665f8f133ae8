namespace SoraEvents.Service.Jobs;

/// <summary>How a job ends: either video URLs or a failure code with its reason.</summary>
public sealed record JobEnding
{
    public required JobStatus Status { get; init; }
    public string? Provider { get; init; }
    public string? ProviderRequestId { get; init; }
    public IReadOnlyList<string> VideoUrls { get; init; } = [];
    public DateTimeOffset? ExpiresAt { get; init; }
    public string? ErrorCode { get; init; }
    public string? ErrorReason { get; init; }

    /// <summary>Where the video was archived before the job ended, if it was.</summary>
    public string? ArchivedLocation { get; init; }

    /// <summary>When to try archiving again, if archiving is on and the first download did not finish in time.</summary>
    public DateTimeOffset? ArchiveRetryAt { get; init; }

    /// <summary>Why the job left its gateway, as its last attempt records it: its failure, or nothing when it completed.</summary>
    public string? LeftGatewayBecause => ErrorCode is null ? null : $"{ErrorCode}: {ErrorReason}";

    public static JobEnding Completed(string provider, string? providerRequestId, IReadOnlyList<string> urls, DateTimeOffset? expiresAt) =>
        new() { Status = JobStatus.Completed, Provider = provider, ProviderRequestId = providerRequestId, VideoUrls = urls, ExpiresAt = expiresAt };

    public static JobEnding Failed(string? provider, string? providerRequestId, string code, string reason) =>
        new() { Status = JobStatus.Failed, Provider = provider, ProviderRequestId = providerRequestId, ErrorCode = code, ErrorReason = reason };
}
