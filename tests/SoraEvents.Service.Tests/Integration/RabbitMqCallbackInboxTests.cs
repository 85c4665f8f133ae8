using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using RabbitMQ.Client;
using SoraEvents.Service.Messaging;
using SoraEvents.Service.Webhooks;
using SoraEvents.Testing.AsyncApi;

namespace SoraEvents.Service.Tests.Integration;

/// <summary>The webhook's own path into RabbitMQ, on the real broker, without MassTransit in between.</summary>
[Collection(RabbitMqCollection.Name)]
public sealed class RabbitMqCallbackInboxTests(RabbitMqFixture broker)
{
    private static RabbitMqCallbackInbox Inbox(Uri amqpUrl, double timeoutSeconds = 5) => new(
        Options.Create(new RabbitMqOptions { Url = amqpUrl.AbsoluteUri }),
        Options.Create(new WebhookOptions { PublishTimeoutSeconds = timeoutSeconds }),
        new BrokerFlow(TimeProvider.System, NullLogger<BrokerFlow>.Instance),
        NullLogger<RabbitMqCallbackInbox>.Instance);

    private static async Task DeclareCallbackQueueAsync(Uri amqpUrl)
    {
        await using var connection = await RabbitMqFixture.ConnectAsync(amqpUrl);
        await using var channel = await connection.CreateChannelAsync();
        await channel.QueueDeclareAsync(CallbackReceivedConsumerDefinition.Queue, durable: true, exclusive: false, autoDelete: false);
    }

    [Fact]
    public async Task Accepted_callback_is_on_the_queue_as_persistent_raw_json()
    {
        var amqpUrl = await broker.CreateVirtualHostAsync();
        await DeclareCallbackQueueAsync(amqpUrl);
        await using var inbox = Inbox(amqpUrl);
        var callback = new CallbackReceived(Guid.NewGuid(), "pixazo", """{"status":"COMPLETED"}""", DateTimeOffset.UtcNow);

        Assert.True(await inbox.TryAcceptAsync(callback, CancellationToken.None));

        await using var connection = await RabbitMqFixture.ConnectAsync(amqpUrl);
        await using var channel = await connection.CreateChannelAsync();
        var stored = await channel.BasicGetAsync(CallbackReceivedConsumerDefinition.Queue, autoAck: true);
        Assert.NotNull(stored);
        Assert.True(stored.BasicProperties.Persistent);
        Assert.Equal("application/json", stored.BasicProperties.ContentType);
        Assert.True(Guid.TryParse(stored.BasicProperties.MessageId, out _));
        Assert.Null(BusContract.Document.CheckDelivery(CallbackReceivedConsumerDefinition.Queue, stored.BasicProperties.ContentType, stored.Body));
        var read = JsonSerializer.Deserialize<CallbackReceived>(stored.Body.Span, new JsonSerializerOptions(JsonSerializerDefaults.Web));
        Assert.Equal(callback, read);
    }

    [Fact]
    public async Task Callback_with_no_queue_to_land_in_is_refused_not_dropped()
    {
        var amqpUrl = await broker.CreateVirtualHostAsync();
        await using var inbox = Inbox(amqpUrl);

        Assert.False(await inbox.TryAcceptAsync(new CallbackReceived(Guid.NewGuid(), "apixo", "{}", DateTimeOffset.UtcNow), CancellationToken.None));

        // The refusal left the channel usable: once the queue exists, the next callback goes through.
        await DeclareCallbackQueueAsync(amqpUrl);
        Assert.True(await inbox.TryAcceptAsync(new CallbackReceived(Guid.NewGuid(), "apixo", "{}", DateTimeOffset.UtcNow), CancellationToken.None));
        Assert.Equal(1u, await RabbitMqFixture.MessageCountAsync(amqpUrl, CallbackReceivedConsumerDefinition.Queue));
    }

    [Fact]
    public async Task Unreachable_broker_is_refused_within_the_timeout()
    {
        await using var inbox = Inbox(new Uri("amqp://guest:guest@127.0.0.1:1/"), timeoutSeconds: 2);
        var clock = Stopwatch.StartNew();

        Assert.False(await inbox.TryAcceptAsync(new CallbackReceived(Guid.NewGuid(), "pixazo", "{}", DateTimeOffset.UtcNow), CancellationToken.None));
        // Bounded by the inbox's own timeout, far below the client's 30 s connection timeout; the margin is for a loaded machine.
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"refused after {clock.Elapsed}");
    }
}
