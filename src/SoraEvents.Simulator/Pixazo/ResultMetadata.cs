namespace SoraEvents.Simulator.Pixazo;

/// <summary>The <c>metadata</c> of a result body: how long and how often the gateway polled the model.</summary>
internal sealed record ResultMetadata(int TotalAttempts, int PollingDurationSeconds);
