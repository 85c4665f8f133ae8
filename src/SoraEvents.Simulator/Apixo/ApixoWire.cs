using SoraEvents.Simulator.State;

namespace SoraEvents.Simulator.Apixo;

/// <summary>How APIXO writes what has no JSON type of its own, and where its endpoints are.</summary>
internal static class ApixoWire
{
    public const string GenerateRoute = "/api/v1/generateTask/{model}";

    public const string StatusRoute = "/api/v1/statusTask/{model}";

    public const string TaskIdPrefix = "task_";

    public const string Success = "success";

    /// <summary>The task states of the status answer: pending, processing, success, failed.</summary>
    public static string State(SimulatedJobStatus status) => status switch
    {
        SimulatedJobStatus.Queued => "pending",
        SimulatedJobStatus.Processing => "processing",
        SimulatedJobStatus.Completed => "success",

        // APIXO has no separate system-error state; nothing it accepts ends in Error anyway.
        SimulatedJobStatus.Failed or SimulatedJobStatus.Error => "failed",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };

    /// <summary>Where a task's status is asked, as a client would build it from the document.</summary>
    public static string StatusUrl(string baseUrl, string model, string taskId) =>
        $"{baseUrl}/api/v1/statusTask/{Uri.EscapeDataString(model)}?taskId={Uri.EscapeDataString(taskId)}";

    /// <summary>createTime, completeTime and costTime are Unix milliseconds and milliseconds.</summary>
    public static long UnixMilliseconds(DateTimeOffset value) => value.ToUnixTimeMilliseconds();
}
