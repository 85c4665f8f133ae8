namespace SoraEvents.Service.OutboundHttp;

/// <summary>
/// What one outbound HTTP client may reach with URLs it did not choose (a gateway's video URL, a caller's webhook
/// endpoint). By default: https only, public addresses only, redirects only within the same origin.
/// </summary>
public sealed class OutboundPolicy
{
    /// <summary>The configuration section whose switches loosen this policy, named in refusals (<c>Archive</c> → <c>Archive__AllowPrivateNetworks</c>).</summary>
    public required string Section { get; init; }

    /// <summary>Loopback, private, link-local, CGNAT and unique-local addresses may be reached. Metadata addresses never.</summary>
    public bool AllowPrivateNetworks { get; init; }

    /// <summary>Plain http URLs may be fetched, not only https.</summary>
    public bool AllowPlainHttp { get; init; }

    /// <summary>
    /// Origins of our own (the built-in simulator) reached over http and whatever their address. Asked at every
    /// request and connection, because such an origin's port is only known once it has started.
    /// </summary>
    public Func<IEnumerable<Uri>> TrustedOrigins { get; init; } = () => [];

    /// <summary>Redirects followed within one origin before the request is refused.</summary>
    public int MaxRedirects { get; init; } = 5;

    public bool IsTrusted(string host, int port) =>
        TrustedOrigins().Any(o => o.Port == port && string.Equals(o.IdnHost, host, StringComparison.OrdinalIgnoreCase));

    public bool IsTrusted(Uri url) => IsTrusted(url.IdnHost, url.Port);

    /// <summary>Refuses a URL that must not be requested at all: another scheme, plain http, a literal address that is not allowed.</summary>
    /// <exception cref="OutboundRefusedException">The URL is refused.</exception>
    public void CheckUrl(Uri? url)
    {
        if (url is not { IsAbsoluteUri: true }) throw new OutboundRefusedException("only absolute http(s) URLs are fetched");
        if (url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp)
            throw new OutboundRefusedException($"{url.Scheme} URLs are never fetched");
        var trusted = IsTrusted(url);
        if (url.Scheme == Uri.UriSchemeHttp && !AllowPlainHttp && !trusted)
            throw new OutboundRefusedException($"only https URLs are fetched (set {Section}__AllowPlainHttp=true to allow http)");
        if (!trusted && url.HostNameType is UriHostNameType.IPv4 or UriHostNameType.IPv6
            && System.Net.IPAddress.TryParse(url.IdnHost, out var literal))
            CheckAddress(url.IdnHost, literal);
    }

    /// <summary>Refuses an address the host resolved to (or a literal one) unless this policy allows it.</summary>
    /// <exception cref="OutboundRefusedException">The address is refused.</exception>
    public void CheckAddress(string host, System.Net.IPAddress address)
    {
        switch (OutboundAddresses.Classify(address))
        {
            case AddressKind.Public:
                return;
            case AddressKind.Private when AllowPrivateNetworks:
                return;
            case AddressKind.Private:
                throw new OutboundRefusedException(
                    $"{host} is not a public address (loopback, private, link-local or shared); set {Section}__AllowPrivateNetworks=true to allow it");
            default:
                throw new OutboundRefusedException($"{host} is an address that is never fetched (cloud metadata, unspecified, multicast or reserved)");
        }
    }
}
