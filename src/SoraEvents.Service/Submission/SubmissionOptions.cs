using System.ComponentModel.DataAnnotations;

namespace SoraEvents.Service.Submission;

public sealed class SubmissionOptions
{
    public const string Section = "Submission";

    /// <summary>
    /// Seconds to wait between retries of a submission the gateway could not take (429, 5xx, refused connection),
    /// comma-separated: one string rather than an array, because bound arrays append instead of replacing.
    /// </summary>
    [Required]
    [RegularExpression(@"^\s*\d+(\.\d+)?(\s*,\s*\d+(\.\d+)?)*\s*$", ErrorMessage = "Submission:RetryIntervals must be seconds separated by commas, e.g. '1,5,15,30'.")]
    public string RetryIntervals { get; set; } = "1,5,15,30";

    public TimeSpan[] RetryDelays() =>
        RetryIntervals.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(s => TimeSpan.FromSeconds(double.Parse(s, System.Globalization.CultureInfo.InvariantCulture)))
            .ToArray();

    /// <summary>A gateway's <c>Retry-After</c> is honoured up to this long.</summary>
    [Range(0, 600)]
    public double MaxRetryAfterSeconds { get; set; } = 60;

    public TimeSpan MaxRetryAfter => TimeSpan.FromSeconds(MaxRetryAfterSeconds);

    /// <summary>How long a job waits before asking again for a slot at a gateway that is at its concurrency limit.</summary>
    [Range(0.05, 600)]
    public double SlotWaitSeconds { get; set; } = 1;

    public TimeSpan SlotWait => TimeSpan.FromSeconds(SlotWaitSeconds);

    /// <summary>
    /// A job accepted over HTTP is submitted by the dispatcher after this long even if its command never reached
    /// the broker (the process died in between).
    /// </summary>
    [Range(1, 3600)]
    public double OrphanGraceSeconds { get; set; } = 15;

    public TimeSpan OrphanGrace => TimeSpan.FromSeconds(OrphanGraceSeconds);

    /// <summary>How many gateway tasks one job may use when gateways fail without charging (Pixazo ERROR).</summary>
    [Range(1, 10)]
    public int MaxAttempts { get; set; } = 3;
}
