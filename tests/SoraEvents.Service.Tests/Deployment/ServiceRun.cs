using System.Diagnostics;

namespace SoraEvents.Service.Tests.Deployment;

/// <summary>
/// The service (or <c>dotnet run</c> of its project) as a process that is expected to end by itself, or to be
/// stopped once it has printed a line: for start-up behaviour that happens before anything listens.
/// </summary>
public static class ServiceRun
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(2);

    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "SoraEvents.sln"))) return dir.FullName;
        throw new InvalidOperationException("SoraEvents.sln not found above " + AppContext.BaseDirectory);
    }

    /// <summary>Settings every run needs: its own data folder and a signing key, so nothing lands in the repository.</summary>
    public static Dictionary<string, string> Basics(string dataFolder) => new()
    {
        ["Store__ConnectionString"] = $"Data Source={Path.Combine(dataFolder, "jobs.db")}",
        ["Webhooks__SigningKeyFile"] = Path.Combine(dataFolder, "signing.key"),
        ["Webhooks__SigningKey"] = "service-run-test-signing-key-0123456789abcdef",
    };

    /// <summary>Runs <c>dotnet {arguments}</c> until it exits, or until a line matches <paramref name="stopAt"/> (then it is killed).</summary>
    public static async Task<(int? ExitCode, IReadOnlyList<string> Lines)> RunAsync(
        IReadOnlyDictionary<string, string> environment, string[] arguments, Func<string, bool>? stopAt = null, string? workingDirectory = null)
    {
        var start = new ProcessStartInfo("dotnet", arguments)
        {
            WorkingDirectory = workingDirectory ?? AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        // A developer's or CI's own choice of address or environment must not decide the outcome.
        foreach (var inherited in new[] { "ASPNETCORE_URLS", "ASPNETCORE_HTTP_PORTS", "ASPNETCORE_ENVIRONMENT", "DOTNET_ENVIRONMENT" })
            start.Environment.Remove(inherited);
        foreach (var (key, value) in environment) start.Environment[key] = value;

        var lines = new List<string>();
        var stopped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var process = new Process { StartInfo = start };
        void Read(string? line)
        {
            if (line is null) return;
            lock (lines) lines.Add(line);
            if (stopAt?.Invoke(line) == true) stopped.TrySetResult();
        }
        process.OutputDataReceived += (_, e) => Read(e.Data);
        process.ErrorDataReceived += (_, e) => Read(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            var exited = process.WaitForExitAsync();
            var first = await Task.WhenAny(exited, stopped.Task).WaitAsync(Patience);
            if (first == exited)
            {
                process.WaitForExit(); // the end of both streams
                lock (lines) return (process.ExitCode, lines.ToList());
            }
            lock (lines) return (null, lines.ToList());
        }
        finally
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    /// <summary>Lines that belong to a stack trace.</summary>
    public static bool IsStackTraceLine(string line) =>
        line.TrimStart().StartsWith("at ", StringComparison.Ordinal) && line.StartsWith("   ", StringComparison.Ordinal)
        || line.Contains("--- End of", StringComparison.Ordinal)
        || line.StartsWith("Unhandled exception", StringComparison.Ordinal);
}
