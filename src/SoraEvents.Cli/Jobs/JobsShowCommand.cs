using System.CommandLine;
using SoraEvents.Cli.Output;

namespace SoraEvents.Cli.Jobs;

/// <summary><c>jobs show &lt;jobId&gt;</c>: GET /v1/videos/{jobId}.</summary>
internal static class JobsShowCommand
{
    public static Command Create(GlobalOptions global, CliConsole console)
    {
        var jobId = new Argument<string>("job-id") { Description = "The job id (a GUID)" };
        var command = new Command("show", "Show one job: status, gateway, video or error, times, metadata") { jobId };
        command.SetAction((parsed, ct) => RunAsync(global.Resolve(parsed, console), JobsCommand.ParseJobId(parsed.GetValue(jobId)!), ct));
        return command;
    }

    private static async Task<int> RunAsync(CliContext cli, Guid jobId, CancellationToken ct)
    {
        using var api = cli.CreateApiClient();
        var job = await api.GetAsync($"v1/videos/{jobId}", ct);
        if (cli.Json) await JsonOutput.WriteAsync(cli.Out, job);
        else JobPrinter.Print(cli.Out, new JobView(job));
        return ExitCodes.Success;
    }
}
