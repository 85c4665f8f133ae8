using SoraEvents.Service.Jobs;

namespace SoraEvents.Bench;

public sealed partial class Benchmarks
{
    // ------------------------------------------------------------------------------------------------------------
    // 6. Sustainable end to end (`pipeline`): the service against the bare pipeline

    private const int LowestRate = 10;
    private static readonly TimeSpan BacklogDrainLimit = TimeSpan.FromMinutes(3);

    /// <summary>
    /// The highest open-loop callback rate each pipeline keeps up with for <see cref="BenchPlan.PipelineSeconds"/>
    /// (<see cref="PipelineProbe.Sustained"/>), found by doubling from <see cref="BenchPlan.PipelineStartRate"/> and
    /// then bisecting; then the service's latency at <see cref="BenchPlan.PipelineShares"/> of its own rate. Both
    /// pipelines end copies of one real submitted job (<see cref="JobSeeder"/>), each in its own store and virtual host.
    /// </summary>
    public async Task<PipelineResult> PipelineAsync()
    {
        var serviceAmqp = await broker.CreateVirtualHostAsync();
        await using var service = await StartServiceAsync(serviceAmqp, QuietPolling);
        await using var serviceTap = await EventTap.StartAsync(serviceAmqp);
        var template = (await service.CreateJobsAsync(1))[0];
        await serviceTap.WaitSubmittedAsync([template], TimeSpan.FromMinutes(2));

        var bareStore = Path.Combine(workFolder, "bare-pipeline.db");
        await new SqliteJobStore($"Data Source={bareStore}").InitializeAsync(CancellationToken.None);
        var bareAmqp = await broker.CreateVirtualHostAsync();
        await using var bare = await BaselineUnderTest.StartAsync(bareAmqp, bareStore);
        await using var bareTap = await EventTap.StartAsync(bareAmqp);

        var probes = new List<PipelineProbe>();
        log.WriteLine($"[bench] pipeline: sustainable rates ({plan.PipelineSeconds:0.#} s per rate, at most one second of callbacks behind when sending ends)");
        var serviceRate = await SustainableRateAsync("service", plan.PipelineStartRate, probes,
            rate => RunAtAsync(service.Http, serviceTap, service.DatabaseFile, rate, plan.PipelineSeconds));
        // The bare pipeline does less per callback: its search starts where the service's ended.
        var bareRate = await SustainableRateAsync("bare", Math.Max(serviceRate, plan.PipelineStartRate), probes,
            rate => RunAtAsync(bare.Http, bareTap, bareStore, rate, plan.PipelineSeconds));

        var latencies = new List<PipelineLatency>();
        foreach (var share in BenchPlan.PipelineShares)
        {
            var rate = Math.Max(1, (int)Math.Round(share * serviceRate));
            var run = await RunAtAsync(service.Http, serviceTap, service.DatabaseFile, rate, plan.PipelineLatencySeconds);
            latencies.Add(new PipelineLatency(share, run));
            log.WriteLine($"[bench]   service at {share:P0} ({rate}/s): {run.Completed}/{run.Jobs} completed, p50 {run.P50Ms:0.0} ms, p99 {run.P99Ms:0.0} ms " +
                          $"(callback answered: p50 {run.AckP50Ms:0.0} ms, p99 {run.AckP99Ms:0.0} ms)");
        }
        return new PipelineResult(plan.PipelineSeconds, serviceRate, bareRate, probes, latencies);

        Task<EndToEndResult> RunAtAsync(HttpClient http, EventTap tap, string store, int rate, double seconds) =>
            SeededRunAsync(http, tap, store, service.DatabaseFile, template, rate, seconds);
    }

    /// <summary>Doubles the rate until a pipeline falls behind, then bisects between the last rate kept and the first not.</summary>
    private async Task<int> SustainableRateAsync(string pipeline, int start, List<PipelineProbe> probes, Func<int, Task<EndToEndResult>> runAt)
    {
        var (kept, fell) = (0, 0);
        for (var (rate, doublings) = (start, 0); doublings <= plan.PipelineMaxDoublings && fell == 0; rate *= 2, doublings++)
            (kept, fell) = await KeptUpAsync(rate) ? (rate, 0) : (kept, rate);
        // Not even the first rate: halve until one is kept.
        while (kept == 0 && fell / 2 >= LowestRate)
            (kept, fell) = await KeptUpAsync(fell / 2) ? (fell / 2, fell) : (0, fell / 2);
        for (var i = 0; i < plan.PipelineBisections && kept > 0 && fell > kept + 1; i++)
        {
            var middle = (kept + fell) / 2;
            (kept, fell) = await KeptUpAsync(middle) ? (middle, fell) : (kept, middle);
        }
        log.WriteLine($"[bench]   {pipeline}: sustainable {kept}/s{(fell == 0 ? " (never fell behind: a lower bound)" : $", fell behind at {fell}/s")}");
        return kept;

        async Task<bool> KeptUpAsync(int rate)
        {
            var probe = new PipelineProbe(pipeline, await runAt(rate));
            probes.Add(probe);
            var r = probe.Run;
            log.WriteLine($"[bench]   {pipeline} {rate}/s: {(probe.Sustained ? "kept up" : "fell behind")}; {r.BacklogAtEnd} behind when sending ended, " +
                          $"{r.Completed}/{r.Jobs} completed, {r.NonSuccess} not answered 200, p50 {r.P50Ms:0.0} ms, p99 {r.P99Ms:0.0} ms");
            return probe.Sustained;
        }
    }

    /// <summary>
    /// Copies the template job into <paramref name="store"/> once per callback, then sends their callbacks open loop.
    /// A rate a pipeline cannot keep leaves a backlog; it is worked off before the run ends, so each starts level.
    /// </summary>
    private async Task<EndToEndResult> SeededRunAsync(HttpClient http, EventTap tap, string store, string templateStore, Guid template, int rate, double seconds)
    {
        var jobs = Enumerable.Range(0, Math.Max(10, (int)Math.Round(rate * seconds))).Select(_ => Guid.NewGuid()).ToList();
        await JobSeeder.CopyAsync(store, templateStore, template, jobs);
        await Task.Delay(plan.Smoke ? 100 : 500);
        return await PacedCallbacksAsync(http, tap, jobs, rate, BacklogDrainLimit) with { Seconds = seconds };
    }
}
