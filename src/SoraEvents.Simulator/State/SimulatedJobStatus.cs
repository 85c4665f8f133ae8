namespace SoraEvents.Simulator.State;

/// <summary>The documented status values of the universal status endpoint.</summary>
public enum SimulatedJobStatus
{
    /// <summary>Accepted, waiting to be processed.</summary>
    Queued,

    /// <summary>Being processed by the model.</summary>
    Processing,

    /// <summary>Done; output holds the video.</summary>
    Completed,

    /// <summary>Failed; error says why.</summary>
    Failed,

    /// <summary>System error; not charged.</summary>
    Error,
}
