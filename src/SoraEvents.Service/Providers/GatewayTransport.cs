using System.Net.Sockets;
using SoraEvents.Service.Jobs;

namespace SoraEvents.Service.Providers;

/// <summary>
/// Sends every request to a gateway: first takes a slot of the gateway's per-minute budget, which is kept in
/// the job store so all instances share it, then maps "the request never arrived" to a safe-to-retry error.
/// </summary>
public sealed class GatewayTransport(IJobStore store, TimeProvider time)
{
    /// <summary>How long a call may wait for the rate limit before the caller is told to come back later.</summary>
    public static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(30);

    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(200);

    public async Task<HttpResponseMessage> SendAsync(HttpClient http, string provider, GatewayLimits limits, HttpRequestMessage message, CancellationToken ct)
    {
        await WaitForRateAsync(provider, limits, ct);
        try
        {
            return await http.SendAsync(message, ct);
        }
        catch (HttpRequestException ex) when (ex.InnerException is SocketException { SocketErrorCode: SocketError.ConnectionRefused or SocketError.HostNotFound or SocketError.NetworkUnreachable })
        {
            // The request never reached the gateway, so no task exists and a retry is safe.
            throw new GatewayUnavailableException(provider, ex.Message, inner: ex);
        }
    }

    private async Task WaitForRateAsync(string provider, GatewayLimits limits, CancellationToken ct)
    {
        if (limits.RequestsPerMinute is not { } perMinute) return;
        var giveUpAt = time.GetUtcNow() + MaxWait;
        while (!await store.TryTakeGatewayCallAsync(provider, perMinute, time.GetUtcNow(), ct))
        {
            if (time.GetUtcNow() >= giveUpAt)
                throw new GatewayUnavailableException(provider, $"our budget of {perMinute} requests a minute is used up", TimeSpan.FromSeconds(5));
            await Task.Delay(Poll, time, ct);
        }
    }
}
