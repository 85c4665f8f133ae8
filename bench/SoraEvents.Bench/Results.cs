namespace SoraEvents.Bench;

/// <summary>One interleaved round of the ingestion benchmark: the baseline, then the service, same wrk settings.</summary>
public sealed record IngestionRound(int Round, WrkResult Baseline, WrkResult Service, long ServiceBacklog)
{
    public double Ratio => Service.RequestsPerSecond / Baseline.RequestsPerSecond;
}

public sealed record IngestionResult(IReadOnlyList<IngestionRound> Rounds, int Threads, int Connections, TimeSpan Duration)
{
    public double BaselineRps => Stats.Median(Rounds.Select(r => r.Baseline.RequestsPerSecond));
    public double ServiceRps => Stats.Median(Rounds.Select(r => r.Service.RequestsPerSecond));
    public double BaselineP50 => Stats.Median(Rounds.Select(r => r.Baseline.P50Ms));
    public double BaselineP99 => Stats.Median(Rounds.Select(r => r.Baseline.P99Ms));
    public double ServiceP50 => Stats.Median(Rounds.Select(r => r.Service.P50Ms));
    public double ServiceP99 => Stats.Median(Rounds.Select(r => r.Service.P99Ms));

    /// <summary>The median of the per-round ratios: each measured side by side.</summary>
    public double Ratio => Stats.Median(Rounds.Select(r => r.Ratio));
}

/// <summary>
/// Callbacks at one fixed rate: time from sending a callback to seeing its job's VideoCompleted.
/// <see cref="BacklogAtEnd"/>: callbacks sent whose event had not been seen when the last one was sent.
/// </summary>
public sealed record EndToEndResult(
    int TargetRate, double Seconds, double AchievedRate, int Jobs, int Completed, int NonSuccess,
    double P50Ms, double P99Ms, double MaxMs, double AckP50Ms, double AckP99Ms, int BacklogAtEnd = 0);

/// <summary>One rate tried in the search for a pipeline's sustainable rate.</summary>
public sealed record PipelineProbe(string Pipeline, EndToEndResult Run)
{
    /// <summary>
    /// Kept up: every callback answered 200, every event arrived, and when sending ended the pipeline was at most
    /// one second of callbacks behind (so over the whole window it worked off all but a second's worth).
    /// </summary>
    public bool Sustained => Run.NonSuccess == 0 && Run.Completed == Run.Jobs && Run.BacklogAtEnd <= Run.TargetRate;
}

/// <summary>The service's latency at a share of its own sustainable rate.</summary>
public sealed record PipelineLatency(double Share, EndToEndResult Run);

/// <summary>The sustainable end-to-end rates of the service and of the bare pipeline, and the service's latency below its own.</summary>
public sealed record PipelineResult(
    double WindowSeconds, int ServiceRate, int BareRate, IReadOnlyList<PipelineProbe> Probes, IReadOnlyList<PipelineLatency> Latencies)
{
    public double Ratio => ServiceRate / (double)BareRate;
}

/// <summary>One plateau of the scale benchmark.</summary>
public sealed record ScaleSample(
    string Mode, int InFlight, double WindowSeconds, double StatusCallsPerSecond, double CpuMsPerSecond, double RssMB, double StoreMB);

/// <summary>One kind of API request under the create-and-retrieve load: closed loop, each client POST then GET.</summary>
public sealed record ApiRequestFigures(string Kind, long Requests, long NonSuccess, double RequestsPerSecond, double P50Ms, double P99Ms);

/// <summary>Create-and-retrieve throughput of the HTTP API on the embedded default (in-memory bus, SQLite, built-in simulator).</summary>
public sealed record ApiResult(int Clients, double Seconds, ApiRequestFigures Create, ApiRequestFigures Retrieve)
{
    /// <summary>Create-and-retrieve pairs per second.</summary>
    public double PairsPerSecond => Math.Min(Create.Requests, Retrieve.Requests) / Seconds;
}

/// <summary>Outbound webhooks at one outcome rate: VideoCompleted published → the receiver's 2xx for that job.</summary>
public sealed record WebhookResult(
    int TargetRate, double Seconds, double AchievedRate, int Jobs, int Completed, int Delivered, int Duplicates,
    double P50Ms, double P99Ms, double MaxMs);

public sealed record BenchReport(
    BenchPlan Plan, IReadOnlyList<string> Parts, IngestionResult? Ingestion, IReadOnlyList<EndToEndResult> EndToEnd, IReadOnlyList<ScaleSample> Scale,
    MachineInfo Machine, DateTimeOffset StartedAt, TimeSpan Elapsed, string LoadBefore, string LoadAfter,
    ApiResult? Api = null, IReadOnlyList<WebhookResult>? Webhooks = null, PipelineResult? Pipeline = null);
