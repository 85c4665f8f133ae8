using SoraEvents.Simulator.Pixazo;
using SoraEvents.Simulator.State;

namespace SoraEvents.Simulator.Diagnostics;

/// <summary>Endpoints for people running the simulator by hand; no real gateway has them.</summary>
internal static class DiagnosticsEndpoints
{
    public static IEndpointRouteBuilder MapSimulatorDiagnostics(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/_sim/requests", (SimulatorState state) =>
            Results.Json(state.Requests.Select(RequestView.Of).ToArray(), PixazoJson.Options));
        routes.MapGet("/_sim/stats", (SimulatorState state) => Results.Json(StatsView.Of(state), StatsView.JsonOptions));
        routes.MapGet("/health", () => Results.Json(new { status = "ok" }));
        return routes;
    }
}
