namespace SoraEvents.Simulator.State;

/// <summary>
/// Everything the simulated gateway has seen. Thread-safe: every collection returned is a snapshot.
/// </summary>
public sealed class SimulatorState
{
    private static readonly TimeSpan RecheckInterval = TimeSpan.FromMilliseconds(20);

    private readonly Lock _gate = new();
    private readonly TimeProvider _clock;
    private readonly List<SimulatedRequest> _requests = [];
    private readonly Dictionary<string, SimulatedRequest> _byId = new(StringComparer.Ordinal);
    private readonly Dictionary<int, int> _rejected = [];
    private int _generateCalls;
    private int _accepted;
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    internal SimulatorState(TimeProvider clock)
    {
        _clock = clock;
    }

    /// <summary>Every accepted generate call, oldest first.</summary>
    public IReadOnlyList<SimulatedRequest> Requests
    {
        get { lock (_gate) { return [.. _requests]; } }
    }

    /// <summary>Every generate call, rejected ones included.</summary>
    public int GenerateCalls
    {
        get { lock (_gate) { return _generateCalls; } }
    }

    /// <summary>Rejected generate calls, counted by the HTTP status they were answered with.</summary>
    public IReadOnlyDictionary<int, int> Rejected
    {
        get { lock (_gate) { return new Dictionary<int, int>(_rejected); } }
    }

    /// <summary>The request with this request id (<c>sora-video_…</c>) or video id (<c>video_…</c>), or null.</summary>
    public SimulatedRequest? Find(string requestIdOrVideoId)
    {
        lock (_gate)
        {
            return _byId.GetValueOrDefault(requestIdOrVideoId);
        }
    }

    /// <summary>
    /// Completes once <paramref name="condition"/> holds. It is checked whenever something is recorded
    /// and at short intervals, because statuses change with the clock alone.
    /// </summary>
    /// <exception cref="TimeoutException">The condition did not hold within <paramref name="timeout"/>.</exception>
    public async Task WaitUntilAsync(Func<SimulatorState, bool> condition, TimeSpan timeout, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(condition);
        using var deadline = new CancellationTokenSource(timeout, _clock);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, deadline.Token);
        try
        {
            while (true)
            {
                Task changed;
                lock (_gate)
                {
                    changed = _changed.Task;
                }

                if (condition(this))
                {
                    return;
                }

                await Task.WhenAny(changed, Task.Delay(RecheckInterval, _clock, linked.Token)).ConfigureAwait(false);
                linked.Token.ThrowIfCancellationRequested();
            }
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !ct.IsCancellationRequested)
        {
            throw new TimeoutException($"The simulator state did not reach the awaited condition within {timeout}.");
        }
    }

    /// <summary>Completes with the first accepted request matching <paramref name="predicate"/>.</summary>
    /// <exception cref="TimeoutException">No request matched within <paramref name="timeout"/>.</exception>
    public async Task<SimulatedRequest> WaitForRequestAsync(Func<SimulatedRequest, bool> predicate, TimeSpan timeout, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(predicate);
        SimulatedRequest? match = null;
        await WaitUntilAsync(state => (match = state.Requests.FirstOrDefault(predicate)) is not null, timeout, ct).ConfigureAwait(false);
        return match!;
    }

    internal void CountGenerateCall()
    {
        lock (_gate)
        {
            _generateCalls++;
        }

        NotifyChanged();
    }

    internal void RecordRejection(int statusCode)
    {
        lock (_gate)
        {
            _rejected[statusCode] = _rejected.GetValueOrDefault(statusCode) + 1;
        }

        NotifyChanged();
    }

    /// <summary>Numbers accepted requests from zero, so the alternating callback shape is decided per request.</summary>
    internal int NextAcceptedSequence()
    {
        lock (_gate)
        {
            return _accepted++;
        }
    }

    internal SimulatedRequest Add(SimulatedRequestDetails details, TimeSpan delay)
    {
        var request = new SimulatedRequest(details, _clock.GetUtcNow(), delay, _clock, NotifyChanged);
        lock (_gate)
        {
            _requests.Add(request);
            _byId.Add(request.RequestId, request);
            _byId.Add(request.VideoId, request);
        }

        NotifyChanged();
        return request;
    }

    private void NotifyChanged()
    {
        TaskCompletionSource fired;
        lock (_gate)
        {
            fired = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        fired.TrySetResult();
    }
}
