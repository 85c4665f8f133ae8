namespace SoraEvents.Service.Jobs;

public enum ClaimResult
{
    /// <summary>The job is now <see cref="JobStatus.Submitting"/> and belongs to the caller.</summary>
    Claimed,

    /// <summary>The gateway already has as many of our tasks as it allows; the job stays queued.</summary>
    AtLimit,

    /// <summary>The job is not queued any more: someone else took it, or it ended.</summary>
    NotQueued,
}
