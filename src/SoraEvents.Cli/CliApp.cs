using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;
using System.CommandLine.Parsing;
using SoraEvents.Cli.Dlq;
using SoraEvents.Cli.Jobs;
using SoraEvents.Cli.Output;
using SoraEvents.Cli.Submit;
using SoraEvents.Cli.Watch;

namespace SoraEvents.Cli;

/// <summary>
/// The whole command line, callable in-process: tests run it with their own writers and reader exactly as
/// <c>Program</c> runs it with the console's.
/// </summary>
public static class CliApp
{
    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, TextReader stdin,
        CancellationToken cancellationToken = default)
    {
        var console = new CliConsole(stdout, stderr, stdin);
        var root = CreateRootCommand(console);
        var parsed = root.Parse(args);
        if (parsed.Action is ParseErrorAction)
        {
            // One line, not the error plus the whole help text.
            var errors = Text.OneLine(string.Join("; ", parsed.Errors.Select(e => e.Message)));
            await stderr.WriteLineAsync($"error: {errors} (see '{CommandPath(parsed.CommandResult)} --help')");
            return ExitCodes.Usage;
        }

        try
        {
            return await parsed.InvokeAsync(new InvocationConfiguration
            {
                Output = stdout,
                Error = stderr,
                EnableDefaultExceptionHandler = false,
                ProcessTerminationTimeout = null, // Program wires Ctrl+C and SIGTERM into cancellationToken itself
            }, cancellationToken);
        }
        catch (Exception ex)
        {
            var (code, line) = ErrorText.Describe(ex, cancellationToken);
            await stderr.WriteLineAsync(line);
            if (Environment.GetEnvironmentVariable("SORAEVENTS_DEBUG") is "1" or "true") await stderr.WriteLineAsync(ex.ToString());
            return code;
        }
    }

    internal static Command CreateRootCommand(CliConsole console)
    {
        var global = new GlobalOptions();
        // A named command rather than RootCommand, whose name is the host's (testhost, dotnet) when run in-process.
        var root = new Command("soraevents",
            "soraevents: operate SoraEvents. Dead-letter queues (over AMQP; the management plugin is not needed), " +
            "jobs and submissions (over the service's HTTP API), and the live event stream.")
        {
            new HelpOption(),
            new VersionOption(),
            global.Amqp,
            global.Api,
            global.ApiKey,
            global.Json,
            DlqCommand.Create(global, console),
            JobsCommand.Create(global, console),
            SubmitCommand.Create(global, console),
            WatchCommand.Create(global, console),
        };
        ShowHelpWhenIncomplete(root);
        return root;
    }

    /// <summary><c>soraevents</c> or <c>soraevents dlq</c> alone prints that command's help.</summary>
    private static void ShowHelpWhenIncomplete(Command command)
    {
        if (command.Subcommands.Count == 0) return;
        command.SetAction(parsed =>
        {
            new HelpAction().Invoke(parsed);
            return ExitCodes.Success;
        });
        foreach (var sub in command.Subcommands) ShowHelpWhenIncomplete(sub);
    }

    /// <summary>"soraevents dlq replay" for the replay command's result.</summary>
    private static string CommandPath(CommandResult result)
    {
        var names = new List<string>();
        for (SymbolResult? r = result; r is not null; r = r.Parent)
            if (r is CommandResult command) names.Insert(0, command.Command.Name);
        return string.Join(' ', names);
    }
}
