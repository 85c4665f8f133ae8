using SoraEvents.Contracts;

namespace SoraEvents.Service.Videos;

/// <summary>The body of <c>POST /v1/videos</c>: a <see cref="GenerateVideo"/> whose job id may be left for the service to choose.</summary>
public sealed record CreateVideoRequest(
    string? Prompt,
    Guid? JobId = null,
    string? Image = null,
    string? Size = null,
    int? Seconds = null,
    string? Resolution = null,
    string? Provider = null,
    string? Model = null,
    Dictionary<string, string>? Metadata = null)
{
    public GenerateVideo ToCommand(Guid jobId) =>
        new(jobId, Prompt ?? "", Image, Size, Seconds, Resolution, Provider, Model, Metadata);
}
