using System.Net;

namespace SoraEvents.Service.Tests.Deployment;

/// <summary>.env.example, copied to .env as the README says, must start the service as it stands.</summary>
public class EnvExampleTests
{
    private static IEnumerable<(string Key, string Value)> ExampleSettings()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, ".env.example"))) dir = dir.Parent;
        Assert.NotNull(dir);
        foreach (var line in File.ReadAllLines(Path.Combine(dir.FullName, ".env.example")))
        {
            if (line.TrimStart().StartsWith('#') || !line.Contains('=')) continue;
            var key = line[..line.IndexOf('=')].Trim();
            yield return (key, line[(line.IndexOf('=') + 1)..]);
        }
    }

    [Fact]
    public async Task Every_setting_in_env_example_as_written_lets_the_service_start()
    {
        await using var factory = new ServiceFactory();
        foreach (var (key, value) in ExampleSettings())
        {
            // Where files go stays the test's own; everything else is taken exactly as written, empty values included.
            if (key is "Store__ConnectionString" or "Webhooks__SigningKeyFile") continue;
            factory.Settings[key.Replace("__", ":")] = value;
        }

        using var client = factory.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/live")).StatusCode);
        Assert.True(ExampleSettings().Count() > 40, "the example lists the settings");
    }
}
