using System.Diagnostics;

namespace SoraEvents.Testing;

/// <summary>Runs the repository's infra/ scripts, which start and stop the private servers the tests use.</summary>
public static class InfraScript
{
    /// <summary>The clone's root: the folder above the test binaries that holds infra/rabbitmq.sh.</summary>
    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    /// <summary>Where the test run keeps its servers: <c>SORAEVENTS_SERVERS_DIR</c> (set by infra/test.sh), else TestResults/servers.</summary>
    public static string ServersFolder { get; } =
        Environment.GetEnvironmentVariable("SORAEVENTS_SERVERS_DIR") is { Length: > 0 } configured
            ? configured
            : Path.Combine(RepositoryRoot, "TestResults", "servers");

    /// <summary>Runs <c>infra/{script} {arguments}</c>; returns what it printed on stdout, or throws with everything it printed.</summary>
    public static async Task<string> RunAsync(string script, params string[] arguments)
    {
        var path = Path.Combine(RepositoryRoot, "infra", script);
        using var process = Process.Start(new ProcessStartInfo("bash", [path, .. arguments])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"infra/{script} {string.Join(' ', arguments)} failed ({process.ExitCode}): {await output}{await errors}");
        return await output;
    }

    /// <summary>The <c>export NAME='value'</c> lines a start script prints, as a dictionary.</summary>
    public static IReadOnlyDictionary<string, string> ParseExports(string output) =>
        output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(line => line.StartsWith("export ", StringComparison.Ordinal))
            .Select(line => line["export ".Length..].Split('=', 2))
            .ToDictionary(pair => pair[0], pair => pair[1].Trim('\''));

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "infra", "rabbitmq.sh"))) return dir.FullName;
        throw new InvalidOperationException("infra/rabbitmq.sh not found above " + AppContext.BaseDirectory);
    }
}
