using System.Text.Json;
using Microsoft.Data.Sqlite;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace SoraEvents.Bench.Baseline;

/// <summary>
/// The least the service's callback consumer can do and still keep its promise: end the job in the store with one
/// conditional UPDATE of the service's own SQLite schema (the shape of <c>SqlJobStore.TryFinishAsync</c>, committed
/// on its own), publish <c>VideoCompleted</c> persistent to the contract's exchange with a publisher confirm, then
/// acknowledge the callback. No MassTransit, no yielding: the pipeline's capacity on the machine at hand.
/// </summary>
internal static class BarePipeline
{
    private const string CompletedExchange = "SoraEvents.Contracts:VideoCompleted";
    private const ushort Prefetch = 32;
    private const ushort Concurrency = 16;

    private const string FinishJob = """
        UPDATE jobs SET status = 'completed',
                        provider = COALESCE(@Provider, provider),
                        provider_request_id = COALESCE(@RequestId, provider_request_id),
                        video_urls_json = @Urls, expires_at = NULL,
                        error_code = NULL, error_reason = NULL,
                        terminal_message_id = @MessageId,
                        archived_location = NULL, archive_next_at = NULL,
                        next_attempt_at = NULL, awaiting_replay = 0,
                        finished_at = @Now, updated_at = @Now
        WHERE job_id = @JobId AND status NOT IN ('completed','failed')
        """;

    public static async Task StartAsync(IConnection connection, string queue, string storeFile)
    {
        var channel = await connection.CreateChannelAsync(new CreateChannelOptions(
            publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true, consumerDispatchConcurrency: Concurrency));
        await channel.ExchangeDeclareAsync(CompletedExchange, ExchangeType.Fanout, durable: true, autoDelete: false);
        await channel.BasicQosAsync(0, Prefetch, global: false);
        var store = $"Data Source={storeFile}";
        var consumer = new AsyncEventingBasicConsumer(channel);
        consumer.ReceivedAsync += async (_, delivery) =>
        {
            var jobId = Guid.Parse(delivery.BasicProperties.MessageId!);
            using var callback = JsonDocument.Parse(delivery.Body);
            var requestId = callback.RootElement.GetProperty("id").GetString();
            var url = callback.RootElement.GetProperty("video_url").GetString();
            var messageId = Guid.NewGuid();
            await FinishAsync(store, jobId, requestId, url, messageId);

            var completed = JsonSerializer.SerializeToUtf8Bytes(new
            {
                messageId,
                sentTime = DateTimeOffset.UtcNow,
                messageType = new[] { "urn:message:" + CompletedExchange },
                message = new { jobId, provider = "pixazo", providerRequestId = requestId, videoUrls = new[] { url } },
            });
            var properties = new BasicProperties { Persistent = true, ContentType = "application/vnd.masstransit+json", MessageId = messageId.ToString() };
            await channel.BasicPublishAsync(CompletedExchange, "", mandatory: false, properties, completed);
            await channel.BasicAckAsync(delivery.DeliveryTag, multiple: false);
        };
        await channel.BasicConsumeAsync(queue, autoAck: false, consumer);
    }

    private static async Task FinishAsync(string store, Guid jobId, string? requestId, string? url, Guid messageId)
    {
        await using var connection = new SqliteConnection(store);
        await connection.OpenAsync();
        await using (var busy = connection.CreateCommand())
        {
            // As the service's store does: wait for the write lock rather than fail with SQLITE_BUSY.
            busy.CommandText = "PRAGMA busy_timeout = 5000;";
            await busy.ExecuteNonQueryAsync();
        }
        await using var update = connection.CreateCommand();
        update.CommandText = FinishJob;
        update.Parameters.AddWithValue("@JobId", jobId.ToString("D"));
        update.Parameters.AddWithValue("@Provider", "pixazo");
        update.Parameters.AddWithValue("@RequestId", (object?)requestId ?? DBNull.Value);
        update.Parameters.AddWithValue("@Urls", JsonSerializer.Serialize(new[] { url }));
        update.Parameters.AddWithValue("@MessageId", messageId.ToString());
        update.Parameters.AddWithValue("@Now", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        await update.ExecuteNonQueryAsync();
    }
}
