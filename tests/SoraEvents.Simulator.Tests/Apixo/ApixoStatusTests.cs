using SoraEvents.Simulator.Tests.Support;
using static SoraEvents.Simulator.Tests.Support.JsonAssert;

namespace SoraEvents.Simulator.Tests.Apixo;

public sealed class ApixoStatusTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 9, 13, 33, 30, 929, TimeSpan.Zero);

    private static object TextToVideo(string prompt = "a city at night") => new { input = new { mode = "text-to-video", prompt } };

    [Fact]
    public async Task Task_goes_from_pending_through_processing_to_success()
    {
        var clock = new ManualClock(Start);
        await using var simulator = await TestSimulator.StartAsync(clock, o => o.CallbackDelay = TimeSpan.FromSeconds(120));
        using var client = new ApixoClient(simulator);
        var taskId = await client.AcceptedTaskIdAsync(TextToVideo());

        var pending = (await client.StatusJsonAsync(taskId)).GetProperty("data");
        clock.Advance(TimeSpan.FromSeconds(60));
        var processing = (await client.StatusJsonAsync(taskId)).GetProperty("data");
        clock.Advance(TimeSpan.FromSeconds(60));
        var success = (await client.StatusJsonAsync(taskId)).GetProperty("data");

        var created = Start.ToUnixTimeMilliseconds();
        HasExactly(pending, "taskId", "state", "createTime");
        Assert.Equal("pending", Str(pending, "state"));
        Assert.Equal(created, pending.GetProperty("createTime").GetInt64());
        HasExactly(processing, "taskId", "state", "createTime");
        Assert.Equal("processing", Str(processing, "state"));
        HasExactly(success, "taskId", "state", "resultJson", "createTime", "completeTime", "costTime");
        Assert.Equal("success", Str(success, "state"));
        Assert.Equal(created, success.GetProperty("createTime").GetInt64());
        Assert.Equal(created + 120_000, success.GetProperty("completeTime").GetInt64());
        Assert.Equal(120_000, success.GetProperty("costTime").GetInt64());
        Assert.Equal(3, simulator.State.Find(taskId)!.Polls);
    }

    [Fact]
    public async Task Unknown_task_is_answered_HTTP_200_with_envelope_code_404()
    {
        await using var simulator = await TestSimulator.StartAsync();
        using var client = new ApixoClient(simulator);

        using var response = await client.StatusAsync("task_12345678");
        var body = await ApixoClient.JsonAsync(response);

        Assert.Equal(200, (int)response.StatusCode);
        HasExactly(body, "code", "message", "data");
        Assert.Equal(404, body.GetProperty("code").GetInt32());
        Assert.Contains("task_12345678", Str(body, "message"), StringComparison.Ordinal);
        IsNull(body, "data");
    }

    [Fact]
    public async Task Task_asked_for_under_another_models_path_is_not_found()
    {
        await using var simulator = await TestSimulator.StartAsync();
        using var client = new ApixoClient(simulator);
        var taskId = await client.AcceptedTaskIdAsync(TextToVideo(), model: "sora-2-pro");

        using var response = await client.StatusAsync(taskId, model: "sora-2");
        var body = await ApixoClient.JsonAsync(response);

        Assert.Equal(404, body.GetProperty("code").GetInt32());
        Assert.Contains("sora-2-pro", Str(body, "message"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Status_without_taskId_is_envelope_400()
    {
        await using var simulator = await TestSimulator.StartAsync();
        using var client = new ApixoClient(simulator);

        using var response = await client.StatusAsync(taskId: null);
        var body = await ApixoClient.JsonAsync(response);

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal(400, body.GetProperty("code").GetInt32());
        Assert.Equal("taskId is required", Str(body, "message"));
    }

    [Fact]
    public async Task Status_without_key_is_401()
    {
        await using var simulator = await TestSimulator.StartAsync();
        using var client = new ApixoClient(simulator);
        var taskId = await client.AcceptedTaskIdAsync(TextToVideo());

        using var response = await client.StatusAsync(taskId, key: null);

        Assert.Equal(401, (int)response.StatusCode);
        Assert.Equal(401, (await ApixoClient.JsonAsync(response)).GetProperty("code").GetInt32());
    }

    [Fact]
    public async Task The_two_gateways_do_not_know_each_others_ids()
    {
        await using var simulator = await TestSimulator.StartAsync();
        using var apixo = new ApixoClient(simulator);
        using var pixazo = new PixazoClient(simulator);
        var taskId = await apixo.AcceptedTaskIdAsync(TextToVideo());
        var requestId = await pixazo.AcceptedRequestIdAsync(new { prompt = "waves" });

        using var apixoAskedForPixazo = await apixo.StatusAsync(requestId);
        using var pixazoAskedForApixo = await pixazo.StatusAsync(taskId);
        using var pixazoResultForApixo = await pixazo.ResultAsync(taskId);

        Assert.Equal(404, (await ApixoClient.JsonAsync(apixoAskedForPixazo)).GetProperty("code").GetInt32());
        Assert.Equal(404, (int)pixazoAskedForApixo.StatusCode);
        Assert.Equal(404, (int)pixazoResultForApixo.StatusCode);
    }

    [Fact]
    public async Task Video_of_a_successful_task_is_served_at_the_resultUrl()
    {
        await using var simulator = await TestSimulator.StartAsync();
        using var client = new ApixoClient(simulator);
        var taskId = await client.AcceptedTaskIdAsync(TextToVideo());

        using var early = await client.GetAsync($"media/{taskId}/output.mp4");
        await simulator.State.WaitUntilAsync(s => s.Find(taskId)!.IsTerminal, TestSimulator.Patience);
        var data = (await client.StatusJsonAsync(taskId)).GetProperty("data");
        var url = Parse(Str(data, "resultJson")).GetProperty("resultUrls")[0].GetString()!;
        using var video = await client.GetAsync(url);

        Assert.Equal(404, (int)early.StatusCode);
        Assert.Equal(200, (int)video.StatusCode);
        Assert.Equal("video/mp4", video.Content.Headers.ContentType?.MediaType);
        Assert.Equal(simulator.State.Find(taskId)!.MediaUrl, url);
    }
}
