using Microsoft.AspNetCore.WebUtilities;
using SoraEvents.Simulator.Scenarios;
using SoraEvents.Simulator.State;

namespace SoraEvents.Simulator.Pixazo;

/// <summary>What the scenario triggers mean in Pixazo's words.</summary>
internal static class PixazoScenario
{
    /// <summary>The error text the document's "Error via Status/Webhook" body carries; null for a completed job.</summary>
    public static string? OutcomeError(this Scenario scenario) => scenario.Outcome switch
    {
        SimulatedJobStatus.Failed => "Simulated failure",
        SimulatedJobStatus.Error => "Simulated system error",
        _ => null,
    };

    /// <summary>The answer a <c>[sim:http=…]</c> trigger asks for, in the document's error shape; null when none was asked for.</summary>
    public static Rejection? HttpRejection(this Scenario scenario) => scenario.HttpStatus switch
    {
        null => null,
        400 => Rejection.BadRequest("Simulated bad request ([sim:http=400])."),
        401 => Rejection.Unauthorized("Simulated: access denied due to invalid subscription key ([sim:http=401])."),
        402 => new Rejection(402, "Insufficient Balance", "Your wallet does not have enough balance."),
        403 => new Rejection(403, "Forbidden", "Simulated: this subscription may not use this API ([sim:http=403])."),
        429 => new Rejection(429, "Too Many Requests", "Simulated: rate limit exceeded, retry after 1 second ([sim:http=429]).", RetryAfterSeconds: 1),
        500 => new Rejection(500, "Internal Server Error", "Simulated internal server error ([sim:http=500])."),
        var other => throw new InvalidOperationException($"No simulated answer for HTTP {other}."),
    };

    /// <summary>The error a <c>[sim:create-then=…]</c> trigger answers once the task exists; null when none was asked for.</summary>
    public static Rejection? AnswerAfterCreating(this Scenario scenario) => scenario.CreateThenStatus switch
    {
        null => null,
        var status => new Rejection(
            status.Value,
            ReasonPhrases.GetReasonPhrase(status.Value),
            $"Simulated: the task was created, then the gateway answered {status} ([sim:create-then={status}]).",
            TaskCreated: true),
    };
}
