using System.Text.Json.Nodes;
using MassTransit.Testing;
using SoraEvents.Contracts;
using SoraEvents.Service.Providers;
using SoraEvents.Service.Tests.Support;
using SoraEvents.Service.Webhooks;

namespace SoraEvents.Service.Tests.Webhooks;

public sealed class CallbackReceivedConsumerTests : IAsyncLifetime
{
    private readonly HarnessFactory factory = new();

    public Task InitializeAsync()
    {
        // Only callbacks ask the gateway here. With the fake's 200 ms schedule a loaded machine let the poller ask too,
        // between the callback's status query and the job's end: a second query, rightly made, that these tests count.
        factory.Gateway.Polling = new(TimeSpan.FromHours(1), TimeSpan.FromMinutes(1));
        return factory.Harness.Start();
    }

    public async Task DisposeAsync() => await factory.DisposeAsync();

    private ITestHarness Harness => factory.Harness;

    private async Task<GenerateVideo> SubmittedJobAsync()
    {
        var command = new GenerateVideo(Guid.NewGuid(), "A serene beach", Metadata: new Dictionary<string, string> { ["k"] = "v" });
        await Harness.Bus.Publish(command);
        await PublishedAsync<VideoSubmitted>(m => m.JobId == command.JobId);
        return command;
    }

    /// <summary>
    /// Waits for a matching event by looking at what was published, not with the harness's inactivity-bounded wait,
    /// which a loaded machine can end early: a few quiet seconds before the event is enough.
    /// </summary>
    private Task<T> PublishedAsync<T>(Func<T, bool> match) where T : class => factory.PublishedAsync(match);

    private static string Completed(Guid jobId, int n = 1) =>
        $$$"""{"request_id":"fake_{{{jobId:N}}}_{{{n}}}","status":"COMPLETED","output":{"media_url":["https://cdn.test/{{{jobId}}}.mp4"],"media_type":"video/mp4"}}""";

    [Fact]
    public async Task Completed_callback_publishes_one_video_completed()
    {
        var job = await SubmittedJobAsync();
        await Harness.Bus.Publish(new CallbackReceived(job.JobId, "pixazo", Completed(job.JobId), DateTimeOffset.UtcNow));

        await PublishedAsync<VideoCompleted>(_ => true);
        var completed = Harness.Published.Select<VideoCompleted>().Single().Context.Message;
        Assert.Equal($"https://cdn.test/{job.JobId}.mp4", completed.VideoUrl);
        Assert.Equal($"fake_{job.JobId:N}_1", completed.ProviderRequestId);
        Assert.Equal("v", completed.Metadata["k"]);
    }

    [Fact]
    public async Task Duplicate_and_late_callbacks_end_the_job_once()
    {
        var job = await SubmittedJobAsync();
        await Harness.Bus.Publish(new CallbackReceived(job.JobId, "pixazo", Completed(job.JobId), DateTimeOffset.UtcNow));
        await Harness.Bus.Publish(new CallbackReceived(job.JobId, "pixazo", Completed(job.JobId), DateTimeOffset.UtcNow));
        await Harness.Bus.Publish(new CallbackReceived(job.JobId, "pixazo",
            $$"""{"request_id":"fake_{{job.JobId:N}}_1","status":"FAILED","error":"late"}""", DateTimeOffset.UtcNow));
        Assert.True(await Harness.Consumed.Any<CallbackReceived>());
        await Harness.InactivityTask;

        Assert.Single(Harness.Published.Select<VideoCompleted>());
        Assert.Empty(Harness.Published.Select<VideoFailed>());
    }

    [Fact]
    public async Task Result_shaped_callback_completes_the_job()
    {
        var job = await SubmittedJobAsync();
        // The document elides its URL ("https://...XXX.mp4", not a URL); a real one takes its place.
        var body = Fixture.Read("Pixazo", "result-response-full").Replace("https://...XXXXXXXXXXXXXXXXXXXXX.mp4", "https://cdn.test/video_1.mp4", StringComparison.Ordinal);
        await Harness.Bus.Publish(new CallbackReceived(job.JobId, "pixazo", body, DateTimeOffset.UtcNow));

        await PublishedAsync<VideoCompleted>(_ => true);
        Assert.Equal("https://cdn.test/video_1.mp4", Harness.Published.Select<VideoCompleted>().Single().Context.Message.VideoUrl);
    }

    [Theory]
    [InlineData("status-completed", null)]
    [InlineData("status-completed", "")]
    [InlineData("status-completed", "file:///etc/passwd")]
    [InlineData("result-response-full", null)]
    [InlineData("result-response-full", "")]
    [InlineData("result-response-full", "file:///etc/passwd")]
    public async Task Completed_callback_without_an_http_video_url_asks_the_status_api_and_never_publishes_that_value(string fixture, string? url)
    {
        var job = await SubmittedJobAsync();
        factory.Gateway.StatusAnswer = new GatewayOutcome.Succeeded(["https://cdn.test/from-status.mp4"], null);
        var body = JsonNode.Parse(Fixture.Read("Pixazo", fixture))!;
        if (fixture == "status-completed")
        {
            body["request_id"] = $"fake_{job.JobId:N}_1";
            body["output"]!["media_url"] = new JsonArray(url is null ? null : JsonValue.Create(url));
        }
        else body["video_url"] = url;

        await Harness.Bus.Publish(new CallbackReceived(job.JobId, "pixazo", body.ToJsonString(), DateTimeOffset.UtcNow));

        await PublishedAsync<VideoCompleted>(m => m.JobId == job.JobId);
        Assert.True(1 == factory.Gateway.StatusQueries, string.Join("\n", factory.Logs.Mentioning(job.JobId.ToString())));
        Assert.Equal("https://cdn.test/from-status.mp4", Harness.Published.Select<VideoCompleted>().Single().Context.Message.VideoUrl);
    }

    [Fact]
    public async Task Unreadable_callback_asks_the_status_api_instead_of_failing()
    {
        var job = await SubmittedJobAsync();
        factory.Gateway.StatusAnswer = new GatewayOutcome.Succeeded(["https://cdn.test/from-status.mp4"], null);
        await Harness.Bus.Publish(new CallbackReceived(job.JobId, "pixazo", """{"something":"else"}""", DateTimeOffset.UtcNow));

        await PublishedAsync<VideoCompleted>(_ => true);
        Assert.True(1 == factory.Gateway.StatusQueries, string.Join("\n", factory.Logs.Mentioning(job.JobId.ToString())));
        Assert.Equal("https://cdn.test/from-status.mp4", Harness.Published.Select<VideoCompleted>().Single().Context.Message.VideoUrl);
    }

    [Fact]
    public async Task Burst_of_unreadable_callbacks_for_one_job_makes_one_status_query_per_poll_interval()
    {
        // APIXO's shape: the first scheduled check is far off, so the first unreadable callback may ask at once.
        factory.Gateway.Polling = new PollSchedule(TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(1));
        var job = await SubmittedJobAsync();

        await Task.WhenAll(Enumerable.Range(0, 150).Select(i =>
            Harness.Bus.Publish(new CallbackReceived(job.JobId, "pixazo", $$"""{"unexpected":{{i}}}""", DateTimeOffset.UtcNow))));
        await Eventually.TrueAsync(() => Task.FromResult(Harness.Consumed.Select<CallbackReceived>().Count() == 150),
            TimeSpan.FromSeconds(30), "all 150 callbacks consumed");

        Assert.Equal(1, factory.Gateway.StatusQueries);
        Assert.False(await Harness.Published.Any<MassTransit.Fault<CallbackReceived>>());
    }

    [Fact]
    public async Task Uncharged_error_starts_a_new_attempt()
    {
        var job = await SubmittedJobAsync();
        await Harness.Bus.Publish(new CallbackReceived(job.JobId, "pixazo",
            $$"""{"request_id":"fake_{{job.JobId:N}}_1","status":"ERROR","error":"boom","output":null}""", DateTimeOffset.UtcNow));

        await Eventually.TrueAsync(() => Task.FromResult(factory.Gateway.SubmitCount == 2), TimeSpan.FromSeconds(30), "a second submission");
        Assert.False(await Harness.Published.Any<VideoFailed>());
    }

    [Fact]
    public async Task Failed_callback_with_policy_text_fails_as_content_violation()
    {
        var job = await SubmittedJobAsync();
        await Harness.Bus.Publish(new CallbackReceived(job.JobId, "pixazo",
            $$"""{"request_id":"fake_{{job.JobId:N}}_1","status":"FAILED","error":"blocked by safety policy"}""", DateTimeOffset.UtcNow));

        await PublishedAsync<VideoFailed>(_ => true);
        Assert.Equal(VideoFailureCodes.ContentViolation, Harness.Published.Select<VideoFailed>().Single().Context.Message.Code);
    }

    [Fact]
    public async Task Callback_for_an_unknown_job_is_dropped_without_fault()
    {
        await Harness.Bus.Publish(new CallbackReceived(Guid.NewGuid(), "pixazo", """{"status":"COMPLETED"}""", DateTimeOffset.UtcNow));
        Assert.True(await Harness.Consumed.Any<CallbackReceived>());
        Assert.False(await Harness.Published.Any<MassTransit.Fault<CallbackReceived>>());
    }
}
