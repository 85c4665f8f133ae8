using System.CommandLine;
using SoraEvents.Cli.Output;

namespace SoraEvents.Cli.Dlq;

/// <summary><c>dlq list</c>: every error queue with its count, grouped by message type and by exception.</summary>
internal static class DlqListCommand
{
    public static Command Create(GlobalOptions global, CliConsole console)
    {
        var queues = DlqCommand.QueueOption("Also check this error queue");
        var maxScan = new Option<int>("--max-scan")
        {
            Description = "Read at most this many messages per queue for the grouping (counts are always exact)",
            HelpName = "n",
            DefaultValueFactory = _ => 10_000,
        };
        maxScan.Validators.Add(r => { if (r.GetValueOrDefault<int>() < 1) r.AddError("--max-scan must be at least 1"); });
        var command = new Command("list", "Count each error queue's messages, grouped by message type and by exception. " +
                                          ErrorQueues.Explanation) { queues, maxScan };
        command.SetAction((parsed, ct) => RunAsync(global.Resolve(parsed, console), parsed.GetValue(queues)!, parsed.GetValue(maxScan), ct));
        return command;
    }

    private static async Task<int> RunAsync(CliContext cli, string[] named, int maxScan, CancellationToken ct)
    {
        await using var connection = await cli.ConnectAsync(ct);
        var queues = await ErrorQueues.ResolveAsync(connection, cli.VirtualHost, named, includeKnown: true, keepMissingKnown: true, ct);
        var summaries = new List<QueueSummary>();
        foreach (var queue in queues)
        {
            var summary = new QueueSummary(queue);
            if (queue.Messages > 0)
            {
                await using var reader = await ErrorQueueReader.OpenAsync(connection, cli.AmqpUser, ct);
                await foreach (var message in reader.ReadAsync(queue.Queue, Math.Min(queue.Messages.Value, (uint)maxScan), ct))
                    summary.Add(message);
            }
            summaries.Add(summary);
        }

        if (cli.Json)
            await JsonOutput.WriteAsync(cli.Out, new { queues = summaries.Select(s => s.ToJson()) });
        else
            Print(cli.Out, summaries);
        return ExitCodes.Success;
    }

    private static void Print(TextWriter output, IReadOnlyList<QueueSummary> summaries)
    {
        var table = new Table("queue", "messages", "oldest fault", "newest fault");
        foreach (var s in summaries)
            table.Add(s.Queue.Queue, s.Queue.Exists ? s.Queue.Messages.ToString() : "-", Text.Time(s.Oldest), Text.Time(s.Newest));
        table.WriteTo(output);
        if (summaries.Any(s => !s.Queue.Exists)) output.WriteLine("(-: the queue does not exist yet; nothing has failed there)");

        foreach (var s in summaries.Where(s => s.Scanned > 0))
        {
            output.WriteLine();
            output.WriteLine(s.Scanned < s.Queue.Messages
                ? $"{s.Queue.Queue}: {Text.Count(s.Queue.Messages ?? 0, "message", "messages")} (grouped: the first {s.Scanned})"
                : $"{s.Queue.Queue}: {Text.Count(s.Scanned, "message", "messages")}");
            var types = new Table("count", "message type");
            foreach (var (type, count) in s.ByType) types.Add(count.ToString(), type);
            types.WriteTo(output, "  ");
            output.WriteLine();
            var faults = new Table("count", "exception");
            foreach (var (fault, count) in s.ByException) faults.Add(count.ToString(), Text.OneLine(fault, 120));
            faults.WriteTo(output, "  ");
        }
    }

    private sealed class QueueSummary(QueueCount queue)
    {
        private readonly Dictionary<string, int> byType = new(StringComparer.Ordinal);
        private readonly Dictionary<string, int> byException = new(StringComparer.Ordinal);

        public QueueCount Queue { get; } = queue;

        public int Scanned { get; private set; }

        public DateTimeOffset? Oldest { get; private set; }

        public DateTimeOffset? Newest { get; private set; }

        public IEnumerable<(string, int)> ByType => byType.OrderByDescending(p => p.Value).ThenBy(p => p.Key).Select(p => (p.Key, p.Value));

        public IEnumerable<(string, int)> ByException => byException.OrderByDescending(p => p.Value).ThenBy(p => p.Key).Select(p => (p.Key, p.Value));

        public void Add(DeadLetter message)
        {
            Scanned++;
            var type = message.MessageType ?? (message.Envelope is null ? "(not JSON)" : "(plain JSON)");
            byType[type] = byType.GetValueOrDefault(type) + 1;
            byException[message.Fault.Summary] = byException.GetValueOrDefault(message.Fault.Summary) + 1;
            if (message.Fault.Timestamp is { } at)
            {
                if (Oldest is null || at < Oldest) Oldest = at;
                if (Newest is null || at > Newest) Newest = at;
            }
        }

        public object ToJson() => new
        {
            queue = Queue.Queue,
            exists = Queue.Exists,
            messages = Queue.Messages ?? 0,
            scanned = Scanned,
            oldestFault = Oldest,
            newestFault = Newest,
            byMessageType = ByType.Select(p => new { messageType = p.Item1, count = p.Item2 }),
            byException = ByException.Select(p => new { exception = p.Item1, count = p.Item2 }),
        };
    }
}
