namespace SoraEvents.Simulator.State;

/// <summary>
/// How a job's callback misbehaves, chosen once when the job is accepted from the callback fault options
/// (<see cref="SimulatorOptions.CallbackDropRate"/>, <see cref="SimulatorOptions.CallbackDuplicateRate"/>,
/// <see cref="SimulatorOptions.CallbackReorder"/>, drawn with <see cref="SimulatorOptions.Seed"/>).
/// </summary>
public enum CallbackPlan
{
    /// <summary>One terminal callback, posted when the job finishes.</summary>
    Normal,

    /// <summary>No callback at all, as if it were lost in transit; only polling finds the result.</summary>
    Dropped,

    /// <summary>The terminal callback is posted three times at once, each copy retried on its own.</summary>
    Tripled,

    /// <summary>
    /// The terminal callback is posted a random extra delay after the job finishes, and once it has been
    /// answered (or given up), a stale progress callback (Pixazo PROCESSING, APIXO processing) follows it.
    /// </summary>
    Reordered,
}
