using System.Diagnostics;

namespace SoraEvents.Service.Tests.Deployment;

/// <summary>
/// infra/test.sh interrupted while the tests run (Ctrl-C, or a signal to the script) leaves nothing behind: its RabbitMQ node, its PostgreSQL
/// server and every process a test started end with it, including one that left the terminal's process group.
/// </summary>
/// <remarks>
/// The run under test is a copy of infra/ in a folder of its own with a stand-in <c>dotnet</c> on PATH (build
/// succeeds at once; test starts a child that escapes the process group and then sleeps), so the real scripts
/// start real servers without building or running the suite inside the suite.
/// </remarks>
public sealed class InterruptedTestRunTests : IAsyncLifetime
{
    // Under /tmp rather than the run folder: PostgreSQL's socket path must stay short.
    private readonly string root = Path.Combine(Path.GetTempPath(), $"soraevents-interrupt-{Guid.NewGuid():N}"[..30]);

    private string Servers => Path.Combine(root, "TestResults", "servers");

    public Task InitializeAsync()
    {
        var infra = Path.Combine(root, "infra");
        Directory.CreateDirectory(infra);
        foreach (var script in Directory.GetFiles(Path.Combine(InfraScript.RepositoryRoot, "infra"), "*.sh"))
            File.Copy(script, Path.Combine(infra, Path.GetFileName(script)));
        File.WriteAllText(Path.Combine(root, "SoraEvents.sln"), "");

        var bin = Directory.CreateDirectory(Path.Combine(root, "bin")).FullName;
        File.WriteAllText(Path.Combine(bin, "dotnet"), """
            #!/usr/bin/env bash
            # Stands in for the SDK: "test" leaves a process outside the caller's process group, then runs until killed.
            case "$1" in
                test)
                    setsid sleep 3600 > /dev/null 2>&1 < /dev/null &
                    echo "$!" > "$FAKE_TEST_CHILD"
                    exec sleep 3600 ;;
            esac
            exit 0
            """.Replace("\r", ""));
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(Path.Combine(bin, "dotnet"), (UnixFileMode)0b111_101_101);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        // Only if the run under test failed to clean up: these folders are this test's, so are their servers.
        foreach (var (script, dir) in new[] { ("rabbitmq.sh", "rabbitmq"), ("postgres.sh", "postgres") })
            if (Directory.Exists(Path.Combine(Servers, dir)))
                await RunQuietlyAsync(Path.Combine(root, "infra", script), "stop", "--dir", Path.Combine(Servers, dir));
        try { Directory.Delete(root, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }

    [Theory]
    [InlineData("INT", true)] // Ctrl-C in a terminal: the whole foreground process group
    [InlineData("TERM", false)] // a CI job's timeout or `kill`: the script alone, while its tests still run
    public async Task Interrupted_run_ends_at_once_with_its_servers_and_every_process_it_started(string signal, bool toProcessGroup)
    {
        var childPidFile = Path.Combine(root, "test-child.pid");
        var start = new ProcessStartInfo("setsid", ["bash", Path.Combine(root, "infra", "test.sh")])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["PATH"] = $"{Path.Combine(root, "bin")}:{Environment.GetEnvironmentVariable("PATH")}";
        start.Environment["FAKE_TEST_CHILD"] = childPidFile;
        foreach (var own in new[] { "RabbitMq__Url", "RabbitMq__ManagementUrl", "POSTGRES_TEST_URL", "SORAEVENTS_SERVERS_DIR" })
            start.Environment.Remove(own);

        using var run = Process.Start(start)!;
        var output = run.StandardOutput.ReadToEndAsync();
        var errors = run.StandardError.ReadToEndAsync();

        // A positive signal, not a sleep: the stand-in test has started, so both servers are up.
        using (var started = new CancellationTokenSource(TimeSpan.FromMinutes(5)))
        {
            while (!File.Exists(childPidFile) || File.ReadAllText(childPidFile).Trim().Length == 0)
            {
                if (run.HasExited) Assert.Fail($"infra/test.sh ended before its tests started: {await output}{await errors}");
                await Task.Delay(200, started.Token);
            }
        }

        var processes = new Dictionary<string, long>
        {
            ["the RabbitMQ node"] = ReadPid(Path.Combine(Servers, "rabbitmq", "data", "beam.pid")),
            ["the PostgreSQL server"] = ReadPid(Path.Combine(Servers, "postgres", "data", "postmaster.pid")),
            ["the process a test started"] = ReadPid(childPidFile),
        };
        Assert.All(processes, p => Assert.True(IsAlive(p.Value), $"{p.Key} runs before the interrupt"));

        // setsid made the run's process group its own, as a terminal's foreground group is.
        Process.Start("kill", [$"-{signal}", "--", toProcessGroup ? $"-{run.Id}" : $"{run.Id}"])!.WaitForExit();
        using (var ended = new CancellationTokenSource(TimeSpan.FromMinutes(2)))
            await run.WaitForExitAsync(ended.Token);

        Assert.Equal(130, run.ExitCode);
        Assert.Contains("interrupted", await output, StringComparison.Ordinal);
        foreach (var (what, pid) in processes)
            Assert.False(IsAlive(pid), $"{what} (PID {pid}) outlived the interrupted run");
    }

    private static long ReadPid(string file) =>
        long.Parse(File.ReadLines(file).First().Trim(), System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Alive and not a zombie waiting to be reaped.</summary>
    private static bool IsAlive(long pid)
    {
        try { return File.ReadAllText($"/proc/{pid}/stat").Split(' ')[2] != "Z"; }
        catch (IOException) { return false; }
    }

    private static async Task RunQuietlyAsync(string script, params string[] arguments)
    {
        using var process = Process.Start(new ProcessStartInfo("bash", [script, .. arguments])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        _ = process.StandardOutput.ReadToEndAsync();
        _ = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
    }
}
