using System.Collections.Concurrent;

namespace SoraEvents.Simulator.Tests.Support;

/// <summary>
/// Holds callback POSTs to a path until <c>count</c> of them have arrived, then lets them all be answered:
/// a receiver using it answers none of them before it has seen them all, so they can only all arrive if
/// the sender posted them concurrently. Gives up after a timeout (and says so) rather than hang a test
/// whose sender posts one at a time.
/// </summary>
internal sealed class ArrivalBarrier(int count, TimeSpan timeout)
{
    private readonly ConcurrentDictionary<string, Gate> gates = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> timedOut = new();

    /// <summary>Paths whose POSTs were answered before <c>count</c> of them had arrived.</summary>
    public IReadOnlyList<string> TimedOut => [.. timedOut];

    public async Task ArriveAsync(string path)
    {
        var gate = gates.GetOrAdd(path, _ => new Gate());
        if (Interlocked.Increment(ref gate.Arrived) >= count)
        {
            gate.AllThere.TrySetResult();
        }

        try
        {
            await gate.AllThere.Task.WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            timedOut.Enqueue(path);
        }
    }

    private sealed class Gate
    {
        public readonly TaskCompletionSource AllThere = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public int Arrived;
    }
}
