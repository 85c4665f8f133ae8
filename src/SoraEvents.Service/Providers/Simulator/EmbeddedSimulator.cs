using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using SoraEvents.Contracts;
using SoraEvents.Simulator;
using SoraEvents.Simulator.State;

namespace SoraEvents.Service.Providers.Simulator;

/// <summary>
/// Runs the provider simulator inside this process, on its own loopback port, for every gateway that has no
/// API key configured. Calls still go over real HTTP, and callbacks come back over real HTTP too.
/// </summary>
public sealed class EmbeddedSimulator(
    IOptions<ProvidersOptions> providers,
    IOptions<SimulatorOptions> simulatorOptions,
    ILogger<EmbeddedSimulator> logger) : IHostedService, IAsyncDisposable
{
    private RunningSimulator? running;

    /// <summary>A fresh key per process, so the adapter's key header is exercised as it would be for real.</summary>
    public string ApiKey { get; } = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));

    public Uri BaseUrl => running?.BaseUrl
        ?? throw new InvalidOperationException("The built-in simulator is not running: a gateway without an API key was used before the host started.");

    public SimulatorState? State => running?.State;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var simulated = new[] { (VideoProviders.Pixazo, providers.Value.Pixazo), (VideoProviders.Apixo, providers.Value.Apixo) }
            .Where(p => p.Item2.UsesSimulator).Select(p => p.Item1).ToList();
        if (simulated.Count == 0) return;

        var options = simulatorOptions.Value;
        options.PixazoApiKey = ApiKey;
        options.ApixoApiKey = ApiKey;
        running = await ProviderSimulator.StartAsync(options, ct: cancellationToken);
        foreach (var provider in simulated)
            logger.LogWarning(
                "No API key configured for {Provider}: using the built-in provider simulator at {SimulatorUrl}. Set Providers__{Section}__ApiKey to use the real gateway",
                provider, running.BaseUrl, provider == VideoProviders.Pixazo ? "Pixazo" : "Apixo");
    }

    public async Task StopAsync(CancellationToken cancellationToken) => await DisposeAsync();

    public async ValueTask DisposeAsync()
    {
        if (running is null) return;
        await running.DisposeAsync();
        running = null;
    }
}
