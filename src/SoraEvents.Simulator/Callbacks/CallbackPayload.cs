using System.Text.Json;
using SoraEvents.Simulator.Pixazo;
using SoraEvents.Simulator.State;

namespace SoraEvents.Simulator.Callbacks;

/// <summary>The JSON a finished request's callback carries, in the shape chosen for it when it was accepted.</summary>
internal static class CallbackPayload
{
    public static byte[] For(SimulatedRequest request, DateTimeOffset now)
    {
        object body = request.CallbackShape == CallbackShape.Result
            ? ResultBody.For(request, request.FinalStatus, now)
            : StatusBody.For(request, request.FinalStatus);
        return JsonSerializer.SerializeToUtf8Bytes(body, body.GetType(), PixazoJson.Options);
    }
}
