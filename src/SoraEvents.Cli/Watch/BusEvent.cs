using System.Text.Json;

namespace SoraEvents.Cli.Watch;

/// <summary>One event as it crossed the broker: its type (from the exchange), envelope id and time, and the message.</summary>
internal sealed record BusEvent(string Type, string? MessageId, DateTimeOffset? SentTime, Guid? JobId, JsonElement Message)
{
    public const string Submitted = "VideoSubmitted";
    public const string Completed = "VideoCompleted";
    public const string Failed = "VideoFailed";

    public bool IsTerminal => Type is Completed or Failed;

    /// <summary>A MassTransit envelope (<c>messageId</c>, <c>sentTime</c>, <c>message</c>) or, from another publisher, the bare message.</summary>
    public static BusEvent Parse(string exchange, ReadOnlyMemory<byte> body, string? amqpMessageId)
    {
        using var document = JsonDocument.Parse(body);
        var root = document.RootElement;
        var envelope = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("message", out var inner) && inner.ValueKind == JsonValueKind.Object;
        var message = (envelope ? root.GetProperty("message") : root).Clone();
        return new BusEvent(
            exchange[(exchange.LastIndexOf(':') + 1)..],
            envelope && root.TryGetProperty("messageId", out var id) && id.ValueKind == JsonValueKind.String ? id.GetString() : amqpMessageId,
            envelope && root.TryGetProperty("sentTime", out var sent) && sent.TryGetDateTimeOffset(out var at) ? at : null,
            message.ValueKind == JsonValueKind.Object && message.TryGetProperty("jobId", out var job) && job.TryGetGuid(out var jobId) ? jobId : null,
            message);
    }

    public string? Field(string name) =>
        Message.ValueKind == JsonValueKind.Object && Message.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null
            ? value.ValueKind == JsonValueKind.String ? value.GetString() : value.GetRawText()
            : null;

    /// <summary>What the event says in a few words: the video URL, the failure, or the gateway's request id.</summary>
    public string Detail => Type switch
    {
        Completed => Field("videoUrl") ?? "",
        Failed => $"{Field("code")}: {Field("reason")}",
        _ => Field("providerRequestId") ?? "",
    };

    /// <summary>The JSON line <c>watch --json</c> prints.</summary>
    public object ToJson() => new { type = Type, messageId = MessageId, sentTime = SentTime, jobId = JobId, message = Message };
}
