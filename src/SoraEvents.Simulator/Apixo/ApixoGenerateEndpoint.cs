namespace SoraEvents.Simulator.Apixo;

/// <summary><c>POST /api/v1/generateTask/{model}</c>: one pattern for every model the gateway hosts.</summary>
internal static class ApixoGenerateEndpoint
{
    public static IEndpointRouteBuilder MapApixoGenerate(this IEndpointRouteBuilder routes)
    {
        routes.MapPost(ApixoWire.GenerateRoute, (string model, HttpContext http, ApixoGenerateHandler handler) => handler.HandleAsync(http, model));
        return routes;
    }
}
