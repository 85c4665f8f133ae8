using SoraEvents.Contracts;

namespace SoraEvents.Service.Videos;

/// <summary>
/// The fields of <c>POST /v1/videos</c> as read from JSON or a form: OpenAI's (<c>prompt</c>, <c>model</c>,
/// <c>seconds</c>, <c>size</c>, <c>input_reference</c>) and SoraEvents' extensions.
/// </summary>
/// <param name="InputReference">An http(s) URL or a <c>data:</c> URI; an uploaded file arrives as a <c>data:</c> URI.</param>
/// <param name="JobId">The caller's own id for the job, instead of one chosen by the service.</param>
public sealed record CreateVideoRequest(
    string? Prompt,
    string? Model = null,
    int? Seconds = null,
    string? Size = null,
    string? InputReference = null,
    string? Provider = null,
    string? Resolution = null,
    Dictionary<string, string>? Metadata = null,
    Guid? JobId = null)
{
    public GenerateVideo ToCommand(Guid jobId, string? model) =>
        new(jobId, Prompt ?? "", InputReference, Size, Seconds, Resolution, Provider, model, Metadata);

    /// <summary>The API's name of a <see cref="GenerateVideo"/> field, where it differs from the command's.</summary>
    public static string FieldName(string commandField) => commandField == "image" ? "input_reference" : commandField;
}
