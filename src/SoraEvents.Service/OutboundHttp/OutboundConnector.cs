using System.Net;
using System.Net.Sockets;

namespace SoraEvents.Service.OutboundHttp;

/// <summary>
/// Opens every connection of a guarded client: resolves the host, checks every address it resolved to, and connects
/// only to those checked addresses. Checking at connect time, not before the request, is what stops DNS rebinding:
/// there is no second lookup between the check and the connection.
/// </summary>
internal static class OutboundConnector
{
    public static SocketsHttpHandler CreateHandler(OutboundPolicy policy) => new()
    {
        // Redirects are followed by OutboundRequestHandler, which checks each hop.
        AllowAutoRedirect = false,
        // Through a proxy the connection would go to the proxy, and the target's address would never be checked here.
        UseProxy = false,
        ConnectCallback = (context, ct) => ConnectAsync(policy, context.DnsEndPoint, ct),
        PooledConnectionLifetime = TimeSpan.FromMinutes(2),
    };

    public static async ValueTask<Stream> ConnectAsync(OutboundPolicy policy, DnsEndPoint endpoint, CancellationToken ct)
    {
        var addresses = await Dns.GetHostAddressesAsync(endpoint.Host, ct);
        if (addresses.Length == 0) throw new SocketException((int)SocketError.HostNotFound);
        if (!policy.IsTrusted(endpoint.Host, endpoint.Port))
            foreach (var address in addresses)
                // One refused address refuses the host: a name that mixes public and internal answers is not a CDN.
                policy.CheckAddress(endpoint.Host, address);

        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(addresses, endpoint.Port, ct);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
