using SoraEvents.Simulator.Tests.Support;
using static SoraEvents.Simulator.Tests.Support.JsonAssert;

namespace SoraEvents.Simulator.Tests.Pixazo;

public sealed class StatusTests
{
    private static readonly string[] StatusFields =
        ["request_id", "status", "model_id", "error", "output", "created_at", "updated_at", "completed_at"];

    [Fact]
    public async Task Status_goes_from_queued_through_processing_to_completed_with_the_video()
    {
        var clock = new ManualClock(new DateTimeOffset(2026, 3, 31, 10, 0, 0, TimeSpan.Zero));
        var options = new SimulatorOptions { PixazoApiKey = TestSimulator.Key, CallbackDelay = TimeSpan.FromSeconds(15) };
        await using var simulator = await ProviderSimulator.StartAsync(options, ProviderSimulator.DefaultInProcessUrl, clock, CancellationToken.None);
        using var client = new PixazoClient(simulator);
        var requestId = await client.AcceptedRequestIdAsync(new { prompt = "waves" });

        var queued = await client.StatusJsonAsync(requestId);
        clock.Advance(TimeSpan.FromSeconds(7.5));
        var processing = await client.StatusJsonAsync(requestId);
        clock.Advance(TimeSpan.FromSeconds(7.5));
        var completed = await client.StatusJsonAsync(requestId);

        HasExactly(queued, StatusFields);
        Assert.Equal("QUEUED", Str(queued, "status"));
        Assert.Equal(requestId, Str(queued, "request_id"));
        Assert.Equal("sora-video", Str(queued, "model_id"));
        IsNull(queued, "error");
        IsNull(queued, "output");
        Assert.Equal("2026-03-31T10:00:00.000Z", Str(queued, "created_at"));
        Assert.Equal("2026-03-31T10:00:00.000Z", Str(queued, "updated_at"));
        IsNull(queued, "completed_at");

        Assert.Equal("PROCESSING", Str(processing, "status"));
        IsNull(processing, "output");
        Assert.Equal("2026-03-31T10:00:07.500Z", Str(processing, "updated_at"));
        IsNull(processing, "completed_at");

        HasExactly(completed, StatusFields);
        Assert.Equal("COMPLETED", Str(completed, "status"));
        IsNull(completed, "error");
        var output = completed.GetProperty("output");
        HasExactly(output, "media_url", "media_type");
        Assert.Equal(new Uri(simulator.BaseUrl, $"media/{requestId}/output.mp4").ToString(), Assert.Single(output.GetProperty("media_url").EnumerateArray()).GetString());
        Assert.Equal("video/mp4", Str(output, "media_type"));
        Assert.Equal("2026-03-31T10:00:00.000Z", Str(completed, "created_at"));
        Assert.Equal("2026-03-31T10:00:15.000Z", Str(completed, "updated_at"));
        Assert.Equal("2026-03-31T10:00:15.000Z", Str(completed, "completed_at"));
        Assert.Equal(3, simulator.State.Find(requestId)!.Polls);
    }

    [Fact]
    public async Task Status_changes_with_real_time_too()
    {
        await using var simulator = await TestSimulator.StartAsync();
        using var client = new PixazoClient(simulator);
        var requestId = await client.AcceptedRequestIdAsync(new { prompt = "waves" });
        var request = simulator.State.Find(requestId)!;

        await simulator.State.WaitUntilAsync(_ => request.IsTerminal, TestSimulator.Patience);

        Assert.Equal("COMPLETED", Str(await client.StatusJsonAsync(requestId), "status"));
    }

    [Fact]
    public async Task Status_timestamps_are_written_like_the_document_shows_them()
    {
        await using var simulator = await TestSimulator.StartAsync();
        using var client = new PixazoClient(simulator);
        var requestId = await client.AcceptedRequestIdAsync(new { prompt = "waves" });

        var body = await client.StatusJsonAsync(requestId);

        Assert.Matches(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$", Str(body, "created_at"));
    }

    [Fact]
    public async Task Status_of_an_unknown_request_is_404()
    {
        await using var simulator = await TestSimulator.StartAsync();
        using var client = new PixazoClient(simulator);

        using var response = await client.StatusAsync("sora-video_00000000-0000-0000-0000-000000000000");
        var body = await PixazoClient.JsonAsync(response);

        Assert.Equal(404, (int)response.StatusCode);
        HasExactly(body, "error", "message");
        Assert.Equal("Not Found", Str(body, "error"));
    }

    [Fact]
    public async Task Status_does_not_know_video_ids()
    {
        await using var simulator = await TestSimulator.StartAsync();
        using var client = new PixazoClient(simulator);
        var requestId = await client.AcceptedRequestIdAsync(new { prompt = "waves" });

        using var response = await client.StatusAsync(simulator.State.Find(requestId)!.VideoId!);

        Assert.Equal(404, (int)response.StatusCode);
    }

    [Fact]
    public async Task Status_without_key_is_rejected_with_401()
    {
        await using var simulator = await TestSimulator.StartAsync();
        using var client = new PixazoClient(simulator);
        var requestId = await client.AcceptedRequestIdAsync(new { prompt = "waves" });

        using var response = await client.StatusAsync(requestId, key: null);

        Assert.Equal(401, (int)response.StatusCode);
        Assert.Equal("Unauthorized", Str(await PixazoClient.JsonAsync(response), "error"));
    }
}
