namespace SoraEvents.Service.OutboundWebhooks;

/// <summary>
/// The outbox of webhook deliveries, in the job store's database: a delivery survives restarts and waits for its next
/// attempt there, not in the broker, which has no delayed delivery here and times out a message held unacknowledged.
/// </summary>
public interface IWebhookDeliveryStore
{
    /// <summary>
    /// Records a new delivery held by the caller until <paramref name="leaseUntil"/>, or revives one that had been
    /// given up (a replay from the error queue). Null when the delivery exists and is pending or delivered: then
    /// nothing is for the caller to do.
    /// </summary>
    Task<WebhookDelivery?> StartDeliveryAsync(WebhookDelivery delivery, DateTimeOffset now, DateTimeOffset leaseUntil, CancellationToken ct);

    /// <summary>Takes up to <paramref name="limit"/> of <paramref name="endpoint"/>'s due deliveries, each held until <paramref name="leaseUntil"/>.</summary>
    Task<IReadOnlyList<WebhookDelivery>> ClaimDueDeliveriesAsync(string endpoint, DateTimeOffset now, DateTimeOffset leaseUntil, int limit, CancellationToken ct);

    Task MarkDeliveredAsync(string deliveryKey, DateTimeOffset now, CancellationToken ct);

    /// <summary>Counts a failed attempt and makes the delivery due again at <paramref name="nextAt"/>.</summary>
    Task MarkRetryAsync(string deliveryKey, DateTimeOffset nextAt, string error, CancellationToken ct);

    /// <summary>Counts the last failed attempt: nothing more is due until a replay revives the delivery.</summary>
    Task MarkDeadAsync(string deliveryKey, string error, CancellationToken ct);

    Task<WebhookDelivery?> FindDeliveryAsync(string deliveryKey, CancellationToken ct);
}
