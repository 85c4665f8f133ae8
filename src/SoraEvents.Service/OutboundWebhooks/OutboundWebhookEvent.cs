using System.Text.Json;
using System.Text.Json.Serialization;

namespace SoraEvents.Service.OutboundWebhooks;

/// <summary>
/// The body OpenAI's Videos API delivered: <c>{"id":"evt_…","object":"event","created_at":…,"type":"video.completed","data":{"id":"…"}}</c>.
/// </summary>
public sealed record OutboundWebhookEvent(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("object")] string Object,
    [property: JsonPropertyName("created_at")] long CreatedAt,
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("data")] OutboundWebhookEventData Data)
{
    public const string VideoCompleted = "video.completed";
    public const string VideoFailed = "video.failed";

    /// <summary>
    /// One id per job outcome: derived from the terminal event's MessageId, which the job store fixes once when the job
    /// ends, so a republished or replayed event, on any instance, becomes the same webhook event.
    /// </summary>
    public static string IdFor(Guid? terminalMessageId, Guid jobId) => "evt_" + (terminalMessageId ?? jobId).ToString("N");

    public static OutboundWebhookEvent For(string type, Guid? terminalMessageId, Guid jobId, DateTimeOffset outcomeAt) =>
        new(IdFor(terminalMessageId, jobId), "event", outcomeAt.ToUnixTimeSeconds(), type, new OutboundWebhookEventData(jobId.ToString("D")));

    public string ToJson() => JsonSerializer.Serialize(this);
}

/// <summary>The video the event is about.</summary>
public sealed record OutboundWebhookEventData([property: JsonPropertyName("id")] string Id);
