using SoraEvents.Simulator.Scenarios;

namespace SoraEvents.Simulator.Apixo;

/// <summary>What the scenario triggers mean in APIXO's words.</summary>
internal static class ApixoScenario
{
    /// <summary>
    /// The refusal the triggers ask for, <c>[sim:http=…]</c> before <c>[sim:apixo=…]</c>; null when none.
    /// An HTTP trigger is taken literally: that HTTP status, with the code repeated in the envelope.
    /// </summary>
    public static ApixoRefusal? Refusal(this Scenario scenario) => scenario switch
    {
        { HttpStatus: 401 } => ApixoRefusal.Unauthorized,
        { HttpStatus: 429 } => ApixoRefusal.RateLimited(TimeSpan.FromSeconds(1)),
        { HttpStatus: { } status } => new ApixoRefusal(status, status, $"Simulated HTTP {status} ([sim:http={status}])"),
        { ApixoRefusal: ApixoRefusalTrigger.InsufficientCredits } => ApixoRefusal.InsufficientCredits,
        { ApixoRefusal: ApixoRefusalTrigger.PolicyViolation } => ApixoRefusal.PolicyViolation,
        _ => null,
    };

    /// <summary>The error a <c>[sim:create-then=…]</c> trigger answers once the task exists; null when none was asked for.</summary>
    public static ApixoRefusal? AnswerAfterCreating(this Scenario scenario) => scenario.CreateThenStatus switch
    {
        null => null,
        var status => new ApixoRefusal(
            status.Value,
            status.Value,
            $"Simulated: the task was created, then the gateway answered {status} ([sim:create-then={status}])",
            TaskCreated: true),
    };
}
