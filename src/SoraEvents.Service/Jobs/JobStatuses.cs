namespace SoraEvents.Service.Jobs;

/// <summary>The text form of <see cref="JobStatus"/> used in the store and the HTTP API.</summary>
public static class JobStatuses
{
    public static string ToText(this JobStatus status) => status switch
    {
        JobStatus.Queued => "queued",
        JobStatus.Submitting => "submitting",
        JobStatus.Submitted => "submitted",
        JobStatus.Completed => "completed",
        JobStatus.Failed => "failed",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };

    public static JobStatus Parse(string text) => text switch
    {
        "queued" => JobStatus.Queued,
        "submitting" => JobStatus.Submitting,
        "submitted" => JobStatus.Submitted,
        "completed" => JobStatus.Completed,
        "failed" => JobStatus.Failed,
        _ => throw new FormatException($"Unknown job status '{text}'."),
    };

    public static bool IsTerminal(this JobStatus status) => status is JobStatus.Completed or JobStatus.Failed;
}
