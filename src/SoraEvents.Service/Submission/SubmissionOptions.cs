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

    /// <summary>A gateway's <c>Retry-After</c> is honoured up to this long before the message is retried.</summary>
    [Range(0, 600)]
    public double MaxRetryAfterSeconds { get; set; } = 60;

    /// <summary>How many gateway tasks one job may use when gateways fail without charging (Pixazo ERROR).</summary>
    [Range(1, 10)]
    public int MaxAttempts { get; set; } = 3;
}
