using System.Text.Json.Serialization;

namespace SoraEvents.Service.Videos;

/// <summary>
/// OpenAI's Video object, as create, retrieve and list return it, with SoraEvents' extensions after
/// <see cref="Error"/>. Times are Unix seconds; <see cref="Id"/> is the job id the bus events carry.
/// </summary>
public sealed record VideoObject(
    [property: JsonPropertyName("id")] Guid Id,
    [property: JsonPropertyName("model")] string Model,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("progress")] int Progress,
    [property: JsonPropertyName("created_at")] long CreatedAt,
    [property: JsonPropertyName("completed_at")] long? CompletedAt,
    [property: JsonPropertyName("expires_at")] long? ExpiresAt,
    [property: JsonPropertyName("prompt")] string? Prompt,
    [property: JsonPropertyName("size")] string? Size,
    [property: JsonPropertyName("seconds")] string? Seconds,
    [property: JsonPropertyName("error")] VideoObjectError? Error,
    [property: JsonPropertyName("provider")] string? Provider,
    [property: JsonPropertyName("metadata")] IReadOnlyDictionary<string, string> Metadata,
    [property: JsonPropertyName("video_url")] string? VideoUrl,
    [property: JsonPropertyName("archived_location")] string? ArchivedLocation,
    [property: JsonPropertyName("caller")] string? Caller,
    [property: JsonPropertyName("attempts")] IReadOnlyList<VideoAttempt> Attempts,
    [property: JsonPropertyName("gateway_calls")] int GatewayCalls,
    [property: JsonPropertyName("last_gateway_failure")] string? LastGatewayFailure,
    [property: JsonPropertyName("next_attempt_at")] long? NextAttemptAt,
    [property: JsonPropertyName("waiting_for")] string? WaitingFor)
{
    [JsonPropertyName("object"), JsonPropertyOrder(-1)]
    public string Object => "video";

    /// <summary>Always null: no gateway offers remixing.</summary>
    [JsonPropertyName("remixed_from_video_id")]
    public string? RemixedFromVideoId => null;
}

/// <summary>Why a video failed: a <c>VideoFailureCodes</c> value and its explanation.</summary>
public sealed record VideoObjectError(
    [property: JsonPropertyName("code")] string Code,
    [property: JsonPropertyName("message")] string Message);

/// <summary>One gateway a job went to: which, when (Unix seconds), its task id while current, and why the job left it.</summary>
public sealed record VideoAttempt(
    [property: JsonPropertyName("attempt")] int Attempt,
    [property: JsonPropertyName("provider")] string Provider,
    [property: JsonPropertyName("started_at")] long? StartedAt,
    [property: JsonPropertyName("ended_at")] long? EndedAt,
    [property: JsonPropertyName("provider_request_id")] string? ProviderRequestId,
    [property: JsonPropertyName("left_because")] string? LeftBecause);
