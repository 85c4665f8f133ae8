namespace SoraEvents.Simulator.Scenarios;

/// <summary>The two generate refusals the APIXO document shows, asked for with <c>[sim:apixo=…]</c>.</summary>
internal enum ApixoRefusalTrigger
{
    /// <summary><c>[sim:apixo=insufficient]</c>: "Insufficient credits".</summary>
    InsufficientCredits,

    /// <summary><c>[sim:apixo=policy]</c>: "Content violates provider policy, please adjust the prompt".</summary>
    PolicyViolation,
}
