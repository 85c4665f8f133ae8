using SoraEvents.Simulator.State;

namespace SoraEvents.Simulator.Pixazo;

/// <summary><c>GET /v2/requests/status/{request_id}</c>: the universal status endpoint.</summary>
internal static class StatusEndpoint
{
    public static IEndpointRouteBuilder MapPixazoStatus(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/v2/requests/status/{requestId}", (string requestId, HttpContext http, SimulatorOptions options, SimulatorState state) =>
        {
            if (SubscriptionKey.Check(http.Request, options) is { } unauthorized)
            {
                return unauthorized.ToResult(http.Response);
            }

            // Only Pixazo request ids: the status endpoint has never heard of video ids, nor of APIXO's tasks.
            var request = state.Find(requestId);
            if (request is null || request.RequestId != requestId || request.Provider != ProviderNames.Pixazo)
            {
                return Rejection.NotFound($"Request '{requestId}' not found").ToResult(http.Response);
            }

            request.RecordPoll();
            return Results.Json(StatusBody.For(request, request.Status), PixazoJson.Options);
        });
        return routes;
    }
}
