using SoraEvents.Testing;
using SoraEvents.Testing.AsyncApi;

namespace SoraEvents.Service.Tests.Messaging;

/// <summary>
/// docs/asyncapi.yaml is a valid AsyncAPI 3.0 document by the AsyncAPI CLI itself (npm's <c>@asyncapi/cli</c>,
/// tests/asyncapi-check), warnings included. Needs node and npm on the PATH.
/// </summary>
public sealed class AsyncApiDocumentTests
{
    private static readonly TimeSpan NodePatience = TimeSpan.FromMinutes(5);

    [Fact]
    public async Task The_bus_document_passes_asyncapi_validate_without_errors_or_warnings()
    {
        var document = BusContract.CommittedPath();
        var root = Path.GetDirectoryName(Path.GetDirectoryName(document))!;
        var folder = Path.Combine(root, "tests", "asyncapi-check");
        var results = Path.Combine(root, "TestResults", "asyncapi-check");
        Directory.CreateDirectory(results);
        // The CLI reports usage to a third party unless its analytics file says no; this one does, and keeps it out of $HOME.
        var analytics = Path.Combine(results, "analytics.json");
        await File.WriteAllTextAsync(analytics, """{"analyticsEnabled":"false","infoMessageShown":"true","userID":"soraevents-tests"}""");
        var environment = new Dictionary<string, string>
        {
            ["ASYNCAPI_METRICS_CONFIG_PATH"] = analytics,
            ["SUPPRESS_NO_CONFIG_WARNING"] = "1",
            ["npm_config_cache"] = Path.Combine(results, "npm-cache"),
        };

        // Installed once and kept (node_modules is git-ignored); the cache makes a fresh install quick.
        if (!File.Exists(Path.Combine(folder, "node_modules", "@asyncapi", "cli", "package.json")))
        {
            var install = await ToolProcess.RunAsync("npm", ["ci", "--no-audit", "--no-fund"], folder, environment, NodePatience);
            Assert.True(install.ExitCode == 0, $"npm ci in tests/asyncapi-check failed ({install.ExitCode}):\n{install.Output}");
        }
        var validation = await ToolProcess.RunAsync(Path.Combine(folder, "node_modules", ".bin", "asyncapi"),
            ["validate", document, "--fail-severity", "warn"], folder, environment, NodePatience);

        Assert.True(validation.ExitCode == 0, $"asyncapi validate refused docs/asyncapi.yaml ({validation.ExitCode}):\n{validation.Output}");
        Assert.Contains("0 errors, 0 warnings", validation.Output);
    }
}
