using System.Net;
using System.Net.Sockets;

namespace SoraEvents.Simulator.Tests.Support;

/// <summary>
/// Two loopback ports for probing what a fetch would reveal: one with nothing listening, one that accepts
/// connections and speaks no HTTP (it writes a banner and counts who connected).
/// </summary>
internal sealed class ListeningPorts : IAsyncDisposable
{
    private readonly TcpListener raw;
    private readonly CancellationTokenSource stop = new();
    private readonly Task accepting;
    private int connections;

    private ListeningPorts(int closedPort)
    {
        ClosedPort = closedPort;
        raw = new TcpListener(IPAddress.Loopback, 0);
        raw.Start();
        accepting = AcceptAsync();
    }

    public int ClosedPort { get; }

    public int RawPort => ((IPEndPoint)raw.LocalEndpoint).Port;

    public int RawConnections => Volatile.Read(ref connections);

    public static Task<ListeningPorts> StartAsync()
    {
        // A port that was free a moment ago and is closed again: connecting to it is refused.
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var closed = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return Task.FromResult(new ListeningPorts(closed));
    }

    private async Task AcceptAsync()
    {
        try
        {
            while (!stop.IsCancellationRequested)
            {
                using var client = await raw.AcceptTcpClientAsync(stop.Token);
                Interlocked.Increment(ref connections);
                await client.GetStream().WriteAsync("SSH-2.0-OpenSSH_9.6\r\n"u8.ToArray(), stop.Token);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Stopped.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        raw.Stop();
        await accepting;
        stop.Dispose();
    }
}
