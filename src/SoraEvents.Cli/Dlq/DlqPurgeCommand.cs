using System.CommandLine;
using SoraEvents.Cli.Broker;
using SoraEvents.Cli.Output;

namespace SoraEvents.Cli.Dlq;

/// <summary><c>dlq purge --queue …</c>: deletes every message in the named error queues, after a confirmation.</summary>
internal static class DlqPurgeCommand
{
    public static Command Create(GlobalOptions global, CliConsole console)
    {
        var queues = DlqCommand.QueueOption("The error queue to empty");
        queues.Required = true;
        var yes = new Option<bool>("--yes", "-y") { Description = "Do not ask for confirmation" };
        var command = new Command("purge", "Delete every message in the named error queues (only *_error queues); asks first " +
                                           "unless --yes.") { queues, yes };
        // Required alone is not enforced: the shared option's empty default satisfies it, and the command would
        // then purge nothing and exit 0 without a word.
        command.Validators.Add(r =>
        {
            if (r.GetValue(queues) is not { Length: > 0 } named || named.Any(string.IsNullOrWhiteSpace))
                r.AddError("--queue is required: name each error queue to empty, e.g. --queue generate-video_error");
        });
        command.SetAction((parsed, ct) => RunAsync(global.Resolve(parsed, console), parsed.GetValue(queues)!, parsed.GetValue(yes), ct));
        return command;
    }

    private static async Task<int> RunAsync(CliContext cli, string[] named, bool yes, CancellationToken ct)
    {
        await using var connection = await cli.ConnectAsync(ct);
        var queues = await ErrorQueues.ResolveAsync(connection, cli.VirtualHost, named, includeKnown: false, keepMissingKnown: false, ct);
        var total = queues.Sum(q => (long)(q.Messages ?? 0));
        if (!yes)
        {
            await cli.Error.WriteAsync($"Delete {Text.Count(total, "message", "messages")} from {string.Join(", ", queues.Select(q => q.Queue))}? " +
                                       "This cannot be undone. [y/N] ");
            await cli.Error.FlushAsync(ct);
            var answer = (await cli.In.ReadLineAsync(ct))?.Trim().ToLowerInvariant();
            if (answer is not ("y" or "yes")) throw new CliException("aborted: nothing was purged");
        }

        var purged = new List<(string Queue, uint Messages)>();
        foreach (var queue in queues)
        {
            var channel = await connection.CreateChannelAsync(cancellationToken: ct);
            try
            {
                purged.Add((queue.Queue, await channel.QueuePurgeAsync(queue.Queue, ct)));
            }
            finally
            {
                await Queues.CloseQuietlyAsync(channel);
            }
        }

        if (cli.Json)
            await JsonOutput.WriteAsync(cli.Out, new { purged = purged.Select(p => new { queue = p.Queue, messages = p.Messages }) });
        else
            foreach (var (queue, messages) in purged)
                await cli.Out.WriteLineAsync($"purged {Text.Count(messages, "message", "messages")} from {queue}");
        return ExitCodes.Success;
    }
}
