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
    IReadOnlyDictionary<string, string> Metadata,
    int GatewayCalls,
    string? LastGatewayFailure,
    DateTimeOffset? NextAttemptAt,
    string? WaitingFor,
    IReadOnlyList<JobAttempt> Attempts)
{
    /// <summary>What <see cref="WaitingFor"/> says of a job whose command is in <c>generate-video_error</c>.</summary>
    public const string OperatorReplay = "an operator's replay of its command from generate-video_error (soraevents dlq replay)";

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
        job.Metadata,
        job.GatewayCalls,
        job.LastGatewayFailure,
        job.Status.IsTerminal() ? null : job.NextAttemptAt ?? (job.Status == JobStatus.Queued ? job.NextTryAt : null),
        job.AwaitingReplay ? OperatorReplay : null,
        job.Attempts);
}
