using SoraEvents.Examples.Tests.Running;

namespace SoraEvents.Examples.Tests.NodeClient;

/// <summary>
/// examples/node-client (amqplib) against the real broker and the service: it publishes <c>GenerateVideo</c> both
/// ways the README offers and reads its own job's outcome from a queue of its own bound to the event exchanges.
/// Needs node and npm on the PATH.
/// </summary>
[Collection(ExamplesCollection.Name)]
public sealed class NodeClientExampleTests(RabbitMqFixture broker) : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(5);
    private static readonly string ExampleFolder = RepositoryFolder.Of("examples", "node-client");
    private ServiceOnBroker service = null!;

    public async Task InitializeAsync() => service = await ServiceOnBroker.StartAsync(broker);

    public async Task DisposeAsync() => await service.DisposeAsync();

    [Theory]
    [InlineData("envelope")]
    [InlineData("plain")]
    public async Task The_node_client_sees_VideoCompleted_for_its_own_job(string sendAs)
    {
        // Installed once and kept (node_modules is git-ignored): later runs start at once.
        if (!File.Exists(Path.Combine(ExampleFolder, "node_modules", "amqplib", "package.json")))
        {
            var install = await ProgramRun.RunAsync("npm", ["ci", "--no-audit", "--no-fund"], ExampleFolder, new Dictionary<string, string>(), Patience);
            Assert.True(install.ExitCode == 0, install.ToString());
        }
        var jobId = Guid.NewGuid();

        var run = await ProgramRun.RunAsync("node", ["request-video.mjs"], ExampleFolder, new Dictionary<string, string>
        {
            ["RABBITMQ_URL"] = service.AmqpUrl.AbsoluteUri,
            ["SEND_AS"] = sendAs,
            ["JOB_ID"] = jobId.ToString(),
            ["PATIENCE_SECONDS"] = ((int)Patience.TotalSeconds).ToString(),
        }, Patience + TimeSpan.FromSeconds(30));

        Assert.True(run.ExitCode == 0, $"{run}\n--- service ---\n{service.Process.Output}");
        Assert.Contains(run.Lines, line => line.StartsWith($"VideoCompleted {jobId} ", StringComparison.Ordinal));
    }
}
