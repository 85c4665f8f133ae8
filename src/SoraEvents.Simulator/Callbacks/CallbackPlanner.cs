using SoraEvents.Simulator.State;

namespace SoraEvents.Simulator.Callbacks;

/// <summary>
/// Draws each accepted job's <see cref="CallbackPlan"/> (and a reordered job's extra delay) from one
/// random sequence, seeded by <see cref="SimulatorOptions.Seed"/> when given, so that the same requests
/// accepted in the same order get the same plans run after run.
/// </summary>
internal sealed class CallbackPlanner(SimulatorOptions options)
{
    private readonly Lock gate = new();
    private readonly Random random = options.Seed is { } seed ? new Random(seed) : new Random();

    /// <summary>
    /// A job's plan: a draw when it will be called back, none otherwise, so jobs without callbacks do not shift
    /// the seeded sequence.
    /// </summary>
    public (CallbackPlan? Plan, TimeSpan ExtraDelay) For(bool wantsCallback)
    {
        if (!wantsCallback) return (null, TimeSpan.Zero);
        var (plan, extraDelay) = Next();
        return (plan, extraDelay);
    }

    /// <summary>The next job's plan. Only jobs that will be called back take a draw.</summary>
    private (CallbackPlan Plan, TimeSpan ExtraDelay) Next()
    {
        lock (gate)
        {
            var draw = this.random.NextDouble();
            if (draw < options.CallbackDropRate)
            {
                return (CallbackPlan.Dropped, TimeSpan.Zero);
            }

            if (draw < options.CallbackDropRate + options.CallbackDuplicateRate)
            {
                return (CallbackPlan.Tripled, TimeSpan.Zero);
            }

            if (!options.CallbackReorder)
            {
                return (CallbackPlan.Normal, TimeSpan.Zero);
            }

            var extra = TimeSpan.FromTicks((long)(this.random.NextDouble() * options.CallbackReorderJitter.Ticks));
            return (CallbackPlan.Reordered, extra);
        }
    }
}
