using System.Diagnostics;

namespace SoraEvents.Testing;

/// <summary>Stops and starts the real broker through infra/rabbitmq.sh, as the fault tests need.</summary>
public static class BrokerControl
{
    public static Task StopAsync() => RunAsync("stop");

    public static Task StartAsync() => RunAsync("start");

    private static async Task RunAsync(string verb)
    {
        var script = Path.Combine(RepositoryRoot(), "infra", "rabbitmq.sh");
        using var process = Process.Start(new ProcessStartInfo("bash", [script, verb])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"infra/rabbitmq.sh {verb} failed ({process.ExitCode}): {await output}{await errors}");
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "infra", "rabbitmq.sh"))) return dir.FullName;
        throw new InvalidOperationException("infra/rabbitmq.sh not found above " + AppContext.BaseDirectory);
    }
}
