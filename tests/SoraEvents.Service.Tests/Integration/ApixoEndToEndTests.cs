using System.Net.Http.Json;
using System.Text.Json;
using SoraEvents.Contracts;
using SoraEvents.Service.Tests.Support;

namespace SoraEvents.Service.Tests.Integration;

/// <summary>APIXO, routing, failover and limits on a real RabbitMQ, with the simulator over real HTTP.</summary>
[Collection(RabbitMqCollection.Name)]
public sealed class ApixoEndToEndTests(RabbitMqFixture broker) : IAsyncLifetime
{
    private LiveService live = null!;

    public async Task InitializeAsync() => live = await LiveService.StartAsync(broker);

    public async Task DisposeAsync() => await live.DisposeAsync();

    private string? Provider(ObservedEvent e) => e.Message.GetProperty("provider").GetString();

    [Fact]
    public async Task Apixo_text_job_completes_with_the_simulators_result_url()
    {
        var jobId = await live.PostVideoAsync(new { prompt = "a cinematic tracking shot", size = "1280x720", seconds = 10, provider = "apixo" });

        var submitted = await live.Events.WaitForAsync(jobId, "VideoSubmitted");
        var completed = await live.Events.WaitForAsync(jobId, "VideoCompleted");
        Assert.Equal(("apixo", "apixo"), (Provider(submitted), Provider(completed)));
        Assert.StartsWith("task_", completed.Message.GetProperty("providerRequestId").GetString());
        Assert.StartsWith(live.SimulatorUrl.AbsoluteUri, completed.Message.GetProperty("videoUrl").GetString());
        Assert.True(completed.Message.GetProperty("expiresAt").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddDays(14));
        var request = Assert.Single(live.Simulator.Requests);
        Assert.Equal("1280*720", request.Size);
    }

    [Fact]
    public async Task Apixo_image_job_completes()
    {
        var jobId = await live.PostVideoAsync(new
        {
            prompt = "make this image come alive",
            input_reference = new { image_url = TestImages.PngDataUri(1024, 1024) },
            seconds = 15,
            resolution = "1080p",
            provider = "apixo",
        });

        var completed = await live.Events.WaitForAsync(jobId, "VideoCompleted");
        Assert.Equal("apixo", Provider(completed));
    }

    [Fact]
    public async Task Unnamed_job_pixazo_cannot_serve_is_routed_to_apixo()
    {
        var jobId = await live.PostVideoAsync(new { prompt = "fifteen seconds of rain", seconds = 15 });
        Assert.Equal("apixo", Provider(await live.Events.WaitForAsync(jobId, "VideoCompleted")));
    }

    [Fact]
    public async Task Content_violation_fails_once_without_retry()
    {
        var jobId = await live.PostVideoAsync(new { prompt = "[sim:failcode=CONTENT_VIOLATION] something", seconds = 10, provider = "apixo" });

        var failed = await live.Events.WaitForAsync(jobId, "VideoFailed");
        Assert.Equal((VideoFailureCodes.ContentViolation, "apixo"), (failed.Message.GetProperty("code").GetString(), Provider(failed)));
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        Assert.Single(live.Events.For(jobId, "VideoFailed"));
        Assert.Single(live.Simulator.Requests);
    }

    [Fact]
    public async Task Insufficient_credits_on_apixo_fails_over_to_pixazo_and_completes()
    {
        var jobId = await live.PostVideoAsync(new { prompt = "[sim:apixo=insufficient] a lighthouse", provider = "apixo" });

        var submitted = await live.Events.WaitForAsync(jobId, "VideoSubmitted");
        var completed = await live.Events.WaitForAsync(jobId, "VideoCompleted");
        Assert.Equal(("pixazo", "pixazo"), (Provider(submitted), Provider(completed)));
        Assert.Empty(live.Events.For(jobId, "VideoFailed"));
    }

    [Fact]
    public async Task Pixazo_error_fails_over_to_apixo_without_two_gateways_at_once()
    {
        var jobId = await live.PostVideoAsync(new { prompt = "[sim:status=ERROR] a fox", provider = "pixazo" });

        var completed = await live.Events.WaitForAsync(jobId, "VideoCompleted");
        Assert.Equal("apixo", Provider(completed));
        var submitted = await live.Events.WaitForAsync(jobId, "VideoSubmitted");
        Assert.Equal(["pixazo", "apixo"], live.Events.For(jobId, "VideoSubmitted").Select(Provider));
        Assert.Equal("pixazo", Provider(submitted));
        var view = await live.Client.GetFromJsonAsync<JsonElement>($"/v1/videos/{jobId}");
        var attempts = view.GetProperty("attempts").EnumerateArray().ToList();
        Assert.Equal([("pixazo", 1), ("apixo", 2)], attempts.Select(a => (a.GetProperty("provider").GetString(), a.GetProperty("attempt").GetInt32())));
        Assert.Equal(JsonValueKind.String, attempts[0].GetProperty("left_because").ValueKind);
    }

    [Fact]
    public async Task Burst_of_forty_apixo_jobs_completes_within_its_limits()
    {
        var jobIds = await Task.WhenAll(Enumerable.Range(0, 40).Select(i =>
            live.PostVideoAsync(new { prompt = $"burst {i}", seconds = 10, provider = "apixo" })));

        foreach (var jobId in jobIds) await live.Events.WaitForAsync(jobId, "VideoCompleted", TimeSpan.FromSeconds(90));

        Assert.Equal(40, live.Simulator.Requests.Count);
        Assert.Equal(0, live.Simulator.TooManyRequestsFor("apixo"));
        Assert.InRange(live.Simulator.MaxConcurrentApixoTasks, 1, 10);
        Assert.All(jobIds, id => Assert.Single(live.Events.For(id, "VideoCompleted")));
    }
}
