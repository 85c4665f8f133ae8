using SoraEvents.Service.Jobs;

namespace SoraEvents.Service.Providers;

/// <summary>
/// Sends every request to a gateway: first takes one of the gateway's per-minute request slots, which are kept in
/// the job store so all instances share them, then maps a request that got no answer to what it means for the job
/// (<see cref="GatewayAnswers.ForSendFailure"/>).
/// </summary>
public sealed class GatewayTransport(IJobStore store, TimeProvider time, ILogger<GatewayTransport> logger)
{
    /// <summary>How long a call may wait for the rate limit before the caller is told to come back later.</summary>
    public static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(30);

    /// <summary>The window a gateway's "N requests a minute" is counted in.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    /// <summary>Kept on top of the window; see <see cref="SendAsync"/>.</summary>
    public static readonly TimeSpan Margin = TimeSpan.FromSeconds(2);

    /// <summary>The longest a call is assumed to be on its way when its HttpClient has no finite timeout.</summary>
    private static readonly TimeSpan LongestCall = TimeSpan.FromMinutes(10);

    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(200);

    public async Task<HttpResponseMessage> SendAsync(HttpClient http, string provider, GatewayLimits limits, HttpRequestMessage message, CancellationToken ct)
    {
        // The gateway counts a call when it arrives, which is some time after we took its slot and before its answer
        // came back; under a burst that gap is long enough that slots counted from the take free up before the
        // gateway's window does (429s about a minute after a burst). So a slot is held from before the call leaves until
        // a minute after it ended — its arrival lies in between, whatever the network did — plus a margin for clocks
        // of different instances and the gateway's own rounding. Headroom in the count alone would not help: a burst
        // frees all its slots at once, however few there are.
        var slot = await TakeSlotAsync(http, provider, limits, ct);
        try
        {
            return await http.SendAsync(message, ct);
        }
        catch (Exception ex) when ((ex is HttpRequestException or TaskCanceledException) && !ct.IsCancellationRequested)
        {
            throw GatewayAnswers.ForSendFailure(provider, ex);
        }
        finally
        {
            if (slot is not null) await EndSlotAsync(slot);
        }
    }

    private async Task<GatewayCallSlot?> TakeSlotAsync(HttpClient http, string provider, GatewayLimits limits, CancellationToken ct)
    {
        if (limits.RequestsPerMinute is not { } perMinute) return null;
        // Until the call ends, its slot is held as long as the call could possibly take; a crash mid-call leaves it so.
        var longest = http.Timeout > TimeSpan.Zero && http.Timeout < LongestCall ? http.Timeout : LongestCall;
        var giveUpAt = time.GetUtcNow() + MaxWait;
        while (true)
        {
            var now = time.GetUtcNow();
            if (await store.TryTakeGatewayCallAsync(provider, perMinute, now, now + longest + Window + Margin, ct) is { } slot) return slot;
            if (now >= giveUpAt)
                throw new GatewayUnavailableException(provider, $"our budget of {perMinute} requests a minute is used up", TimeSpan.FromSeconds(5));
            await Task.Delay(Poll, time, ct);
        }
    }

    private async Task EndSlotAsync(GatewayCallSlot slot)
    {
        try
        {
            await store.EndGatewayCallAsync(slot, time.GetUtcNow() + Window + Margin, CancellationToken.None);
        }
        catch (Exception ex)
        {
            // The slot stays held until its hold runs out: later than needed, never too early.
            logger.LogWarning("Could not free {Provider} request slot {Slot}: {Reason}", slot.Provider, slot.Slot, ex.Message);
        }
    }
}
