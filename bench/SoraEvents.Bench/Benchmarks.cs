using System.Diagnostics;
using System.Net;
using System.Text;
using RabbitMQ.Client;
using SoraEvents.Simulator;
using SoraEvents.Testing;

namespace SoraEvents.Bench;

/// <summary>The benchmarks of docs/benchmarks.md. Each writes progress to <c>log</c> and returns its figures.</summary>
public sealed partial class Benchmarks(BenchPlan plan, RabbitMqFixture broker, RunningSimulator simulator, string simulatorKey, string workFolder, TextWriter log)
{
    /// <summary>Settings of the service used for ingestion and end to end: no status checks get in the way.</summary>
    public static readonly IReadOnlyDictionary<string, string> QuietPolling = new Dictionary<string, string>
    {
        ["Providers__Pixazo__PollAfterSeconds"] = "3600",
        ["Providers__Pixazo__PollEverySeconds"] = "3600",
        // Ingestion posts callbacks for job ids the store does not know (the consumer drops them, as it should);
        // its warning for each would measure the console, not the service.
        ["Serilog__MinimumLevel__Override__SoraEvents.Service.Webhooks.CallbackReceivedConsumer"] = "Error",
    };

    /// <summary>Settings added to every service start (experiments: <c>--set KEY=VALUE</c>).</summary>
    public Dictionary<string, string> ExtraSettings { get; } = [];

    /// <summary>Another build of the service to measure (experiments: <c>--service-dll PATH</c>); null = the one built beside this.</summary>
    public string? ServiceDll { get; set; }

    public Task<ServiceUnderTest> StartServiceAsync(Uri amqpUrl, IReadOnlyDictionary<string, string> settings)
    {
        var all = new Dictionary<string, string>(settings);
        foreach (var (key, value) in ExtraSettings) all[key] = value;
        return ServiceUnderTest.StartAsync(amqpUrl, simulator.BaseUrl, simulatorKey, all, ServiceDll);
    }

    // ------------------------------------------------------------------------------------------------------------
    // 1. Ingestion

    public async Task<IngestionResult> IngestionAsync(ServiceUnderTest service, BaselineUnderTest baseline)
    {
        var paths = Enumerable.Range(0, plan.IngestionJobIds).Select(_ => ServiceUnderTest.CallbackPath(Guid.NewGuid()));
        var script = Wrk.WriteScript(paths, workFolder);
        log.WriteLine($"[bench] ingestion: wrk -t{plan.WrkThreads} -c{plan.WrkConnections} -d{plan.WrkDuration.TotalSeconds:0}s, {plan.IngestionRounds} interleaved rounds");

        await DeclareCallbackQueueAsync(service.AmqpUrl);
        // Warm both up (JIT, connection pools, queues), then settle.
        await RunWrkAsync(baseline.BaseUrl, script, plan.WrkWarmup);
        await DrainBaselineAsync(baseline);
        await RunWrkAsync(service.BaseUrl, script, plan.WrkWarmup);
        await DrainServiceAsync(service);

        var rounds = new List<IngestionRound>();
        for (var round = 1; round <= plan.IngestionRounds; round++)
        {
            var b = await RunWrkAsync(baseline.BaseUrl, script, plan.WrkDuration);
            await DrainBaselineAsync(baseline);
            var s = await RunWrkAsync(service.BaseUrl, script, plan.WrkDuration);
            var backlog = await RabbitMqFixture.MessageCountAsync(service.AmqpUrl, "callback-received");
            await DrainServiceAsync(service);
            var r = new IngestionRound(round, b, s, backlog);
            rounds.Add(r);
            log.WriteLine($"[bench]   round {round}: baseline {b.RequestsPerSecond:0} req/s (p50 {b.P50Ms:0.0} ms, p99 {b.P99Ms:0.0} ms) | " +
                          $"service {s.RequestsPerSecond:0} req/s (p50 {s.P50Ms:0.0} ms, p99 {s.P99Ms:0.0} ms, consumer backlog {backlog}) | ratio {r.Ratio:0.00}");
            if (b.NonSuccess + b.SocketErrors + s.NonSuccess + s.SocketErrors > 0)
                log.WriteLine($"[bench]   WARNING: non-2xx baseline {b.NonSuccess} service {s.NonSuccess}; socket errors baseline {b.SocketErrors} service {s.SocketErrors}");
        }
        return new IngestionResult(rounds, plan.WrkThreads, plan.WrkConnections, plan.WrkDuration);
    }

    private Task<WrkResult> RunWrkAsync(Uri target, string script, TimeSpan duration) =>
        Wrk.RunAsync(target, script, plan.WrkThreads, plan.WrkConnections, duration);

    private static Task DrainBaselineAsync(BaselineUnderTest baseline) => PurgeAsync(baseline.AmqpUrl, BaselineUnderTest.Queue);

    private static async Task PurgeAsync(Uri amqpUrl, string queue)
    {
        await using var connection = await RabbitMqFixture.ConnectAsync(amqpUrl);
        await using var channel = await connection.CreateChannelAsync();
        await channel.QueuePurgeAsync(queue);
    }

    private static async Task<uint> ConsumersAsync(Uri amqpUrl, string queue)
    {
        await using var connection = await RabbitMqFixture.ConnectAsync(amqpUrl);
        await using var channel = await connection.CreateChannelAsync();
        return (await channel.QueueDeclarePassiveAsync(queue)).ConsumerCount;
    }

    /// <summary>
    /// The queue the service's consumer reads, bound straight to the message type's exchange as well, declared as
    /// MassTransit declares it: a no-op for the service as built, and what keeps callbacks durable (queued) for an
    /// experiment that runs the service without its consumer.
    /// </summary>
    private static async Task DeclareCallbackQueueAsync(Uri amqpUrl)
    {
        const string exchange = "SoraEvents.Service.Webhooks:CallbackReceived";
        await using var connection = await RabbitMqFixture.ConnectAsync(amqpUrl);
        await using var channel = await connection.CreateChannelAsync();
        await channel.ExchangeDeclareAsync(exchange, ExchangeType.Fanout, durable: true, autoDelete: false);
        await channel.QueueDeclareAsync("callback-received", durable: true, exclusive: false, autoDelete: false);
        await channel.QueueBindAsync("callback-received", exchange, "");
    }

    /// <summary>Waits until the service's consumer has worked off what ingestion queued, so the next run starts level.</summary>
    private async Task DrainServiceAsync(ServiceUnderTest service)
    {
        var clock = Stopwatch.StartNew();
        while (await RabbitMqFixture.MessageCountAsync(service.AmqpUrl, "callback-received") > 0)
        {
            if (await ConsumersAsync(service.AmqpUrl, "callback-received") == 0)
            {
                // Only a patched service without the consumer (an experiment) leaves nobody to drain it.
                await PurgeAsync(service.AmqpUrl, "callback-received");
                continue;
            }
            if (clock.Elapsed > TimeSpan.FromMinutes(3)) throw new TimeoutException("callback-received did not drain within 3 minutes");
            await Task.Delay(250);
        }
        await Task.Delay(plan.Smoke ? 200 : 1000);
    }

    // ------------------------------------------------------------------------------------------------------------
    // 2. End to end

    public async Task<List<EndToEndResult>> EndToEndAsync(ServiceUnderTest service)
    {
        await using var tap = await EventTap.StartAsync(service.AmqpUrl);
        var results = new List<EndToEndResult>();
        for (var r = 0; r < plan.Rates.Length; r++)
        {
            var rate = plan.Rates[r];
            var count = Math.Max(10, (int)Math.Round(rate * plan.RateSeconds[r]));
            var clock = Stopwatch.StartNew();
            var jobs = await service.CreateJobsAsync(count);
            await tap.WaitSubmittedAsync(jobs, TimeSpan.FromMinutes(3));
            log.WriteLine($"[bench] end to end {rate}/s: {count} jobs created and submitted in {clock.Elapsed.TotalSeconds:0.0} s; sending callbacks");
            await Task.Delay(plan.Smoke ? 200 : 1000);
            var result = await PacedCallbacksAsync(service.Http, tap, jobs, rate);
            result = result with { Seconds = plan.RateSeconds[r] };
            results.Add(result);
            log.WriteLine($"[bench]   {result.AchievedRate:0}/s sent, {result.Completed}/{result.Jobs} completed: p50 {result.P50Ms:0.0} ms, p99 {result.P99Ms:0.0} ms, " +
                          $"max {result.MaxMs:0.0} ms (callback answered: p50 {result.AckP50Ms:0.0} ms, p99 {result.AckP99Ms:0.0} ms)");
        }
        return results;
    }

    /// <summary>
    /// An open-loop sender: callback i leaves at i/rate seconds whatever happened to the earlier ones (no waiting
    /// for answers, so a slow service meets the same offered rate, as it would from a gateway). Afterwards it waits
    /// up to <paramref name="drainFor"/> (30 s when not given) for the events still to come.
    /// </summary>
    private static async Task<EndToEndResult> PacedCallbacksAsync(HttpClient http, EventTap tap, IReadOnlyList<Guid> jobs, int rate, TimeSpan? drainFor = null)
    {
        var sent = new long[jobs.Count];
        var answered = new long[jobs.Count];
        var statuses = new int[jobs.Count];
        var tasks = new Task[jobs.Count];
        var start = Stopwatch.GetTimestamp();
        for (var i = 0; i < jobs.Count; i++)
        {
            var due = start + (long)(i * (double)Stopwatch.Frequency / rate);
            while (Stopwatch.GetTimestamp() < due) await Task.Delay(1);
            var index = i;
            sent[index] = Stopwatch.GetTimestamp();
            tasks[index] = SendAsync(index);
        }
        var lastSent = Stopwatch.GetTimestamp();
        await Task.WhenAll(tasks);

        // Wait for the stragglers (bounded), then read the clock of each VideoCompleted.
        var wait = Stopwatch.StartNew();
        // Only callbacks answered 200 were stored; the others will never have an event.
        var stored = statuses.Count(s => s == 200);
        while (tap.CountCompleted(jobs) < stored && wait.Elapsed < (drainFor ?? TimeSpan.FromSeconds(30))) await Task.Delay(50);

        var latencies = new List<double>();
        var doneWhenSendingEnded = 0;
        for (var i = 0; i < jobs.Count; i++)
        {
            if (!tap.TryGetCompleted(jobs[i], out var at)) continue;
            latencies.Add(Stopwatch.GetElapsedTime(sent[i], at).TotalMilliseconds);
            if (at <= lastSent) doneWhenSendingEnded++;
        }
        var acks = Enumerable.Range(0, jobs.Count).Where(i => answered[i] != 0)
            .Select(i => Stopwatch.GetElapsedTime(sent[i], answered[i]).TotalMilliseconds).ToList();
        var span = Stopwatch.GetElapsedTime(start, lastSent).TotalSeconds;
        return new EndToEndResult(rate, jobs.Count / (double)rate, span > 0 ? (jobs.Count - 1) / span : rate, jobs.Count, latencies.Count,
            statuses.Count(s => s != 200),
            Stats.Percentile(latencies, 50), Stats.Percentile(latencies, 99), latencies.Count > 0 ? latencies.Max() : double.NaN,
            Stats.Percentile(acks, 50), Stats.Percentile(acks, 99), jobs.Count - doneWhenSendingEnded);

        async Task SendAsync(int i)
        {
            var jobId = jobs[i];
            var body = $$"""{"id":"{{JobSeeder.TaskId(jobId)}}","status":"completed","video_url":"https://cdn.example/bench/{{jobId:D}}.mp4"}""";
            try
            {
                using var content = new StringContent(body, Encoding.UTF8, "application/json");
                using var response = await http.PostAsync(ServiceUnderTest.CallbackPath(jobId), content);
                answered[i] = Stopwatch.GetTimestamp();
                statuses[i] = (int)response.StatusCode;
            }
            catch (HttpRequestException)
            {
                statuses[i] = -1;
            }
        }
    }

    // ------------------------------------------------------------------------------------------------------------
    // 3. Scale

    /// <summary>
    /// Grows the jobs in flight (never called back, status checks on) through <see cref="BenchPlan.InFlight"/> and,
    /// at each plateau, measures the service's CPU per second, the status calls per second the simulator answers,
    /// the service's RSS and the store's size. <paramref name="proportional"/>: every job is due every
    /// <see cref="BenchPlan.ProportionalPollSeconds"/>, so the due rate grows with the jobs; otherwise the growing
    /// Pixazo jobs are never due within the run and a fixed set of APIXO jobs is due at a fixed rate.
    /// </summary>
    public async Task<List<ScaleSample>> ScaleAsync(bool proportional)
    {
        var mode = proportional ? "due ∝ in flight" : "fixed due rate";
        var poll = plan.ProportionalPollSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var hot = plan.HotPollSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var settings = proportional
            ? new Dictionary<string, string>
            {
                ["Providers__Pixazo__PollAfterSeconds"] = poll,
                ["Providers__Pixazo__PollEverySeconds"] = poll,
                // The default (200 due jobs per sweep and gateway) would cap the checks at 200 a second.
                ["Jobs__SweepBatch"] = plan.ProportionalSweepBatch.ToString(System.Globalization.CultureInfo.InvariantCulture),
            }
            : new Dictionary<string, string>
            {
                ["Providers__Pixazo__PollAfterSeconds"] = "3600",
                ["Providers__Pixazo__PollEverySeconds"] = "3600",
                ["Providers__Apixo__PollAfterSeconds"] = hot,
                ["Providers__Apixo__PollEverySeconds"] = hot,
                // APIXO's documented limits (60 a minute, 10 at once) would starve a fixed set of 100 polled jobs.
                ["Providers__Apixo__RequestsPerMinute"] = "100000",
                ["Providers__Apixo__ConcurrentTasks"] = "100000",
            };

        var amqpUrl = await broker.CreateVirtualHostAsync();
        await using var service = await StartServiceAsync(amqpUrl, settings);
        await using var tap = await EventTap.StartAsync(amqpUrl);
        var samples = new List<ScaleSample>();
        var inFlight = 0;
        if (!proportional)
        {
            var hotJobs = await service.CreateJobsAsync(plan.HotApixoJobs, "apixo", parallel: 8);
            await tap.WaitSubmittedAsync(hotJobs, TimeSpan.FromMinutes(2));
            inFlight += hotJobs.Count;
            log.WriteLine($"[bench] scale ({mode}): {hotJobs.Count} APIXO jobs checked every {hot} s");
        }
        var pixazo = 0;
        foreach (var target in plan.InFlight)
        {
            var clock = Stopwatch.StartNew();
            var jobs = await service.CreateJobsAsync(target - pixazo);
            await tap.WaitSubmittedAsync(jobs, TimeSpan.FromMinutes(5));
            pixazo = target;
            inFlight = target + (proportional ? 0 : plan.HotApixoJobs);
            log.WriteLine($"[bench] scale ({mode}): {inFlight} in flight ({jobs.Count} more created and submitted in {clock.Elapsed.TotalSeconds:0.0} s)");

            // Proportional: wait one period, so every job is into its check cycle, and measure over one period,
            // in which each job is due once. Fixed: the Pixazo jobs are not due for an hour.
            TimeSpan window;
            if (proportional)
            {
                window = TimeSpan.FromSeconds(plan.ProportionalPollSeconds);
                await Task.Delay(window);
            }
            else
            {
                window = plan.FixedWindow;
                await Task.Delay(plan.FixedSettle);
            }
            var cpu0 = ProcessStats.CpuSeconds(service.Pid);
            var polls0 = StatusCalls();
            var t0 = Stopwatch.GetTimestamp();
            await Task.Delay(window);
            var cpu1 = ProcessStats.CpuSeconds(service.Pid);
            var polls1 = StatusCalls();
            var seconds = Stopwatch.GetElapsedTime(t0).TotalSeconds;
            var sample = new ScaleSample(mode, inFlight, seconds, (polls1 - polls0) / seconds, (cpu1 - cpu0) * 1000 / seconds,
                ProcessStats.RssMB(service.Pid), ProcessStats.StoreMB(service.DatabaseFile));
            samples.Add(sample);
            log.WriteLine($"[bench]   {sample.StatusCallsPerSecond:0.0} status calls/s, service CPU {sample.CpuMsPerSecond:0} ms/s, " +
                          $"RSS {sample.RssMB:0} MB, store {sample.StoreMB:0.0} MB");
        }
        if (tap.FailedCount > 0) log.WriteLine($"[bench]   WARNING: {tap.FailedCount} jobs failed during the scale run");
        return samples;
    }

    private long StatusCalls() => simulator.State.Requests.Sum(r => (long)r.Polls);
}
