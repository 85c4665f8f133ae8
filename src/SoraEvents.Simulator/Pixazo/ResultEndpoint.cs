using System.Text.Json;
using SoraEvents.Simulator.State;

namespace SoraEvents.Simulator.Pixazo;

/// <summary><c>POST /sora-video/v1/video/result</c>: "Check Video Result", by video id or request id.</summary>
internal static class ResultEndpoint
{
    public static IEndpointRouteBuilder MapPixazoResult(this IEndpointRouteBuilder routes)
    {
        routes.MapPost("/sora-video/v1/video/result", async (HttpContext http, SimulatorOptions options, SimulatorState state, TimeProvider clock) =>
        {
            if (SubscriptionKey.Check(http.Request, options) is { } unauthorized)
            {
                return unauthorized.ToResult(http.Response);
            }

            string? videoId;
            try
            {
                using var document = await JsonDocument.ParseAsync(http.Request.Body, default, http.RequestAborted);
                videoId = document.RootElement.ValueKind == JsonValueKind.Object
                    && document.RootElement.TryGetProperty("video_id", out var value)
                    && value.ValueKind == JsonValueKind.String
                        ? value.GetString()
                        : null;
            }
            catch (JsonException ex)
            {
                return Rejection.BadRequest($"Request body is not valid JSON: {ex.Message}").ToResult(http.Response);
            }

            if (string.IsNullOrWhiteSpace(videoId))
            {
                return Rejection.BadRequest("video_id is required and must be a non-empty string.").ToResult(http.Response);
            }

            if (state.Find(videoId) is not { Provider: ProviderNames.Pixazo } request)
            {
                return Rejection.NotFound($"Video '{videoId}' not found").ToResult(http.Response);
            }

            request.RecordPoll();
            return Results.Json(ResultBody.For(request, request.Status, clock.GetUtcNow()), PixazoJson.Options);
        });
        return routes;
    }
}
