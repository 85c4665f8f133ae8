namespace SoraEvents.Simulator.State;

/// <summary>
/// One accepted generate call (a Pixazo request or an APIXO task), as the simulated gateway sees it.
/// Reads are safe from any thread; the status is derived from the clock so that polling and callbacks
/// always agree.
/// </summary>
public sealed class SimulatedRequest
{
    private readonly Lock gate = new();
    private readonly TimeProvider clock;
    private readonly Action changed;
    private readonly List<int> callbackStatusCodes = [];
    private int callbackAttempts;
    private int callbacksSent;
    private int callbacksDelivered;
    private bool callbackDelivered;
    private bool finished;
    private int polls;

    internal SimulatedRequest(
        SimulatedRequestDetails details,
        DateTimeOffset acceptedAt,
        TimeSpan delay,
        TimeProvider clock,
        Action changed)
    {
        Provider = details.Provider;
        RequestId = details.RequestId;
        VideoId = details.VideoId;
        Kind = details.Kind;
        Prompt = details.Prompt;
        Model = details.Model;
        Size = details.Size;
        Resolution = details.Resolution;
        Seconds = details.Seconds;
        EffectiveSeconds = details.EffectiveSeconds;
        Route = details.Route;
        Images = details.Images;
        CallbackUrl = details.CallbackUrl;
        CallbackShape = details.CallbackShape;
        ApixoCallbackShape = details.ApixoCallbackShape;
        CallbackPlan = details.CallbackPlan;
        CallbackExtraDelay = details.CallbackExtraDelay;
        FinalStatus = details.FinalStatus;
        FailCode = details.FailCode;
        Error = details.Error;
        PollingUrl = details.PollingUrl;
        MediaUrl = details.MediaUrl;
        AcceptedAt = acceptedAt;
        ProcessingAt = acceptedAt + delay / 2;
        FinishesAt = acceptedAt + delay;
        this.clock = clock;
        this.changed = changed;
    }

    /// <summary>Which gateway accepted it: <see cref="ProviderNames.Pixazo"/> or <see cref="ProviderNames.Apixo"/>.</summary>
    public string Provider { get; }

    /// <summary>The gateway's id: Pixazo's <c>sora-video_&lt;uuid&gt;</c> request id, or APIXO's <c>task_&lt;hex&gt;</c> task id.</summary>
    public string RequestId { get; }

    /// <summary>Pixazo's video id, <c>video_&lt;hex&gt;</c>, that only the result shape reveals; null for APIXO tasks.</summary>
    public string? VideoId { get; }

    /// <summary>Text-to-video or image-to-video.</summary>
    public RequestKind Kind { get; }

    /// <summary>The prompt as sent, scenario triggers included.</summary>
    public string Prompt { get; }

    /// <summary>The model: Pixazo's <c>model</c> field (<c>sora-2-pro</c> when omitted), or the <c>{model}</c> of APIXO's path.</summary>
    public string Model { get; }

    /// <summary>
    /// The size as sent (Pixazo <c>1280x720</c>, APIXO <c>1280*720</c>), or for Pixazo image-to-video as
    /// derived from the input image when omitted; null when neither is known.
    /// </summary>
    public string? Size { get; }

    /// <summary>APIXO image-to-video's <c>resolution</c> (<c>720p</c> or <c>1080p</c>) as sent; null otherwise.</summary>
    public string? Resolution { get; }

    /// <summary>The duration asked for: Pixazo's <c>seconds</c> or APIXO's <c>duration</c>; null when omitted.</summary>
    public int? Seconds { get; }

    /// <summary>
    /// The length of the video actually made. APIXO: 12 on the official route whatever was asked,
    /// else the duration asked for (10 when omitted). Pixazo: the seconds asked for; null when omitted.
    /// </summary>
    public int? EffectiveSeconds { get; }

    /// <summary>APIXO's routing strategy, its <c>provider</c> field: <c>auto</c>, <c>value</c> or <c>official</c>; null for Pixazo.</summary>
    public string? Route { get; }

    /// <summary>The input images (URLs or data: URIs) as sent: Pixazo's one <c>image</c>, or APIXO's <c>image_urls</c>; empty for text-to-video.</summary>
    public IReadOnlyList<string> Images { get; }

    /// <summary>The first input image, or null for text-to-video.</summary>
    public string? Image => Images.Count > 0 ? Images[0] : null;

    /// <summary>
    /// Where the callback goes: Pixazo's <c>X-Webhook-URL</c> header, else its <c>callback_url</c> field;
    /// APIXO's <c>callback_url</c> when <c>request_type</c> is <c>callback</c>. Holds secrets: never log it.
    /// </summary>
    public string? CallbackUrl { get; }

    /// <summary>
    /// The body shape a Pixazo callback uses; null for APIXO and when no callback is wanted (no callback URL,
    /// or <c>[sim:nocallback]</c>). A dropped callback keeps the shape it would have had.
    /// </summary>
    public CallbackShape? CallbackShape { get; }

    /// <summary>
    /// The body shape an APIXO callback uses; null for Pixazo and when no callback is wanted (no callback URL,
    /// an async task, or <c>[sim:nocallback]</c>). A dropped callback keeps the shape it would have had.
    /// </summary>
    public ApixoCallbackShape? ApixoCallbackShape { get; }

    /// <summary>
    /// How the callback misbehaves, chosen when the job was accepted (see <see cref="SimulatorOptions.CallbackDropRate"/>
    /// and its siblings); null when no callback is wanted at all, as for <see cref="CallbackShape"/>.
    /// </summary>
    public CallbackPlan? CallbackPlan { get; }

    /// <summary>True when the callback is lost on purpose (<see cref="State.CallbackPlan.Dropped"/>): none is ever sent.</summary>
    public bool CallbackDropped => CallbackPlan == State.CallbackPlan.Dropped;

    /// <summary>
    /// How many copies of the terminal callback are posted at once: 3 when <see cref="State.CallbackPlan.Tripled"/>,
    /// 0 when dropped or when no callback is wanted, else 1.
    /// </summary>
    public int CallbackCopies => CallbackPlan switch
    {
        null or State.CallbackPlan.Dropped => 0,
        State.CallbackPlan.Tripled => 3,
        _ => 1,
    };

    /// <summary>How long a reordered job's terminal callback is held back after <see cref="FinishesAt"/>; zero for every other plan.</summary>
    public TimeSpan CallbackExtraDelay { get; }

    /// <summary>The status the job ends in: Completed unless a scenario trigger (or an unreachable APIXO input image) says otherwise.</summary>
    public SimulatedJobStatus FinalStatus { get; }

    /// <summary>APIXO's <c>failCode</c> of a failed task, e.g. <c>CONTENT_VIOLATION</c>; null otherwise.</summary>
    public string? FailCode { get; }

    /// <summary>The error text of a Failed or Error job (APIXO's <c>failMsg</c>).</summary>
    public string? Error { get; }

    /// <summary>Where the status can be asked: Pixazo's <c>polling_url</c>, or APIXO's status URL with the task id.</summary>
    public string PollingUrl { get; }

    /// <summary>Where the finished video is served.</summary>
    public string MediaUrl { get; }

    /// <summary>When the gateway accepted the request.</summary>
    public DateTimeOffset AcceptedAt { get; }

    /// <summary>When the status turns from QUEUED to PROCESSING (APIXO: pending to processing).</summary>
    public DateTimeOffset ProcessingAt { get; }

    /// <summary>When the job reaches its final status and the callback is due.</summary>
    public DateTimeOffset FinishesAt { get; }

    /// <summary>The status right now.</summary>
    public SimulatedJobStatus Status
    {
        get
        {
            var now = this.clock.GetUtcNow();
            if (IsFinished(now))
            {
                return FinalStatus;
            }

            return now >= ProcessingAt ? SimulatedJobStatus.Processing : SimulatedJobStatus.Queued;
        }
    }

    /// <summary>True once the final status has been reached.</summary>
    public bool IsTerminal => IsFinished(this.clock.GetUtcNow());

    /// <summary>How many times the callback has been posted so far, every copy and every retry counted.</summary>
    public int CallbackAttempts
    {
        get { lock (gate) { return callbackAttempts; } }
    }

    /// <summary>
    /// How many callbacks have been sent so far, retries not counted: 1 for a normal job, 3 for a tripled
    /// one (the copies), 2 for a reordered one (terminal, then the stale progress update), 0 when dropped.
    /// </summary>
    public int CallbacksSent
    {
        get { lock (gate) { return callbacksSent; } }
    }

    /// <summary>How many of the callbacks sent were answered 2xx (each is retried until it is, or given up).</summary>
    public int CallbacksDelivered
    {
        get { lock (gate) { return callbacksDelivered; } }
    }

    /// <summary>The HTTP status codes the receiver answered, in order; attempts that got no answer (network error, timeout) are absent.</summary>
    public IReadOnlyList<int> CallbackStatusCodes
    {
        get { lock (gate) { return [.. callbackStatusCodes]; } }
    }

    /// <summary>True once the receiver answered a callback with 2xx.</summary>
    public bool CallbackDelivered
    {
        get { lock (gate) { return callbackDelivered; } }
    }

    /// <summary>How many times a status or result endpoint was asked about this request.</summary>
    public int Polls
    {
        get { lock (gate) { return this.polls; } }
    }

    internal void MarkFinished()
    {
        lock (gate)
        {
            this.finished = true;
        }

        this.changed();
    }

    internal void RecordCallbackSent()
    {
        lock (gate)
        {
            callbacksSent++;
        }

        this.changed();
    }

    internal void RecordCallbackAttempt(int? statusCode)
    {
        lock (gate)
        {
            callbackAttempts++;
            if (statusCode is { } code)
            {
                callbackStatusCodes.Add(code);
                if (code is >= 200 and < 300)
                {
                    callbackDelivered = true;
                    callbacksDelivered++;
                }
            }
        }

        this.changed();
    }

    internal void RecordPoll()
    {
        lock (gate)
        {
            this.polls++;
        }

        this.changed();
    }

    // The dispatcher marks the job finished before posting, so a receiver that polls as soon as the
    // callback arrives never sees an older status because two clocks disagreed by a millisecond.
    private bool IsFinished(DateTimeOffset now)
    {
        lock (gate)
        {
            return this.finished || now >= FinishesAt;
        }
    }
}
