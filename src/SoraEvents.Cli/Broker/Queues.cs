using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace SoraEvents.Cli.Broker;

internal static class Queues
{
    /// <summary>Ready messages in <paramref name="queue"/>, or null when the queue does not exist.</summary>
    public static async Task<uint?> CountAsync(IConnection connection, string queue, CancellationToken ct)
    {
        // A passive declare of a missing queue closes its channel: a throwaway channel each time.
        var channel = await connection.CreateChannelAsync(cancellationToken: ct);
        try
        {
            return (await channel.QueueDeclarePassiveAsync(queue, ct)).MessageCount;
        }
        catch (OperationInterruptedException ex) when (ex.ShutdownReason?.ReplyCode == 404)
        {
            return null;
        }
        finally
        {
            await CloseQuietlyAsync(channel);
        }
    }

    public static async Task CloseQuietlyAsync(IChannel channel)
    {
        try
        {
            if (channel.IsOpen) await channel.CloseAsync();
        }
        catch (Exception ex) when (ex is AlreadyClosedException or OperationInterruptedException or IOException or ObjectDisposedException)
        {
            // already gone: nothing left to give back
        }
        channel.Dispose();
    }
}
