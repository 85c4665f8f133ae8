using System.Collections.Concurrent;
using System.Text.Json;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;
using SoraEvents.Contracts;
using SoraEvents.Testing.AsyncApi;

namespace SoraEvents.Testing;

/// <summary>
/// A subscriber that is not MassTransit: its own queue bound to the contract exchanges, reading the raw
/// envelopes as any downstream service in any language would. Every message is checked against docs/asyncapi.yaml;
/// one the document does not describe fails the test that observed it (<see cref="ThrowIfContractBroken"/>).
/// </summary>
public sealed class EventObserver : IAsyncDisposable
{
    public static IReadOnlyList<string> Exchanges => BusExchanges.Events;

    private readonly ConcurrentQueue<ObservedEvent> events = new();
    private readonly ConcurrentQueue<string> contractViolations = new();
    private IConnection connection = null!;
    private IChannel channel = null!;

    public IReadOnlyCollection<ObservedEvent> Events
    {
        get
        {
            ThrowIfContractBroken();
            return events.ToArray();
        }
    }

    /// <summary>What the observed messages broke of docs/asyncapi.yaml, one entry per message.</summary>
    public IReadOnlyCollection<string> ContractViolations => contractViolations.ToArray();

    /// <summary>More to say about a job when a wait for it times out (the service's log lines, say).</summary>
    public Func<Guid, IEnumerable<string>>? DescribeJob { get; set; }

    public static async Task<EventObserver> StartAsync(Uri amqpUrl)
    {
        var observer = new EventObserver
        {
            connection = await RabbitMqFixture.ConnectAsync(amqpUrl),
        };
        observer.channel = await observer.connection.CreateChannelAsync();
        // Durable and named, so it keeps collecting across a broker restart in the fault tests; the test's
        // virtual host, and with it the queue, is deleted afterwards.
        var queue = (await observer.channel.QueueDeclareAsync($"observer-{Guid.NewGuid():N}", durable: true, exclusive: false, autoDelete: false)).QueueName;
        foreach (var exchange in Exchanges)
        {
            // Declared exactly as MassTransit declares its publish exchanges, so either may come first.
            await observer.channel.ExchangeDeclareAsync(exchange, ExchangeType.Fanout, durable: true, autoDelete: false);
            await observer.channel.QueueBindAsync(queue, exchange, "");
        }
        var consumer = new AsyncEventingBasicConsumer(observer.channel);
        consumer.ReceivedAsync += (_, delivery) =>
        {
            var body = delivery.Body.ToArray();
            // Checked here, where the raw body and its content type are still at hand; reported to the test by every read.
            if (BusContract.Document.CheckDelivery(delivery.Exchange, delivery.BasicProperties.ContentType, body) is { } violation)
                observer.contractViolations.Enqueue(violation);
            observer.events.Enqueue(ObservedEvent.From(delivery.Exchange, body));
            return Task.CompletedTask;
        };
        await observer.channel.BasicConsumeAsync(queue, autoAck: true, consumer);
        return observer;
    }

    public IReadOnlyList<ObservedEvent> For(Guid jobId, string type) =>
        Events.Where(e => e.JobId == jobId && e.Type == type).ToList();

    public async Task<ObservedEvent> WaitForAsync(Guid jobId, string type, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (DateTime.UtcNow < deadline)
        {
            if (For(jobId, type).FirstOrDefault() is { } found) return found;
            await Task.Delay(50);
        }
        var seen = string.Join(", ", Events.Where(e => e.JobId == jobId).Select(e => e.Type));
        var lines = DescribeJob?.Invoke(jobId).ToList() ?? [];
        var story = lines.Count <= 40 ? lines : [.. lines.Take(10), $"… {lines.Count - 40} lines …", .. lines.TakeLast(30)];
        var told = story.Count == 0 ? "" : $"{Environment.NewLine}what the service logged about it:{Environment.NewLine}{string.Join(Environment.NewLine, story)}";
        throw new TimeoutException($"No {type} for job {jobId}; saw for this job: [{seen}]{told}");
    }

    /// <summary>Fails with every violation when an observed message broke docs/asyncapi.yaml.</summary>
    public void ThrowIfContractBroken()
    {
        if (!contractViolations.IsEmpty)
            Assert.Fail($"A message on the broker breaks docs/asyncapi.yaml:{Environment.NewLine}{string.Join(Environment.NewLine, contractViolations.Distinct())}");
    }

    public async ValueTask DisposeAsync()
    {
        await channel.DisposeAsync();
        await connection.DisposeAsync();
        ThrowIfContractBroken();
    }
}

/// <summary>One event as it crossed the broker: the exchange, the envelope's message id, and the message.</summary>
public sealed record ObservedEvent(string Exchange, string Type, Guid MessageId, Guid JobId, JsonElement Message)
{
    public static ObservedEvent From(string exchange, byte[] body)
    {
        var envelope = JsonDocument.Parse(body).RootElement.Clone();
        var message = envelope.GetProperty("message");
        return new ObservedEvent(exchange, exchange.Split(':')[1], envelope.GetProperty("messageId").GetGuid(),
            message.GetProperty("jobId").GetGuid(), message);
    }
}
