using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;
using SoraEvents.Contracts;
using SoraEvents.Testing;

namespace SoraEvents.Bench;

/// <summary>
/// A downstream subscriber as any other service would be one: a plain RabbitMQ.Client consumer on its own queue,
/// bound to the contract exchanges. It notes when each job's VideoSubmitted and VideoCompleted arrived
/// (<see cref="Stopwatch"/> ticks of this process, the same clock the callback sender uses).
/// </summary>
public sealed class EventTap : IAsyncDisposable
{
    private readonly ConcurrentDictionary<Guid, long> submitted = new();
    private readonly ConcurrentDictionary<Guid, long> completed = new();
    private readonly ConcurrentDictionary<Guid, long> failed = new();
    private readonly ConcurrentDictionary<Guid, DateTimeOffset> completedSentAt = new();
    private IConnection connection = null!;
    private IChannel channel = null!;

    public int FailedCount => failed.Count;

    public static async Task<EventTap> StartAsync(Uri amqpUrl)
    {
        var tap = new EventTap { connection = await RabbitMqFixture.ConnectAsync(amqpUrl) };
        tap.channel = await tap.connection.CreateChannelAsync();
        var queue = (await tap.channel.QueueDeclareAsync($"bench-tap-{Guid.NewGuid():N}", durable: false, exclusive: true, autoDelete: true)).QueueName;
        foreach (var exchange in BusExchanges.Events)
        {
            // Declared exactly as MassTransit declares its publish exchanges, so either may come first.
            await tap.channel.ExchangeDeclareAsync(exchange, ExchangeType.Fanout, durable: true, autoDelete: false);
            await tap.channel.QueueBindAsync(queue, exchange, "");
        }
        var consumer = new AsyncEventingBasicConsumer(tap.channel);
        consumer.ReceivedAsync += (_, delivery) =>
        {
            var at = Stopwatch.GetTimestamp();
            var (jobId, sentTime) = Read(delivery.Body.Span);
            var seen = delivery.Exchange switch
            {
                BusExchanges.VideoSubmitted => tap.submitted,
                BusExchanges.VideoCompleted => tap.completed,
                _ => tap.failed,
            };
            seen.TryAdd(jobId, at);
            if (seen == tap.completed && sentTime is { } sent) tap.completedSentAt.TryAdd(jobId, sent);
            return Task.CompletedTask;
        };
        await tap.channel.BasicConsumeAsync(queue, autoAck: true, consumer);
        return tap;
    }

    public bool TryGetCompleted(Guid jobId, out long timestamp) => completed.TryGetValue(jobId, out timestamp);

    /// <summary>When the service published the job's VideoCompleted: the envelope's <c>sentTime</c>, the service's wall clock.</summary>
    public bool TryGetCompletedSentAt(Guid jobId, out DateTimeOffset sentAt) => completedSentAt.TryGetValue(jobId, out sentAt);

    public int CountSubmitted(IEnumerable<Guid> jobIds) => jobIds.Count(submitted.ContainsKey);

    public int CountCompleted(IEnumerable<Guid> jobIds) => jobIds.Count(completed.ContainsKey);

    /// <summary>Waits until every job has been seen submitted; throws with the count when it takes longer than <paramref name="timeout"/>.</summary>
    public async Task WaitSubmittedAsync(IReadOnlyCollection<Guid> jobIds, TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var seen = CountSubmitted(jobIds);
            if (seen == jobIds.Count) return;
            if (deadline.Elapsed > timeout)
                throw new TimeoutException($"Only {seen} of {jobIds.Count} jobs were submitted within {timeout.TotalSeconds:0} s ({failed.Count} failed).");
            await Task.Delay(100);
        }
    }

    private static (Guid JobId, DateTimeOffset? SentTime) Read(ReadOnlySpan<byte> envelope)
    {
        var reader = new Utf8JsonReader(envelope);
        using var document = JsonDocument.ParseValue(ref reader);
        var root = document.RootElement;
        DateTimeOffset? sent = root.TryGetProperty("sentTime", out var sentTime) && sentTime.TryGetDateTimeOffset(out var at) ? at : null;
        return (root.GetProperty("message").GetProperty("jobId").GetGuid(), sent);
    }

    public async ValueTask DisposeAsync()
    {
        await channel.DisposeAsync();
        await connection.DisposeAsync();
    }
}
