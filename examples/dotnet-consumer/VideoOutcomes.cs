using System.Collections.Concurrent;
using SoraEvents.Contracts;

namespace SoraEventsConsumer;

/// <summary>The jobs this service is waiting for, each ended by the first <see cref="VideoCompleted"/> or <see cref="VideoFailed"/> about it.</summary>
/// <remarks>Events about other services' jobs arrive too (every subscriber gets every event) and are ignored.</remarks>
public sealed class VideoOutcomes
{
    private readonly ConcurrentDictionary<Guid, TaskCompletionSource<object>> awaited = new();

    /// <summary>Registers <paramref name="jobId"/> before its command is published, so an early outcome is not lost.</summary>
    public Task<object> Expect(Guid jobId) =>
        awaited.GetOrAdd(jobId, _ => new TaskCompletionSource<object>(TaskCreationOptions.RunContinuationsAsynchronously)).Task;

    /// <summary>A redelivered or re-published event (same MessageId) finds its job ended already and changes nothing.</summary>
    public void Ended(Guid jobId, object outcome)
    {
        if (awaited.TryGetValue(jobId, out var pending)) pending.TrySetResult(outcome);
    }
}
