using System.Net.Sockets;
using RabbitMQ.Client.Exceptions;
using SoraEvents.Cli.Output;

namespace SoraEvents.Cli;

/// <summary>Turns any exception into an exit code and a single line for stderr.</summary>
internal static class ErrorText
{
    public static (int Code, string Line) Describe(Exception ex, CancellationToken cancellation)
    {
        if (ex is OperationCanceledException && cancellation.IsCancellationRequested)
            return (ExitCodes.Cancelled, "cancelled");
        var (code, message) = ex switch
        {
            CliException cli => (cli.ExitCode, cli.Message),
            AlreadyClosedException closed => (ExitCodes.Failure, $"lost the connection to RabbitMQ: {closed.ShutdownReason?.ReplyText ?? closed.Message}"),
            OperationInterruptedException interrupted => (ExitCodes.Failure, $"RabbitMQ refused: {interrupted.ShutdownReason?.ReplyText ?? interrupted.Message}"),
            BrokerUnreachableException unreachable => (ExitCodes.Failure, $"cannot reach RabbitMQ: {Innermost(unreachable)}"),
            SocketException socket => (ExitCodes.Failure, $"network error: {socket.Message}"),
            TimeoutException timeout => (ExitCodes.Failure, $"timed out: {timeout.Message}"),
            _ => (ExitCodes.Failure, $"{ex.GetType().Name}: {ex.Message}"),
        };
        return (code, "error: " + Text.OneLine(message));
    }

    public static string Innermost(Exception ex)
    {
        while (ex.InnerException is not null) ex = ex.InnerException;
        return ex.Message;
    }
}
