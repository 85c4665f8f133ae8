namespace SoraEvents.Examples.Tests.Running;

/// <summary>
/// The service as a real process on a fresh virtual host of the real broker, on its embedded simulator gateway,
/// which completes every job by itself: what an outside team's program would talk to.
/// </summary>
public sealed class ServiceOnBroker : IAsyncDisposable
{
    private readonly string dataFolder;

    private ServiceOnBroker(Uri amqpUrl, ChildProcess process, string dataFolder)
    {
        AmqpUrl = amqpUrl;
        Process = process;
        this.dataFolder = dataFolder;
    }

    /// <summary>The broker URL with the service's virtual host, as the examples are given it.</summary>
    public Uri AmqpUrl { get; }

    public ChildProcess Process { get; }

    public static async Task<ServiceOnBroker> StartAsync(RabbitMqFixture broker)
    {
        var amqpUrl = await broker.CreateVirtualHostAsync();
        var dataFolder = Path.Combine(Path.GetTempPath(), "soraevents-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dataFolder);
        var process = new ChildProcess("SoraEvents.Service.dll", new Dictionary<string, string>
        {
            ["Bus__Transport"] = "RabbitMq",
            ["RabbitMq__Url"] = amqpUrl.AbsoluteUri,
            ["Store__ConnectionString"] = $"Data Source={Path.Combine(dataFolder, "jobs.db")}",
            ["Webhooks__SigningKeyFile"] = Path.Combine(dataFolder, "signing.key"),
            ["Simulator__CallbackDelay"] = "00:00:00.300",
        });
        // Ready means the bus is connected and generate-video is bound, so nothing an example publishes is dropped.
        await process.StartAsync("/health/live");
        return new ServiceOnBroker(amqpUrl, process, dataFolder);
    }

    public async ValueTask DisposeAsync()
    {
        await Process.DisposeAsync();
        try { Directory.Delete(dataFolder, recursive: true); } catch (IOException) { }
    }
}
