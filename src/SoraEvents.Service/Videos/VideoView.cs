using SoraEvents.Service.Jobs;

namespace SoraEvents.Service.Videos;

/// <summary>What <c>GET /v1/videos/{jobId}</c> shows of a job.</summary>
public sealed record VideoView(
    Guid JobId,
    string Status,
    string? Provider,
    string? ProviderRequestId,
    string? VideoUrl,
    IReadOnlyList<string> VideoUrls,
    DateTimeOffset? ExpiresAt,
    string? ArchivedLocation,
    VideoError? Error,
    int Attempt,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? SubmittedAt,
    DateTimeOffset? FinishedAt,
    IReadOnlyDictionary<string, string> Metadata)
{
    public static VideoView From(Job job) => new(
        job.JobId,
        job.Status.ToText(),
        job.Provider,
        job.ProviderRequestId,
        job.VideoUrls.FirstOrDefault(),
        job.VideoUrls,
        job.ExpiresAt,
        job.ArchivedLocation,
        job.ErrorCode is null ? null : new VideoError(job.ErrorCode, job.ErrorReason ?? ""),
        job.Attempt,
        job.CreatedAt,
        job.UpdatedAt,
        job.SubmittedAt,
        job.FinishedAt,
        job.Metadata);
}
