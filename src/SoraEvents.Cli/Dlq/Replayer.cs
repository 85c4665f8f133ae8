using RabbitMQ.Client;
using SoraEvents.Contracts;

namespace SoraEvents.Cli.Dlq;

/// <summary>What one replay asks for, besides the filter.</summary>
internal sealed record ReplayRequest(IReadOnlyList<string> Queues, ReplayFilter Filter, int? Limit, double? Rate, bool DryRun);

/// <summary>One message a replay took (or, in a dry run, would take).</summary>
internal sealed record ReplayedMessage(string Queue, string? MessageId, Guid? JobId, string? MessageType, string Exception, string To, string Result,
    string? JobEnded = null);

/// <summary>
/// Moves matching dead letters back to the queue they failed in. Each one is republished with publisher
/// confirms and acknowledged on its error queue only after the broker confirmed the republish: killed at any
/// point, a replay loses nothing (at worst one message is in both queues, and the service tolerates a
/// duplicate). Messages that do not match stay unacknowledged and are given back unchanged, in their place.
/// A message whose job has already ended is not replayed either: the service would change nothing for it (a job
/// ends once), so it stays in place and the replay says why.
/// </summary>
/// <param name="jobEnded">How the job ended ("failed: timed_out"), or null when it has not ended or cannot be asked about.</param>
internal sealed class Replayer(IConnection connection, CliContext cli, Func<Guid, CancellationToken, Task<string?>> jobEnded)
{
    public const string Moved = "moved";
    public const string WouldMove = "would move";
    public const string Failed = "failed";
    public const string JobAlreadyEnded = "job ended";

    public int Scanned { get; private set; }

    public List<ReplayedMessage> Messages { get; } = [];

    public List<string> Failures { get; } = [];

    public async Task RunAsync(ReplayRequest request, Func<ReplayedMessage, Task> onMessage, CancellationToken ct)
    {
        var queues = await ErrorQueues.ResolveAsync(connection, cli.VirtualHost, request.Queues,
            includeKnown: request.Queues.Count == 0, keepMissingKnown: false, ct);
        var taken = 0;
        var pause = request.Rate is > 0 ? TimeSpan.FromSeconds(1 / request.Rate.Value) : TimeSpan.Zero;
        foreach (var queue in queues.Where(q => q.Messages > 0))
        {
            if (taken >= request.Limit) break;
            await using var reader = await ErrorQueueReader.OpenAsync(connection, cli.AmqpUser, ct);
            await foreach (var message in reader.ReadAsync(queue.Queue, queue.Messages!.Value, ct))
            {
                Scanned++;
                if (!request.Filter.Matches(message)) continue; // held, given back when the reader is released
                taken++;
                // Held like a message the filter left out, and given back unchanged with them.
                // Only a command is pointless once its job has ended; an event (an outbound webhook's VideoCompleted) is about an ended job by nature.
                var ended = message.JobId is { } jobId && IsCommand(message) ? await jobEnded(jobId, ct) : null;
                var result = ended is not null ? JobAlreadyEnded : request.DryRun ? WouldMove : await MoveAsync(reader, message);
                var replayed = new ReplayedMessage(message.Queue, message.MessageId, message.JobId, message.MessageType,
                    message.Fault.Summary, message.ReplayQueue, result, ended);
                Messages.Add(replayed);
                await onMessage(replayed);
                if (taken >= request.Limit) break;
                if (!request.DryRun && pause > TimeSpan.Zero) await Task.Delay(pause, ct);
            }
        }
    }

    private static bool IsCommand(DeadLetter message) =>
        message.Queue == BusQueues.ErrorQueueOf(BusQueues.GenerateVideo)
        || (message.MessageType?.EndsWith(":GenerateVideo", StringComparison.Ordinal) ?? false);

    private async Task<string> MoveAsync(ErrorQueueReader reader, DeadLetter message)
    {
        try
        {
            await reader.RepublishAsync(message, message.ReplayQueue);
        }
        catch (CliException ex)
        {
            Failures.Add(ex.Message);
            return Failed;
        }
        // Confirmed: only now may it leave the error queue.
        await reader.AckAsync(message);
        return Moved;
    }
}
