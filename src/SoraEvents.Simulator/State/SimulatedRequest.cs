namespace SoraEvents.Simulator.State;

/// <summary>
/// One accepted generate call, as the simulated gateway sees it. Reads are safe from any thread;
/// the status is derived from the clock so that polling and callbacks always agree.
/// </summary>
public sealed class SimulatedRequest
{
    private readonly Lock _gate = new();
    private readonly TimeProvider _clock;
    private readonly Action _changed;
    private readonly List<int> _callbackStatusCodes = [];
    private int _callbackAttempts;
    private bool _callbackDelivered;
    private bool _finished;
    private int _polls;

    internal SimulatedRequest(
        SimulatedRequestDetails details,
        DateTimeOffset acceptedAt,
        TimeSpan delay,
        TimeProvider clock,
        Action changed)
    {
        RequestId = details.RequestId;
        VideoId = details.VideoId;
        Kind = details.Kind;
        Prompt = details.Prompt;
        Model = details.Model;
        Size = details.Size;
        Seconds = details.Seconds;
        Image = details.Image;
        CallbackUrl = details.CallbackUrl;
        CallbackShape = details.CallbackShape;
        FinalStatus = details.FinalStatus;
        Error = details.Error;
        PollingUrl = details.PollingUrl;
        MediaUrl = details.MediaUrl;
        AcceptedAt = acceptedAt;
        ProcessingAt = acceptedAt + delay / 2;
        FinishesAt = acceptedAt + delay;
        _clock = clock;
        _changed = changed;
    }

    /// <summary>The gateway's id, <c>sora-video_&lt;uuid&gt;</c>, returned in the 202 answer.</summary>
    public string RequestId { get; }

    /// <summary>The video id, <c>video_&lt;hex&gt;</c>, that only the result shape reveals.</summary>
    public string VideoId { get; }

    /// <summary>Text-to-video or image-to-video.</summary>
    public RequestKind Kind { get; }

    /// <summary>The prompt as sent, scenario triggers included.</summary>
    public string Prompt { get; }

    /// <summary>The model the request asked for (<c>sora-2-pro</c> when omitted).</summary>
    public string Model { get; }

    /// <summary>The size as sent, or as derived from the input image when omitted; null when neither is known.</summary>
    public string? Size { get; }

    /// <summary>The duration as sent; null when omitted.</summary>
    public int? Seconds { get; }

    /// <summary>The input image (URL or data: URI) of an image-to-video request.</summary>
    public string? Image { get; }

    /// <summary>Where the callback goes: the <c>X-Webhook-URL</c> header, else the <c>callback_url</c> field. Holds secrets: never log it.</summary>
    public string? CallbackUrl { get; }

    /// <summary>The body shape the callback uses; null when no callback will be sent.</summary>
    public CallbackShape? CallbackShape { get; }

    /// <summary>The status the job ends in: Completed unless a scenario trigger says otherwise.</summary>
    public JobStatus FinalStatus { get; }

    /// <summary>The error text of a Failed or Error job.</summary>
    public string? Error { get; }

    /// <summary>The <c>polling_url</c> returned in the 202 answer.</summary>
    public string PollingUrl { get; }

    /// <summary>Where the finished video is served.</summary>
    public string MediaUrl { get; }

    /// <summary>When the gateway accepted the request.</summary>
    public DateTimeOffset AcceptedAt { get; }

    /// <summary>When the status turns from QUEUED to PROCESSING.</summary>
    public DateTimeOffset ProcessingAt { get; }

    /// <summary>When the job reaches its final status and the callback is due.</summary>
    public DateTimeOffset FinishesAt { get; }

    /// <summary>The status right now.</summary>
    public JobStatus Status
    {
        get
        {
            var now = _clock.GetUtcNow();
            if (IsFinished(now))
            {
                return FinalStatus;
            }

            return now >= ProcessingAt ? JobStatus.Processing : JobStatus.Queued;
        }
    }

    /// <summary>True once the final status has been reached.</summary>
    public bool IsTerminal => IsFinished(_clock.GetUtcNow());

    /// <summary>How many times the callback has been posted so far.</summary>
    public int CallbackAttempts
    {
        get { lock (_gate) { return _callbackAttempts; } }
    }

    /// <summary>The HTTP status codes the receiver answered, in order; attempts that got no answer (network error, timeout) are absent.</summary>
    public IReadOnlyList<int> CallbackStatusCodes
    {
        get { lock (_gate) { return [.. _callbackStatusCodes]; } }
    }

    /// <summary>True once the receiver answered a callback with 2xx.</summary>
    public bool CallbackDelivered
    {
        get { lock (_gate) { return _callbackDelivered; } }
    }

    /// <summary>How many times the status or result endpoint was asked about this request.</summary>
    public int Polls
    {
        get { lock (_gate) { return _polls; } }
    }

    internal void MarkFinished()
    {
        lock (_gate)
        {
            _finished = true;
        }

        _changed();
    }

    internal void RecordCallbackAttempt(int? statusCode)
    {
        lock (_gate)
        {
            _callbackAttempts++;
            if (statusCode is { } code)
            {
                _callbackStatusCodes.Add(code);
                _callbackDelivered |= code is >= 200 and < 300;
            }
        }

        _changed();
    }

    internal void RecordPoll()
    {
        lock (_gate)
        {
            _polls++;
        }

        _changed();
    }

    // The dispatcher marks the job finished before posting, so a receiver that polls as soon as the
    // callback arrives never sees an older status because two clocks disagreed by a millisecond.
    private bool IsFinished(DateTimeOffset now)
    {
        lock (_gate)
        {
            return _finished || now >= FinishesAt;
        }
    }
}
