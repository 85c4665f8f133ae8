using System.CommandLine;

namespace SoraEvents.Cli.Dlq;

/// <summary><c>soraevents dlq …</c>: the dead-letter (<c>*_error</c>) queues, over AMQP.</summary>
internal static class DlqCommand
{
    public static Command Create(GlobalOptions global, CliConsole console)
    {
        var command = new Command("dlq",
            "Dead-letter queues: messages MassTransit moved to <queue>_error with their fault, over AMQP. " + ErrorQueues.Explanation)
        {
            DlqListCommand.Create(global, console),
            DlqShowCommand.Create(global, console),
            DlqReplayCommand.Create(global, console),
            DlqPurgeCommand.Create(global, console),
        };
        return command;
    }

    /// <summary>The <c>--queue</c> option every dlq command takes.</summary>
    public static Option<string[]> QueueOption(string description) => new("--queue", "-q")
    {
        Description = description + " (generate-video and generate-video_error both name generate-video_error; repeatable)",
        HelpName = "name",
        DefaultValueFactory = _ => [],
    };
}
