namespace SoraEvents.Simulator.State;

/// <summary>What is fixed about a request at the moment it is accepted.</summary>
internal sealed record SimulatedRequestDetails(
    string Provider,
    string RequestId,
    string? VideoId,
    RequestKind Kind,
    string Prompt,
    string Model,
    string? Size,
    string? Resolution,
    int? Seconds,
    int? EffectiveSeconds,
    string? Route,
    IReadOnlyList<string> Images,
    string? CallbackUrl,
    CallbackShape? CallbackShape,
    ApixoCallbackShape? ApixoCallbackShape,
    CallbackPlan? CallbackPlan,
    TimeSpan CallbackExtraDelay,
    SimulatedJobStatus FinalStatus,
    string? FailCode,
    string? Error,
    string PollingUrl,
    string MediaUrl);
