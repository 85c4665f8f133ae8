namespace SoraEvents.Service.Jobs;

/// <summary>
/// One stint of a job on one gateway: from the claim that sent it there until it left, and why it left (null
/// while it is still there, or when it ended there with the job).
/// </summary>
public sealed record JobAttempt(string Provider, DateTimeOffset StartedAt, DateTimeOffset? EndedAt, string? LeftBecause);
