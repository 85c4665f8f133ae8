using System.Diagnostics;

namespace SoraEvents.Service.Tests.Deployment;

/// <summary>
/// docker-compose.yml, checked by Debian's docker-compose (installed by infra/compose-tools.sh): no engine
/// is needed to validate and resolve a compose file.
/// </summary>
public class ComposeFileTests
{
    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "docker-compose.yml"))) return dir.FullName;
        throw new InvalidOperationException("docker-compose.yml not found above " + AppContext.BaseDirectory);
    }

    private static async Task<(int ExitCode, string Output)> ComposeAsync(IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var start = new ProcessStartInfo("docker-compose", args)
        {
            WorkingDirectory = RepositoryRoot(),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        // Only what the test sets: a developer's own WEBHOOKS_SIGNING_KEY must not make the check pass.
        start.Environment.Remove("WEBHOOKS_SIGNING_KEY");
        foreach (var (key, value) in environment) start.Environment[key] = value;
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new InvalidOperationException("docker-compose is not installed; infra/compose-tools.sh installs it (infra/test.sh runs it).", ex);
        }
        using (process)
        {
            var output = process.StandardOutput.ReadToEndAsync();
            var errors = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            return (process.ExitCode, await output + await errors);
        }
    }

    [Fact]
    public async Task Compose_file_is_valid_and_runs_the_whole_production_stack()
    {
        var (exit, output) = await ComposeAsync(new Dictionary<string, string> { ["WEBHOOKS_SIGNING_KEY"] = "a-signing-key-of-at-least-32-characters" }, "config");

        Assert.True(exit == 0, output);
        foreach (var service in new[] { "rabbitmq:", "postgres:", "simulator:", "service-1:", "service-2:" })
            Assert.Contains("  " + service, output);
        Assert.Equal(5, output.Split("healthcheck:").Length - 1);
        Assert.Contains("Store__Provider: Postgres", output);
        Assert.Contains("Bus__Transport: RabbitMq", output);
    }

    [Fact]
    public async Task Compose_refuses_to_start_without_a_signing_key() =>
        Assert.Contains("set WEBHOOKS_SIGNING_KEY in .env", (await ComposeAsync(new Dictionary<string, string>(), "config")).Output);

    [Fact]
    public async Task Env_example_is_a_complete_env_file_for_compose()
    {
        var (exit, output) = await ComposeAsync(new Dictionary<string, string>(), "--env-file", ".env.example", "config");
        Assert.True(exit == 0, output);
    }
}
