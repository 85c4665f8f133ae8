namespace SoraEvents.Bench;

/// <summary>How big each part of the benchmark is: the full run, or the smoke run that CI keeps alive.</summary>
public sealed record BenchPlan(
    bool Smoke,
    int WrkThreads,
    int WrkConnections,
    TimeSpan WrkDuration,
    TimeSpan WrkWarmup,
    int IngestionRounds,
    int IngestionJobIds,
    int[] Rates,
    double[] RateSeconds,
    int[] InFlight,
    int HotApixoJobs,
    double HotPollSeconds,
    TimeSpan FixedSettle,
    TimeSpan FixedWindow,
    double ProportionalPollSeconds,
    int ProportionalSweepBatch,
    int ApiClients,
    TimeSpan ApiDuration,
    TimeSpan ApiWarmup,
    int[] WebhookRates,
    double[] WebhookSeconds)
{
    public static readonly string[] AllParts = ["ingestion", "e2e", "api", "webhooks", "scale"];

    public static BenchPlan Full { get; } = new(
        Smoke: false,
        WrkThreads: 2,
        WrkConnections: 64,
        WrkDuration: TimeSpan.FromSeconds(10),
        WrkWarmup: TimeSpan.FromSeconds(3),
        IngestionRounds: 3,
        IngestionJobIds: 10_000,
        Rates: [100, 500, 1000],
        RateSeconds: [10, 8, 5],
        InFlight: [1_000, 5_000, 10_000],
        HotApixoJobs: 100,
        HotPollSeconds: 2,
        FixedSettle: TimeSpan.FromSeconds(3),
        FixedWindow: TimeSpan.FromSeconds(10),
        ProportionalPollSeconds: 20,
        ProportionalSweepBatch: 1_000,
        ApiClients: 32,
        ApiDuration: TimeSpan.FromSeconds(10),
        ApiWarmup: TimeSpan.FromSeconds(3),
        WebhookRates: [100, 500],
        WebhookSeconds: [10, 8]);

    public static BenchPlan SmokeRun { get; } = new(
        Smoke: true,
        WrkThreads: 2,
        WrkConnections: 16,
        WrkDuration: TimeSpan.FromSeconds(1),
        WrkWarmup: TimeSpan.FromSeconds(1),
        IngestionRounds: 1,
        IngestionJobIds: 200,
        Rates: [100, 500, 1000],
        RateSeconds: [0.2, 0.2, 0.2],
        InFlight: [20, 50, 100],
        HotApixoJobs: 10,
        HotPollSeconds: 1,
        FixedSettle: TimeSpan.FromSeconds(0.5),
        FixedWindow: TimeSpan.FromSeconds(2),
        ProportionalPollSeconds: 2,
        ProportionalSweepBatch: 1_000,
        ApiClients: 8,
        ApiDuration: TimeSpan.FromSeconds(1),
        ApiWarmup: TimeSpan.FromSeconds(0.5),
        WebhookRates: [100, 500],
        WebhookSeconds: [0.2, 0.2]);
}
