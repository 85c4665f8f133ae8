using System.Diagnostics;

namespace SoraEvents.Testing;

/// <summary>A command-line tool a test runs to its end (npm, node): its exit code and everything it printed.</summary>
public static class ToolProcess
{
    public static async Task<(int ExitCode, string Output)> RunAsync(
        string program, string[] arguments, string folder, IReadOnlyDictionary<string, string> environment, TimeSpan patience)
    {
        var start = new ProcessStartInfo(program, arguments)
        {
            WorkingDirectory = folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var (key, value) in environment) start.Environment[key] = value;
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new InvalidOperationException($"{program} could not be started ({ex.Message}); this test needs node and npm on the PATH.", ex);
        }
        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(patience);
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }
            return (process.ExitCode, await stdout + await stderr);
        }
    }
}
