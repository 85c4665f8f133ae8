using System.Net;
using System.Net.Sockets;

namespace SoraEvents.Testing;

/// <summary>
/// A loopback port held without listening: connections to it are refused, as by a gateway that is down, and no
/// other process can take the port while it is held. Hand it to the <see cref="ChildProcess"/> that should come
/// up there later; it is released only just before that process starts.
/// </summary>
public sealed class PortReservation : IDisposable
{
    private readonly Socket socket = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);

    public PortReservation()
    {
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        Port = ((IPEndPoint)socket.LocalEndPoint!).Port;
    }

    public int Port { get; }

    public Uri BaseUrl => new($"http://127.0.0.1:{Port}/");

    public void Dispose() => socket.Dispose();
}
