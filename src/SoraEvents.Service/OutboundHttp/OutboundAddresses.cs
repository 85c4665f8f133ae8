using System.Net;
using System.Net.Sockets;

namespace SoraEvents.Service.OutboundHttp;

/// <summary>
/// Sorts an IP address into what an outbound request may reach. IPv6 forms that carry an IPv4 address (mapped,
/// NAT64, 6to4) are judged by that IPv4 address, so <c>::ffff:127.0.0.1</c> is loopback like <c>127.0.0.1</c>.
/// </summary>
public static class OutboundAddresses
{
    // Instance metadata services (AWS, ECS, Alibaba, Oracle, AWS over IPv6): credentials live there.
    private static readonly IPAddress[] Metadata =
    [
        IPAddress.Parse("169.254.169.254"), IPAddress.Parse("169.254.170.2"), IPAddress.Parse("100.100.100.200"),
        IPAddress.Parse("192.0.0.192"), IPAddress.Parse("fd00:ec2::254"),
    ];

    private static readonly (IPNetwork Network, AddressKind Kind)[] Ranges =
    [
        (IPNetwork.Parse("0.0.0.0/8"), AddressKind.Never),          // "this network", unspecified
        (IPNetwork.Parse("10.0.0.0/8"), AddressKind.Private),
        (IPNetwork.Parse("100.64.0.0/10"), AddressKind.Private),    // CGNAT
        (IPNetwork.Parse("127.0.0.0/8"), AddressKind.Private),      // loopback
        (IPNetwork.Parse("169.254.0.0/16"), AddressKind.Private),   // link-local
        (IPNetwork.Parse("172.16.0.0/12"), AddressKind.Private),
        (IPNetwork.Parse("192.0.0.0/24"), AddressKind.Never),       // IETF protocol assignments
        (IPNetwork.Parse("192.0.2.0/24"), AddressKind.Never),       // documentation
        (IPNetwork.Parse("192.168.0.0/16"), AddressKind.Private),
        (IPNetwork.Parse("198.18.0.0/15"), AddressKind.Private),    // benchmarking, also fake-IP DNS of local proxies
        (IPNetwork.Parse("198.51.100.0/24"), AddressKind.Never),    // documentation
        (IPNetwork.Parse("203.0.113.0/24"), AddressKind.Never),     // documentation
        (IPNetwork.Parse("224.0.0.0/4"), AddressKind.Never),        // multicast
        (IPNetwork.Parse("240.0.0.0/4"), AddressKind.Never),        // reserved, broadcast
        (IPNetwork.Parse("::/128"), AddressKind.Never),             // unspecified
        (IPNetwork.Parse("::1/128"), AddressKind.Private),          // loopback
        (IPNetwork.Parse("::/96"), AddressKind.Never),              // IPv4-compatible, deprecated
        (IPNetwork.Parse("64:ff9b:1::/48"), AddressKind.Private),   // local-use NAT64
        (IPNetwork.Parse("100::/64"), AddressKind.Never),           // discard
        (IPNetwork.Parse("2001:db8::/32"), AddressKind.Never),      // documentation
        (IPNetwork.Parse("fc00::/7"), AddressKind.Private),         // unique local
        (IPNetwork.Parse("fe80::/10"), AddressKind.Private),        // link-local
        (IPNetwork.Parse("fec0::/10"), AddressKind.Private),        // site-local, deprecated
        (IPNetwork.Parse("ff00::/8"), AddressKind.Never),           // multicast
    ];

    private static readonly IPNetwork Nat64 = IPNetwork.Parse("64:ff9b::/96");
    private static readonly IPNetwork SixToFour = IPNetwork.Parse("2002::/16");

    public static AddressKind Classify(IPAddress address)
    {
        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            if (address.IsIPv4MappedToIPv6) return Classify(address.MapToIPv4());
            var bytes = address.GetAddressBytes();
            if (Nat64.Contains(address)) return Classify(new IPAddress(bytes.AsSpan(12, 4)));
            if (SixToFour.Contains(address)) return Classify(new IPAddress(bytes.AsSpan(2, 4)));
            // A scope id (fe80::1%eth0) is no part of the address's kind.
            if (address.ScopeId != 0) address = new IPAddress(bytes);
        }
        if (Metadata.Contains(address)) return AddressKind.Never;
        foreach (var (network, kind) in Ranges)
            if (network.BaseAddress.AddressFamily == address.AddressFamily && network.Contains(address))
                return kind;
        return AddressKind.Public;
    }
}
