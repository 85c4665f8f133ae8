namespace SoraEvents.Service.Jobs;

/// <summary>Creates the schema before the bus starts delivering messages that need it.</summary>
public sealed class StoreInitializer(IJobStore store) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => store.InitializeAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
