namespace SoraEvents.Service.OutboundHttp;

public enum AddressKind
{
    /// <summary>Reachable on the internet.</summary>
    Public,

    /// <summary>Loopback, private, link-local, CGNAT or unique-local: reached only where the policy allows private networks.</summary>
    Private,

    /// <summary>Cloud metadata, unspecified, multicast, broadcast, documentation or reserved: never reached.</summary>
    Never,
}
