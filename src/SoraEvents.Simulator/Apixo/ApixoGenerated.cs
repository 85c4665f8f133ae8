namespace SoraEvents.Simulator.Apixo;

/// <summary>The <c>data</c> of a successful generate answer: <c>{"taskId": "task_…"}</c>.</summary>
internal sealed record ApixoGenerated(string TaskId);
