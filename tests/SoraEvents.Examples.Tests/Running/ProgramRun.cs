using System.Collections.Concurrent;
using System.Diagnostics;

namespace SoraEvents.Examples.Tests.Running;

/// <summary>
/// A program a test runs to its end (<c>dotnet pack</c>, <c>npm ci</c>, an example), with what it printed.
/// It is killed with its whole tree when it outlives its patience, and when the test host exits first.
/// </summary>
public sealed class ProgramRun
{
    /// <summary>Every program still running, so that a test host that exits early leaves none behind.</summary>
    private static readonly ConcurrentDictionary<Process, byte> Running = new();

    static ProgramRun() => AppDomain.CurrentDomain.ProcessExit += (_, _) =>
    {
        foreach (var process in Running.Keys)
            try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { /* ended meanwhile */ }
    };

    private ProgramRun(string commandLine, int exitCode, IReadOnlyList<string> lines)
    {
        CommandLine = commandLine;
        ExitCode = exitCode;
        Lines = lines;
    }

    public string CommandLine { get; }

    /// <summary>The program's exit code; -1 when it was killed for taking too long.</summary>
    public int ExitCode { get; }

    /// <summary>Standard output and standard error, line by line, in the order they arrived.</summary>
    public IReadOnlyList<string> Lines { get; }

    public string Output => string.Join('\n', Lines);

    /// <summary>A one-line account plus the output, for an assertion's message.</summary>
    public override string ToString() => $"`{CommandLine}` exited with {ExitCode}:\n{Output}";

    public static async Task<ProgramRun> RunAsync(string program, IReadOnlyList<string> arguments, string folder,
        IReadOnlyDictionary<string, string> environment, TimeSpan patience)
    {
        var start = new ProcessStartInfo(program, arguments)
        {
            WorkingDirectory = folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        // `dotnet test` hands its own MSBuild location to the test host; a build started from here must find its own.
        foreach (var inherited in start.Environment.Keys.Where(k => k.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase)).ToList())
            start.Environment.Remove(inherited);
        foreach (var (key, value) in environment) start.Environment[key] = value;

        var lines = new ConcurrentQueue<string>();
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lines.Enqueue(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lines.Enqueue(e.Data); };
        var commandLine = string.Join(' ', [program, .. arguments]);
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new InvalidOperationException($"{program} could not be started ({ex.Message}); this test needs it on the PATH.", ex);
        }
        Running[process] = 0;
        try
        {
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            using var timeout = new CancellationTokenSource(patience);
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
                lines.Enqueue($"(killed after {patience.TotalSeconds:0} s)");
                return new ProgramRun(commandLine, -1, lines.ToArray());
            }
            return new ProgramRun(commandLine, process.ExitCode, lines.ToArray());
        }
        finally
        {
            Running.TryRemove(process, out _);
        }
    }
}
