namespace SoraEvents.Service.Jobs;

/// <summary>Where a job is in its life. Stored and shown as the lower-case names in <see cref="JobStatuses"/>.</summary>
public enum JobStatus
{
    /// <summary>Recorded, waiting to be submitted to a gateway.</summary>
    Queued,
    /// <summary>A consumer has claimed the job and is calling the gateway right now.</summary>
    Submitting,
    /// <summary>A gateway accepted the job; waiting for its callback.</summary>
    Submitted,
    Completed,
    Failed,
}
