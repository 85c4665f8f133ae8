namespace SoraEvents.Simulator.Pixazo;

/// <summary>The 202 answer to a generate call, exactly as documented.</summary>
internal sealed record GenerateAccepted(string RequestId, string Status, string PollingUrl);
