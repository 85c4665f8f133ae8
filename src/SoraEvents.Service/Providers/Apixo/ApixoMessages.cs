using System.Text.Json;
using System.Text.Json.Serialization;

namespace SoraEvents.Service.Providers.Apixo;

// The JSON shapes of APIXO's Sora 2 Pro API (docs/gateways.md names its public pages). Requests are snake_case, answers camelCase,
// so every name is spelled out.

/// <summary>Body of <c>POST /api/v1/generateTask/{model}</c>.</summary>
public sealed record ApixoGenerateRequest(
    [property: JsonPropertyName("request_type")] string RequestType,
    [property: JsonPropertyName("callback_url")] string? CallbackUrl,
    [property: JsonPropertyName("provider")] string Provider,
    [property: JsonPropertyName("input")] ApixoInput Input);

public sealed record ApixoInput(
    [property: JsonPropertyName("mode")] string Mode,
    [property: JsonPropertyName("prompt")] string Prompt,
    [property: JsonPropertyName("duration")] int? Duration,
    [property: JsonPropertyName("size")] string? Size,
    [property: JsonPropertyName("resolution")] string? Resolution,
    [property: JsonPropertyName("image_urls")] IReadOnlyList<string>? ImageUrls);

/// <summary>Every APIXO answer: <c>{code, message, data}</c>; a <c>code</c> other than 200 is a failure even on HTTP 200.</summary>
public sealed record ApixoEnvelope(
    [property: JsonPropertyName("code")] int Code,
    [property: JsonPropertyName("message")] string? Message,
    [property: JsonPropertyName("data")] JsonElement? Data);

/// <summary>The task, from the status API and from callbacks.</summary>
public sealed record ApixoTask(
    [property: JsonPropertyName("taskId")] string? TaskId,
    [property: JsonPropertyName("state")] string? State,
    [property: JsonPropertyName("resultJson")] JsonElement? ResultJson,
    [property: JsonPropertyName("failCode")] string? FailCode,
    [property: JsonPropertyName("failMsg")] string? FailMsg,
    [property: JsonPropertyName("createTime")] long? CreateTime,
    [property: JsonPropertyName("completeTime")] long? CompleteTime,
    [property: JsonPropertyName("costTime")] long? CostTime);

/// <summary>What <c>resultJson</c> holds once parsed (it arrives as a JSON string).</summary>
public sealed record ApixoResult([property: JsonPropertyName("resultUrls")] IReadOnlyList<string>? ResultUrls);
