using System.Text.Json;
using SoraEvents.Simulator.State;
using SoraEvents.Simulator.Tests.Support;
using static SoraEvents.Simulator.Tests.Support.JsonAssert;

namespace SoraEvents.Simulator.Tests.Apixo;

/// <summary>Every JSON example of the APIXO document, against what the simulator really says.</summary>
public sealed class ApixoDocumentExampleTests
{
    [Fact]
    public async Task Text_to_video_curl_example_is_accepted_with_the_documented_success_shape()
    {
        await using var simulator = await TestSimulator.StartAsync();
        using var client = new ApixoClient(simulator);

        using var response = await client.PostAsync(ApixoDocument.TextToVideoRequest);
        var body = await ApixoClient.JsonAsync(response);

        Assert.Equal(200, (int)response.StatusCode);
        SameShape(Parse(ApixoDocument.GenerateSuccess), body);
        Assert.Equal(200, body.GetProperty("code").GetInt32());
        Assert.Equal("success", Str(body, "message"));
        var taskId = Str(body.GetProperty("data"), "taskId");
        Assert.Matches("^task_[0-9a-f]+$", taskId);
        var task = Assert.Single(simulator.State.Requests);
        Assert.Equal(taskId, task.RequestId);
        Assert.Equal(ProviderNames.Apixo, task.Provider);
        Assert.Equal(RequestKind.Text, task.Kind);
        Assert.Equal("sora-2-pro", task.Model);
        Assert.Equal("1280*720", task.Size);
        Assert.Equal(10, task.Seconds);
        Assert.Equal("auto", task.Route);
        Assert.Null(task.CallbackUrl);
    }

    [Fact]
    public async Task Image_to_video_curl_example_is_accepted_and_asks_for_a_callback()
    {
        // Long enough that the document's placeholder callback URL is never really called.
        await using var simulator = await TestSimulator.StartAsync(o => o.CallbackDelay = TimeSpan.FromMinutes(5));
        using var client = new ApixoClient(simulator);

        using var response = await client.PostAsync(ApixoDocument.ImageToVideoRequest);
        var body = await ApixoClient.JsonAsync(response);

        Assert.Equal(200, (int)response.StatusCode);
        SameShape(Parse(ApixoDocument.GenerateSuccess), body);
        var task = Assert.Single(simulator.State.Requests);
        Assert.Equal(RequestKind.Image, task.Kind);
        Assert.Equal("1080p", task.Resolution);
        Assert.Equal(15, task.Seconds);
        Assert.Equal(15, task.EffectiveSeconds);
        Assert.Equal(["https://example.com/reference_image.jpg"], task.Images);
        Assert.Equal("https://your-server.com/callback", task.CallbackUrl);
        Assert.Equal(ApixoCallbackShape.Envelope, task.ApixoCallbackShape);
    }

    [Theory]
    [InlineData("insufficient", ApixoDocument.InsufficientCredits)]
    [InlineData("policy", ApixoDocument.PolicyViolation)]
    public async Task Error_examples_are_answered_word_for_word_with_HTTP_200(string trigger, string documented)
    {
        await using var simulator = await TestSimulator.StartAsync();
        using var client = new ApixoClient(simulator);

        using var response = await client.PostAsync(ApixoDocument.TextToVideoRequest.Replace("flying cars", $"flying cars [sim:apixo={trigger}]", StringComparison.Ordinal));
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal(Compact(documented), text);
        Assert.Empty(simulator.State.Requests);
    }

    [Fact]
    public async Task Status_success_has_the_documented_shape_with_resultJson_as_a_json_string()
    {
        await using var simulator = await TestSimulator.StartAsync();
        using var client = new ApixoClient(simulator);
        var taskId = await client.AcceptedTaskIdAsync(JsonSerializer.Deserialize<JsonElement>(ApixoDocument.TextToVideoRequest));
        await simulator.State.WaitUntilAsync(s => s.Find(taskId)!.IsTerminal, TestSimulator.Patience);

        var body = await client.StatusJsonAsync(taskId);

        SameShape(Parse(ApixoDocument.StatusSuccess), body);
        var data = body.GetProperty("data");
        Assert.Equal(taskId, Str(data, "taskId"));
        Assert.Equal("success", Str(data, "state"));
        var result = Parse(Str(data, "resultJson"));
        HasExactly(result, "resultUrls");
        Assert.Equal(new Uri(simulator.BaseUrl, $"media/{taskId}/output.mp4").ToString(), Assert.Single(result.GetProperty("resultUrls").EnumerateArray()).GetString());
        Assert.Equal(
            data.GetProperty("completeTime").GetInt64() - data.GetProperty("createTime").GetInt64(),
            data.GetProperty("costTime").GetInt64());
    }

    [Fact]
    public async Task Status_failed_is_the_documented_example_but_for_the_task_id()
    {
        await using var simulator = await TestSimulator.StartAsync();
        using var client = new ApixoClient(simulator);
        var taskId = await client.AcceptedTaskIdAsync(new { input = new { mode = "text-to-video", prompt = "city [sim:failcode=CONTENT_VIOLATION]" } });
        await simulator.State.WaitUntilAsync(s => s.Find(taskId)!.IsTerminal, TestSimulator.Patience);

        using var response = await client.StatusAsync(taskId);
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(Compact(ApixoDocument.StatusFailed).Replace("task_12345678", taskId, StringComparison.Ordinal), text);
    }

    private static string Compact(string json) => JsonSerializer.Serialize(Parse(json));
}
