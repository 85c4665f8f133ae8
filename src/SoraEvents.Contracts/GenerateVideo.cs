namespace SoraEvents.Contracts;

/// <summary>
/// Command: generate one Sora video. Publish it to the exchange <c>SoraEvents.Contracts:GenerateVideo</c>
/// (MassTransit envelope) or send plain <c>application/json</c> to the <c>generate-video</c> queue.
/// Exactly one <see cref="VideoCompleted"/> or <see cref="VideoFailed"/> follows for each <see cref="JobId"/>.
/// </summary>
/// <param name="JobId">Chosen by the caller; the idempotency key. A second command with a known id submits nothing new.</param>
/// <param name="Prompt">What the video should show. Required, at most 4,000 characters.</param>
/// <param name="Image">Optional http(s) URL or <c>data:</c> URI. When set the job is image-to-video.</param>
/// <param name="Size">Optional output size: <c>1280x720</c>, <c>720x1280</c>, <c>1792x1024</c> or <c>1024x1792</c>.</param>
/// <param name="Seconds">Optional duration in seconds; which values are allowed depends on the gateway.</param>
/// <param name="Resolution">Optional <c>720p</c> or <c>1080p</c>; used by APIXO for image-to-video.</param>
/// <param name="Provider">Optional gateway: <c>pixazo</c> or <c>apixo</c>. When absent, routing decides.</param>
/// <param name="Model">Optional model id; <c>sora-2-pro</c> when absent.</param>
/// <param name="Metadata">Optional string map, echoed unchanged on every event about this job.</param>
public record GenerateVideo(
    Guid JobId,
    string Prompt,
    string? Image = null,
    string? Size = null,
    int? Seconds = null,
    string? Resolution = null,
    string? Provider = null,
    string? Model = null,
    IReadOnlyDictionary<string, string>? Metadata = null);
