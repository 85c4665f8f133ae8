namespace SoraEvents.Service.Videos;

/// <summary>The 202 answer to <c>POST /v1/videos</c>.</summary>
public sealed record VideoAccepted(Guid JobId, string Status, string Location);
