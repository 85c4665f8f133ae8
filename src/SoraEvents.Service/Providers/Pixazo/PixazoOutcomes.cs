using System.Text.Json;
using SoraEvents.Contracts;

namespace SoraEvents.Service.Providers.Pixazo;

/// <summary>Reads every body shape Pixazo documents for status queries and callbacks.</summary>
public static class PixazoOutcomes
{
    public static GatewayOutcome Read(string body)
    {
        if (!CallbackJson.TryParseObject(body, out var root, out var unreadable)) return unreadable;
        try
        {
            if (root.TryGetProperty("request_id", out _) || root.TryGetProperty("output", out _))
                return FromStatus(root.Deserialize<PixazoStatus>(PixazoJson.Options)!);
            if (root.TryGetProperty("video_url", out _) || root.TryGetProperty("id", out _))
                return FromResult(root.Deserialize<PixazoVideoResult>(PixazoJson.Options)!);
        }
        catch (JsonException ex)
        {
            return new GatewayOutcome.Unreadable($"unexpected field types: {ex.Message}");
        }
        return new GatewayOutcome.Unreadable("neither the status shape nor the video-result shape");
    }

    public static GatewayOutcome FromStatus(PixazoStatus status)
    {
        GatewayOutcome outcome = status.Status?.ToUpperInvariant() switch
        {
            "QUEUED" or "PROCESSING" => new GatewayOutcome.Pending(status.Status),
            "COMPLETED" => GatewayVideoUrls.Succeeded(status.Output?.MediaUrl, null, "output.media_url"),
            "FAILED" => new GatewayOutcome.Failed(
                FailureMessages.Classify(status.Error, VideoFailureCodes.ProviderError), status.Error ?? "Pixazo reported FAILED"),
            "ERROR" => new GatewayOutcome.FailedUncharged(status.Error ?? "Pixazo reported ERROR"),
            _ => new GatewayOutcome.Unreadable($"unknown status '{status.Status}'"),
        };
        return outcome with { ProviderRequestId = status.RequestId };
    }

    public static GatewayOutcome FromResult(PixazoVideoResult result) =>
        // The result shape carries the video id (video_…), not the request id, so it cannot name the task.
        result.Status?.ToLowerInvariant() switch
        {
            "completed" => GatewayVideoUrls.Succeeded(result.VideoUrl is null ? null : [result.VideoUrl], null, "video_url"),
            "failed" => new GatewayOutcome.Failed(
                FailureMessages.Classify(result.Error, VideoFailureCodes.ProviderError), result.Error ?? "Pixazo reported failed"),
            "queued" or "in_progress" or "processing" => new GatewayOutcome.Pending(result.Status),
            _ => new GatewayOutcome.Unreadable($"unknown status '{result.Status}'"),
        };
}
