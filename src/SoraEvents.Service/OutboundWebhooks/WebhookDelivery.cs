namespace SoraEvents.Service.OutboundWebhooks;

/// <summary>
/// One event for one endpoint, as the store keeps it until the receiver answered 2xx or retrying ended. Times are
/// Unix milliseconds, like the job rows.
/// </summary>
public sealed class WebhookDelivery
{
    public const string Pending = "pending";
    public const string Delivered = "delivered";
    /// <summary>Retried for <see cref="OutboundWebhooksOptions.RetryFor"/> and sent to the endpoint's error queue; a replay revives it.</summary>
    public const string Dead = "dead";

    public string DeliveryKey { get; set; } = "";
    public string Endpoint { get; set; } = "";
    public string EventId { get; set; } = "";
    public string JobId { get; set; } = "";

    /// <summary><c>video.completed</c> or <c>video.failed</c>.</summary>
    public string EventType { get; set; } = "";

    /// <summary>The exact bytes (as UTF-8 text) every attempt sends and signs.</summary>
    public string Body { get; set; } = "";

    /// <summary>The bus event that caused this delivery, serialized, so an exhausted delivery can go to the error queue as that event.</summary>
    public string MessageJson { get; set; } = "";

    public string? MessageId { get; set; }
    public long Attempts { get; set; }
    public string State { get; set; } = Pending;

    /// <summary>When delivery (or the latest replay) started: retrying ends <see cref="OutboundWebhooksOptions.RetryFor"/> after it.</summary>
    public long StartedAt { get; set; }

    /// <summary>When the next attempt is due, or until when the current attempt holds the row; null once nothing is due.</summary>
    public long? NextAt { get; set; }

    public string? LastError { get; set; }
    public long? DeliveredAt { get; set; }

    public static string KeyOf(string endpoint, string eventId) => $"{endpoint}/{eventId}";
}
