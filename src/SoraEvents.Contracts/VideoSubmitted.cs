namespace SoraEvents.Contracts;

/// <summary>Event: a gateway accepted the job and is generating the video.</summary>
/// <param name="JobId">The caller's job id from <see cref="GenerateVideo"/>.</param>
/// <param name="Provider">The gateway that took the job: <c>pixazo</c> or <c>apixo</c>.</param>
/// <param name="ProviderRequestId">The gateway's own id for the job (Pixazo <c>request_id</c>, APIXO <c>taskId</c>).</param>
/// <param name="SubmittedAt">When the gateway accepted the job.</param>
/// <param name="Metadata">The command's metadata, unchanged (empty when it had none).</param>
public record VideoSubmitted(
    Guid JobId,
    string Provider,
    string ProviderRequestId,
    DateTimeOffset SubmittedAt,
    IReadOnlyDictionary<string, string> Metadata);
