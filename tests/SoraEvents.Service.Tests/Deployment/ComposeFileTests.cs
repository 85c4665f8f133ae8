using System.Diagnostics;

namespace SoraEvents.Service.Tests.Deployment;

/// <summary>
/// docker-compose.yml, checked by Debian's docker-compose (installed by infra/compose-tools.sh): no engine
/// is needed to validate and resolve a compose file.
/// </summary>
public partial class ComposeFileTests
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
        foreach (var own in new[] { "WEBHOOKS_SIGNING_KEY", "BIND_ADDRESS", "SIMULATOR_PUBLIC_URL", "ARCHIVE_PATH" }) start.Environment.Remove(own);
        // The instances' API key is required too; the tests about it set it themselves.
        start.Environment["SORAEVENTS_API_KEY"] = "3f9a0c1e5b7d2a4c6e8f0a1b3c5d7e9f";
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
        var (exit, output) = await ComposeAsync(new Dictionary<string, string> { ["WEBHOOKS_SIGNING_KEY"] = RealKey }, "config");

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
    public async Task Compose_refuses_to_start_instances_whose_api_has_no_key()
    {
        var (exit, output) = await ComposeAsync(new Dictionary<string, string> { ["WEBHOOKS_SIGNING_KEY"] = RealKey, ["SORAEVENTS_API_KEY"] = "" }, "config");

        Assert.NotEqual(0, exit);
        Assert.Contains("set SORAEVENTS_API_KEY in .env", output);
    }

    [Fact]
    public async Task Env_example_with_a_real_key_is_a_complete_env_file_for_compose()
    {
        var (exit, output) = await ComposeAsync(new Dictionary<string, string> { ["WEBHOOKS_SIGNING_KEY"] = RealKey }, "--env-file", ".env.example", "config");
        Assert.True(exit == 0, output);
    }

    [Fact]
    public async Task Env_example_as_copied_is_refused_with_how_to_make_a_key()
    {
        var (exit, output) = await ComposeAsync(new Dictionary<string, string>(), "--env-file", ".env.example", "config");

        Assert.NotEqual(0, exit);
        Assert.Contains("openssl rand -base64 48", output);
    }

    [Fact]
    public async Task Every_port_is_published_on_loopback_only_by_default()
    {
        var (exit, output) = await ComposeAsync(new Dictionary<string, string> { ["WEBHOOKS_SIGNING_KEY"] = RealKey }, "config");
        Assert.True(exit == 0, output);

        var published = PublishedPort().Matches(output).Select(m => m.Groups["spec"].Value).ToList();
        Assert.Equal(6, published.Count); // rabbitmq (2), postgres, simulator, two service instances
        Assert.All(published, spec => Assert.StartsWith("127.0.0.1:", spec));
    }

    [Fact]
    public async Task Simulator_media_urls_point_at_its_published_port_and_the_archive_is_off()
    {
        var (exit, output) = await ComposeAsync(new Dictionary<string, string> { ["WEBHOOKS_SIGNING_KEY"] = RealKey }, "config");
        Assert.True(exit == 0, output);

        Assert.Contains("Simulator__PublicBaseUrl: http://127.0.0.1:5090", output);
        Assert.Contains("127.0.0.1:5090:8080", output);
        Assert.Equal(2, output.Split("Archive__Path: ''").Length - 1);
    }

    private const string RealKey = "Zm9yIHRoZSBjb21wb3NlIHRlc3RzIG9ubHk7IG5vdCBhIHJlYWwgc2VjcmV0IQ==";

    /// <summary>A published port as docker-compose 1.29 prints it: <c>- 127.0.0.1:5080:8080/tcp</c>, or <c>- 5080:8080/tcp</c> on every interface.</summary>
    [System.Text.RegularExpressions.GeneratedRegex(@"^\s*- (?<spec>(?:[\d.]+:)?\d+:\d+(?:/tcp)?)\s*$", System.Text.RegularExpressions.RegexOptions.Multiline)]
    private static partial System.Text.RegularExpressions.Regex PublishedPort();
}
