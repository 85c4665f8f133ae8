using SoraEvents.Simulator.Pixazo;

namespace SoraEvents.Simulator.Images;

/// <summary><c>GET /_sim/images/{name}</c>: the images of <see cref="HostedImages"/>, so their URLs are real.</summary>
internal static class ImageEndpoint
{
    public static IEndpointRouteBuilder MapHostedImages(this IEndpointRouteBuilder routes)
    {
        routes.MapGet(HostedImages.PathPrefix + "{name}", (string name, HttpContext http, HostedImages images) =>
            images.Find(name) is { } image
                ? Results.Bytes(image.Bytes, image.ContentType)
                : Rejection.NotFound($"No image '{name}'").ToResult(http.Response));
        return routes;
    }
}
