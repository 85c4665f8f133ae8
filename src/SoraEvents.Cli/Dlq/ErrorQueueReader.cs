using System.Runtime.CompilerServices;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;
using SoraEvents.Cli.Broker;

namespace SoraEvents.Cli.Dlq;

/// <summary>
/// Reads error queues without taking anything away: every message is fetched with manual acknowledgement and
/// stays unacknowledged until it is either acknowledged after its republish was confirmed, or given back
/// (requeued, unchanged, in its place) when the reader is released. Should the process die instead, the broker
/// gives back every unacknowledged message by itself when the connection drops.
/// </summary>
internal sealed class ErrorQueueReader : IAsyncDisposable
{
    private static readonly TimeSpan ConfirmTimeout = TimeSpan.FromSeconds(30);
    private readonly IChannel channel;
    private readonly string? user;
    private readonly SortedSet<ulong> held = []; // delivery tags read and not yet acknowledged

    private ErrorQueueReader(IChannel channel, string? user)
    {
        this.channel = channel;
        this.user = user;
    }

    /// <param name="user">The user the connection logged in as (RabbitMQ refuses a message whose user-id is another user's).</param>
    public static async Task<ErrorQueueReader> OpenAsync(IConnection connection, string? user, CancellationToken ct)
    {
        // Publisher confirms with tracking: BasicPublishAsync returns only once the broker has the message
        // (and throws when it refused or could not route it).
        var channel = await connection.CreateChannelAsync(
            new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true), ct);
        return new ErrorQueueReader(channel, user);
    }

    /// <summary>
    /// Up to <paramref name="max"/> messages from the head of <paramref name="queue"/>. Bounded by the count taken
    /// before reading, so a replayed message that fails again and comes back is not read twice in one run.
    /// </summary>
    public async IAsyncEnumerable<DeadLetter> ReadAsync(string queue, uint max, [EnumeratorCancellation] CancellationToken ct)
    {
        for (uint i = 0; i < max; i++)
        {
            // Cancellation is honoured between messages only: a get cut short could leave a delivery nobody tracks.
            ct.ThrowIfCancellationRequested();
            var result = await channel.BasicGetAsync(queue, autoAck: false, CancellationToken.None);
            if (result is null) yield break;
            held.Add(result.DeliveryTag);
            yield return DeadLetter.From(queue, result);
        }
    }

    /// <summary>
    /// Publishes the message to <paramref name="queue"/> (default exchange, mandatory) with the same body and
    /// properties, fault headers dropped, and waits for the broker's confirm. Throws when it was not confirmed.
    /// </summary>
    public async Task RepublishAsync(DeadLetter message, string queue)
    {
        // Not cancellable: a publish abandoned after it reached the broker would leave the message in both queues.
        // Bounded instead, so a broker that stops confirming cannot hang the replay.
        using var confirmWait = new CancellationTokenSource(ConfirmTimeout);
        try
        {
            await channel.BasicPublishAsync("", queue, mandatory: true, ReplayProperties.From(message.Properties, user), message.Body, confirmWait.Token);
        }
        catch (OperationCanceledException) when (confirmWait.IsCancellationRequested)
        {
            throw new TimeoutException($"RabbitMQ did not confirm the republish of {message.MessageId} within {ConfirmTimeout.TotalSeconds:0} s; " +
                                       $"it stays in {message.Queue} (and may also be in '{queue}')");
        }
        catch (PublishException ex) when (ex.IsReturn)
        {
            throw new CliException($"queue '{queue}' does not exist, so message {message.MessageId} stays in {message.Queue}");
        }
        catch (PublishException)
        {
            throw new CliException($"RabbitMQ did not confirm the republish of {message.MessageId} to '{queue}'; it stays in {message.Queue}");
        }
    }

    /// <summary>Removes the message from its error queue: only ever after its republish was confirmed.</summary>
    public async Task AckAsync(DeadLetter message)
    {
        await channel.BasicAckAsync(message.DeliveryTag, multiple: false, CancellationToken.None);
        held.Remove(message.DeliveryTag);
    }

    /// <summary>Gives every message still held back to its queue, unchanged and in its place.</summary>
    public async Task ReleaseAsync()
    {
        if (held.Count == 0 || !channel.IsOpen) return;
        // multiple: every unacknowledged delivery up to the highest one still held (it must be one not yet
        // acknowledged, or the broker closes the channel). basic.nack, not basic.reject: on a quorum queue it does
        // not count as a failed delivery towards a delivery limit.
        await channel.BasicNackAsync(held.Max, multiple: true, requeue: true, CancellationToken.None);
        held.Clear();
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await ReleaseAsync();
        }
        catch (Exception ex) when (ex is AlreadyClosedException or OperationInterruptedException or IOException)
        {
            // The connection is gone: the broker requeues whatever was unacknowledged on it.
        }
        await Queues.CloseQuietlyAsync(channel);
    }
}

/// <summary>
/// The properties of a replayed message: the original's (message id, content type, delivery mode, every other
/// header…), fault headers (MT-Fault-*, MT-Reason) dropped. Two more go: a user-id naming another user (the
/// broker would refuse the publish), and <c>x-dotnet-pub-seq-no</c>, RabbitMQ.Client's bookkeeping for the
/// publish that moved the message to the error queue; the client writes this publish's own, so a returned
/// (unroutable) replay is matched to this publish and never mistaken for a confirmed one.
/// </summary>
internal static class ReplayProperties
{
    public static BasicProperties From(IReadOnlyBasicProperties original, string? user)
    {
        var properties = new BasicProperties(original);
        if (original.UserId is { } userId && !string.Equals(userId, user, StringComparison.Ordinal)) properties.UserId = null;
        if (original.Headers is { } headers)
            properties.Headers = headers
                .Where(h => !FaultInfo.IsFaultHeader(h.Key) && h.Key != Constants.PublishSequenceNumberHeader)
                .ToDictionary(h => h.Key, h => h.Value);
        return properties;
    }
}
