using Microsoft.Extensions.Options;

namespace SoraEvents.Service.Providers;

/// <summary>Chooses the gateway for a job: the one the caller named, else the configured default.</summary>
public sealed class GatewayRouter(IEnumerable<IVideoGateway> gateways, IOptions<ProvidersOptions> options)
{
    private readonly Dictionary<string, IVideoGateway> byName = gateways.ToDictionary(g => g.Name, StringComparer.OrdinalIgnoreCase);

    public IReadOnlyCollection<string> Names => byName.Keys;

    public IVideoGateway? Find(string name) => byName.GetValueOrDefault(name);

    public IVideoGateway Choose(string? requested) =>
        Find(requested ?? options.Value.Default)
        ?? throw new GatewayRejectedException(requested ?? "?", Contracts.VideoFailureCodes.InvalidRequest,
            $"Provider '{requested}' is not available; use one of: {string.Join(", ", byName.Keys)}.");
}
