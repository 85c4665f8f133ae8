using System.Text.Json;
using SoraEvents.Simulator.State;

namespace SoraEvents.Simulator.Apixo;

/// <summary>A finished APIXO task's callback: its status answer, with or without the envelope, as chosen when it was accepted.</summary>
internal static class ApixoCallbackBody
{
    public static byte[] For(SimulatedRequest task) => For(task, task.FinalStatus);

    /// <summary>The task's status answer as it stood at <paramref name="status"/>, in its callback shape (a stale update when not final).</summary>
    public static byte[] For(SimulatedRequest task, SimulatedJobStatus status)
    {
        var data = ApixoTaskData.For(task, status);
        return task.ApixoCallbackShape == ApixoCallbackShape.Bare
            ? JsonSerializer.SerializeToUtf8Bytes(data, ApixoJson.Options)
            : JsonSerializer.SerializeToUtf8Bytes(ApixoEnvelope<ApixoTaskData>.Success(data), ApixoJson.Options);
    }
}
