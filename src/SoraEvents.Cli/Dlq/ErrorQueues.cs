using RabbitMQ.Client;
using SoraEvents.Cli.Broker;
using SoraEvents.Contracts;

namespace SoraEvents.Cli.Dlq;

/// <summary>
/// The error queues the CLI looks at. AMQP has no way to list queues, so these are the service's own
/// (<c>generate-video_error</c>, <c>callback-received_error</c>) plus whatever the operator names with <c>--queue</c>.
/// </summary>
internal static class ErrorQueues
{
    public const string Suffix = "_error";

    public static readonly IReadOnlyList<string> Known = [BusQueues.ErrorQueueOf(BusQueues.GenerateVideo), BusQueues.ErrorQueueOf(BusQueues.CallbackReceived)];

    public const string Explanation =
        "AMQP cannot list queues: the service's error queues (generate-video_error, callback-received_error) " +
        "are checked, plus every --queue NAME.";

    /// <summary><c>generate-video</c> and <c>generate-video_error</c> both name the error queue <c>generate-video_error</c>.</summary>
    public static string Normalize(string name)
    {
        var trimmed = name.Trim();
        if (trimmed.Length == 0) throw new CliException("--queue needs a queue name", ExitCodes.Usage);
        return trimmed.EndsWith(Suffix, StringComparison.Ordinal) ? trimmed : trimmed + Suffix;
    }

    /// <summary>Where a replayed message goes when its fault does not name its input address.</summary>
    public static string SourceOf(string errorQueue) =>
        errorQueue.EndsWith(Suffix, StringComparison.Ordinal) ? errorQueue[..^Suffix.Length] : errorQueue;

    /// <summary>
    /// The queues to look at and their ready counts. Named queues must exist (an unknown one is an error);
    /// the service's own are skipped when they do not exist yet, unless <paramref name="keepMissingKnown"/>.
    /// </summary>
    public static async Task<IReadOnlyList<QueueCount>> ResolveAsync(IConnection connection, string virtualHost, IReadOnlyList<string> named,
        bool includeKnown, bool keepMissingKnown, CancellationToken ct)
    {
        var names = named.Select(Normalize).ToList();
        var all = (includeKnown ? Known.Concat(names) : names).Distinct(StringComparer.Ordinal).ToList();
        var result = new List<QueueCount>();
        foreach (var queue in all)
        {
            var count = await Queues.CountAsync(connection, queue, ct);
            if (count is null && names.Contains(queue))
                throw new CliException($"unknown queue '{queue}': it does not exist on virtual host '{virtualHost}'");
            if (count is not null || keepMissingKnown) result.Add(new QueueCount(queue, count));
        }
        return result;
    }
}

/// <summary>A queue and its ready messages (null: the queue does not exist).</summary>
internal sealed record QueueCount(string Queue, uint? Messages)
{
    public bool Exists => Messages is not null;
}
