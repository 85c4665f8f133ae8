using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace SoraEvents.Simulator.Hosting;

/// <summary>The base URL that <c>polling_url</c> and media URLs hang off.</summary>
internal sealed class GatewayAddress(IServer server, SimulatorOptions options)
{
    private static readonly string[] WildcardHosts = ["0.0.0.0", "[::]", "+", "*"];

    /// <summary>The configured public base URL, else the bound address, else (bound to every interface) the address the caller used.</summary>
    public string BaseFor(HttpRequest request)
    {
        if (!string.IsNullOrEmpty(options.PublicBaseUrl))
        {
            return options.PublicBaseUrl.TrimEnd('/');
        }

        var bound = BoundAddress(server);
        if (bound is not null && Uri.TryCreate(bound, UriKind.Absolute, out var uri) && !WildcardHosts.Contains(uri.Host))
        {
            return bound.TrimEnd('/');
        }

        return $"{request.Scheme}://{request.Host}";
    }

    /// <summary>The first address the server really listens on (with the real port when 0 was asked for), preferring plain http.</summary>
    public static string? BoundAddress(IServer server)
    {
        var addresses = server.Features.Get<IServerAddressesFeature>()?.Addresses;
        if (addresses is null || addresses.Count == 0)
        {
            return null;
        }

        return addresses.FirstOrDefault(a => a.StartsWith("http://", StringComparison.OrdinalIgnoreCase)) ?? addresses.First();
    }
}
