using SoraEvents.Contracts;

namespace SoraEvents.Service.Jobs;

/// <summary>One video job as the store knows it.</summary>
public sealed record Job
{
    public required Guid JobId { get; init; }
    public required JobStatus Status { get; init; }
    public required GenerateVideo Request { get; init; }
    public string? Provider { get; init; }
    public string? ProviderRequestId { get; init; }
    public int Attempt { get; init; }
    public IReadOnlyList<string> VideoUrls { get; init; } = [];
    public DateTimeOffset? ExpiresAt { get; init; }
    public string? ErrorCode { get; init; }
    public string? ErrorReason { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public required DateTimeOffset UpdatedAt { get; init; }
    public DateTimeOffset? SubmittedAt { get; init; }
    public DateTimeOffset? FinishedAt { get; init; }

    /// <summary>Chosen once when the job ends, so a re-published terminal event keeps the same MessageId.</summary>
    public Guid? TerminalMessageId { get; init; }

    public bool TerminalPublished { get; init; }

    /// <summary>When a queued job waiting for a gateway slot or a retry is due; null when nothing waits.</summary>
    public DateTimeOffset? NextTryAt { get; init; }

    /// <summary>A gateway that failed this job without charging; the next attempt prefers another one.</summary>
    public string? AvoidProvider { get; init; }

    /// <summary>Where the finished video was archived (<c>Archive:Path</c>), once it was.</summary>
    public string? ArchivedLocation { get; init; }

    public int ArchiveAttempts { get; init; }

    /// <summary>The API caller (<c>Api:Keys:&lt;caller&gt;</c>) that created the job; null for a job submitted on the bus.</summary>
    public string? Caller { get; init; }

    /// <summary>When <c>DELETE /v1/videos/{id}</c> removed the ended job from the API; the row stays for its events.</summary>
    public DateTimeOffset? DeletedAt { get; init; }

    /// <summary>Requests sent to gateways for this job so far, answered or not.</summary>
    public int GatewayCalls { get; init; }

    /// <summary>The last failure a gateway answered (<c>pixazo: HTTP 500 …</c>); kept once the job ends.</summary>
    public string? LastGatewayFailure { get; init; }

    /// <summary>When the submitter calls a gateway again after a failure; null when no call is planned.</summary>
    public DateTimeOffset? NextAttemptAt { get; init; }

    /// <summary>Every gateway stayed unavailable and the job's command went to <c>generate-video_error</c>: it waits for an operator's replay.</summary>
    public bool AwaitingReplay { get; init; }

    /// <summary>Each gateway the job was sent to, in order, and why it left it.</summary>
    public IReadOnlyList<JobAttempt> Attempts { get; init; } = [];

    public IReadOnlyDictionary<string, string> Metadata => Request.Metadata ?? new Dictionary<string, string>();
}
