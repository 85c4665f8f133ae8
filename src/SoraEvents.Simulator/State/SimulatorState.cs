using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;

namespace SoraEvents.Simulator.State;

/// <summary>
/// Everything the simulated gateway has seen. Thread-safe: every collection returned is a snapshot.
/// </summary>
public sealed class SimulatorState
{
    private static readonly TimeSpan RecheckInterval = TimeSpan.FromMilliseconds(20);

    private readonly Lock gate = new();
    private readonly TimeProvider clock;
    private readonly List<SimulatedRequest> requests = [];
    private readonly Dictionary<string, SimulatedRequest> byId = new(StringComparer.Ordinal);
    private readonly Dictionary<int, int> rejected = [];
    private readonly Dictionary<string, int> tooManyRequests = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> accepted = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<SimulatedRequest>> inFlight = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> maxInFlight = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> generateCalls = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> callbackPaths = new(StringComparer.Ordinal);
    private TaskCompletionSource changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    internal SimulatorState(TimeProvider clock)
    {
        this.clock = clock;
    }

    /// <summary>Every accepted generate call of either gateway, oldest first.</summary>
    public IReadOnlyList<SimulatedRequest> Requests
    {
        get { lock (gate) { return [.. this.requests]; } }
    }

    /// <summary>Every generate call to either gateway, rejected ones included.</summary>
    public int GenerateCalls
    {
        get { lock (gate) { return generateCalls.Values.Sum(); } }
    }

    /// <summary>
    /// How many callback-URL paths (path only: no scheme, host or query) more than one accepted generate
    /// call named, both gateways together. The service puts the job id in the path
    /// (<c>/webhooks/pixazo/&lt;jobId&gt;</c>), so anything but 0 means a job was submitted twice.
    /// Rejected calls (a 429 retried, say) do not count: nothing was queued for them.
    /// </summary>
    public int DuplicateSubmissions
    {
        get { lock (gate) { return callbackPaths.Count(p => p.Value > 1); } }
    }

    /// <summary>The callback-URL paths counted by <see cref="DuplicateSubmissions"/>, each with how many accepted calls named it.</summary>
    public IReadOnlyDictionary<string, int> DuplicateSubmissionPaths
    {
        get { lock (gate) { return callbackPaths.Where(p => p.Value > 1).ToDictionary(StringComparer.Ordinal); } }
    }

    /// <summary>Callback POSTs made so far, every copy and every retry counted (the sum of <see cref="SimulatedRequest.CallbackAttempts"/>).</summary>
    public int CallbacksAttempted => Requests.Sum(r => r.CallbackAttempts);

    /// <summary>Callbacks answered 2xx so far, each copy and each stale update counted once (the sum of <see cref="SimulatedRequest.CallbacksDelivered"/>).</summary>
    public int CallbacksDelivered => Requests.Sum(r => r.CallbacksDelivered);

    /// <summary>Accepted jobs whose callback is dropped on purpose (<see cref="CallbackPlan.Dropped"/>).</summary>
    public int CallbacksDropped => Requests.Count(r => r.CallbackDropped);

    /// <summary>
    /// Rejected generate calls of either gateway, counted by the code they were answered with: the HTTP
    /// status, or for APIXO's HTTP 200 error envelopes the envelope's <c>code</c> (400).
    /// </summary>
    public IReadOnlyDictionary<int, int> Rejected
    {
        get { lock (gate) { return new Dictionary<int, int>(this.rejected); } }
    }

    /// <summary>
    /// Every HTTP 429 answered, generate and status calls alike, counted by provider
    /// (<see cref="ProviderNames"/>); a provider that never answered one is absent.
    /// </summary>
    public IReadOnlyDictionary<string, int> TooManyRequests
    {
        get { lock (gate) { return new Dictionary<string, int>(tooManyRequests, StringComparer.Ordinal); } }
    }

    /// <summary>The most APIXO tasks ever pending or processing at the same time.</summary>
    public int MaxConcurrentApixoTasks
    {
        get { lock (gate) { return this.maxInFlight.GetValueOrDefault(ProviderNames.Apixo); } }
    }

    /// <summary>The APIXO tasks pending or processing right now.</summary>
    public int ApixoTasksInFlight
    {
        get { lock (gate) { return PruneInFlight(ProviderNames.Apixo).Count; } }
    }

    /// <summary>Generate calls to <paramref name="provider"/>, rejected ones included.</summary>
    /// <param name="provider">One of <see cref="ProviderNames"/>.</param>
    public int GenerateCallsFor(string provider)
    {
        lock (gate)
        {
            return generateCalls.GetValueOrDefault(provider);
        }
    }

    /// <summary>Generate calls <paramref name="provider"/> accepted (Pixazo requests queued, APIXO tasks created).</summary>
    /// <param name="provider">One of <see cref="ProviderNames"/>.</param>
    public int AcceptedFor(string provider)
    {
        lock (gate)
        {
            return this.accepted.GetValueOrDefault(provider);
        }
    }

    /// <summary>How many HTTP 429 answers <paramref name="provider"/> gave (see <see cref="TooManyRequests"/>).</summary>
    /// <param name="provider">One of <see cref="ProviderNames"/>.</param>
    public int TooManyRequestsFor(string provider)
    {
        lock (gate)
        {
            return tooManyRequests.GetValueOrDefault(provider);
        }
    }

    /// <summary>The request with this request id (<c>sora-video_…</c>), video id (<c>video_…</c>) or task id (<c>task_…</c>), or null.</summary>
    public SimulatedRequest? Find(string requestIdOrVideoId)
    {
        lock (gate)
        {
            return byId.GetValueOrDefault(requestIdOrVideoId);
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
        using var deadline = new CancellationTokenSource(timeout, this.clock);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, deadline.Token);
        try
        {
            while (true)
            {
                Task changed;
                lock (gate)
                {
                    changed = this.changed.Task;
                }

                if (condition(this))
                {
                    return;
                }

                await Task.WhenAny(changed, Task.Delay(RecheckInterval, this.clock, linked.Token));
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
        await WaitUntilAsync(state => (match = state.Requests.FirstOrDefault(predicate)) is not null, timeout, ct);
        return match!;
    }

    internal void CountGenerateCall(string provider)
    {
        lock (gate)
        {
            generateCalls[provider] = generateCalls.GetValueOrDefault(provider) + 1;
        }

        NotifyChanged();
    }

    internal void RecordRejection(int statusCode)
    {
        lock (gate)
        {
            this.rejected[statusCode] = this.rejected.GetValueOrDefault(statusCode) + 1;
        }

        NotifyChanged();
    }

    internal void RecordTooManyRequests(string provider)
    {
        lock (gate)
        {
            tooManyRequests[provider] = tooManyRequests.GetValueOrDefault(provider) + 1;
        }

        NotifyChanged();
    }

    internal SimulatedRequest Add(string provider, Func<int, SimulatedRequestDetails> details, TimeSpan delay) =>
        TryAdd(provider, details, delay, maxInFlight: int.MaxValue, out var request, out _)
            ? request
            : throw new UnreachableException("Nothing is refused under an unlimited in-flight limit.");

    /// <summary>
    /// Adds a request unless its provider already has <paramref name="maxInFlight"/> unfinished ones;
    /// checked and added under one lock, so concurrent calls cannot both slip under the limit. When
    /// refused, <paramref name="untilFree"/> says how long until the first unfinished one finishes.
    /// <paramref name="details"/> builds the request from its number among the provider's accepted
    /// requests (from zero), which decides an alternating callback shape; refused requests take no number.
    /// </summary>
    internal bool TryAdd(
        string provider,
        Func<int, SimulatedRequestDetails> details,
        TimeSpan delay,
        int maxInFlight,
        [NotNullWhen(true)] out SimulatedRequest? request,
        out TimeSpan untilFree)
    {
        var now = this.clock.GetUtcNow();
        lock (gate)
        {
            var inFlight = PruneInFlight(provider);
            if (inFlight.Count >= maxInFlight)
            {
                request = null;
                untilFree = inFlight.Min(r => r.FinishesAt) - now;
                return false;
            }

            var sequence = this.accepted.GetValueOrDefault(provider);
            this.accepted[provider] = sequence + 1;
            request = new SimulatedRequest(details(sequence), now, delay, this.clock, NotifyChanged);
            this.requests.Add(request);
            byId.Add(request.RequestId, request);
            if (request.VideoId is not null)
            {
                byId.Add(request.VideoId, request);
            }

            if (request.CallbackUrl is not null)
            {
                var path = CallbackPath(request.CallbackUrl);
                callbackPaths[path] = callbackPaths.GetValueOrDefault(path) + 1;
            }

            inFlight.Add(request);
            this.maxInFlight[provider] = Math.Max(this.maxInFlight.GetValueOrDefault(provider), inFlight.Count);
        }

        untilFree = TimeSpan.Zero;
        NotifyChanged();
        return true;
    }

    private static string CallbackPath(string callbackUrl) =>
        Uri.TryCreate(callbackUrl, UriKind.Absolute, out var uri) ? uri.AbsolutePath : callbackUrl;

    // Requests finish by the clock alone, so the in-flight list is brought up to date whenever it is read.
    private List<SimulatedRequest> PruneInFlight(string provider)
    {
        if (!this.inFlight.TryGetValue(provider, out var inFlight))
        {
            inFlight = [];
            this.inFlight[provider] = inFlight;
        }

        inFlight.RemoveAll(r => r.IsTerminal);
        return inFlight;
    }

    private void NotifyChanged()
    {
        TaskCompletionSource fired;
        lock (gate)
        {
            fired = this.changed;
            this.changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        fired.TrySetResult();
    }
}
