using System.Text.Json;
using SoraEvents.Simulator.State;

namespace SoraEvents.Simulator.Apixo;

/// <summary>A finished APIXO task's callback: its status answer, with or without the envelope, as chosen when it was accepted.</summary>
internal static class ApixoCallbackBody
{
    public static byte[] For(SimulatedRequest task)
    {
        var data = ApixoTaskData.For(task, task.FinalStatus);
        return task.ApixoCallbackShape == ApixoCallbackShape.Bare
            ? JsonSerializer.SerializeToUtf8Bytes(data, ApixoJson.Options)
            : JsonSerializer.SerializeToUtf8Bytes(ApixoEnvelope<ApixoTaskData>.Success(data), ApixoJson.Options);
    }
}
