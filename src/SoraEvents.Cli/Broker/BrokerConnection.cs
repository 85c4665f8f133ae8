using System.Net.Sockets;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace SoraEvents.Cli.Broker;

/// <summary>One AMQP connection per command; failures become one readable line.</summary>
internal static class BrokerConnection
{
    public static async Task<IConnection> OpenAsync(Uri url, CancellationToken ct)
    {
        var factory = new ConnectionFactory
        {
            Uri = url,
            ClientProvidedName = "soraevents-cli",
            // A CLI fails loudly instead of reconnecting: a replay must never carry on over a connection it lost.
            AutomaticRecoveryEnabled = false,
            TopologyRecoveryEnabled = false,
            RequestedConnectionTimeout = TimeSpan.FromSeconds(5),
            HandshakeContinuationTimeout = TimeSpan.FromSeconds(5),
            ContinuationTimeout = TimeSpan.FromSeconds(20),
        };
        IConnection? connection = null;
        try
        {
            connection = await factory.CreateConnectionAsync(ct);
            // The broker may refuse the virtual host just after the handshake: one channel proves the connection is usable.
            var probe = await connection.CreateChannelAsync(cancellationToken: ct);
            await Queues.CloseQuietlyAsync(probe);
            return connection;
        }
        catch (Exception ex) when (ex is BrokerUnreachableException or SocketException or IOException or TimeoutException
                                       or OperationInterruptedException or AuthenticationFailureException)
        {
            if (connection is not null) await connection.DisposeAsync();
            throw new CliException($"cannot reach RabbitMQ at {Redact.Url(url)}: {Reason(ex, url)}", ExitCodes.Failure, ex);
        }
    }

    private static string Reason(Exception ex, Uri url)
    {
        for (Exception? e = ex; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case AuthenticationFailureException or PossibleAuthenticationFailureException:
                    return "access refused (check the user and password)";
                case OperationInterruptedException { ShutdownReason.ReplyCode: 530 }:
                    return $"virtual host '{VirtualHost(url)}' does not exist or this user may not use it";
                case SocketException socket:
                    return socket.Message;
            }
        }
        return ErrorText.Innermost(ex);
    }

    public static string VirtualHost(Uri url)
    {
        var path = Uri.UnescapeDataString(url.AbsolutePath.TrimStart('/'));
        return path.Length == 0 ? "/" : path;
    }
}
