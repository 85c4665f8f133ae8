using System.Globalization;
using System.Text;
using RabbitMQ.Client;

namespace SoraEvents.Cli.Tests.Support;

/// <summary>
/// A message as MassTransit leaves it in <c>&lt;queue&gt;_error</c>: the fault headers it writes, a MassTransit
/// envelope (or, as a non-.NET client sends it, plain JSON with only an AMQP message id), and a header of the
/// sender's own (<c>x-tenant</c>) that a replay must keep.
/// </summary>
public sealed record DeadLetterSpec(
    string Name,
    string SourceQueue,
    Guid JobId,
    string ExceptionType,
    string ExceptionMessage,
    DateTimeOffset FaultedAt,
    bool Envelope = true,
    string? InputQueue = null)
{
    /// <summary>Stable per name, so expectations can name messages.</summary>
    public string MessageId { get; } = new Guid(System.Security.Cryptography.MD5.HashData(Encoding.UTF8.GetBytes(Name))).ToString();

    public string ErrorQueue => SourceQueue + "_error";

    public string Body => Envelope
        ? $$$"""{"messageId":"{{{MessageId}}}","conversationId":"{{{Guid.NewGuid()}}}","messageType":["urn:message:SoraEvents.Contracts:GenerateVideo"],"message":{"jobId":"{{{JobId}}}","prompt":"{{{Name}}}"},"sentTime":"{{{FaultedAt:O}}}","headers":{}}"""
        : $$"""{"jobId":"{{JobId}}","prompt":"{{Name}}"}""";

    public string ContentType => Envelope ? "application/vnd.masstransit+json" : "application/json";
}

/// <summary>A message as it sits in a queue, read without taking it away.</summary>
public sealed record QueuedMessage(string? MessageId, string? ContentType, bool Persistent, string? CorrelationId, string Body,
    IReadOnlyDictionary<string, string> Headers);

public static class DeadLetters
{
    public static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;

    /// <summary>
    /// Declares each message's source and error queue and puts the messages in their error queue, in order. Each
    /// carries <c>x-dotnet-pub-seq-no: 1</c>, as MassTransit's messages carry the sequence number of the publish
    /// that moved them (RabbitMQ.Client's confirm tracking): a replay must not be misled by a stale one.
    /// </summary>
    public static async Task PutAsync(Uri amqpUrl, IEnumerable<DeadLetterSpec> messages, bool declareSources = true)
    {
        await using var connection = await RabbitMqFixture.ConnectAsync(amqpUrl);
        // Confirm tracking may write its own sequence number over that header: numbers of this channel, stale all the same.
        await using var channel = await connection.CreateChannelAsync(new CreateChannelOptions(
            publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true));
        foreach (var m in messages)
        {
            if (declareSources) await channel.QueueDeclareAsync(m.SourceQueue, durable: true, exclusive: false, autoDelete: false);
            await channel.QueueDeclareAsync(m.ErrorQueue, durable: true, exclusive: false, autoDelete: false);
            var vhost = amqpUrl.AbsolutePath.Trim('/');
            var headers = new Dictionary<string, object?>
            {
                ["x-tenant"] = Encoding.UTF8.GetBytes("acme"),
                ["x-dotnet-pub-seq-no"] = Encoding.UTF8.GetBytes("1"),
                ["MT-Host-MachineName"] = Encoding.UTF8.GetBytes("worker-7"),
                ["MT-Host-ProcessName"] = Encoding.UTF8.GetBytes("SoraEvents.Service"),
                ["MT-Reason"] = Encoding.UTF8.GetBytes("fault"),
                ["MT-Fault-ExceptionType"] = Encoding.UTF8.GetBytes(m.ExceptionType),
                ["MT-Fault-Message"] = Encoding.UTF8.GetBytes(m.ExceptionMessage),
                ["MT-Fault-StackTrace"] = Encoding.UTF8.GetBytes($"   at {m.ExceptionType}.Throw()\n   at Consumer.Consume()"),
                ["MT-Fault-Timestamp"] = Encoding.UTF8.GetBytes(m.FaultedAt.UtcDateTime.ToString("O", CultureInfo.InvariantCulture)),
                ["MT-Fault-InputAddress"] = Encoding.UTF8.GetBytes($"rabbitmq://127.0.0.1/{vhost}/{m.InputQueue ?? m.SourceQueue}"),
                ["MT-Fault-ConsumerType"] = Encoding.UTF8.GetBytes("SoraEvents.Service.Submission.GenerateVideoConsumer"),
            };
            var properties = new BasicProperties
            {
                MessageId = m.MessageId,
                ContentType = m.ContentType,
                CorrelationId = "corr-" + m.Name,
                DeliveryMode = DeliveryModes.Persistent,
                Headers = headers,
            };
            await channel.BasicPublishAsync("", m.ErrorQueue, mandatory: true, properties, Encoding.UTF8.GetBytes(m.Body));
        }
    }

    /// <summary>Every message in <paramref name="queue"/>, in order, left where it is.</summary>
    public static async Task<IReadOnlyList<QueuedMessage>> PeekAsync(Uri amqpUrl, string queue)
    {
        await using var connection = await RabbitMqFixture.ConnectAsync(amqpUrl);
        await using var channel = await connection.CreateChannelAsync();
        var messages = new List<QueuedMessage>();
        ulong last = 0;
        while (await channel.BasicGetAsync(queue, autoAck: false) is { } result)
        {
            last = result.DeliveryTag;
            var p = result.BasicProperties;
            messages.Add(new QueuedMessage(p.MessageId, p.ContentType, p.Persistent, p.CorrelationId, Encoding.UTF8.GetString(result.Body.Span),
                (p.Headers ?? new Dictionary<string, object?>()).ToDictionary(h => h.Key,
                    h => h.Value is byte[] b ? Encoding.UTF8.GetString(b) : Convert.ToString(h.Value, CultureInfo.InvariantCulture) ?? "")));
        }
        if (last > 0) await channel.BasicNackAsync(last, multiple: true, requeue: true);
        return messages;
    }

    public static async Task<IReadOnlyList<string?>> IdsAsync(Uri amqpUrl, string queue) =>
        (await PeekAsync(amqpUrl, queue)).Select(m => m.MessageId).ToList();

    public static Task<uint> CountAsync(Uri amqpUrl, string queue) => RabbitMqFixture.MessageCountAsync(amqpUrl, queue);
}
