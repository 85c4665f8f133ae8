using Microsoft.Extensions.Options;

namespace SoraEvents.Service.Providers;

/// <summary>
/// Decides which gateways may take a job and in which order: the named one (or the default) first, then, for
/// failover, every other gateway that can serve the same request.
/// </summary>
public sealed class GatewayRouter(IEnumerable<IVideoGateway> gateways, IOptions<ProvidersOptions> options)
{
    private readonly IReadOnlyList<IVideoGateway> all = gateways.ToList();

    public IVideoGateway? Find(string name) =>
        all.FirstOrDefault(g => string.Equals(g.Name, name, StringComparison.OrdinalIgnoreCase));

    public RoutingPlan Plan(Contracts.GenerateVideo request)
    {
        var image = RequestImage.Inspect(request.Image);
        var named = request.Provider is null ? null : Find(request.Provider);
        if (request.Provider is not null && named is null)
            return new RoutingPlan([], [$"provider '{request.Provider}' is not configured; use one of {string.Join(", ", all.Select(g => g.Name))}."]);

        var first = named ?? Find(options.Value.Default) ?? all[0];
        var ordered = new[] { first }.Concat(all.Where(g => g != first)).ToList();
        var refusals = ordered.ToDictionary(g => g, g => g.Refusals(request, image));

        // A gateway the caller named that cannot serve the request is an error to report, not a reason to go elsewhere.
        if (named is not null && refusals[named].Count > 0) return new RoutingPlan([], refusals[named]);

        var capable = ordered.Where(g => refusals[g].Count == 0).ToList();
        if (named is not null && !options.Value.Failover) capable = [named];
        return capable.Count > 0
            ? new RoutingPlan(capable, [])
            : new RoutingPlan([], refusals.Values.SelectMany(r => r).ToList());
    }
}
