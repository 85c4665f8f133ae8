using System.Text.Json;
using SoraEvents.Simulator.State;

namespace SoraEvents.Simulator.Diagnostics;

/// <summary>
/// The counters <c>GET /_sim/stats</c> answers with, in camelCase. Per-provider counters always name both
/// gateways, zeros included, so a script can read them without checking for absent keys.
/// </summary>
internal sealed record StatsView(
    IReadOnlyDictionary<string, int> GenerateCalls,
    IReadOnlyDictionary<string, int> Accepted,
    IReadOnlyDictionary<string, int> TooManyRequests,
    StatsView.CallbackCounters Callbacks,
    int DuplicateSubmissions)
{
    public static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);

    private static readonly string[] Providers = [ProviderNames.Pixazo, ProviderNames.Apixo];

    public static StatsView Of(SimulatorState state)
    {
        var requests = state.Requests;
        return new StatsView(
            PerProvider(state.GenerateCallsFor),
            PerProvider(state.AcceptedFor),
            PerProvider(state.TooManyRequestsFor),
            new CallbackCounters(
                Sent: requests.Sum(r => r.CallbacksSent),
                Attempted: requests.Sum(r => r.CallbackAttempts),
                Delivered: requests.Sum(r => r.CallbacksDelivered),
                Dropped: requests.Count(r => r.CallbackDropped),
                Tripled: requests.Count(r => r.CallbackPlan == CallbackPlan.Tripled),
                Reordered: requests.Count(r => r.CallbackPlan == CallbackPlan.Reordered)),
            state.DuplicateSubmissions);
    }

    private static Dictionary<string, int> PerProvider(Func<string, int> count) =>
        Providers.ToDictionary(provider => provider, count, StringComparer.Ordinal);

    /// <summary>
    /// Sent: callbacks posted (each tripled copy and each stale update once, retries not counted).
    /// Attempted: every POST, retries included. Delivered: callbacks answered 2xx. Dropped, Tripled,
    /// Reordered: accepted jobs with that plan.
    /// </summary>
    internal sealed record CallbackCounters(int Sent, int Attempted, int Delivered, int Dropped, int Tripled, int Reordered);
}
