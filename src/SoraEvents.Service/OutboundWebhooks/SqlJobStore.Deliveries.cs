using Dapper;
using SoraEvents.Service.OutboundWebhooks;

namespace SoraEvents.Service.Jobs;

/// <summary>
/// Webhook deliveries (<see cref="IWebhookDeliveryStore"/>) in the job database. Portable SQL for SQLite and
/// PostgreSQL: every claim repeats its condition in the outer <c>UPDATE</c>, so a PostgreSQL row that another
/// instance claimed while this statement waited for its lock is re-checked and skipped, never claimed twice.
/// </summary>
public abstract partial class SqlJobStore : IWebhookDeliveryStore
{
    internal const string StartDeliverySql = """
        INSERT INTO webhook_deliveries (delivery_key, endpoint, event_id, job_id, event_type, body, message_json, message_id,
                                        attempts, state, started_at, next_at)
        VALUES (@DeliveryKey, @Endpoint, @EventId, @JobId, @EventType, @Body, @MessageJson, @MessageId, 0, 'pending', @Now, @Lease)
        ON CONFLICT (delivery_key) DO UPDATE SET state = 'pending', attempts = 0, started_at = @Now, next_at = @Lease, last_error = NULL
        WHERE webhook_deliveries.state = 'dead'
        RETURNING *
        """;

    internal const string ClaimDueDeliveriesSql = """
        UPDATE webhook_deliveries SET next_at = @Lease
        WHERE endpoint = @Endpoint AND state = 'pending' AND next_at <= @Now
          AND delivery_key IN (SELECT delivery_key FROM webhook_deliveries
                               WHERE endpoint = @Endpoint AND state = 'pending' AND next_at <= @Now
                               ORDER BY next_at LIMIT @Limit)
        RETURNING *
        """;

    public async Task<WebhookDelivery?> StartDeliveryAsync(WebhookDelivery delivery, DateTimeOffset now, DateTimeOffset leaseUntil, CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<WebhookDelivery>(new CommandDefinition(StartDeliverySql, new
        {
            delivery.DeliveryKey,
            delivery.Endpoint,
            delivery.EventId,
            delivery.JobId,
            delivery.EventType,
            delivery.Body,
            delivery.MessageJson,
            delivery.MessageId,
            Now = JobRow.ToUnixMs(now),
            Lease = JobRow.ToUnixMs(leaseUntil),
        }, cancellationToken: ct));
    }

    public async Task<IReadOnlyList<WebhookDelivery>> ClaimDueDeliveriesAsync(string endpoint, DateTimeOffset now, DateTimeOffset leaseUntil, int limit, CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct);
        return (await connection.QueryAsync<WebhookDelivery>(new CommandDefinition(ClaimDueDeliveriesSql,
            new { Endpoint = endpoint, Now = JobRow.ToUnixMs(now), Lease = JobRow.ToUnixMs(leaseUntil), Limit = limit }, cancellationToken: ct))).ToList();
    }

    public Task MarkDeliveredAsync(string deliveryKey, DateTimeOffset now, CancellationToken ct) =>
        UpdateAsync("""
            UPDATE webhook_deliveries SET state = 'delivered', attempts = attempts + 1, next_at = NULL, delivered_at = @Now, last_error = NULL
            WHERE delivery_key = @Key AND state = 'pending'
            """, new { Key = deliveryKey, Now = JobRow.ToUnixMs(now) }, ct);

    public Task MarkRetryAsync(string deliveryKey, DateTimeOffset nextAt, string error, CancellationToken ct) =>
        UpdateAsync("""
            UPDATE webhook_deliveries SET attempts = attempts + 1, next_at = @Next, last_error = @Error
            WHERE delivery_key = @Key AND state = 'pending'
            """, new { Key = deliveryKey, Next = JobRow.ToUnixMs(nextAt), Error = error }, ct);

    public Task MarkDeadAsync(string deliveryKey, string error, CancellationToken ct) =>
        UpdateAsync("""
            UPDATE webhook_deliveries SET state = 'dead', attempts = attempts + 1, next_at = NULL, last_error = @Error
            WHERE delivery_key = @Key AND state = 'pending'
            """, new { Key = deliveryKey, Error = error }, ct);

    public async Task<WebhookDelivery?> FindDeliveryAsync(string deliveryKey, CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<WebhookDelivery>(new CommandDefinition(
            "SELECT * FROM webhook_deliveries WHERE delivery_key = @Key", new { Key = deliveryKey }, cancellationToken: ct));
    }
}
