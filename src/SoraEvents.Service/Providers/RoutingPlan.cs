namespace SoraEvents.Service.Providers;

/// <summary>
/// The gateways that can serve a request, in the order to try them, or, when none can, every reason why.
/// </summary>
public sealed record RoutingPlan(IReadOnlyList<IVideoGateway> Candidates, IReadOnlyList<string> Refusals)
{
    public bool IsRefused => Candidates.Count == 0;
}
