using SoraEvents.Simulator.State;
using SoraEvents.Simulator.Tests.Support;

namespace SoraEvents.Simulator.Tests.Apixo;

public sealed class ApixoLimitTests
{
    private const string RateLimited = """{"code":429,"message":"Rate limit exceeded","data":null}""";

    private static readonly DateTimeOffset Start = new(2026, 1, 9, 12, 0, 0, TimeSpan.Zero);

    private static object TextToVideo(string prompt = "a city at night") => new { input = new { mode = "text-to-video", prompt } };

    [Fact]
    public async Task Request_beyond_the_per_minute_limit_is_429_with_Retry_After_and_is_recorded()
    {
        var clock = new ManualClock(Start);
        await using var simulator = await TestSimulator.StartAsync(clock, o => o.ApixoRequestsPerMinute = 5);
        using var client = new ApixoClient(simulator);

        // Generate and status calls share the limit: 3 + 2 fill it.
        var taskId = await client.AcceptedTaskIdAsync(TextToVideo());
        clock.Advance(TimeSpan.FromSeconds(20));
        await client.AcceptedTaskIdAsync(TextToVideo());
        await client.AcceptedTaskIdAsync(TextToVideo());
        await client.StatusJsonAsync(taskId);
        await client.StatusJsonAsync(taskId);
        using var sixth = await client.GenerateAsync(TextToVideo());
        using var seventh = await client.StatusAsync(taskId);

        Assert.Equal(429, (int)sixth.StatusCode);
        Assert.Equal(RateLimited, await sixth.Content.ReadAsStringAsync());
        Assert.Equal(TimeSpan.FromSeconds(40), sixth.Headers.RetryAfter?.Delta);
        Assert.Equal(429, (int)seventh.StatusCode);
        Assert.Equal(RateLimited, await seventh.Content.ReadAsStringAsync());
        Assert.Equal(3, simulator.State.Requests.Count);
        Assert.Equal(2, simulator.State.TooManyRequestsFor(ProviderNames.Apixo));
        Assert.Equal(2, simulator.State.TooManyRequests[ProviderNames.Apixo]);
        Assert.Equal(0, simulator.State.TooManyRequestsFor(ProviderNames.Pixazo));
        Assert.Equal(1, simulator.State.Rejected[429]);
    }

    [Fact]
    public async Task Window_slides_so_calls_are_allowed_again_once_the_oldest_is_a_minute_old()
    {
        var clock = new ManualClock(Start);
        await using var simulator = await TestSimulator.StartAsync(clock, o => o.ApixoRequestsPerMinute = 2);
        using var client = new ApixoClient(simulator);
        await client.AcceptedTaskIdAsync(TextToVideo());
        clock.Advance(TimeSpan.FromSeconds(30));
        await client.AcceptedTaskIdAsync(TextToVideo());

        using var refused = await client.GenerateAsync(TextToVideo());
        clock.Advance(TimeSpan.FromSeconds(30));
        using var allowed = await client.GenerateAsync(TextToVideo());
        using var refusedAgain = await client.GenerateAsync(TextToVideo());

        Assert.Equal(429, (int)refused.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(30), refused.Headers.RetryAfter?.Delta);
        Assert.Equal(200, (int)allowed.StatusCode);
        Assert.Equal(429, (int)refusedAgain.StatusCode);
    }

    [Fact]
    public async Task Calls_with_a_bad_key_and_Pixazo_calls_do_not_count_against_the_APIXO_limit()
    {
        await using var simulator = await TestSimulator.StartAsync(o => o.ApixoRequestsPerMinute = 1);
        using var apixo = new ApixoClient(simulator);
        using var pixazo = new PixazoClient(simulator);

        using var badKey = await apixo.GenerateAsync(TextToVideo(), key: "wrong");
        await pixazo.AcceptedRequestIdAsync(new { prompt = "waves" });
        using var allowed = await apixo.GenerateAsync(TextToVideo());

        Assert.Equal(401, (int)badKey.StatusCode);
        Assert.Equal(200, (int)allowed.StatusCode);
        Assert.Equal(0, simulator.State.TooManyRequestsFor(ProviderNames.Apixo));
    }

    [Fact]
    public async Task Generate_beyond_the_concurrent_task_limit_is_429_until_a_task_finishes()
    {
        var clock = new ManualClock(Start);
        await using var simulator = await TestSimulator.StartAsync(clock, o =>
        {
            o.ApixoConcurrentTasks = 2;
            o.CallbackDelay = TimeSpan.FromSeconds(100);
        });
        using var client = new ApixoClient(simulator);
        await client.AcceptedTaskIdAsync(TextToVideo());
        clock.Advance(TimeSpan.FromSeconds(30));
        await client.AcceptedTaskIdAsync(TextToVideo());

        using var third = await client.GenerateAsync(TextToVideo());
        var inFlightWhenRefused = simulator.State.ApixoTasksInFlight;
        clock.Advance(TimeSpan.FromSeconds(70));
        using var afterFirstFinished = await client.GenerateAsync(TextToVideo());
        using var stillFull = await client.GenerateAsync(TextToVideo());

        Assert.Equal(429, (int)third.StatusCode);
        Assert.Equal(RateLimited, await third.Content.ReadAsStringAsync());
        Assert.Equal(TimeSpan.FromSeconds(70), third.Headers.RetryAfter?.Delta);
        Assert.Equal(2, inFlightWhenRefused);
        Assert.Equal(200, (int)afterFirstFinished.StatusCode);
        Assert.Equal(429, (int)stillFull.StatusCode);
        Assert.Equal(3, simulator.State.Requests.Count);
        Assert.Equal(2, simulator.State.MaxConcurrentApixoTasks);
        Assert.Equal(2, simulator.State.TooManyRequestsFor(ProviderNames.Apixo));
    }

    [Fact]
    public async Task Concurrent_task_limit_holds_under_a_parallel_burst()
    {
        await using var simulator = await TestSimulator.StartAsync(o =>
        {
            o.ApixoConcurrentTasks = 3;
            o.CallbackDelay = TimeSpan.FromSeconds(30);
        });
        using var client = new ApixoClient(simulator);

        var responses = await Task.WhenAll(Enumerable.Range(0, 12).Select(i => client.GenerateAsync(TextToVideo($"burst {i}"))));
        var statuses = responses.Select(r => (int)r.StatusCode).ToArray();
        foreach (var response in responses)
        {
            response.Dispose();
        }

        Assert.Equal(3, statuses.Count(s => s == 200));
        Assert.Equal(9, statuses.Count(s => s == 429));
        Assert.Equal(3, simulator.State.MaxConcurrentApixoTasks);
        Assert.Equal(9, simulator.State.TooManyRequestsFor(ProviderNames.Apixo));
    }

    [Fact]
    public async Task Failed_tasks_free_their_slot_too()
    {
        await using var simulator = await TestSimulator.StartAsync(o => o.ApixoConcurrentTasks = 1);
        using var client = new ApixoClient(simulator);
        var taskId = await client.AcceptedTaskIdAsync(TextToVideo("[sim:failcode=CONTENT_VIOLATION] city"));

        await simulator.State.WaitUntilAsync(s => s.Find(taskId)!.IsTerminal, TestSimulator.Patience);
        using var next = await client.GenerateAsync(TextToVideo());

        Assert.Equal(200, (int)next.StatusCode);
        Assert.Equal(1, simulator.State.MaxConcurrentApixoTasks);
        Assert.Equal(0, simulator.State.TooManyRequestsFor(ProviderNames.Apixo));
    }

    [Fact]
    public async Task Pixazo_jobs_do_not_take_APIXO_task_slots()
    {
        await using var simulator = await TestSimulator.StartAsync(o => o.ApixoConcurrentTasks = 1);
        using var apixo = new ApixoClient(simulator);
        using var pixazo = new PixazoClient(simulator);
        await pixazo.AcceptedRequestIdAsync(new { prompt = "waves" });

        using var response = await apixo.GenerateAsync(TextToVideo());
        var body = await ApixoClient.JsonAsync(response);

        Assert.Equal(200, body.GetProperty("code").GetInt32());
        Assert.Equal(1, simulator.State.MaxConcurrentApixoTasks);
    }
}
