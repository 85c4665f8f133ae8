using SoraEvents.Simulator.Limits;

namespace SoraEvents.Simulator.Apixo;

/// <summary>
/// What every APIXO call passes before it is read: the bearer key, then the request limit, which
/// counts generate and status calls alike, as the document's "60 / minute" does not tell them apart.
/// </summary>
internal sealed class ApixoAdmission(SimulatorOptions options, TimeProvider clock)
{
    private readonly SlidingWindowLimiter requests = new(options.ApixoRequestsPerMinute, TimeSpan.FromMinutes(1), clock);

    /// <summary>Null when the call may go on; else the refusal to answer it with.</summary>
    public ApixoRefusal? Admit(HttpRequest request)
    {
        if (!ApixoBearerKey.IsValid(request, options))
        {
            return ApixoRefusal.Unauthorized;
        }

        return requests.TryAcquire(out var wait) ? null : ApixoRefusal.RateLimited(wait);
    }
}
