using SoraEvents.Imaging.Tests.Support;
using SoraEvents.Simulator.State;
using SoraEvents.Simulator.Tests.Support;
using static SoraEvents.Simulator.Tests.Support.JsonAssert;

namespace SoraEvents.Simulator.Tests.Scenarios;

public sealed class ScenarioTriggerTests
{
    [Theory]
    [InlineData(400, "Bad Request")]
    [InlineData(401, "Unauthorized")]
    [InlineData(402, "Insufficient Balance")]
    [InlineData(403, "Forbidden")]
    [InlineData(429, "Too Many Requests")]
    [InlineData(500, "Internal Server Error")]
    public async Task Http_trigger_answers_that_status_and_queues_nothing(int status, string error)
    {
        await using var simulator = await TestSimulator.StartAsync();
        await using var receiver = await CallbackReceiver.StartAsync();
        using var client = new PixazoClient(simulator);

        using var response = await client.GenerateAsync(new { prompt = $"waves [sim:http={status}]", callback_url = receiver.Url("hook") });
        var body = await PixazoClient.JsonAsync(response);

        Assert.Equal(status, (int)response.StatusCode);
        HasExactly(body, "error", "message");
        Assert.Equal(error, Str(body, "error"));
        Assert.Empty(simulator.State.Requests);
        Assert.Equal(1, simulator.State.Rejected[status]);
        await Task.Delay(TestSimulator.Delay * 2);
        Assert.Empty(receiver.Received);
    }

    [Fact]
    public async Task Http_402_trigger_answers_the_documented_insufficient_balance_body()
    {
        await using var simulator = await TestSimulator.StartAsync();
        using var client = new PixazoClient(simulator);

        using var response = await client.GenerateAsync(new { prompt = "[sim:http=402] waves" });
        var body = await PixazoClient.JsonAsync(response);

        Assert.Equal("Insufficient Balance", Str(body, "error"));
        Assert.Equal("Your wallet does not have enough balance.", Str(body, "message"));
    }

    [Fact]
    public async Task Http_429_trigger_asks_to_retry_after_one_second_and_is_counted()
    {
        await using var simulator = await TestSimulator.StartAsync();
        using var client = new PixazoClient(simulator);

        using var response = await client.GenerateAsync(new { prompt = "waves [sim:http=429]" });

        Assert.Equal(429, (int)response.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(1), response.Headers.RetryAfter?.Delta);
        Assert.Equal(1, simulator.State.TooManyRequestsFor(ProviderNames.Pixazo));
        Assert.Equal(0, simulator.State.TooManyRequestsFor(ProviderNames.Apixo));
    }

    [Fact]
    public async Task Http_trigger_works_on_image_to_video_too()
    {
        await using var simulator = await TestSimulator.StartAsync();
        using var client = new PixazoClient(simulator);

        using var response = await client.GenerateFromImageAsync(new { prompt = "move [sim:http=500]", image = TestImages.PngDataUri(1280, 720) });

        Assert.Equal(500, (int)response.StatusCode);
    }

    [Theory]
    [InlineData("FAILED", SimulatedJobStatus.Failed, "Simulated failure")]
    [InlineData("ERROR", SimulatedJobStatus.Error, "Simulated system error")]
    [InlineData("failed", SimulatedJobStatus.Failed, "Simulated failure")]
    public async Task Status_trigger_ends_the_job_in_that_status_and_calls_back_with_the_error_body(string trigger, SimulatedJobStatus expected, string error)
    {
        // Result shape is asked for, yet failures are only documented in the status shape, so that is what comes.
        await using var simulator = await TestSimulator.StartAsync(o => o.CallbackShape = CallbackShape.Result);
        await using var receiver = await CallbackReceiver.StartAsync();
        using var client = new PixazoClient(simulator);

        var requestId = await client.AcceptedRequestIdAsync(new { prompt = $"waves [sim:status={trigger}]", callback_url = receiver.Url("hook") });
        var callback = (await receiver.NextAsync()).Json;
        var polled = await client.StatusJsonAsync(requestId);
        using var resultResponse = await client.ResultAsync(requestId);
        var result = await PixazoClient.JsonAsync(resultResponse);

        var wire = expected.ToString().ToUpperInvariant();
        Assert.Equal(requestId, Str(callback, "request_id"));
        Assert.Equal(wire, Str(callback, "status"));
        Assert.Equal(error, Str(callback, "error"));
        IsNull(callback, "output");
        Assert.Equal("sora-video", Str(callback, "model_id"));
        Assert.Equal(wire, Str(polled, "status"));
        Assert.Equal(error, Str(polled, "error"));
        IsNull(polled, "output");
        Assert.Equal("failed", Str(result, "status"));
        IsNull(result, "video_url");
        Assert.Equal(expected, simulator.State.Find(requestId)!.Status);
        Assert.Equal(CallbackShape.Status, simulator.State.Find(requestId)!.CallbackShape);
    }

    [Fact]
    public async Task Failed_job_has_no_media()
    {
        await using var simulator = await TestSimulator.StartAsync();
        using var client = new PixazoClient(simulator);
        var requestId = await client.AcceptedRequestIdAsync(new { prompt = "waves [sim:status=FAILED]" });
        await simulator.State.WaitUntilAsync(s => s.Find(requestId)!.IsTerminal, TestSimulator.Patience);

        using var response = await client.GetAsync($"media/{requestId}/output.mp4");

        Assert.Equal(404, (int)response.StatusCode);
    }

    [Fact]
    public async Task Nocallback_trigger_never_calls_back_but_polling_finds_the_result()
    {
        await using var simulator = await TestSimulator.StartAsync();
        await using var receiver = await CallbackReceiver.StartAsync();
        using var client = new PixazoClient(simulator);

        var requestId = await client.AcceptedRequestIdAsync(new { prompt = "waves [sim:nocallback]" }, webhookUrl: receiver.Url("hook"));
        var request = simulator.State.Find(requestId)!;
        await simulator.State.WaitUntilAsync(_ => request.IsTerminal, TestSimulator.Patience);
        await Task.Delay(TestSimulator.Delay * 2);

        Assert.Empty(receiver.Received);
        Assert.Equal(0, request.CallbackAttempts);
        Assert.Null(request.CallbackShape);
        Assert.Equal("COMPLETED", Str(await client.StatusJsonAsync(requestId), "status"));
    }

    [Fact]
    public async Task Triggers_combine()
    {
        await using var simulator = await TestSimulator.StartAsync();
        using var client = new PixazoClient(simulator);

        var requestId = await client.AcceptedRequestIdAsync(new { prompt = "[sim:status=ERROR] waves [sim:nocallback]", callback_url = "http://127.0.0.1:9/hook" });

        var request = simulator.State.Find(requestId)!;
        Assert.Equal(SimulatedJobStatus.Error, request.FinalStatus);
        Assert.Null(request.CallbackShape);
    }

    [Theory]
    [InlineData(504)]
    [InlineData(502)]
    [InlineData(500)]
    public async Task Create_then_trigger_creates_the_task_answers_the_error_and_still_calls_back(int status)
    {
        await using var simulator = await TestSimulator.StartAsync();
        await using var receiver = await CallbackReceiver.StartAsync();
        using var client = new PixazoClient(simulator);

        using var response = await client.GenerateAsync(new { prompt = $"waves [sim:create-then={status}]" }, webhookUrl: receiver.Url("webhooks/pixazo/job-1"));
        var body = await PixazoClient.JsonAsync(response);
        var callback = await receiver.NextAsync();

        Assert.Equal(status, (int)response.StatusCode);
        HasExactly(body, "error", "message");
        Assert.DoesNotContain("request_id", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var request = Assert.Single(simulator.State.Requests);
        Assert.Equal(1, simulator.State.AcceptedFor(ProviderNames.Pixazo));
        Assert.Empty(simulator.State.Rejected);
        Assert.Equal("/webhooks/pixazo/job-1", callback.Path);
        Assert.Equal(request.RequestId, Str(callback.Json, "request_id"));
        Assert.Equal("COMPLETED", Str(callback.Json, "status"));
    }

    [Theory]
    [InlineData("[sim:http=418]")]
    [InlineData("[sim:create-then=503]")]
    [InlineData("[sim:status=COMPLETE]")]
    [InlineData("[sim:explode]")]
    public async Task Unknown_trigger_is_rejected_with_400_listing_the_supported_ones(string trigger)
    {
        await using var simulator = await TestSimulator.StartAsync();
        using var client = new PixazoClient(simulator);

        using var response = await client.GenerateAsync(new { prompt = $"waves {trigger}" });
        var message = Str(await PixazoClient.JsonAsync(response), "message");

        Assert.Equal(400, (int)response.StatusCode);
        Assert.Contains(trigger, message, StringComparison.Ordinal);
        Assert.Contains("[sim:nocallback]", message, StringComparison.Ordinal);
    }
}
