using System.Diagnostics;
using System.Net;
using SoraEvents.Service.Configuration;

namespace SoraEvents.Service.Tests.Deployment;

/// <summary>.env.example, copied to .env as the README says or loaded into a shell, must start the service as it stands.</summary>
public class EnvExampleTests
{
    private static string ExamplePath()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, ".env.example"))) dir = dir.Parent;
        Assert.NotNull(dir);
        return Path.Combine(dir.FullName, ".env.example");
    }

    /// <summary>The keys the file sets, in order, from its own lines.</summary>
    private static List<string> ExampleKeys() =>
        File.ReadAllLines(ExamplePath())
            .Where(line => !line.TrimStart().StartsWith('#') && line.Contains('='))
            .Select(line => line[..line.IndexOf('=')].Trim())
            .ToList();

    /// <summary>What a shell makes of the file: <c>set -a; . ./.env.example</c> in an otherwise empty bash.</summary>
    private static async Task<Dictionary<string, string>> SourcedAsync()
    {
        var start = new ProcessStartInfo("bash", ["-c", "set -a; . \"$0\" || exit 3; env -0", ExamplePath()])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment.Clear();
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0 && await errors == "", $"bash could not source .env.example ({process.ExitCode}): {await errors}");
        return (await output).Split('\0', StringSplitOptions.RemoveEmptyEntries)
            .Select(entry => entry.Split('=', 2))
            .ToDictionary(pair => pair[0], pair => pair[1]);
    }

    [Fact]
    public async Task Env_example_sourced_by_a_shell_sets_every_setting_with_its_value_whole()
    {
        var sourced = await SourcedAsync();

        Assert.Equal("Data Source=data/soraevents.db", sourced["Store__ConnectionString"]);
        Assert.Equal("1,5,15,30", sourced["Submission__RetryIntervals"]);
        Assert.Equal("http/protobuf", sourced["OTEL_EXPORTER_OTLP_PROTOCOL"]);
        Assert.All(ExampleKeys(), key => Assert.True(sourced.ContainsKey(key), $"{key} is missing after sourcing"));
    }

    [Fact]
    public async Task Every_setting_in_env_example_as_a_shell_reads_it_lets_the_service_start()
    {
        var sourced = await SourcedAsync();
        await using var factory = new ServiceFactory();
        foreach (var key in ExampleKeys())
        {
            // Where files go stays the test's own; everything else is taken exactly as the shell read it, empty values included.
            if (key is "Store__ConnectionString" or "Webhooks__SigningKeyFile") continue;
            factory.Settings[key.Replace("__", ":")] = sourced[key];
        }

        using var client = factory.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/live")).StatusCode);
        Assert.True(ExampleKeys().Count > 40, "the example lists the settings");
    }

    [Fact]
    public async Task Env_example_carries_no_placeholder_secret()
    {
        var sourced = await SourcedAsync();

        Assert.Equal("", sourced["WEBHOOKS_SIGNING_KEY"]);
        Assert.DoesNotContain(sourced.Values, value => value.Contains("change-me", StringComparison.OrdinalIgnoreCase));
    }

    [Theory]
    [InlineData("change-me-to-a-long-random-string-of-32-plus-chars")]
    [InlineData("CHANGEME-CHANGEME-CHANGEME-CHANGEME-0123")]
    public async Task The_service_refuses_a_placeholder_signing_key_with_one_line_saying_how_to_make_one(string placeholder)
    {
        await using var factory = new ServiceFactory();
        factory.Settings["Webhooks:SigningKey"] = placeholder;

        var refused = Record.Exception(() => factory.CreateClient());

        Assert.NotNull(refused);

        var line = Assert.Single(InvalidSettings.Explain(refused));
        Assert.StartsWith("Invalid setting Webhooks__SigningKey:", line);
        Assert.Contains("openssl rand -base64 48", line);
    }
}
