using SoraEvents.Simulator.Apixo;
using SoraEvents.Simulator.Pixazo;
using SoraEvents.Simulator.State;

namespace SoraEvents.Simulator.Callbacks;

/// <summary>The JSON a request's callbacks carry, in its gateway's words.</summary>
internal static class CallbackPayload
{
    /// <summary>The callback of the finished request, in the shape chosen for it.</summary>
    public static byte[] For(SimulatedRequest request, DateTimeOffset now) =>
        request.Provider == ProviderNames.Apixo
            ? ApixoCallbackBody.For(request)
            : PixazoCallbackBody.For(request, now);

    /// <summary>
    /// The stale progress update a reordered request sends after its terminal callback: Pixazo's status
    /// body with PROCESSING, or APIXO's task in state processing, in the task's callback shape.
    /// </summary>
    public static byte[] StaleProgress(SimulatedRequest request) =>
        request.Provider == ProviderNames.Apixo
            ? ApixoCallbackBody.For(request, SimulatedJobStatus.Processing)
            : PixazoCallbackBody.Progress(request);
}
