using SoraEvents.Simulator.State;
using SoraEvents.Simulator.Tests.Support;
using static SoraEvents.Simulator.Tests.Support.JsonAssert;

namespace SoraEvents.Simulator.Tests.Apixo;

public sealed class ApixoScenarioTests
{
    private static object TextToVideo(string prompt) => new { input = new { mode = "text-to-video", prompt } };

    [Theory]
    [InlineData("CONTENT_VIOLATION", "Content does not meet safety guidelines")]
    [InlineData("INVALID_IMAGE_URL", "Cannot access provided image URL")]
    [InlineData("content_violation", "Content does not meet safety guidelines")]
    public async Task Failcode_trigger_ends_the_task_failed_with_that_code_and_no_video(string code, string message)
    {
        await using var simulator = await TestSimulator.StartAsync();
        using var client = new ApixoClient(simulator);

        var taskId = await client.AcceptedTaskIdAsync(TextToVideo($"city [sim:failcode={code}]"));
        await simulator.State.WaitUntilAsync(s => s.Find(taskId)!.IsTerminal, TestSimulator.Patience);
        var data = (await client.StatusJsonAsync(taskId)).GetProperty("data");
        using var media = await client.GetAsync($"media/{taskId}/output.mp4");

        HasExactly(data, "taskId", "state", "failCode", "failMsg");
        Assert.Equal("failed", Str(data, "state"));
        Assert.Equal(code.ToUpperInvariant(), Str(data, "failCode"));
        Assert.Equal(message, Str(data, "failMsg"));
        Assert.Equal(404, (int)media.StatusCode);
        Assert.Equal(SimulatedJobStatus.Failed, simulator.State.Find(taskId)!.FinalStatus);
        Assert.Equal(code.ToUpperInvariant(), simulator.State.Find(taskId)!.FailCode);
    }

    [Theory]
    [InlineData(400)]
    [InlineData(403)]
    [InlineData(500)]
    public async Task Http_trigger_answers_that_HTTP_status_in_the_envelope_and_queues_nothing(int status)
    {
        await using var simulator = await TestSimulator.StartAsync();
        using var client = new ApixoClient(simulator);

        using var response = await client.GenerateAsync(TextToVideo($"city [sim:http={status}]"));
        var body = await ApixoClient.JsonAsync(response);

        Assert.Equal(status, (int)response.StatusCode);
        HasExactly(body, "code", "message", "data");
        Assert.Equal(status, body.GetProperty("code").GetInt32());
        Assert.Empty(simulator.State.Requests);
        Assert.Equal(1, simulator.State.Rejected[status]);
    }

    [Theory]
    [InlineData(504)]
    [InlineData(502)]
    public async Task Create_then_trigger_creates_the_task_answers_the_error_and_still_calls_back(int status)
    {
        await using var simulator = await TestSimulator.StartAsync();
        await using var receiver = await CallbackReceiver.StartAsync();
        using var client = new ApixoClient(simulator);

        using var response = await client.GenerateAsync(new
        {
            request_type = "callback",
            callback_url = receiver.Url("webhooks/apixo/job-1"),
            input = new { mode = "text-to-video", prompt = $"city [sim:create-then={status}]" },
        });
        var body = await ApixoClient.JsonAsync(response);
        var callback = await receiver.NextAsync();

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal(status, body.GetProperty("code").GetInt32());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, body.GetProperty("data").ValueKind);
        var task = Assert.Single(simulator.State.Requests);
        Assert.Equal(1, simulator.State.AcceptedFor(ProviderNames.Apixo));
        Assert.Empty(simulator.State.Rejected);
        Assert.Equal("/webhooks/apixo/job-1", callback.Path);
        Assert.Contains(task.RequestId, callback.Body, StringComparison.Ordinal);
        Assert.Contains("success", callback.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Http_429_trigger_is_the_documented_rate_limit_answer_and_is_counted()
    {
        await using var simulator = await TestSimulator.StartAsync();
        using var client = new ApixoClient(simulator);

        using var response = await client.GenerateAsync(TextToVideo("city [sim:http=429]"));

        Assert.Equal(429, (int)response.StatusCode);
        Assert.Equal("""{"code":429,"message":"Rate limit exceeded","data":null}""", await response.Content.ReadAsStringAsync());
        Assert.Equal(TimeSpan.FromSeconds(1), response.Headers.RetryAfter?.Delta);
        Assert.Equal(1, simulator.State.TooManyRequestsFor(ProviderNames.Apixo));
    }

    [Fact]
    public async Task Http_401_trigger_is_the_documented_key_answer()
    {
        await using var simulator = await TestSimulator.StartAsync();
        using var client = new ApixoClient(simulator);

        using var response = await client.GenerateAsync(TextToVideo("city [sim:http=401]"));

        Assert.Equal(401, (int)response.StatusCode);
        Assert.Equal("""{"code":401,"message":"Invalid or missing API Key","data":null}""", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("[sim:explode]", "Unknown simulator trigger")]
    [InlineData("[sim:failcode=TOO_SLOW]", "Unknown simulator trigger")]
    [InlineData("[sim:apixo=broke]", "Unknown simulator trigger")]
    public async Task Unknown_trigger_is_envelope_400_listing_the_supported_ones(string trigger, string expected)
    {
        await using var simulator = await TestSimulator.StartAsync();
        using var client = new ApixoClient(simulator);

        using var response = await client.GenerateAsync(TextToVideo($"city {trigger}"));
        var body = await ApixoClient.JsonAsync(response);
        var message = Str(body, "message");

        Assert.Equal(400, body.GetProperty("code").GetInt32());
        Assert.Contains(trigger, message, StringComparison.Ordinal);
        Assert.Contains(expected, message, StringComparison.Ordinal);
        Assert.Contains("[sim:apixo=insufficient|policy]", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("[sim:failcode=CONTENT_VIOLATION]")]
    [InlineData("[sim:apixo=insufficient]")]
    public async Task APIXO_triggers_are_ignored_by_Pixazo_so_a_failed_over_job_is_served(string trigger)
    {
        await using var simulator = await TestSimulator.StartAsync();
        using var client = new PixazoClient(simulator);

        using var response = await client.GenerateAsync(new { prompt = $"waves {trigger}" });

        Assert.Equal(202, (int)response.StatusCode);
        Assert.Equal(SimulatedJobStatus.Completed, Assert.Single(simulator.State.Requests).FinalStatus);
    }

    [Fact]
    public async Task Pixazo_triggers_are_ignored_by_APIXO()
    {
        await using var simulator = await TestSimulator.StartAsync();
        using var client = new ApixoClient(simulator);

        using var response = await client.GenerateAsync(TextToVideo("city [sim:status=ERROR]"));

        Assert.Equal(200, (await ApixoClient.JsonAsync(response)).GetProperty("code").GetInt32());
        Assert.Equal(SimulatedJobStatus.Completed, Assert.Single(simulator.State.Requests).FinalStatus);
    }

    [Fact]
    public async Task Refusal_triggers_are_applied_after_the_body_is_validated()
    {
        await using var simulator = await TestSimulator.StartAsync();
        using var client = new ApixoClient(simulator);

        using var response = await client.GenerateAsync(new { input = new { mode = "text-to-video", prompt = "city [sim:apixo=insufficient]", size = "1280x720" } });

        Assert.Contains("asterisk", Str(await ApixoClient.JsonAsync(response), "message"), StringComparison.Ordinal);
    }
}
