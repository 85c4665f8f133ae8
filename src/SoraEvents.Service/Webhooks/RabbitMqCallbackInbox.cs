using System.Diagnostics;
using System.Text.Json;
using MassTransit;
using Microsoft.Extensions.Options;
using RabbitMQ.Client;
using SoraEvents.Service.Messaging;
using PublishException = RabbitMQ.Client.Exceptions.PublishException;

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
    BrokerFlow flow,
    ILogger<RabbitMqCallbackInbox> logger) : ICallbackInbox, IAsyncDisposable
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly SemaphoreSlim opening = new(1, 1);
    private volatile IConnection? connection;
    private volatile IChannel? channel;

    public async Task<bool> TryAcceptAsync(CallbackReceived callback, CancellationToken ct)
    {
        if (flow.Blocked is { } blocked)
        {
            // Nothing would be confirmed until the broker lifts the block: say so now rather than after the timeout.
            logger.LogWarning("Callback for job {JobId} from {Provider} not stored: RabbitMQ blocks publishers ({Reason})",
                callback.JobId, callback.Provider, blocked.Reason);
            return false;
        }

        // One deadline for everything the gateway waits on: opening, publishing and the confirm. Tearing down a failed
        // connection happens after the answer, so the documented bound holds whatever the broker does.
        var timeout = TimeSpan.FromSeconds(webhooks.Value.PublishTimeoutSeconds);
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(ct, flow.WhenBlocked);
        bounded.CancelAfter(timeout);
        IChannel? used = null;
        try
        {
            used = await OpenChannelAsync(bounded.Token).AsTask().WaitAsync(bounded.Token);
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
                .AsTask().WaitAsync(bounded.Token);
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
            if (flow.Blocked is { } nowBlocked)
            {
                // The connection is sound, only paused: it stays, and it is where the broker will say the block is over.
                logger.LogWarning("Callback for job {JobId} from {Provider} not stored: RabbitMQ blocks publishers ({Reason})",
                    callback.JobId, callback.Provider, nowBlocked.Reason);
                return false;
            }
            logger.LogWarning("Callback for job {JobId} from {Provider} not confirmed within {TimeoutSeconds} s: {Error}",
                callback.JobId, callback.Provider, timeout.TotalSeconds, ex.Message);
            if (used is not null) _ = DropAsync(used);
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
            var fresh = connection;
            fresh.ConnectionBlockedAsync += (_, e) =>
            {
                flow.Block(e.Reason);
                return Task.CompletedTask;
            };
            fresh.ConnectionUnblockedAsync += (_, _) =>
            {
                flow.Unblock();
                return Task.CompletedTask;
            };
            // A closed connection will never report the end of a block it reported; what it said no longer holds.
            fresh.ConnectionShutdownAsync += (_, _) =>
            {
                flow.Unblock();
                return Task.CompletedTask;
            };
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

    /// <summary>
    /// Forgets a channel that failed, so the next callback opens a fresh connection. Runs after the gateway was
    /// answered: closing a dead connection may itself wait on the network.
    /// </summary>
    private async Task DropAsync(IChannel failed)
    {
        try
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
        catch (ObjectDisposedException)
        {
            // The service is stopping; DisposeAsync closes what is left.
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
