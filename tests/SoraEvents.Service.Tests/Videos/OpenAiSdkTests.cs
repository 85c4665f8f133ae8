using SoraEvents.Testing;

namespace SoraEvents.Service.Tests.Videos;

/// <summary>
/// The official <c>openai</c> npm package, unmodified, against the real service on its embedded default
/// (tests/openai-sdk/videos.test.mjs): create by JSON and by file upload, retrieve, download, list by pages, delete,
/// idempotent create, and the SDK's error classes. Needs node and npm on the PATH.
/// </summary>
public sealed class OpenAiSdkTests : IAsyncLifetime
{
    private static readonly TimeSpan NodeTimeout = TimeSpan.FromMinutes(10);
    private readonly string dataFolder = Path.Combine(Path.GetTempPath(), "soraevents-tests", Guid.NewGuid().ToString("N"));
    private ChildProcess service = null!;

    public async Task InitializeAsync()
    {
        service = new ChildProcess("SoraEvents.Service.dll", new Dictionary<string, string>
        {
            ["Store__ConnectionString"] = $"Data Source={Path.Combine(dataFolder, "jobs.db")}",
            ["Webhooks__SigningKeyFile"] = Path.Combine(dataFolder, "signing.key"),
            ["Simulator__CallbackDelay"] = "00:00:00.300",
        });
        await service.StartAsync("/health/live");
    }

    public async Task DisposeAsync()
    {
        await service.DisposeAsync();
        try { Directory.Delete(dataFolder, recursive: true); } catch (IOException) { }
    }

    [Fact]
    public async Task The_official_node_sdk_creates_polls_downloads_lists_and_deletes()
    {
        var folder = SdkFolder();
        // Installed once and kept (node_modules is git-ignored): later runs start at once.
        if (!File.Exists(Path.Combine(folder, "node_modules", "openai", "package.json")))
        {
            var install = await ToolProcess.RunAsync("npm", ["ci", "--no-audit", "--no-fund"], folder, new Dictionary<string, string>(), NodeTimeout);
            Assert.True(install.ExitCode == 0, $"npm ci failed ({install.ExitCode}):\n{install.Output}");
        }

        var environment = new Dictionary<string, string> { ["SORAEVENTS_BASE_URL"] = new Uri(service.BaseUrl, "/v1").AbsoluteUri };
        var run = await ToolProcess.RunAsync("node", ["--test"], folder, environment, NodeTimeout);

        Assert.True(run.ExitCode == 0, $"node --test failed ({run.ExitCode}):\n{run.Output}\n--- service ---\n{service.Output}");
    }

    private static string SdkFolder()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tests", "openai-sdk");
            if (File.Exists(Path.Combine(candidate, "package.json"))) return candidate;
        }
        throw new DirectoryNotFoundException($"tests/openai-sdk not found above {AppContext.BaseDirectory}");
    }
}
