using SoraEvents.Simulator.Tests.Support;
using static SoraEvents.Simulator.Tests.Support.JsonAssert;

namespace SoraEvents.Simulator.Tests.Callbacks;

public sealed class CallbackTests
{
    private static readonly string[] StatusFields =
        ["request_id", "status", "model_id", "error", "output", "created_at", "updated_at", "completed_at"];

    private static readonly string[] ResultFields =
        ["id", "status", "model", "prompt", "created_at", "completed_at", "video_url", "metadata"];

    [Fact]
    public async Task Callback_in_status_shape_is_posted_to_callback_url_after_the_delay()
    {
        await using var simulator = await TestSimulator.StartAsync(o => o.CallbackShape = CallbackShape.Status);
        await using var receiver = await CallbackReceiver.StartAsync();
        using var client = new PixazoClient(simulator);
        var before = DateTimeOffset.UtcNow;

        var requestId = await client.AcceptedRequestIdAsync(new { prompt = "waves", callback_url = receiver.Url("hooks/pixazo?job=42&token=secret") });
        var callback = await receiver.NextAsync();

        Assert.Equal("/hooks/pixazo", callback.Path);
        Assert.Equal("?job=42&token=secret", callback.Query);
        Assert.Equal("application/json", callback.ContentType);
        Assert.True(callback.At - before >= TestSimulator.Delay, $"arrived after {callback.At - before}");
        var body = callback.Json;
        HasExactly(body, StatusFields);
        Assert.Equal(requestId, Str(body, "request_id"));
        Assert.Equal("COMPLETED", Str(body, "status"));
        IsNull(body, "error");
        Assert.Equal(simulator.State.Find(requestId)!.MediaUrl, body.GetProperty("output").GetProperty("media_url")[0].GetString());
    }

    [Fact]
    public async Task Callback_in_result_shape_carries_the_video_id_and_url()
    {
        await using var simulator = await TestSimulator.StartAsync(o => o.CallbackShape = CallbackShape.Result);
        await using var receiver = await CallbackReceiver.StartAsync();
        using var client = new PixazoClient(simulator);

        var requestId = await client.AcceptedRequestIdAsync(new { prompt = "waves", callback_url = receiver.Url("hook") });
        var body = (await receiver.NextAsync()).Json;

        var request = simulator.State.Find(requestId)!;
        HasExactly(body, ResultFields);
        Assert.Equal(request.VideoId, Str(body, "id"));
        Assert.Equal("completed", Str(body, "status"));
        Assert.Equal("waves", Str(body, "prompt"));
        Assert.Equal(request.MediaUrl, Str(body, "video_url"));
        Assert.Equal(CallbackShape.Result, request.CallbackShape);
    }

    [Fact]
    public async Task Alternate_shape_switches_between_status_and_result_per_request()
    {
        await using var simulator = await TestSimulator.StartAsync(o => o.CallbackShape = CallbackShape.Alternate);
        await using var receiver = await CallbackReceiver.StartAsync();
        using var client = new PixazoClient(simulator);

        var first = await client.AcceptedRequestIdAsync(new { prompt = "one", callback_url = receiver.Url("first") });
        var second = await client.AcceptedRequestIdAsync(new { prompt = "two", callback_url = receiver.Url("second") });
        await receiver.NextAsync();
        await receiver.NextAsync();

        var byPath = receiver.Received.ToDictionary(c => c.Path);
        Assert.True(byPath["/first"].Json.TryGetProperty("request_id", out _));
        Assert.True(byPath["/second"].Json.TryGetProperty("video_url", out _));
        Assert.Equal(CallbackShape.Status, simulator.State.Find(first)!.CallbackShape);
        Assert.Equal(CallbackShape.Result, simulator.State.Find(second)!.CallbackShape);
    }

    [Fact]
    public async Task X_Webhook_URL_header_is_honoured()
    {
        await using var simulator = await TestSimulator.StartAsync();
        await using var receiver = await CallbackReceiver.StartAsync();
        using var client = new PixazoClient(simulator);

        var requestId = await client.AcceptedRequestIdAsync(new { prompt = "waves" }, webhookUrl: receiver.Url("from-header?t=1"));
        var callback = await receiver.NextAsync();

        Assert.Equal("/from-header", callback.Path);
        Assert.Equal(requestId, Str(callback.Json, "request_id"));
    }

    [Fact]
    public async Task X_Webhook_URL_header_wins_over_callback_url_and_only_one_callback_is_sent()
    {
        await using var simulator = await TestSimulator.StartAsync();
        await using var receiver = await CallbackReceiver.StartAsync();
        using var client = new PixazoClient(simulator);

        var requestId = await client.AcceptedRequestIdAsync(
            new { prompt = "waves", callback_url = receiver.Url("from-field") },
            webhookUrl: receiver.Url("from-header"));
        await receiver.NextAsync();
        // Long enough for a second callback, were one ever sent, to arrive too.
        await Task.Delay(TestSimulator.Delay * 3);

        var callback = Assert.Single(receiver.Received);
        Assert.Equal("/from-header", callback.Path);
        Assert.Equal(receiver.Url("from-header"), simulator.State.Find(requestId)!.CallbackUrl);
    }

    [Fact]
    public async Task Callback_is_retried_after_a_500_answer()
    {
        await using var simulator = await TestSimulator.StartAsync();
        await using var receiver = await CallbackReceiver.StartAsync(attempt => attempt == 1 ? 500 : 200);
        using var client = new PixazoClient(simulator);

        var requestId = await client.AcceptedRequestIdAsync(new { prompt = "waves", callback_url = receiver.Url("hook") });
        var first = await receiver.NextAsync();
        var second = await receiver.NextAsync();
        var request = simulator.State.Find(requestId)!;
        await simulator.State.WaitUntilAsync(_ => request.CallbackDelivered, TestSimulator.Patience);

        Assert.Equal(500, first.AnsweredWith);
        Assert.Equal(first.Body, second.Body);
        Assert.Equal([500, 200], request.CallbackStatusCodes);
        Assert.Equal(2, request.CallbackAttempts);
    }

    [Fact]
    public async Task Callback_retries_back_off_and_stop_after_CallbackAttempts()
    {
        await using var simulator = await TestSimulator.StartAsync(o =>
        {
            o.CallbackAttempts = 3;
            o.CallbackRetryBaseDelay = TimeSpan.FromMilliseconds(100);
        });
        await using var receiver = await CallbackReceiver.StartAsync(_ => 503);
        using var client = new PixazoClient(simulator);

        var requestId = await client.AcceptedRequestIdAsync(new { prompt = "waves", callback_url = receiver.Url("hook") });
        var request = simulator.State.Find(requestId)!;
        await simulator.State.WaitUntilAsync(_ => request.CallbackAttempts == 3, TestSimulator.Patience);
        await Task.Delay(400);

        var times = receiver.Received.Select(c => c.At).ToArray();
        Assert.Equal(3, times.Length);
        Assert.True(times[1] - times[0] >= TimeSpan.FromMilliseconds(90), $"first retry after {times[1] - times[0]}");
        Assert.True(times[2] - times[1] >= TimeSpan.FromMilliseconds(190), $"second retry after {times[2] - times[1]}");
        Assert.Equal([503, 503, 503], request.CallbackStatusCodes);
        Assert.False(request.CallbackDelivered);
    }

    [Fact]
    public async Task Callback_to_a_receiver_that_is_down_is_retried_and_recorded_without_status_codes()
    {
        var receiver = await CallbackReceiver.StartAsync();
        var deadUrl = receiver.Url("hook");
        await receiver.DisposeAsync();
        await using var simulator = await TestSimulator.StartAsync(o => o.CallbackAttempts = 2);
        using var client = new PixazoClient(simulator);

        var requestId = await client.AcceptedRequestIdAsync(new { prompt = "waves", callback_url = deadUrl });
        var request = simulator.State.Find(requestId)!;
        await simulator.State.WaitUntilAsync(_ => request.CallbackAttempts == 2, TestSimulator.Patience);

        Assert.Empty(request.CallbackStatusCodes);
        Assert.False(request.CallbackDelivered);
    }

    [Fact]
    public async Task Receiver_polling_status_as_soon_as_the_callback_arrives_sees_the_final_status()
    {
        await using var simulator = await TestSimulator.StartAsync();
        await using var receiver = await CallbackReceiver.StartAsync();
        using var client = new PixazoClient(simulator);

        var requestId = await client.AcceptedRequestIdAsync(new { prompt = "waves", callback_url = receiver.Url("hook") });
        await receiver.NextAsync();

        Assert.Equal("COMPLETED", Str(await client.StatusJsonAsync(requestId), "status"));
    }

    [Fact]
    public async Task Disposing_the_simulator_abandons_pending_callbacks_quickly()
    {
        var simulator = await TestSimulator.StartAsync(o => o.CallbackDelay = TimeSpan.FromMinutes(5));
        await using var receiver = await CallbackReceiver.StartAsync();
        using (var client = new PixazoClient(simulator))
        {
            await client.AcceptedRequestIdAsync(new { prompt = "waves", callback_url = receiver.Url("hook") });
        }

        var stopwatch = System.Diagnostics.Stopwatch.StartNew();
        await simulator.DisposeAsync();

        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(3), $"dispose took {stopwatch.Elapsed}");
        Assert.Empty(receiver.Received);
    }
}
