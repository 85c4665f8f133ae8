using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using SoraEvents.Simulator.State;
using SoraEvents.Simulator.Tests.Support;
using static SoraEvents.Simulator.Tests.Support.JsonAssert;

namespace SoraEvents.Simulator.Tests.Callbacks;

public sealed class CallbackFaultTests
{
    private const int Seed = 20260331;

    private static readonly TimeSpan Jitter = TimeSpan.FromMilliseconds(300);

    private static object ApixoWithCallback(string url, string prompt = "a city at night") =>
        new { request_type = "callback", callback_url = url, input = new { mode = "text-to-video", prompt } };

    private static string PathOf(SimulatedRequest request) => new Uri(request.CallbackUrl!).AbsolutePath;

    private static Task WaitForCallbacksAsync(RunningSimulator simulator, int perJob) =>
        simulator.State.WaitUntilAsync(
            state => state.Requests.All(r => r.CallbackDropped || r.CallbacksDelivered == perJob),
            TestSimulator.Patience);

    /// <summary>Accepts <paramref name="count"/> Pixazo jobs one after another, calling back to <c>/hooks/&lt;i&gt;</c>; returns their request ids in order.</summary>
    private static async Task<List<string>> SubmitPixazoJobsAsync(RunningSimulator simulator, CallbackReceiver receiver, int count)
    {
        using var client = new PixazoClient(simulator);
        var ids = new List<string>();
        for (var i = 0; i < count; i++)
        {
            ids.Add(await client.AcceptedRequestIdAsync(new { prompt = $"waves {i}", callback_url = receiver.Url($"hooks/{i}?token=t{i}") }));
        }

        return ids;
    }

    [Fact]
    public async Task Dropped_callbacks_never_arrive_but_the_status_endpoint_still_says_COMPLETED()
    {
        await using var simulator = await TestSimulator.StartAsync(o =>
        {
            o.Seed = Seed;
            o.CallbackDropRate = 0.3;
        });
        await using var receiver = await CallbackReceiver.StartAsync();
        using var client = new PixazoClient(simulator);

        var ids = await SubmitPixazoJobsAsync(simulator, receiver, 50);
        await WaitForCallbacksAsync(simulator, perJob: 1);
        // Long enough for a dropped callback, were one ever sent, to arrive too.
        await Task.Delay(TestSimulator.Delay * 2);

        var jobs = ids.Select(id => simulator.State.Find(id)!).ToList();
        var dropped = jobs.Where(j => j.CallbackDropped).ToList();
        Assert.InRange(dropped.Count, 5, 25);
        Assert.All(dropped, job =>
        {
            Assert.Equal(CallbackPlan.Dropped, job.CallbackPlan);
            Assert.Equal(0, job.CallbackCopies);
            Assert.Equal(0, job.CallbacksSent);
            Assert.Equal(0, job.CallbackAttempts);
        });
        var byPath = receiver.Received.ToLookup(c => c.Path);
        Assert.All(jobs, job => Assert.Equal(job.CallbackDropped ? 0 : 1, byPath[PathOf(job)].Count()));
        foreach (var job in dropped)
        {
            Assert.Equal("COMPLETED", Str(await client.StatusJsonAsync(job.RequestId), "status"));
        }

        Assert.Equal(dropped.Count, simulator.State.CallbacksDropped);
        Assert.Equal(50 - dropped.Count, simulator.State.CallbacksDelivered);
    }

    [Fact]
    public async Task Dropped_APIXO_callback_never_arrives_but_polling_finds_success()
    {
        await using var simulator = await TestSimulator.StartAsync(o => o.CallbackDropRate = 1);
        await using var receiver = await CallbackReceiver.StartAsync();
        using var client = new ApixoClient(simulator);

        var taskId = await client.AcceptedTaskIdAsync(ApixoWithCallback(receiver.Url("webhooks/apixo/job-1")));
        var task = simulator.State.Find(taskId)!;
        await simulator.State.WaitUntilAsync(_ => task.IsTerminal, TestSimulator.Patience);
        await Task.Delay(TestSimulator.Delay);

        Assert.Empty(receiver.Received);
        Assert.True(task.CallbackDropped);
        Assert.Equal(ApixoCallbackShape.Envelope, task.ApixoCallbackShape);
        Assert.Equal("success", Str((await client.StatusJsonAsync(taskId)).GetProperty("data"), "state"));
    }

    [Fact]
    public async Task Tripled_callback_is_posted_three_times_concurrently()
    {
        var barrier = new ArrivalBarrier(3, TimeSpan.FromSeconds(3));
        await using var simulator = await TestSimulator.StartAsync(o =>
        {
            o.Seed = Seed;
            o.CallbackDuplicateRate = 0.5;
        });

        // Only tripled jobs' callbacks are held: a receiver that answers none of the three copies
        // before it has seen all three proves they were in flight at the same time.
        await using var receiver = await CallbackReceiver.StartAsync(hold: path =>
            simulator.State.Requests.Single(r => PathOf(r) == path).CallbackPlan == CallbackPlan.Tripled
                ? barrier.ArriveAsync(path)
                : Task.CompletedTask);

        var ids = await SubmitPixazoJobsAsync(simulator, receiver, 12);
        var jobs = ids.Select(id => simulator.State.Find(id)!).ToList();
        await simulator.State.WaitUntilAsync(_ => jobs.All(j => j.CallbacksDelivered == j.CallbackCopies), TestSimulator.Patience);

        Assert.Empty(barrier.TimedOut);
        var tripled = jobs.Where(j => j.CallbackPlan == CallbackPlan.Tripled).ToList();
        Assert.InRange(tripled.Count, 2, 10);
        var byPath = receiver.Received.ToLookup(c => c.Path);
        foreach (var job in jobs)
        {
            var copies = byPath[PathOf(job)].ToList();
            var expected = job.CallbackPlan == CallbackPlan.Tripled ? 3 : 1;
            Assert.Equal(expected, job.CallbackCopies);
            Assert.Equal(expected, job.CallbacksSent);
            Assert.Equal(expected, copies.Count);
            Assert.Single(copies.Select(c => c.Body).Distinct());
            Assert.All(copies, c => Assert.Equal("COMPLETED", Str(c.Json, "status")));
        }
    }

    [Fact]
    public async Task Tripled_APIXO_callback_copies_are_each_retried_on_their_own()
    {
        var barrier = new ArrivalBarrier(3, TimeSpan.FromSeconds(3));
        await using var simulator = await TestSimulator.StartAsync(o => o.CallbackDuplicateRate = 1);
        await using var receiver = await CallbackReceiver.StartAsync(answer: n => n == 1 ? 500 : 200, hold: barrier.ArriveAsync);
        using var client = new ApixoClient(simulator);

        var taskId = await client.AcceptedTaskIdAsync(ApixoWithCallback(receiver.Url("webhooks/apixo/job-1")));
        var task = simulator.State.Find(taskId)!;
        await simulator.State.WaitUntilAsync(_ => task.CallbacksDelivered == 3, TestSimulator.Patience);

        Assert.Empty(barrier.TimedOut);
        Assert.Equal(CallbackPlan.Tripled, task.CallbackPlan);
        Assert.Equal(3, task.CallbacksSent);
        Assert.Equal(4, task.CallbackAttempts);
        Assert.Equal([200, 200, 200, 500], task.CallbackStatusCodes.Order());
        Assert.Equal(4, receiver.Received.Count);
        Assert.All(receiver.Received, c => Assert.Equal(taskId, Str(c.Json.GetProperty("data"), "taskId")));
    }

    [Fact]
    public async Task Reordered_jobs_call_back_terminal_first_then_a_stale_PROCESSING_update_out_of_completion_order()
    {
        await using var simulator = await TestSimulator.StartAsync(o =>
        {
            o.Seed = Seed;
            o.CallbackReorder = true;
            o.CallbackReorderJitter = Jitter;
            o.CallbackShape = CallbackShape.Alternate;
        });
        await using var receiver = await CallbackReceiver.StartAsync();

        var ids = await SubmitPixazoJobsAsync(simulator, receiver, 10);
        await WaitForCallbacksAsync(simulator, perJob: 2);

        var received = receiver.Received;
        var jobs = ids.Select(id => simulator.State.Find(id)!).ToList();
        foreach (var job in jobs)
        {
            Assert.Equal(CallbackPlan.Reordered, job.CallbackPlan);
            Assert.InRange(job.CallbackExtraDelay, TimeSpan.Zero, Jitter);
            Assert.Equal(2, job.CallbacksSent);
            var forJob = received.Where(c => c.Path == PathOf(job)).ToList();
            Assert.Equal(2, forJob.Count);

            // Terminal first, in the job's own shape; then the stale update, always in the status shape.
            var terminal = forJob[0].Json;
            Assert.Equal(
                job.CallbackShape == CallbackShape.Result ? "completed" : "COMPLETED",
                Str(terminal, "status"));
            var stale = forJob[1].Json;
            Assert.Equal("PROCESSING", Str(stale, "status"));
            Assert.Equal(job.RequestId, Str(stale, "request_id"));
            IsNull(stale, "output");
            IsNull(stale, "completed_at");
        }

        // The first callback of each job, in arrival order, is not the order the jobs were accepted
        // (and so finished) in.
        var arrivalOrder = received.Select(c => c.Path).Distinct().ToList();
        Assert.NotEqual(jobs.Select(PathOf).ToList(), arrivalOrder);
        Assert.Contains(jobs, j => j.CallbackShape == CallbackShape.Result);
    }

    [Fact]
    public async Task Reordered_APIXO_task_sends_a_stale_processing_update_in_its_own_callback_shape()
    {
        await using var simulator = await TestSimulator.StartAsync(o =>
        {
            o.CallbackReorder = true;
            o.CallbackReorderJitter = TimeSpan.FromMilliseconds(100);
            o.ApixoCallbackShape = ApixoCallbackShape.Alternate;
        });
        await using var receiver = await CallbackReceiver.StartAsync();
        using var client = new ApixoClient(simulator);

        var enveloped = await client.AcceptedTaskIdAsync(ApixoWithCallback(receiver.Url("webhooks/apixo/envelope")));
        var bare = await client.AcceptedTaskIdAsync(ApixoWithCallback(receiver.Url("webhooks/apixo/bare")));
        await WaitForCallbacksAsync(simulator, perJob: 2);

        var envelopeCallbacks = receiver.Received.Where(c => c.Path == "/webhooks/apixo/envelope").Select(c => c.Json).ToList();
        Assert.Equal(2, envelopeCallbacks.Count);
        Assert.Equal("success", Str(envelopeCallbacks[0].GetProperty("data"), "state"));
        Assert.Equal(200, envelopeCallbacks[1].GetProperty("code").GetInt32());
        HasExactly(envelopeCallbacks[1].GetProperty("data"), "taskId", "state", "createTime");
        Assert.Equal("processing", Str(envelopeCallbacks[1].GetProperty("data"), "state"));
        Assert.Equal(enveloped, Str(envelopeCallbacks[1].GetProperty("data"), "taskId"));

        var bareCallbacks = receiver.Received.Where(c => c.Path == "/webhooks/apixo/bare").Select(c => c.Json).ToList();
        Assert.Equal(2, bareCallbacks.Count);
        Assert.Equal("success", Str(bareCallbacks[0], "state"));
        HasExactly(bareCallbacks[1], "taskId", "state", "createTime");
        Assert.Equal("processing", Str(bareCallbacks[1], "state"));
        Assert.Equal(bare, Str(bareCallbacks[1], "taskId"));
    }

    [Fact]
    public async Task Same_Seed_gives_the_same_plans_across_two_runs_and_another_seed_does_not()
    {
        var first = await PlansAsync(Seed);
        var second = await PlansAsync(Seed);
        var other = await PlansAsync(Seed + 1);

        Assert.Equal(first, second);
        Assert.NotEqual(first, other);
        Assert.Equal(
            [CallbackPlan.Dropped, CallbackPlan.Tripled, CallbackPlan.Reordered],
            first.Select(p => p.Plan!.Value).Distinct().Order());

        // Both gateways, one after the other; nothing is called back within the test.
        static async Task<List<(CallbackPlan? Plan, TimeSpan ExtraDelay)>> PlansAsync(int seed)
        {
            await using var simulator = await TestSimulator.StartAsync(o =>
            {
                o.Seed = seed;
                o.CallbackDropRate = 0.25;
                o.CallbackDuplicateRate = 0.25;
                o.CallbackReorder = true;
                o.CallbackDelay = TimeSpan.FromMinutes(5);
                o.ApixoConcurrentTasks = 100;
            });
            using var pixazo = new PixazoClient(simulator);
            using var apixo = new ApixoClient(simulator);
            for (var i = 0; i < 15; i++)
            {
                await pixazo.AcceptedRequestIdAsync(new { prompt = "waves", callback_url = $"http://127.0.0.1:9/webhooks/pixazo/job-{i}" });
                await apixo.AcceptedTaskIdAsync(ApixoWithCallback($"http://127.0.0.1:9/webhooks/apixo/job-{i}"));
            }

            return [.. simulator.State.Requests.Select(r => (r.CallbackPlan, r.CallbackExtraDelay))];
        }
    }

    [Fact]
    public async Task Jobs_that_want_no_callback_take_no_plan_and_no_draw()
    {
        await using var withGaps = await TestSimulator.StartAsync(o => Faulty(o));
        await using var without = await TestSimulator.StartAsync(o => Faulty(o));
        using var gapped = new PixazoClient(withGaps);
        using var plain = new PixazoClient(without);

        for (var i = 0; i < 6; i++)
        {
            await gapped.AcceptedRequestIdAsync(new { prompt = "no callback" });
            await gapped.AcceptedRequestIdAsync(new { prompt = "waves [sim:nocallback]", callback_url = "http://127.0.0.1:9/hook" });
            await gapped.AcceptedRequestIdAsync(new { prompt = "waves", callback_url = "http://127.0.0.1:9/hook" });
            await plain.AcceptedRequestIdAsync(new { prompt = "waves", callback_url = "http://127.0.0.1:9/hook" });
        }

        var unplanned = withGaps.State.Requests.Where(r => r.Prompt != "waves").ToList();
        Assert.All(unplanned, r => Assert.Equal((null, 0, false), (r.CallbackPlan, r.CallbackCopies, r.CallbackDropped)));
        Assert.Equal(
            without.State.Requests.Select(r => r.CallbackPlan),
            withGaps.State.Requests.Where(r => r.Prompt == "waves").Select(r => r.CallbackPlan));

        static void Faulty(SimulatorOptions o)
        {
            o.Seed = Seed;
            o.CallbackDropRate = 0.4;
            o.CallbackDuplicateRate = 0.4;
            o.CallbackDelay = TimeSpan.FromMinutes(5);
        }
    }

    [Theory]
    [InlineData(-0.1, 0.0, nameof(SimulatorOptions.CallbackDropRate), "must be between 0 and 1")]
    [InlineData(1.5, 0.0, nameof(SimulatorOptions.CallbackDropRate), "must be between 0 and 1")]
    [InlineData(double.NaN, 0.0, nameof(SimulatorOptions.CallbackDropRate), "must be between 0 and 1")]
    [InlineData(0.0, -1.0, nameof(SimulatorOptions.CallbackDuplicateRate), "must be between 0 and 1")]
    [InlineData(0.0, 2.0, nameof(SimulatorOptions.CallbackDuplicateRate), "must be between 0 and 1")]
    [InlineData(0.6, 0.5, nameof(SimulatorOptions.CallbackDuplicateRate), "must not exceed 1")]
    public async Task Invalid_callback_fault_rates_refuse_to_start(double dropRate, double duplicateRate, string option, string message)
    {
        var options = new SimulatorOptions { CallbackDropRate = dropRate, CallbackDuplicateRate = duplicateRate };

        var error = await Assert.ThrowsAnyAsync<ArgumentException>(() => ProviderSimulator.StartAsync(options));

        Assert.Equal(option, error.ParamName);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Negative_reorder_jitter_refuses_to_start()
    {
        var options = new SimulatorOptions { CallbackReorder = true, CallbackReorderJitter = TimeSpan.FromSeconds(-1) };

        var error = await Assert.ThrowsAnyAsync<ArgumentException>(() => ProviderSimulator.StartAsync(options));

        Assert.Equal(nameof(SimulatorOptions.CallbackReorderJitter), error.ParamName);
    }

    [Fact]
    public async Task Rates_that_add_up_to_exactly_one_are_accepted()
    {
        await using var simulator = await ProviderSimulator.StartAsync(new SimulatorOptions { CallbackDropRate = 0.7, CallbackDuplicateRate = 0.3 });

        Assert.Equal((0.7, 0.3), (simulator.Options.CallbackDropRate, simulator.Options.CallbackDuplicateRate));
    }

    [Fact]
    public async Task Standalone_build_binds_the_callback_fault_options()
    {
        await using var app = ProviderSimulator.Build(
            options: null,
            [
                "--urls=http://127.0.0.1:0",
                "--Simulator:CallbackDropRate=0.3",
                "--Simulator:CallbackDuplicateRate=0.2",
                "--Simulator:CallbackReorder=true",
                "--Simulator:CallbackReorderJitter=00:00:00.250",
                "--Simulator:Seed=42",
            ]);

        var options = app.Services.GetRequiredService<SimulatorOptions>();

        Assert.Equal(
            (0.3, 0.2, true, TimeSpan.FromMilliseconds(250), (int?)42),
            (options.CallbackDropRate, options.CallbackDuplicateRate, options.CallbackReorder, options.CallbackReorderJitter, options.Seed));
    }

    [Fact]
    public void Standalone_build_refuses_invalid_configured_rates()
    {
        var error = Assert.ThrowsAny<ArgumentException>(() =>
            ProviderSimulator.Build(options: null, ["--urls=http://127.0.0.1:0", "--Simulator:CallbackDropRate=0.8", "--Simulator:CallbackDuplicateRate=0.8"]));

        Assert.Contains("must not exceed 1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sim_requests_shows_each_job_s_callback_plan()
    {
        await using var simulator = await TestSimulator.StartAsync(o =>
        {
            o.CallbackDuplicateRate = 1;
            o.CallbackDelay = TimeSpan.FromMinutes(5);
        });
        using var client = new PixazoClient(simulator);
        await client.AcceptedRequestIdAsync(new { prompt = "waves", callback_url = "http://127.0.0.1:9/webhooks/pixazo/job-1" });
        await client.AcceptedRequestIdAsync(new { prompt = "no callback" });

        using var response = await client.GetAsync("_sim/requests");
        var listed = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.EnumerateArray().ToArray();

        Assert.Equal(("tripled", 3, 0), (Str(listed[0], "callback_plan"), listed[0].GetProperty("callback_copies").GetInt32(), listed[0].GetProperty("callbacks_sent").GetInt32()));
        IsNull(listed[1], "callback_plan");
        Assert.Equal(0, listed[1].GetProperty("callback_copies").GetInt32());
    }

    [Fact]
    public async Task Sim_stats_counts_calls_acceptances_callbacks_and_429s()
    {
        await using var simulator = await TestSimulator.StartAsync(o =>
        {
            o.Seed = Seed;
            o.CallbackDropRate = 0.5;
            o.CallbackDuplicateRate = 0.5;
        });
        await using var receiver = await CallbackReceiver.StartAsync();
        using var pixazo = new PixazoClient(simulator);
        using var apixo = new ApixoClient(simulator);

        for (var i = 0; i < 4; i++)
        {
            await pixazo.AcceptedRequestIdAsync(new { prompt = "waves", callback_url = receiver.Url($"webhooks/pixazo/job-{i}") });
        }

        await apixo.AcceptedTaskIdAsync(ApixoWithCallback(receiver.Url("webhooks/apixo/job-9")));
        (await pixazo.GenerateAsync(new { prompt = "waves [sim:http=429]" })).Dispose();
        (await apixo.GenerateAsync(ApixoWithCallback(receiver.Url("webhooks/apixo/job-10"), "city [sim:http=429]"))).Dispose();
        (await apixo.GenerateAsync(ApixoWithCallback(receiver.Url("webhooks/apixo/job-11"), "city [sim:apixo=insufficient]"))).Dispose();
        await WaitForCallbacksAsync(simulator, perJob: 3);

        using var response = await pixazo.GetAsync("_sim/stats");
        var stats = await PixazoClient.JsonAsync(response);

        var dropped = simulator.State.Requests.Count(r => r.CallbackDropped);
        var tripled = simulator.State.Requests.Count(r => r.CallbackPlan == CallbackPlan.Tripled);
        Assert.True(dropped > 0 && tripled > 0, $"{dropped} dropped, {tripled} tripled");
        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal((5, 3), (Count(stats, "generateCalls", "pixazo"), Count(stats, "generateCalls", "apixo")));
        Assert.Equal((4, 1), (Count(stats, "accepted", "pixazo"), Count(stats, "accepted", "apixo")));
        Assert.Equal((1, 1), (Count(stats, "tooManyRequests", "pixazo"), Count(stats, "tooManyRequests", "apixo")));
        Assert.Equal(
            (3 * tripled, 3 * tripled, 3 * tripled, dropped, tripled, 0),
            (Count(stats, "callbacks", "sent"), Count(stats, "callbacks", "attempted"), Count(stats, "callbacks", "delivered"),
                Count(stats, "callbacks", "dropped"), Count(stats, "callbacks", "tripled"), Count(stats, "callbacks", "reordered")));
        Assert.Equal(0, stats.GetProperty("duplicateSubmissions").GetInt32());
        Assert.Equal((3 * tripled, dropped), (simulator.State.CallbacksAttempted, simulator.State.CallbacksDropped));
        Assert.Equal((5, 4), (simulator.State.GenerateCallsFor(ProviderNames.Pixazo), simulator.State.AcceptedFor(ProviderNames.Pixazo)));

        static int Count(JsonElement stats, string group, string name) => stats.GetProperty(group).GetProperty(name).GetInt32();
    }

    [Fact]
    public async Task DuplicateSubmissions_counts_callback_paths_submitted_more_than_once_ignoring_the_query()
    {
        await using var simulator = await TestSimulator.StartAsync(o => o.CallbackDelay = TimeSpan.FromMinutes(5));
        using var pixazo = new PixazoClient(simulator);
        using var apixo = new ApixoClient(simulator);

        await pixazo.AcceptedRequestIdAsync(new { prompt = "waves", callback_url = "http://127.0.0.1:9/webhooks/pixazo/job-1?token=a" });
        Assert.Equal(0, simulator.State.DuplicateSubmissions);
        await pixazo.AcceptedRequestIdAsync(new { prompt = "waves" }, webhookUrl: "http://127.0.0.1:9/webhooks/pixazo/job-1?token=b");
        await pixazo.AcceptedRequestIdAsync(new { prompt = "waves", callback_url = "http://127.0.0.1:9/webhooks/pixazo/job-2" });

        // Refused calls queue nothing, so a retried 429 is not a second submission.
        (await pixazo.GenerateAsync(new { prompt = "waves [sim:http=429]", callback_url = "http://127.0.0.1:9/webhooks/pixazo/job-3" })).Dispose();
        await pixazo.AcceptedRequestIdAsync(new { prompt = "waves", callback_url = "http://127.0.0.1:9/webhooks/pixazo/job-3" });

        // One path sent to both gateways is one job submitted twice.
        await pixazo.AcceptedRequestIdAsync(new { prompt = "waves", callback_url = "http://127.0.0.1:9/webhooks/job-4" });
        await apixo.AcceptedTaskIdAsync(ApixoWithCallback("http://127.0.0.1:9/webhooks/job-4"));

        using var response = await pixazo.GetAsync("_sim/stats");
        var stats = await PixazoClient.JsonAsync(response);

        Assert.Equal(2, simulator.State.DuplicateSubmissions);
        Assert.Equal(2, stats.GetProperty("duplicateSubmissions").GetInt32());
        Assert.Equal(
            new Dictionary<string, int> { ["/webhooks/pixazo/job-1"] = 2, ["/webhooks/job-4"] = 2 },
            simulator.State.DuplicateSubmissionPaths);
    }
}
