using SoraEvents.Simulator.Tests.Support;
using static SoraEvents.Simulator.Tests.Support.JsonAssert;

namespace SoraEvents.Simulator.Tests.Pixazo;

public sealed class ResultTests
{
    private static readonly string[] ResultFields =
        ["id", "status", "model", "prompt", "created_at", "completed_at", "video_url", "metadata"];

    [Fact]
    public async Task Result_by_video_id_answers_the_documented_shape_once_completed()
    {
        await using var simulator = await TestSimulator.StartAsync();
        using var client = new PixazoClient(simulator);
        var requestId = await client.AcceptedRequestIdAsync(new { prompt = "She turns around and smiles" });
        var request = simulator.State.Find(requestId)!;
        await simulator.State.WaitUntilAsync(_ => request.IsTerminal, TestSimulator.Patience);

        using var response = await client.ResultAsync(request.VideoId!);
        var body = await PixazoClient.JsonAsync(response);

        Assert.Equal(200, (int)response.StatusCode);
        HasExactly(body, ResultFields);
        Assert.Equal(request.VideoId, Str(body, "id"));
        Assert.Equal("completed", Str(body, "status"));
        Assert.Equal("sora-2-pro", Str(body, "model"));
        Assert.Equal("She turns around and smiles", Str(body, "prompt"));
        Assert.Equal(request.AcceptedAt.ToUnixTimeMilliseconds(), body.GetProperty("created_at").GetInt64());
        Assert.Equal(request.FinishesAt.ToUnixTimeMilliseconds(), body.GetProperty("completed_at").GetInt64());
        Assert.Equal(request.MediaUrl, Str(body, "video_url"));
        HasExactly(body.GetProperty("metadata"), "total_attempts", "polling_duration_seconds");
        Assert.True(body.GetProperty("metadata").GetProperty("total_attempts").GetInt32() >= 1);
    }

    [Fact]
    public async Task Result_accepts_the_request_id_too()
    {
        await using var simulator = await TestSimulator.StartAsync();
        using var client = new PixazoClient(simulator);
        var requestId = await client.AcceptedRequestIdAsync(new { prompt = "waves" });

        using var response = await client.ResultAsync(requestId);
        var body = await PixazoClient.JsonAsync(response);

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal(simulator.State.Find(requestId)!.VideoId, Str(body, "id"));
    }

    [Fact]
    public async Task Result_says_processing_while_the_video_is_not_ready()
    {
        await using var simulator = await TestSimulator.StartAsync(o => o.CallbackDelay = TimeSpan.FromSeconds(30));
        using var client = new PixazoClient(simulator);
        var requestId = await client.AcceptedRequestIdAsync(new { prompt = "waves" });

        using var response = await client.ResultAsync(requestId);
        var body = await PixazoClient.JsonAsync(response);

        Assert.Equal("processing", Str(body, "status"));
        IsNull(body, "completed_at");
        IsNull(body, "video_url");
    }

    [Fact]
    public async Task Result_of_an_unknown_video_is_404()
    {
        await using var simulator = await TestSimulator.StartAsync();
        using var client = new PixazoClient(simulator);

        using var response = await client.ResultAsync("video_68e4ff15fd8c8193ae7c27ca15812");

        Assert.Equal(404, (int)response.StatusCode);
        Assert.Equal("Not Found", Str(await PixazoClient.JsonAsync(response), "error"));
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("""{"video_id":""}""")]
    [InlineData("""{"video_id":7}""")]
    [InlineData("not json")]
    public async Task Result_without_a_video_id_is_400(string json)
    {
        await using var simulator = await TestSimulator.StartAsync();
        using var client = new PixazoClient(simulator);

        using var response = await client.PostAsync("sora-video/v1/video/result", json);

        Assert.Equal(400, (int)response.StatusCode);
        Assert.Equal("Bad Request", Str(await PixazoClient.JsonAsync(response), "error"));
    }

    [Fact]
    public async Task Result_without_key_is_rejected_with_401()
    {
        await using var simulator = await TestSimulator.StartAsync();
        using var client = new PixazoClient(simulator);
        var requestId = await client.AcceptedRequestIdAsync(new { prompt = "waves" });

        using var response = await client.ResultAsync(requestId, key: "wrong");

        Assert.Equal(401, (int)response.StatusCode);
    }
}
