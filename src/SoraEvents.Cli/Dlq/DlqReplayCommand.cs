using System.CommandLine;
using SoraEvents.Cli.Output;

namespace SoraEvents.Cli.Dlq;

/// <summary><c>dlq replay</c>: dead letters back to the queue they came from, selected by filters.</summary>
internal static class DlqReplayCommand
{
    public static Command Create(GlobalOptions global, CliConsole console)
    {
        var queues = DlqCommand.QueueOption("Replay only from this error queue (default: the service's error queues)");
        var messageIds = new Option<string[]>("--message-id")
        {
            Description = "Only the message with this id (repeatable)",
            HelpName = "id",
            DefaultValueFactory = _ => [],
        };
        var jobIds = new Option<string[]>("--job-id")
        {
            Description = "Only messages about this job (the message's jobId; repeatable)",
            HelpName = "guid",
            DefaultValueFactory = _ => [],
        };
        var exceptionContains = new Option<string?>("--exception-contains")
        {
            Description = "Only messages whose fault's exception type or message contains this text (case-insensitive)",
            HelpName = "text",
        };
        var since = new Option<DateTimeOffset?>("--since")
        {
            Description = "Only messages that faulted at or after this time: ISO 8601 (2025-06-01T10:00:00Z; no zone = UTC) or an age (30m, 2h, 1d)",
            HelpName = "time",
            CustomParser = r =>
            {
                var text = r.Tokens.Count > 0 ? r.Tokens[^1].Value : "";
                if (Durations.TryParseSince(text, DateTimeOffset.UtcNow, out var at)) return at;
                r.AddError($"--since: '{text}' is neither a time (2025-06-01T10:00:00Z) nor an age (30m, 2h, 1d)");
                return null;
            },
        };
        var limit = new Option<int?>("--limit") { Description = "Move at most this many messages", HelpName = "n" };
        limit.Validators.Add(r => { if (r.GetValueOrDefault<int?>() is < 1) r.AddError("--limit must be at least 1"); });
        var rate = new Option<double?>("--rate")
        {
            Description = "Move at most this many messages a second (spares a rate-limited gateway)",
            HelpName = "per-second",
        };
        rate.Validators.Add(r => { if (r.GetValueOrDefault<double?>() is <= 0) r.AddError("--rate must be above 0"); });
        var dryRun = new Option<bool>("--dry-run") { Description = "Show what would move; move nothing" };

        var command = new Command("replay",
            "Move dead letters back to the queue they failed in (MT-Fault-InputAddress, else the name without _error), " +
            "each acknowledged on the error queue only after the broker confirmed its republish: an interrupted replay loses " +
            "nothing. Body, message id, content type and headers are kept, the fault headers (MT-Fault-*, MT-Reason) dropped. " +
            "Filters combine (all must hold); messages that do not match stay in place, unchanged.")
        {
            queues, messageIds, jobIds, exceptionContains, since, limit, rate, dryRun,
        };
        command.SetAction((parsed, ct) =>
        {
            var cli = global.Resolve(parsed, console);
            var filter = new ReplayFilter(
                parsed.GetValue(messageIds)!.Select(i => i.Trim()).ToList(),
                parsed.GetValue(jobIds)!.Select(ParseJobId).ToList(),
                parsed.GetValue(exceptionContains),
                parsed.GetValue(since));
            var request = new ReplayRequest(parsed.GetValue(queues)!, filter, parsed.GetValue(limit), parsed.GetValue(rate), parsed.GetValue(dryRun));
            return RunAsync(cli, request, ct);
        });
        return command;
    }

    private static Guid ParseJobId(string text) =>
        Guid.TryParse(text.Trim(), out var id) ? id : throw new CliException($"--job-id: '{text}' is not a job id (a GUID)", ExitCodes.Usage);

    private static async Task<int> RunAsync(CliContext cli, ReplayRequest request, CancellationToken ct)
    {
        await using var connection = await cli.ConnectAsync(ct);
        using var api = cli.CreateApiClient();
        var replayer = new Replayer(connection, cli, new JobEndings(api, cli.Json ? TextWriter.Null : cli.Out).AskAsync);
        var printer = new LinePrinter(cli.Out, enabled: !cli.Json);
        try
        {
            await replayer.RunAsync(request, printer.WriteAsync, ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            var moved = replayer.Messages.Count(m => m.Result == Replayer.Moved);
            await cli.Error.WriteLineAsync($"cancelled after moving {Text.Count(moved, "message", "messages")}; the rest stay in their error queues");
            return ExitCodes.Cancelled;
        }

        var count = replayer.Messages.Count(m => m.Result is Replayer.Moved or Replayer.WouldMove);
        var ended = replayer.Messages.Count(m => m.Result == Replayer.JobAlreadyEnded);
        var notTaken = replayer.Scanned - replayer.Messages.Count + ended;
        if (cli.Json)
            await JsonOutput.WriteAsync(cli.Out, new
            {
                dryRun = request.DryRun,
                scanned = replayer.Scanned,
                matched = replayer.Messages.Count,
                moved = request.DryRun ? 0 : count,
                wouldMove = request.DryRun ? count : 0,
                jobEnded = ended,
                failed = replayer.Failures.Count,
                messages = replayer.Messages,
            });
        else if (replayer.Messages.Count == 0)
            await cli.Out.WriteLineAsync($"no message matched: {Text.Count(replayer.Scanned, "message", "messages")} read, all stay in place; nothing was moved.");
        else if (request.DryRun)
            await cli.Out.WriteLineAsync($"dry run: {Text.Count(count, "message", "messages")} would move ({notTaken} of the {replayer.Scanned} read would stay); nothing was moved.");
        else
            await cli.Out.WriteLineAsync($"moved {Text.Count(count, "message", "messages")} ({notTaken} of the {replayer.Scanned} read stay in place).");
        if (ended > 0 && !cli.Json)
            await cli.Out.WriteLineAsync($"{Text.Count(ended, "message was", "messages were")} not replayed because {(ended == 1 ? "its job has" : "their jobs have")} already ended: " +
                "a replay would change nothing. They stay in place; `dlq purge` removes them.");

        if (replayer.Failures.Count == 0) return ExitCodes.Success;
        throw new CliException($"{Text.Count(replayer.Failures.Count, "message was", "messages were")} not replayed and stay in the error queue: {replayer.Failures[0]}");
    }

    /// <summary>
    /// Asks the service's API whether a message's job has ended. Without an answer (API down, job unknown) the
    /// message is replayed as before: the service itself ignores a command for a job that has ended.
    /// </summary>
    /// The note goes to the report, not to stderr, which carries only the one line of a failure.
    private sealed class JobEndings(Api.ApiClient api, TextWriter report)
    {
        private bool warned;

        public async Task<string?> AskAsync(Guid jobId, CancellationToken ct)
        {
            try
            {
                var job = new Jobs.JobView(await api.GetAsync($"v1/videos/{jobId}", ct));
                return job.IsTerminal ? $"{job.Status}: {job.ErrorCode ?? "video ready"}" : null;
            }
            catch (CliException ex) when (!ct.IsCancellationRequested)
            {
                if (!warned) await report.WriteLineAsync($"note: cannot tell whether jobs have ended ({ex.Message}); their messages are replayed regardless");
                warned = true;
                return null;
            }
        }
    }

    /// <summary>One line per message as it moves, so an interrupted replay still shows what it did.</summary>
    private sealed class LinePrinter(TextWriter output, bool enabled)
    {
        private bool header;

        public async Task WriteAsync(ReplayedMessage m)
        {
            if (!enabled) return;
            if (!header)
            {
                await output.WriteLineAsync(Line("RESULT", "FROM", "TO", "MESSAGE ID", "JOB ID", "EXCEPTION"));
                header = true;
            }
            await output.WriteLineAsync(Line(m.Result, m.Queue, m.To, m.MessageId ?? "(no id)", m.JobId?.ToString() ?? "-", Text.OneLine(m.Exception, 100)));
            if (m.JobEnded is not null)
                await output.WriteLineAsync($"            job {m.JobId} already ended ({m.JobEnded}); not replayed, the message stays in {m.Queue}");
        }

        private static string Line(string result, string from, string to, string id, string job, string exception) =>
            $"{result,-10}  {from,-24}  {to,-18}  {id,-36}  {job,-36}  {exception}".TrimEnd();
    }
}
