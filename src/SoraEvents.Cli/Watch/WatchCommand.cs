using System.CommandLine;

namespace SoraEvents.Cli.Watch;

/// <summary><c>watch</c>: VideoSubmitted, VideoCompleted and VideoFailed as they are published.</summary>
internal static class WatchCommand
{
    public static Command Create(GlobalOptions global, CliConsole console)
    {
        var jobId = new Option<string?>("--job-id") { Description = "Only events about this job", HelpName = "guid" };
        var count = new Option<int?>("--count") { Description = "Stop after this many events", HelpName = "n" };
        count.Validators.Add(r => { if (r.GetValueOrDefault<int?>() is < 1) r.AddError("--count must be at least 1"); });
        var command = new Command("watch", "Stream VideoSubmitted, VideoCompleted and VideoFailed events as they are published " +
                                           "(from now on; nothing is replayed), until Ctrl+C. With --json: one JSON object per line.")
        {
            jobId, count,
        };
        command.SetAction((parsed, ct) =>
        {
            var cli = global.Resolve(parsed, console);
            Guid? job = parsed.GetValue(jobId) is { } text
                ? Guid.TryParse(text, out var id) ? id : throw new CliException($"--job-id: '{text}' is not a job id (a GUID)", ExitCodes.Usage)
                : null;
            return RunAsync(cli, job, parsed.GetValue(count), ct);
        });
        return command;
    }

    /// <summary>Pauses between reconnect attempts after the broker went away: soon at first, then every few seconds.</summary>
    private static readonly TimeSpan[] ReconnectPauses = [TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(5)];

    /// <summary>
    /// Watches until Ctrl+C or <paramref name="count"/> events. A broker that cannot be reached at the start is an
    /// error; one lost later (a restart) is reconnected to, saying so on stderr, and the watch carries on.
    /// </summary>
    private static async Task<int> RunAsync(CliContext cli, Guid? jobId, int? count, CancellationToken ct)
    {
        var printer = new EventPrinter(cli.Out, cli.Json);
        var seen = 0;
        var connected = false;
        var failures = 0;
        try
        {
            while (true)
            {
                try
                {
                    await using var connection = await cli.ConnectAsync(ct);
                    await using var subscription = await EventSubscription.StartAsync(connection, ct);
                    // On stderr even with --json: stdout stays pure JSON lines, and a script can wait for this line.
                    await cli.Error.WriteLineAsync(connected
                        ? $"reconnected to {Redact.Url(cli.AmqpUrl)}; watching again (events published while disconnected are not shown)"
                        : $"watching {string.Join(", ", EventSubscription.Exchanges)} on {Redact.Url(cli.AmqpUrl)} (Ctrl+C to stop)");
                    await cli.Error.FlushAsync(ct);
                    (connected, failures) = (true, 0);
                    await foreach (var e in subscription.Events.ReadAllAsync(ct))
                    {
                        if (jobId is not null && e.JobId != jobId) continue;
                        await printer.WriteAsync(e);
                        if (++seen >= count) return ExitCodes.Success;
                    }
                    return ExitCodes.Success;
                }
                catch (CliException ex) when (connected && !ct.IsCancellationRequested)
                {
                    if (failures == 0) await cli.Error.WriteLineAsync($"{ex.Message}; reconnecting");
                    await Task.Delay(ReconnectPauses[Math.Min(failures++, ReconnectPauses.Length - 1)], ct);
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Ctrl+C is how a watch ends.
        }
        return ExitCodes.Success;
    }
}
