namespace SoraEvents.Simulator;

/// <summary>How the simulated gateways behave. Bound from the "Simulator" configuration section when run standalone.</summary>
public sealed class SimulatorOptions
{
    /// <summary>The name of the configuration section the standalone server binds.</summary>
    public const string SectionName = "Simulator";

    /// <summary>
    /// The subscription key Pixazo callers must send in <c>Ocp-Apim-Subscription-Key</c>.
    /// Null or empty accepts any non-empty key.
    /// </summary>
    public string? PixazoApiKey { get; set; }

    /// <summary>
    /// The bearer key APIXO callers must send in <c>Authorization: Bearer &lt;key&gt;</c>.
    /// Null or empty accepts any non-empty key.
    /// </summary>
    public string? ApixoApiKey { get; set; }

    /// <summary>
    /// APIXO's request limit: calls with a valid key (generate and status alike) allowed in any 60 seconds;
    /// more are answered 429. The document says 60.
    /// </summary>
    public int ApixoRequestsPerMinute { get; set; } = 60;

    /// <summary>APIXO's limit of tasks pending or processing at once; a generate call beyond it is answered 429. The document says 10.</summary>
    public int ApixoConcurrentTasks { get; set; } = 10;

    /// <summary>Time from acceptance to the terminal status, which is also when the callback is posted (both gateways).</summary>
    public TimeSpan CallbackDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Which documented body a Pixazo callback carries for completed jobs.</summary>
    public CallbackShape CallbackShape { get; set; } = CallbackShape.Alternate;

    /// <summary>Which body an APIXO callback carries: the status answer with or without its envelope.</summary>
    public ApixoCallbackShape ApixoCallbackShape { get; set; } = ApixoCallbackShape.Alternate;

    /// <summary>How many times a callback (of either gateway) is attempted in all before giving up (a non-2xx answer or a network error is retried).</summary>
    public int CallbackAttempts { get; set; } = 5;

    /// <summary>Wait before the first retry of a callback; each further retry waits twice as long as the one before.</summary>
    public TimeSpan CallbackRetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// Base for Pixazo's <c>polling_url</c> and for media URLs, e.g. <c>http://simulator.local:5090</c>.
    /// Null uses the address the server actually bound.
    /// </summary>
    public string? PublicBaseUrl { get; set; }

    /// <summary>
    /// The fraction (0 to 1) of jobs, of either gateway, whose callback is never sent at all, as if lost in
    /// transit; only polling finds their result. Decided per job when it is accepted (<see cref="State.CallbackPlan.Dropped"/>).
    /// </summary>
    public double CallbackDropRate { get; set; }

    /// <summary>
    /// The fraction (0 to 1) of jobs whose terminal callback is posted three times at once, each copy with
    /// the normal retries (<see cref="State.CallbackPlan.Tripled"/>). <see cref="CallbackDropRate"/> plus this
    /// must not exceed 1.
    /// </summary>
    public double CallbackDuplicateRate { get; set; }

    /// <summary>
    /// When true, every job neither dropped nor tripled is called back out of order
    /// (<see cref="State.CallbackPlan.Reordered"/>): its terminal callback waits a random extra 0 to
    /// <see cref="CallbackReorderJitter"/>, and a stale progress callback (Pixazo PROCESSING, APIXO
    /// processing) is posted after the terminal one.
    /// </summary>
    public bool CallbackReorder { get; set; }

    /// <summary>The most a reordered job's terminal callback is held back beyond <see cref="CallbackDelay"/>.</summary>
    public TimeSpan CallbackReorderJitter { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Seeds the random choices of the callback faults (which plan each job gets, and a reordered job's
    /// extra delay), so that the same requests accepted in the same order are treated the same run after
    /// run. Null seeds from the system.
    /// </summary>
    public int? Seed { get; set; }

    internal SimulatorOptions Clone() => (SimulatorOptions)MemberwiseClone();

    internal void Validate()
    {
        if (CallbackDelay < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(CallbackDelay), CallbackDelay, "CallbackDelay cannot be negative.");
        }

        if (CallbackAttempts < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(CallbackAttempts), CallbackAttempts, "CallbackAttempts must be at least 1.");
        }

        if (ApixoRequestsPerMinute < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(ApixoRequestsPerMinute), ApixoRequestsPerMinute, "ApixoRequestsPerMinute must be at least 1.");
        }

        if (ApixoConcurrentTasks < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(ApixoConcurrentTasks), ApixoConcurrentTasks, "ApixoConcurrentTasks must be at least 1.");
        }

        if (CallbackRetryBaseDelay < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(CallbackRetryBaseDelay), CallbackRetryBaseDelay, "CallbackRetryBaseDelay cannot be negative.");
        }

        if (!IsRate(CallbackDropRate))
        {
            throw new ArgumentOutOfRangeException(nameof(CallbackDropRate), CallbackDropRate, "CallbackDropRate must be between 0 and 1.");
        }

        if (!IsRate(CallbackDuplicateRate))
        {
            throw new ArgumentOutOfRangeException(nameof(CallbackDuplicateRate), CallbackDuplicateRate, "CallbackDuplicateRate must be between 0 and 1.");
        }

        // A little slack, so that e.g. 0.7 + 0.3 is not refused for a rounding error.
        if (CallbackDropRate + CallbackDuplicateRate > 1 + 1e-9)
        {
            throw new ArgumentOutOfRangeException(
                nameof(CallbackDuplicateRate),
                CallbackDuplicateRate,
                $"CallbackDropRate ({CallbackDropRate}) plus CallbackDuplicateRate ({CallbackDuplicateRate}) must not exceed 1: a job is dropped, tripled or neither.");
        }

        if (CallbackReorderJitter < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(CallbackReorderJitter), CallbackReorderJitter, "CallbackReorderJitter cannot be negative.");
        }

        if (!string.IsNullOrEmpty(PublicBaseUrl)
            && (!Uri.TryCreate(PublicBaseUrl, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)))
        {
            throw new ArgumentException($"PublicBaseUrl must be an absolute http(s) URL, was '{PublicBaseUrl}'.", nameof(PublicBaseUrl));
        }
    }

    // Written so that NaN is refused too.
    private static bool IsRate(double value) => value is >= 0 and <= 1;
}
