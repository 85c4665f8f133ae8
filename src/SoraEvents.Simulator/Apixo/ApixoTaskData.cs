using System.Text.Json;
using System.Text.Json.Serialization;
using SoraEvents.Simulator.State;

namespace SoraEvents.Simulator.Apixo;

/// <summary>
/// The <c>data</c> of a status answer, with exactly the fields the document's examples show for each
/// state: success <c>{taskId, state, resultJson, createTime, completeTime, costTime}</c>, failed
/// <c>{taskId, state, failCode, failMsg}</c>, pending and processing <c>{taskId, state, createTime}</c>.
/// </summary>
internal sealed record ApixoTaskData(
    string TaskId,
    string State,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? ResultJson,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? FailCode,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? FailMsg,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] long? CreateTime,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] long? CompleteTime,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] long? CostTime)
{
    public static ApixoTaskData For(SimulatedRequest task, SimulatedJobStatus status)
    {
        var state = ApixoWire.State(status);
        var created = ApixoWire.UnixMilliseconds(task.AcceptedAt);
        return status switch
        {
            SimulatedJobStatus.Completed => new ApixoTaskData(
                task.RequestId,
                state,
                ResultJson: JsonSerializer.Serialize(new ApixoResult([task.MediaUrl]), ApixoJson.Options),
                FailCode: null,
                FailMsg: null,
                CreateTime: created,
                CompleteTime: ApixoWire.UnixMilliseconds(task.FinishesAt),
                CostTime: ApixoWire.UnixMilliseconds(task.FinishesAt) - created),
            SimulatedJobStatus.Failed or SimulatedJobStatus.Error => new ApixoTaskData(task.RequestId, state, null, task.FailCode, task.Error, null, null, null),
            _ => new ApixoTaskData(task.RequestId, state, null, null, null, created, null, null),
        };
    }

    /// <summary>What <c>resultJson</c> holds, before it is written as a JSON string: <c>{"resultUrls": [...]}</c>.</summary>
    private sealed record ApixoResult(IReadOnlyList<string> ResultUrls);
}
