namespace SoraEvents.Service.Videos;

/// <summary>Why a job failed: a <c>VideoFailureCodes</c> value and its explanation.</summary>
public sealed record VideoError(string Code, string Reason);
