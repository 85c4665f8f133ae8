using System.CommandLine;
using System.Text.Json;
using SoraEvents.Cli.Output;

namespace SoraEvents.Cli.Dlq;

/// <summary><c>dlq show &lt;messageId&gt;</c>: one dead letter in full; it stays where it is.</summary>
internal static class DlqShowCommand
{
    public static Command Create(GlobalOptions global, CliConsole console)
    {
        var messageId = new Argument<string>("message-id")
        {
            Description = "The message id (the envelope's messageId, or the AMQP message-id of a plain JSON message)",
        };
        var queues = DlqCommand.QueueOption("Look only in this error queue (default: the service's error queues)");
        var command = new Command("show", "Show one dead letter: properties, headers, fault (exception, stack trace, host, time) " +
                                          "and body. It stays in place.") { messageId, queues };
        command.SetAction((parsed, ct) => RunAsync(global.Resolve(parsed, console), parsed.GetValue(messageId)!, parsed.GetValue(queues)!, ct));
        return command;
    }

    private static async Task<int> RunAsync(CliContext cli, string id, string[] named, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(id)) throw new CliException("the message id is empty", ExitCodes.Usage);
        await using var connection = await cli.ConnectAsync(ct);
        var queues = await ErrorQueues.ResolveAsync(connection, cli.VirtualHost, named, includeKnown: named.Length == 0, keepMissingKnown: false, ct);
        foreach (var queue in queues.Where(q => q.Messages > 0))
        {
            // Everything read stays unacknowledged and goes back in place when the reader is released.
            await using var reader = await ErrorQueueReader.OpenAsync(connection, cli.AmqpUser, ct);
            var position = 0;
            await foreach (var message in reader.ReadAsync(queue.Queue, queue.Messages!.Value, ct))
            {
                position++;
                if (!message.HasId(id.Trim())) continue;
                if (cli.Json) await JsonOutput.WriteAsync(cli.Out, ToJson(message, position, queue.Messages.Value));
                else Print(cli.Out, message, position, queue.Messages.Value);
                return ExitCodes.Success;
            }
        }
        throw new CliException($"no message with id '{id}' in {string.Join(", ", queues.Select(q => q.Queue).DefaultIfEmpty("any error queue"))}");
    }

    private static object ToJson(DeadLetter m, int position, uint count) => new
    {
        queue = m.Queue,
        position,
        queueMessages = count,
        messageId = m.MessageId,
        messageType = m.MessageType,
        jobId = m.JobId,
        replaysTo = m.ReplayQueue,
        properties = new
        {
            messageId = m.Properties.MessageId,
            contentType = m.Properties.ContentType,
            contentEncoding = m.Properties.ContentEncoding,
            correlationId = m.Properties.CorrelationId,
            type = m.Properties.Type,
            persistent = m.Properties.Persistent,
            timestamp = m.Properties.IsTimestampPresent() ? DateTimeOffset.FromUnixTimeSeconds(m.Properties.Timestamp.UnixTime) : (DateTimeOffset?)null,
            appId = m.Properties.AppId,
        },
        fault = new
        {
            exceptionType = m.Fault.ExceptionType,
            message = m.Fault.Message,
            stackTrace = m.Fault.StackTrace,
            timestamp = m.Fault.Timestamp,
            inputAddress = m.Fault.InputAddress,
            machineName = m.Fault.MachineName,
            processName = m.Fault.ProcessName,
            consumerType = m.Fault.ConsumerType,
            reason = m.Fault.Reason,
        },
        headers = m.Headers,
        body = m.Envelope is { } json ? (object)json : m.BodyText,
    };

    private static void Print(TextWriter output, DeadLetter m, int position, uint count)
    {
        output.WriteLine($"Message {m.MessageId ?? "(no id)"}");
        new Fields()
            .Add("queue", $"{m.Queue} (message {position} of {count})")
            .Add("message type", m.MessageType ?? (m.Envelope is null ? "(not JSON)" : "(plain JSON)"))
            .Add("job id", m.JobId?.ToString())
            .Add("replays to", m.ReplayQueue)
            .Add("content type", m.Properties.ContentType)
            .Add("amqp message id", m.Properties.MessageId)
            .Add("correlation id", m.Properties.CorrelationId)
            .WriteTo(output, "  ");
        output.WriteLine();
        output.WriteLine("Fault");
        new Fields()
            .Add("exception", m.Fault.ExceptionType)
            .Add("message", m.Fault.Message)
            .Add("time", Text.Time(m.Fault.Timestamp))
            .Add("host", string.Join(" / ", new[] { m.Fault.MachineName, m.Fault.ProcessName }.Where(s => s is not null)))
            .Add("consumer", m.Fault.ConsumerType)
            .Add("input address", m.Fault.InputAddress)
            .Add("reason", m.Fault.Reason)
            .Add("stack trace", m.Fault.StackTrace is null ? null : string.Join("\n", m.Fault.StackTrace.Replace("\r\n", "\n").Split('\n').Select(l => l.Trim())))
            .WriteTo(output, "  ");
        output.WriteLine();
        output.WriteLine("Headers");
        var headers = new Fields();
        foreach (var (name, value) in m.Headers.Where(h => h.Key != "MT-Fault-StackTrace").OrderBy(h => h.Key, StringComparer.Ordinal))
            headers.Add(name, Text.OneLine(value, 200));
        headers.WriteTo(output, "  ");
        output.WriteLine();
        output.WriteLine("Body");
        foreach (var line in (m.Envelope is { } json ? JsonOutput.Pretty(json.GetRawText()) : m.BodyText).Replace("\r\n", "\n").Split('\n'))
            output.WriteLine("  " + line);
    }
}
