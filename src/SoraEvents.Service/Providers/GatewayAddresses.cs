using Microsoft.Extensions.Options;
using SoraEvents.Service.Providers.Simulator;

namespace SoraEvents.Service.Providers;

/// <summary>
/// Where each gateway is and which key it takes: the configured gateway, or the built-in simulator when no
/// API key is configured. Resolved per HttpClient, because the simulator's port is known only once it runs.
/// </summary>
public sealed class GatewayAddresses(IOptions<ProvidersOptions> options, EmbeddedSimulator simulator)
{
    public (Uri BaseUrl, string ApiKey) Pixazo => Resolve(options.Value.Pixazo);

    public (Uri BaseUrl, string ApiKey) Apixo => Resolve(options.Value.Apixo);

    private (Uri, string) Resolve(GatewayOptions provider) =>
        provider.UsesSimulator
            ? (simulator.BaseUrl, simulator.ApiKey)
            : (WithTrailingSlash(provider.BaseUrl!), provider.ApiKey!);

    // Relative paths resolve against the last segment of a base address unless it ends with '/'.
    private static Uri WithTrailingSlash(string url) => new(url.EndsWith('/') ? url : url + "/");
}
