namespace SoraEvents.Service.Providers.Pixazo;

// The JSON shapes of Pixazo's Sora video API (docs/gateways.md names its public pages), field for field.

/// <summary>Body of <c>POST /sora-video/v1/video/generate</c> and <c>/video/i2v/generate</c>.</summary>
public sealed record PixazoGenerateRequest(
    string Prompt,
    string? Image,
    string? Model,
    string? Size,
    int? Seconds,
    string? CallbackUrl);

/// <summary>The 202 answer to a generate call.</summary>
public sealed record PixazoGenerateResponse(string? RequestId, string? Status, string? PollingUrl);

/// <summary>Queue-system and validation errors: <c>{"error": "...", "message": "..."}</c>.</summary>
public sealed record PixazoError(string? Error, string? Message);

/// <summary>The universal status shape, from <c>GET /v2/requests/status/{id}</c> and from callbacks.</summary>
public sealed record PixazoStatus(
    string? RequestId,
    string? Status,
    string? ModelId,
    string? Error,
    PixazoOutput? Output,
    string? CreatedAt,
    string? UpdatedAt,
    string? CompletedAt);

public sealed record PixazoOutput(IReadOnlyList<string>? MediaUrl, string? MediaType);

/// <summary>The "Check Video Result" shape, from <c>POST /sora-video/v1/video/result</c> and from callbacks.</summary>
public sealed record PixazoVideoResult(
    string? Id,
    string? Status,
    string? Model,
    string? Prompt,
    long? CreatedAt,
    long? CompletedAt,
    string? VideoUrl,
    string? Error);
