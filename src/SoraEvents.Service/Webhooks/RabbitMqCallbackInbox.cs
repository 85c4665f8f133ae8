using System.Diagnostics;
using System.Text.Json;
using MassTransit;
using Microsoft.Extensions.Options;
using RabbitMQ.Client;
using PublishException = RabbitMQ.Client.Exceptions.PublishException;
using SoraEvents.Service.Messaging;

namespace SoraEvents.Service.Webhooks;

/// <summary>
/// Hands callbacks to RabbitMQ on the shortest path there is: raw JSON, persistent, published straight into the
/// <c>callback-received</c> queue on a channel with publisher confirms, on a connection of its own.
/// </summary>
/// <remarks>
/// The message never leaves the service, so it needs none of MassTransit's envelope or publish pipeline, which
/// held the webhook alone to 0.69× the bare baseline against 0.87× now (docs/benchmarks.md); the consumer reads
/// it with MassTransit's raw JSON deserializer. <c>mandatory</c> makes a missing queue a refusal (503) rather than a silent drop. The
/// client's automatic recovery is off: a channel recovered after a broker restart has been seen to leave
/// confirm-tracked publishes hanging (rabbitmq-dotnet-client#1928), so a channel or connection that failed once
/// is dropped and a fresh one is opened by the next callback.
/// </remarks>
public sealed class RabbitMqCallbackInbox(
    IOptions<RabbitMqOptions> rabbit,
    IOptions<WebhookOptions> webhooks,
    ILogger<RabbitMqCallbackInbox> logger) : ICallbackInbox, IAsyncDisposable
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly SemaphoreSlim opening = new(1, 1);
    private volatile IConnection? connection;
    private volatile IChannel? channel;

    public async Task<bool> TryAcceptAsync(CallbackReceived callback, CancellationToken ct)
    {
        var timeout = TimeSpan.FromSeconds(webhooks.Value.PublishTimeoutSeconds);
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(ct);
        bounded.CancelAfter(timeout);
        IChannel? used = null;
        try
        {
            used = await OpenChannelAsync(bounded.Token);
            var properties = new BasicProperties
            {
                Persistent = true,
                ContentType = "application/json",
                MessageId = NewId.NextGuid().ToString(),
            };
            // MassTransit continues the trace it finds here, so the consumer's spans join the webhook request's.
            if (Activity.Current?.Id is { } traceParent)
                properties.Headers = new Dictionary<string, object?> { [MassTransit.Logging.DiagnosticHeaders.ActivityId] = traceParent };
            var body = JsonSerializer.SerializeToUtf8Bytes(callback, Json);
            // WaitAsync as well as the token: a confirm that never comes must not hold the gateway's request.
            await used.BasicPublishAsync("", CallbackReceivedConsumerDefinition.Queue, mandatory: true, properties, body, bounded.Token)
                .AsTask().WaitAsync(timeout, ct);
            return true;
        }
        catch (PublishException ex) when (!ct.IsCancellationRequested)
        {
            // The broker answered (nack, or no queue to route to); the channel itself is fine.
            logger.LogWarning("Callback for job {JobId} from {Provider} refused by the broker ({Reason})",
                callback.JobId, callback.Provider, ex.IsReturn ? "no queue bound" : "nack");
            return false;
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            logger.LogWarning("Callback for job {JobId} from {Provider} not confirmed within {TimeoutSeconds} s: {Error}",
                callback.JobId, callback.Provider, timeout.TotalSeconds, ex.Message);
            if (used is not null) await DropAsync(used);
            return false;
        }
    }

    private async ValueTask<IChannel> OpenChannelAsync(CancellationToken ct)
    {
        if (channel is { IsOpen: true } open) return open;
        await opening.WaitAsync(ct);
        try
        {
            if (channel is { IsOpen: true } opened) return opened;
            await CloseAsync();
            var factory = new ConnectionFactory
            {
                Uri = new Uri(rabbit.Value.Url),
                ClientProvidedName = "soraevents-webhooks",
                AutomaticRecoveryEnabled = false,
                TopologyRecoveryEnabled = false,
                RequestedConnectionTimeout = TimeSpan.FromSeconds(webhooks.Value.PublishTimeoutSeconds),
            };
            connection = await factory.CreateConnectionAsync(ct);
            channel = await connection.CreateChannelAsync(new CreateChannelOptions(
                publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true), ct);
            logger.LogInformation("Webhook publishing channel open");
            return channel;
        }
        finally
        {
            opening.Release();
        }
    }

    /// <summary>Forgets a channel that failed, so the next callback opens a fresh connection.</summary>
    private async Task DropAsync(IChannel failed)
    {
        await opening.WaitAsync();
        try
        {
            if (ReferenceEquals(channel, failed)) await CloseAsync();
        }
        finally
        {
            opening.Release();
        }
    }

    private async Task CloseAsync()
    {
        var (oldChannel, oldConnection) = (channel, connection);
        (channel, connection) = (null, null);
        // Closing a dead connection can itself hang on the network; it is only cleanup, so it is not awaited long.
        try
        {
            if (oldChannel is not null) await oldChannel.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(1));
            if (oldConnection is not null) await oldConnection.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(1));
        }
        catch (Exception ex)
        {
            logger.LogDebug("Closing the failed webhook publishing connection: {Error}", ex.Message);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await CloseAsync();
        opening.Dispose();
    }
}
