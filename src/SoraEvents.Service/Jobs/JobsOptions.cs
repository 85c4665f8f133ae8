using System.ComponentModel.DataAnnotations;

namespace SoraEvents.Service.Jobs;

public sealed class JobsOptions
{
    public const string Section = "Jobs";

    /// <summary>A job not finished this long after it was accepted ends with <c>timed_out</c>.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "7.00:00:00", ErrorMessage = "Jobs:Deadline must be between 1 second and 7 days.")]
    public TimeSpan Deadline { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>How often each instance looks for due status checks, deadlines and unpublished terminal events.</summary>
    [Range(0.05, 60)]
    public double SweepIntervalSeconds { get; set; } = 1;

    public TimeSpan SweepInterval => TimeSpan.FromSeconds(SweepIntervalSeconds);

    /// <summary>How many due jobs one sweep takes at most, per gateway and per kind of work.</summary>
    [Range(1, 10_000)]
    public int SweepBatch { get; set; } = 200;
}
