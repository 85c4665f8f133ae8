namespace SoraEvents.Cli.Tests.Jobs;

/// <summary>One live service (real broker, built-in simulator) shared by the job tests, which use jobs of their own.</summary>
public sealed class LiveServiceFixture : IAsyncLifetime
{
    private readonly RabbitMqFixture broker = new();

    public LiveService Live { get; private set; } = null!;

    public string Api => Live.Client.BaseAddress!.AbsoluteUri;

    public string Amqp => Live.AmqpUrl.AbsoluteUri;

    public async Task InitializeAsync()
    {
        await broker.InitializeAsync();
        Live = await LiveService.StartAsync(broker);
    }

    public async Task DisposeAsync()
    {
        await Live.DisposeAsync();
        await broker.DisposeAsync();
    }
}
