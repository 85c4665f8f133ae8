using SoraEvents.Simulator.State;

namespace SoraEvents.Simulator.Pixazo;

/// <summary>The two documented generate endpoints, text-to-video and image-to-video.</summary>
internal static class GenerateEndpoints
{
    public static IEndpointRouteBuilder MapPixazoGenerate(this IEndpointRouteBuilder routes)
    {
        routes.MapPost("/sora-video/v1/video/generate", (HttpContext http, GenerateHandler handler) => handler.HandleAsync(http, RequestKind.Text));
        routes.MapPost("/sora-video/v1/video/i2v/generate", (HttpContext http, GenerateHandler handler) => handler.HandleAsync(http, RequestKind.Image));
        return routes;
    }
}
