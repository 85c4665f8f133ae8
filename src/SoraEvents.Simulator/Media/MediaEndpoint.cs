using SoraEvents.Simulator.Pixazo;
using SoraEvents.Simulator.State;

namespace SoraEvents.Simulator.Media;

/// <summary><c>GET /media/{request_id}/output.mp4</c>: the simulator's stand-in for the gateway's CDN.</summary>
internal static class MediaEndpoint
{
    public static IEndpointRouteBuilder MapMedia(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/media/{requestId}/output.mp4", (string requestId, HttpContext http, SimulatorState state) =>
        {
            // Like a CDN, it has nothing to serve for a video that was never made or is not made yet.
            var request = state.Find(requestId);
            if (request is null || request.RequestId != requestId || request.Status != SimulatedJobStatus.Completed)
            {
                return Rejection.NotFound($"No media for '{requestId}'").ToResult(http.Response);
            }

            return Results.Bytes(SampleVideo.Bytes, SampleVideo.ContentType, enableRangeProcessing: true);
        });
        return routes;
    }
}
