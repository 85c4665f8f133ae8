using Microsoft.Extensions.Options;
using SoraEvents.Contracts;
using SoraEvents.Service.Jobs;
using SoraEvents.Service.Providers;

namespace SoraEvents.Service.Videos;

/// <summary>Shows a job as OpenAI's <see cref="VideoObject"/>: its status in OpenAI's words, and an estimated progress.</summary>
public sealed class VideoObjects(IOptions<ProvidersOptions> providers, ModelCatalog models, TimeProvider time)
{
    /// <summary>APIXO keeps result URLs for 15 days (its document); a completed job that names no expiry gets that.</summary>
    public static readonly TimeSpan ApixoUrlLifetime = TimeSpan.FromDays(15);

    public VideoObject From(Job job) => new(
        job.JobId,
        job.Request.Model ?? models.Default,
        StatusOf(job.Status),
        Progress(job),
        job.CreatedAt.ToUnixTimeSeconds(),
        job.Status == JobStatus.Completed ? job.FinishedAt?.ToUnixTimeSeconds() : null,
        ExpiresAt(job)?.ToUnixTimeSeconds(),
        string.IsNullOrEmpty(job.Request.Prompt) ? null : job.Request.Prompt,
        job.Request.Size,
        job.Request.Seconds?.ToString(System.Globalization.CultureInfo.InvariantCulture),
        job.ErrorCode is null ? null : new VideoObjectError(job.ErrorCode, job.ErrorReason ?? ""),
        job.Provider,
        job.Metadata,
        job.VideoUrls.FirstOrDefault(),
        job.ArchivedLocation,
        job.Caller,
        Attempts(job),
        job.GatewayCalls,
        job.LastGatewayFailure,
        (job.Status.IsTerminal() ? null : job.NextAttemptAt ?? (job.Status == JobStatus.Queued ? job.NextTryAt : null))?.ToUnixTimeSeconds(),
        job.AwaitingReplay ? OperatorReplay : null);

    /// <summary>What <c>waiting_for</c> says of a job whose command is in <c>generate-video_error</c>.</summary>
    public const string OperatorReplay = "an operator's replay of its command from generate-video_error (soraevents dlq replay)";

    /// <summary>OpenAI's four statuses: a job being submitted or at a gateway is <c>in_progress</c>.</summary>
    public static string StatusOf(JobStatus status) => status switch
    {
        JobStatus.Queued => "queued",
        JobStatus.Submitting or JobStatus.Submitted => "in_progress",
        JobStatus.Completed => "completed",
        _ => "failed",
    };

    /// <summary>The job statuses a public status (or one of the store's own names) stands for; null when it names none.</summary>
    public static IReadOnlyList<JobStatus>? StatusesOf(string status) => status switch
    {
        "queued" => [JobStatus.Queued],
        "in_progress" => [JobStatus.Submitting, JobStatus.Submitted],
        "submitting" => [JobStatus.Submitting],
        "submitted" => [JobStatus.Submitted],
        "completed" => [JobStatus.Completed],
        "failed" => [JobStatus.Failed],
        _ => null,
    };

    /// <summary>
    /// Estimated from the time since the job was created against the typical duration of the gateway it was first
    /// routed to, so it never decreases, not even when the job is requeued or fails over: 90 at the typical
    /// duration, then creeping towards 99; 100 once completed; a failed job keeps what it showed when it ended.
    /// </summary>
    public int Progress(Job job)
    {
        if (job.Status == JobStatus.Completed) return 100;
        var end = job.Status == JobStatus.Failed ? job.FinishedAt ?? job.UpdatedAt : time.GetUtcNow();
        var elapsed = Math.Max(0, (end - job.CreatedAt).TotalSeconds);
        var typical = TypicalSeconds(job.Request.Provider ?? providers.Value.Default);
        var estimate = elapsed <= typical ? 90 * elapsed / typical : 99 - 9 * Math.Exp(-(elapsed - typical) / typical);
        return (int)Math.Clamp(Math.Floor(estimate), 0, 99);
    }

    private double TypicalSeconds(string provider) =>
        string.Equals(provider, VideoProviders.Apixo, StringComparison.OrdinalIgnoreCase) ? providers.Value.Apixo.TypicalSeconds : providers.Value.Pixazo.TypicalSeconds;

    private static DateTimeOffset? ExpiresAt(Job job) =>
        job.ExpiresAt ?? (job.Status == JobStatus.Completed && job.Provider == VideoProviders.Apixo ? job.FinishedAt + ApixoUrlLifetime : null);

    /// <summary>
    /// Every gateway the job went to, in order (the store's <c>job_attempts</c>; a job read in a listing carries none).
    /// A job from before attempts were recorded shows its current gateway alone.
    /// </summary>
    private static IReadOnlyList<VideoAttempt> Attempts(Job job)
    {
        if (job.Attempts.Count == 0)
            return job.Provider is null ? [] : [new VideoAttempt(job.Attempt, job.Provider, job.SubmittedAt?.ToUnixTimeSeconds(), null, job.ProviderRequestId, null)];
        return job.Attempts.Select((a, i) => new VideoAttempt(i + 1, a.Provider, a.StartedAt.ToUnixTimeSeconds(), a.EndedAt?.ToUnixTimeSeconds(),
            i == job.Attempts.Count - 1 ? job.ProviderRequestId : null, a.LeftBecause)).ToList();
    }
}
