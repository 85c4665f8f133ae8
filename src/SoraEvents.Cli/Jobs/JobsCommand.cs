using System.CommandLine;

namespace SoraEvents.Cli.Jobs;

/// <summary><c>soraevents jobs …</c>: jobs as the service's HTTP API shows them.</summary>
internal static class JobsCommand
{
    public static readonly string[] Statuses = ["queued", "in_progress", "completed", "failed", "submitting", "submitted"];

    public static Command Create(GlobalOptions global, CliConsole console) =>
        new("jobs", "Jobs, from the service's HTTP API (--api)")
        {
            JobsShowCommand.Create(global, console),
            JobsListCommand.Create(global, console),
        };

    public static Guid ParseJobId(string text) =>
        Guid.TryParse(text.Trim(), out var id) ? id : throw new CliException($"'{text}' is not a job id (a GUID)", ExitCodes.Usage);
}
