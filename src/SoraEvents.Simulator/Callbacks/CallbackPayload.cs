using SoraEvents.Simulator.Apixo;
using SoraEvents.Simulator.Pixazo;
using SoraEvents.Simulator.State;

namespace SoraEvents.Simulator.Callbacks;

/// <summary>The JSON a finished request's callback carries, in its gateway's words.</summary>
internal static class CallbackPayload
{
    public static byte[] For(SimulatedRequest request, DateTimeOffset now) =>
        request.Provider == ProviderNames.Apixo
            ? ApixoCallbackBody.For(request)
            : PixazoCallbackBody.For(request, now);
}
