using SoraEvents.Simulator.Tests.Support;
using static SoraEvents.Simulator.Tests.Support.JsonAssert;

namespace SoraEvents.Simulator.Tests.Apixo;

public sealed class ApixoCallbackTests
{
    private static object WithCallback(string url, string prompt = "a city at night") =>
        new { request_type = "callback", callback_url = url, input = new { mode = "text-to-video", prompt } };

    [Fact]
    public async Task Callback_in_envelope_shape_is_the_status_answer_posted_after_the_delay()
    {
        await using var simulator = await TestSimulator.StartAsync(o => o.ApixoCallbackShape = ApixoCallbackShape.Envelope);
        await using var receiver = await CallbackReceiver.StartAsync();
        using var client = new ApixoClient(simulator);
        var before = DateTimeOffset.UtcNow;

        var taskId = await client.AcceptedTaskIdAsync(WithCallback(receiver.Url("hooks/apixo?job=42&token=secret")));
        var callback = await receiver.NextAsync();

        Assert.Equal("/hooks/apixo", callback.Path);
        Assert.Equal("?job=42&token=secret", callback.Query);
        Assert.Equal("application/json", callback.ContentType);
        Assert.True(callback.At - before >= TestSimulator.Delay, $"arrived after {callback.At - before}");
        SameShape(Parse(ApixoDocument.StatusSuccess), callback.Json);
        Assert.Equal(taskId, Str(callback.Json.GetProperty("data"), "taskId"));
        Assert.Equal(callback.Body, (await client.StatusJsonAsync(taskId)).GetRawText());
        Assert.Equal(ApixoCallbackShape.Envelope, simulator.State.Find(taskId)!.ApixoCallbackShape);
        Assert.Null(simulator.State.Find(taskId)!.CallbackShape);
    }

    [Fact]
    public async Task Callback_in_bare_shape_is_only_the_status_data()
    {
        await using var simulator = await TestSimulator.StartAsync(o => o.ApixoCallbackShape = ApixoCallbackShape.Bare);
        await using var receiver = await CallbackReceiver.StartAsync();
        using var client = new ApixoClient(simulator);

        var taskId = await client.AcceptedTaskIdAsync(WithCallback(receiver.Url("hook")));
        var callback = await receiver.NextAsync();

        SameShape(Parse(ApixoDocument.StatusSuccess).GetProperty("data"), callback.Json);
        Assert.Equal(taskId, Str(callback.Json, "taskId"));
        Assert.Equal("success", Str(callback.Json, "state"));
    }

    [Fact]
    public async Task Alternate_shape_switches_between_envelope_and_bare_per_task()
    {
        await using var simulator = await TestSimulator.StartAsync(o => o.ApixoCallbackShape = ApixoCallbackShape.Alternate);
        await using var receiver = await CallbackReceiver.StartAsync();
        using var client = new ApixoClient(simulator);

        var first = await client.AcceptedTaskIdAsync(WithCallback(receiver.Url("first")));
        var second = await client.AcceptedTaskIdAsync(WithCallback(receiver.Url("second")));
        await receiver.NextAsync();
        await receiver.NextAsync();

        var byPath = receiver.Received.ToDictionary(c => c.Path);
        Assert.True(byPath["/first"].Json.TryGetProperty("code", out _));
        Assert.True(byPath["/second"].Json.TryGetProperty("taskId", out _));
        Assert.Equal(ApixoCallbackShape.Envelope, simulator.State.Find(first)!.ApixoCallbackShape);
        Assert.Equal(ApixoCallbackShape.Bare, simulator.State.Find(second)!.ApixoCallbackShape);
    }

    [Fact]
    public async Task Failed_task_calls_back_with_failCode_and_failMsg()
    {
        await using var simulator = await TestSimulator.StartAsync();
        await using var receiver = await CallbackReceiver.StartAsync();
        using var client = new ApixoClient(simulator);

        var taskId = await client.AcceptedTaskIdAsync(WithCallback(receiver.Url("hook"), "city [sim:failcode=CONTENT_VIOLATION]"));
        var callback = await receiver.NextAsync();

        SameShape(Parse(ApixoDocument.StatusFailed), callback.Json);
        var data = callback.Json.GetProperty("data");
        Assert.Equal(taskId, Str(data, "taskId"));
        Assert.Equal("CONTENT_VIOLATION", Str(data, "failCode"));
    }

    [Fact]
    public async Task Callback_is_retried_after_a_500_answer()
    {
        await using var simulator = await TestSimulator.StartAsync();
        await using var receiver = await CallbackReceiver.StartAsync(attempt => attempt == 1 ? 500 : 200);
        using var client = new ApixoClient(simulator);

        var taskId = await client.AcceptedTaskIdAsync(WithCallback(receiver.Url("hook")));
        var first = await receiver.NextAsync();
        var second = await receiver.NextAsync();
        var task = simulator.State.Find(taskId)!;
        await simulator.State.WaitUntilAsync(_ => task.CallbackDelivered, TestSimulator.Patience);

        Assert.Equal(first.Body, second.Body);
        Assert.Equal([500, 200], task.CallbackStatusCodes);
    }

    [Fact]
    public async Task Nocallback_trigger_never_calls_back_but_polling_finds_the_result()
    {
        await using var simulator = await TestSimulator.StartAsync();
        await using var receiver = await CallbackReceiver.StartAsync();
        using var client = new ApixoClient(simulator);

        var taskId = await client.AcceptedTaskIdAsync(WithCallback(receiver.Url("hook"), "city [sim:nocallback]"));
        var task = simulator.State.Find(taskId)!;
        await simulator.State.WaitUntilAsync(_ => task.IsTerminal, TestSimulator.Patience);
        await Task.Delay(TestSimulator.Delay);

        Assert.Empty(receiver.Received);
        Assert.Null(task.ApixoCallbackShape);
        Assert.Equal("success", Str((await client.StatusJsonAsync(taskId)).GetProperty("data"), "state"));
    }
}
