using SoraEvents.Simulator.State;

namespace SoraEvents.Simulator.Apixo;

/// <summary>
/// <c>GET /api/v1/statusTask/{model}?taskId=…</c>. An unknown task is answered HTTP 200 with envelope
/// code 404, the way every other answer about a task comes: in the envelope. A task asked for under
/// another model's path is unknown there.
/// </summary>
internal static class ApixoStatusEndpoint
{
    public static IEndpointRouteBuilder MapApixoStatus(this IEndpointRouteBuilder routes)
    {
        routes.MapGet(ApixoWire.StatusRoute, (string model, HttpContext http, ApixoAdmission admission, SimulatorState state) =>
        {
            if (admission.Admit(http.Request) is { } refused)
            {
                return refused.ToResult(http.Response, state);
            }

            string? taskId = http.Request.Query["taskId"];
            if (string.IsNullOrWhiteSpace(taskId))
            {
                return ApixoRefusal.Invalid("taskId is required").ToResult(http.Response, state);
            }

            var task = state.Find(taskId);
            if (task is null || task.RequestId != taskId || task.Provider != ProviderNames.Apixo)
            {
                return ApixoRefusal.TaskNotFound($"Task '{taskId}' not found").ToResult(http.Response, state);
            }

            if (task.Model != model)
            {
                return ApixoRefusal.TaskNotFound($"Task '{taskId}' not found for model '{model}'; it was created for '{task.Model}'").ToResult(http.Response, state);
            }

            task.RecordPoll();
            return Results.Json(ApixoEnvelope<ApixoTaskData>.Success(ApixoTaskData.For(task, task.Status)), ApixoJson.Options);
        });
        return routes;
    }
}
