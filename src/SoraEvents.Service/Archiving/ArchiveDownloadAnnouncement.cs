using Microsoft.Extensions.Options;

namespace SoraEvents.Service.Archiving;

/// <summary>
/// Says at start what archive downloads may reach, once every hosted service (the built-in simulator included) has
/// started, so the simulator's address is known.
/// </summary>
public sealed class ArchiveDownloadAnnouncement(
    IHostApplicationLifetime lifetime,
    IOptions<ArchiveOptions> options,
    ArchiveDownloadPolicy policy,
    ILogger<ArchiveDownloadAnnouncement> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        lifetime.ApplicationStarted.Register(Announce);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private void Announce()
    {
        var settings = options.Value;
        if (!settings.Enabled) return;
        foreach (var origin in policy.SimulatorOrigins())
            logger.LogInformation(
                "Archive downloads may reach the built-in simulator at {SimulatorUrl} (loopback, plain http); any other address must be public https unless Archive__AllowPrivateNetworks / Archive__AllowPlainHttp say otherwise",
                origin);
        if (settings.AllowPrivateNetworks)
            logger.LogWarning("Archive__AllowPrivateNetworks is on: archive downloads may reach loopback, private and link-local addresses (never cloud metadata)");
        if (settings.AllowPlainHttp)
            logger.LogWarning("Archive__AllowPlainHttp is on: archive downloads may use plain http");
    }
}
