namespace SoraEvents.Simulator.State;

/// <summary>What is fixed about a request at the moment it is accepted.</summary>
internal sealed record SimulatedRequestDetails(
    string RequestId,
    string VideoId,
    RequestKind Kind,
    string Prompt,
    string Model,
    string? Size,
    int? Seconds,
    string? Image,
    string? CallbackUrl,
    CallbackShape? CallbackShape,
    JobStatus FinalStatus,
    string? Error,
    string PollingUrl,
    string MediaUrl);
