using System.Net;

namespace SoraEvents.Service.ApiAccess;

/// <summary>
/// Where Kestrel is going to listen, read before it starts from the same settings it reads: <c>urls</c>
/// (<c>--urls</c>, <c>ASPNETCORE_URLS</c>), <c>Kestrel:Endpoints:*:Url</c>, <c>http_ports</c>/<c>https_ports</c>
/// (every interface) and addresses set in code; Kestrel's default (localhost:5000) when none is given. Every source
/// is counted even where Kestrel would let one override another: erring towards "not loopback" is the safe side.
/// </summary>
public static class ListenAddresses
{
    private const string KestrelDefault = "http://localhost:5000";

    public static IReadOnlyList<string> Configured(IConfiguration configuration, IEnumerable<string> setInCode)
    {
        var addresses = new List<string>(setInCode);
        addresses.AddRange(Split(configuration["urls"]));
        addresses.AddRange(configuration.GetSection("Kestrel:Endpoints").GetChildren()
            .Select(endpoint => endpoint["Url"]).OfType<string>().Where(url => url.Length > 0));
        foreach (var (key, scheme) in new[] { ("http_ports", "http"), ("https_ports", "https") })
            addresses.AddRange(Split(configuration[key]).Select(port => $"{scheme}://*:{port}"));
        return addresses.Count > 0 ? addresses : [KestrelDefault];
    }

    /// <summary>
    /// <c>localhost</c> or a loopback IP. Kestrel binds any other host name, <c>*</c>, <c>+</c> and the unspecified
    /// addresses to every interface.
    /// </summary>
    public static bool IsLoopback(string address)
    {
        string host;
        try
        {
            host = BindingAddress.Parse(address).Host;
        }
        catch (FormatException)
        {
            return false;
        }
        if (string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase)) return true;
        return IPAddress.TryParse(host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip);
    }

    private static IEnumerable<string> Split(string? list) =>
        (list ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
