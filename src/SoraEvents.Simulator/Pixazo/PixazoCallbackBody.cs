using System.Text.Json;
using SoraEvents.Simulator.State;

namespace SoraEvents.Simulator.Pixazo;

/// <summary>A finished Pixazo request's callback, in the documented shape chosen for it when it was accepted.</summary>
internal static class PixazoCallbackBody
{
    public static byte[] For(SimulatedRequest request, DateTimeOffset now)
    {
        object body = request.CallbackShape == CallbackShape.Result
            ? ResultBody.For(request, request.FinalStatus, now)
            : StatusBody.For(request, request.FinalStatus);
        return JsonSerializer.SerializeToUtf8Bytes(body, body.GetType(), PixazoJson.Options);
    }

    /// <summary>A stale progress update: the status body as it stood while PROCESSING, whatever the request's callback shape.</summary>
    public static byte[] Progress(SimulatedRequest request) =>
        JsonSerializer.SerializeToUtf8Bytes(StatusBody.For(request, SimulatedJobStatus.Processing), PixazoJson.Options);
}
