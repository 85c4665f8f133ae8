using System.Text.Json;
using System.Threading.Channels;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;
using SoraEvents.Cli.Broker;
using SoraEvents.Contracts;

namespace SoraEvents.Cli.Watch;

/// <summary>
/// A private, exclusive queue bound to the three event exchanges: every event published from the moment
/// <see cref="StartAsync"/> returns is in <see cref="Events"/>. The queue disappears with the connection.
/// </summary>
internal sealed class EventSubscription : IAsyncDisposable
{
    public static readonly IReadOnlyList<string> Exchanges = BusExchanges.Events;

    private readonly Channel<BusEvent> events = Channel.CreateUnbounded<BusEvent>();
    private readonly IChannel channel;
    private bool closing;

    private EventSubscription(IChannel channel) => this.channel = channel;

    public ChannelReader<BusEvent> Events => events.Reader;

    public static async Task<EventSubscription> StartAsync(IConnection connection, CancellationToken ct)
    {
        var channel = await connection.CreateChannelAsync(cancellationToken: ct);
        var subscription = new EventSubscription(channel);
        var queue = (await channel.QueueDeclareAsync($"soraevents-cli-{Guid.NewGuid():N}", durable: false, exclusive: true,
            autoDelete: true, cancellationToken: ct)).QueueName;
        foreach (var exchange in Exchanges)
        {
            // Declared exactly as MassTransit declares its publish exchanges, so either side may come first.
            await channel.ExchangeDeclareAsync(exchange, ExchangeType.Fanout, durable: true, autoDelete: false, cancellationToken: ct);
            await channel.QueueBindAsync(queue, exchange, "", cancellationToken: ct);
        }
        channel.ChannelShutdownAsync += (_, args) =>
        {
            subscription.events.Writer.TryComplete(subscription.closing ? null
                : new CliException($"lost the connection to RabbitMQ: {args.ReplyText}"));
            return Task.CompletedTask;
        };
        var consumer = new AsyncEventingBasicConsumer(channel);
        consumer.ReceivedAsync += (_, delivery) =>
        {
            try
            {
                subscription.events.Writer.TryWrite(BusEvent.Parse(delivery.Exchange, delivery.Body, delivery.BasicProperties.MessageId));
            }
            catch (JsonException)
            {
                // Not an event this CLI can read; the subscription keeps going.
            }
            return Task.CompletedTask;
        };
        await channel.BasicConsumeAsync(queue, autoAck: true, consumer, ct);
        return subscription;
    }

    public async ValueTask DisposeAsync()
    {
        closing = true;
        await Queues.CloseQuietlyAsync(channel);
        events.Writer.TryComplete();
    }
}
