using System.Text.Json;
using SoraEvents.Contracts;

namespace SoraEvents.Service.Providers.Apixo;

/// <summary>Reads APIXO tasks, with or without their <c>{code, message, data}</c> envelope.</summary>
public static class ApixoOutcomes
{
    /// <summary>APIXO keeps result URLs for 15 days.</summary>
    public static readonly TimeSpan ResultLifetime = TimeSpan.FromDays(15);

    public static GatewayOutcome Read(string body)
    {
        if (!CallbackJson.TryParseObject(body, out var root, out var unreadable)) return unreadable;
        try
        {
            if (root.TryGetProperty("data", out var data) && root.TryGetProperty("code", out _))
            {
                var envelope = root.Deserialize<ApixoEnvelope>(ApixoJson.Options)!;
                if (envelope.Code != 200) return new GatewayOutcome.Unreadable($"envelope code {envelope.Code}: {envelope.Message}");
                root = data;
            }
            if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("state", out _))
                return FromTask(root.Deserialize<ApixoTask>(ApixoJson.Options)!);
        }
        catch (JsonException ex)
        {
            return new GatewayOutcome.Unreadable($"unexpected field types: {ex.Message}");
        }
        return new GatewayOutcome.Unreadable("not an APIXO task");
    }

    public static GatewayOutcome FromTask(ApixoTask task)
    {
        GatewayOutcome outcome = task.State?.ToLowerInvariant() switch
        {
            "pending" or "processing" => new GatewayOutcome.Pending(task.State),
            "success" => Succeeded(task),
            "failed" => new GatewayOutcome.Failed(FailureCode(task), task.FailMsg ?? task.FailCode ?? "APIXO reported failed"),
            _ => new GatewayOutcome.Unreadable($"unknown state '{task.State}'"),
        };
        return outcome with { ProviderRequestId = task.TaskId };
    }

    private static GatewayOutcome Succeeded(ApixoTask task)
    {
        DateTimeOffset? expires = task.CompleteTime is { } done ? DateTimeOffset.FromUnixTimeMilliseconds(done) + ResultLifetime : null;
        return GatewayVideoUrls.Succeeded(ResultUrls(task.ResultJson), expires, "resultUrls");
    }

    /// <summary><c>resultJson</c> is documented as a JSON string; an object is read as well, in case it ever arrives unwrapped.</summary>
    private static IReadOnlyList<string>? ResultUrls(JsonElement? resultJson) => resultJson switch
    {
        { ValueKind: JsonValueKind.String } text => JsonSerializer.Deserialize<ApixoResult>(text.GetString()!, ApixoJson.Options)?.ResultUrls,
        { ValueKind: JsonValueKind.Object } json => json.Deserialize<ApixoResult>(ApixoJson.Options)?.ResultUrls,
        _ => null,
    };

    private static string FailureCode(ApixoTask task) => task.FailCode?.ToUpperInvariant() switch
    {
        "CONTENT_VIOLATION" => VideoFailureCodes.ContentViolation,
        "INVALID_IMAGE_URL" => VideoFailureCodes.InvalidImage,
        _ => FailureMessages.Classify(task.FailMsg, VideoFailureCodes.ProviderError),
    };
}
