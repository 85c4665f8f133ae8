namespace SoraEvents.Cli.Dlq;

/// <summary>Which dead letters a replay takes: every condition given must hold (the queues are chosen before).</summary>
internal sealed record ReplayFilter(
    IReadOnlyList<string> MessageIds,
    IReadOnlyList<Guid> JobIds,
    string? ExceptionContains,
    DateTimeOffset? Since)
{
    public bool Matches(DeadLetter message) =>
        (MessageIds.Count == 0 || MessageIds.Any(message.HasId))
        && (JobIds.Count == 0 || (message.JobId is { } job && JobIds.Contains(job)))
        && (string.IsNullOrEmpty(ExceptionContains) || Contains(message.Fault.Message) || Contains(message.Fault.ExceptionType))
        && (Since is null || (message.Fault.Timestamp is { } at && at >= Since));

    private bool Contains(string? text) =>
        text is not null && text.Contains(ExceptionContains!, StringComparison.OrdinalIgnoreCase);
}
