using System.Text.Json;

namespace SoraEvents.Cli.Tests.Jobs;

/// <summary>jobs show, jobs list, submit and watch against the real service on the real broker.</summary>
[Collection(RabbitMqCollection.Name)]
public sealed class JobCommandsTests(LiveServiceFixture service) : IClassFixture<LiveServiceFixture>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private string[] Endpoints => ["--api", service.Api, "--amqp", service.Amqp];

    [Fact]
    public async Task Submit_prints_the_accepted_job_and_jobs_show_follows_it_in_a_table_and_as_json()
    {
        var jobId = Guid.NewGuid();
        var submitted = await Soraevents.OkAsync(["submit", "--prompt", "A calm lake at dawn", "--job-id", jobId.ToString(), .. Endpoints]);
        Assert.Matches($@"job\s+{jobId}", submitted.Out);
        Assert.Matches(@"status\s+queued", submitted.Out);
        await service.Live.Events.WaitForAsync(jobId, "VideoCompleted", Timeout);

        var table = await Soraevents.OkAsync(["jobs", "show", jobId.ToString(), .. Endpoints]);
        Assert.Matches($@"job\s+{jobId}", table.Out);
        Assert.Matches(@"status\s+completed", table.Out);
        Assert.Matches(@"provider\s+pixazo \(.+\)", table.Out);
        Assert.Matches(@"video\s+http://\S+\.mp4", table.Out);

        var json = JsonDocument.Parse((await Soraevents.OkAsync(["jobs", "show", jobId.ToString(), "--json", .. Endpoints])).Out).RootElement;
        Assert.Equal(jobId, json.GetProperty("id").GetGuid());
        Assert.Equal("completed", json.GetProperty("status").GetString());
        Assert.EndsWith(".mp4", json.GetProperty("video_url").GetString());

        var accepted = JsonDocument.Parse((await Soraevents.OkAsync(["submit", "--prompt", "again", "--json", .. Endpoints])).Out).RootElement;
        Assert.Equal("queued", accepted.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Jobs_list_with_status_shows_only_jobs_in_that_status()
    {
        var completed = await service.Live.PostVideoAsync(new { prompt = "A red kite over hills" });
        var failed = await service.Live.PostVideoAsync(new { prompt = "[sim:http=400] A blue kite", provider = "pixazo" });
        await service.Live.Events.WaitForAsync(completed, "VideoCompleted", Timeout);
        await service.Live.Events.WaitForAsync(failed, "VideoFailed", Timeout);

        var done = await Soraevents.OkAsync(["jobs", "list", "--status", "completed", .. Endpoints]);
        Assert.Matches(@"JOB ID\s+STATUS\s+PROVIDER\s+CREATED\s+FINISHED\s+RESULT", done.OutLines[0]);
        Assert.Matches($@"{completed}\s+completed\s+pixazo\s+.*http://\S+\.mp4", done.Out);
        Assert.DoesNotContain(failed.ToString(), done.Out);

        var failures = await Soraevents.OkAsync(["jobs", "list", "--status", "failed", .. Endpoints]);
        Assert.Matches($@"{failed}\s+failed\s+.*provider_rejected", failures.Out);
        Assert.DoesNotContain(completed.ToString(), failures.Out);

        var json = JsonDocument.Parse((await Soraevents.OkAsync(["jobs", "list", "--status", "failed", "--limit", "5", "--json", .. Endpoints])).Out).RootElement;
        Assert.All(json.EnumerateArray(), j => Assert.Equal("failed", j.GetProperty("status").GetString()));
        Assert.Contains(json.EnumerateArray(), j => j.GetProperty("id").GetGuid() == failed);
    }

    [Fact]
    public async Task Jobs_show_of_an_unknown_job_fails_with_the_apis_reason_on_one_line()
    {
        var jobId = Guid.NewGuid();
        var result = await Soraevents.FailsAsync(["jobs", "show", jobId.ToString(), .. Endpoints]);
        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"answered 404: No such video; No video has the id '{jobId}'.", result.Error);
    }

    [Fact]
    public async Task Submit_wait_prints_the_terminal_event_for_that_job()
    {
        var jobId = Guid.NewGuid();
        var result = await Soraevents.OkAsync(["submit", "--prompt", "A fox in the snow", "--seconds", "4", "--metadata", "order=42",
            "--job-id", jobId.ToString(), "--wait", "--timeout", "30s", .. Endpoints]);

        Assert.Matches($@"accepted\s+job {jobId} \(queued\)", result.Out);
        Assert.Matches(@"submitted\s+to pixazo \(.+\)", result.Out);
        Assert.Matches(@"event\s+VideoCompleted", result.Out);
        Assert.Matches($@"job\s+{jobId}", result.Out);
        Assert.Matches(@"video\s+http://\S+\.mp4", result.Out);
        var observed = await service.Live.Events.WaitForAsync(jobId, "VideoCompleted", Timeout);
        Assert.Matches($@"message id\s+{observed.MessageId}", result.Out);
    }

    [Fact]
    public async Task Submit_wait_json_prints_the_terminal_event_as_json()
    {
        var jobId = Guid.NewGuid();
        var result = await Soraevents.OkAsync(["submit", "--prompt", "A heron taking off", "--metadata", "order=42", "--job-id", jobId.ToString(),
            "--wait", "--json", .. Endpoints]);

        var json = JsonDocument.Parse(result.Out).RootElement; // nothing but the event on stdout
        Assert.Equal("VideoCompleted", json.GetProperty("type").GetString());
        Assert.Equal(jobId, json.GetProperty("jobId").GetGuid());
        Assert.EndsWith(".mp4", json.GetProperty("message").GetProperty("videoUrl").GetString());
        Assert.Equal("42", json.GetProperty("message").GetProperty("metadata").GetProperty("order").GetString());
    }

    [Fact]
    public async Task Submit_wait_for_a_job_that_fails_prints_VideoFailed_and_exits_3()
    {
        var result = await Soraevents.RunAsync(["submit", "--prompt", "[sim:http=400] A storm", "--provider", "pixazo", "--wait", .. Endpoints]);

        Assert.True(result.ExitCode == 3, result.ToString());
        Assert.Matches(@"event\s+VideoFailed", result.Out);
        Assert.Matches(@"code\s+provider_rejected", result.Out);
    }

    [Fact]
    public async Task Submit_wait_gives_up_after_its_timeout_with_one_line()
    {
        var result = await Soraevents.RunAsync(["submit", "--prompt", "[sim:nocallback] A slow one", "--wait", "--timeout", "1s", .. Endpoints]);

        Soraevents.AssertOneLineError(result, []);
        Assert.Equal(1, result.ExitCode);
        Assert.Matches(@"timed out after 00:00:01 waiting for job \S+ \(status now: in_progress\)", result.Error);
    }

    [Fact]
    public async Task Submit_of_an_invalid_request_fails_with_the_apis_reasons_on_one_line()
    {
        var result = await Soraevents.FailsAsync(["submit", "--prompt", "A fox", "--provider", "pixazo", "--seconds", "15", .. Endpoints]);
        Assert.Contains("answered 400", result.Error);
        Assert.Contains("pixazo: seconds 15 is not supported", result.Error);
    }

    [Fact]
    public async Task Watch_json_streams_each_event_as_one_json_line()
    {
        var jobId = Guid.NewGuid();
        using var stop = new CancellationTokenSource(Timeout);
        var watch = Soraevents.Start(stop.Token, ["watch", "--json", "--job-id", jobId.ToString(), "--count", "2", .. Endpoints]);
        await Eventually.TrueAsync(() => Task.FromResult(watch.Error.Contains("watching")), Timeout, "watch subscribed");

        await service.Live.PostVideoAsync(new { jobId, prompt = "A paper boat on a stream" });
        var result = await watch.WaitAsync(Timeout);

        Assert.Equal(0, result.ExitCode);
        var events = result.OutLines.Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(["VideoSubmitted", "VideoCompleted"], events.Select(e => e.GetProperty("type").GetString()));
        Assert.All(events, e => Assert.Equal(jobId, e.GetProperty("jobId").GetGuid()));
        Assert.All(events, e => Assert.Equal(jobId, e.GetProperty("message").GetProperty("jobId").GetGuid()));
    }

    [Fact]
    public async Task Watch_prints_a_line_per_event_until_cancelled()
    {
        var jobId = Guid.NewGuid();
        using var stop = new CancellationTokenSource(Timeout);
        var watch = Soraevents.Start(stop.Token, ["watch", .. Endpoints]);
        await Eventually.TrueAsync(() => Task.FromResult(watch.Error.Contains("watching")), Timeout, "watch subscribed");

        await service.Live.PostVideoAsync(new { jobId, prompt = "A lantern festival" });
        await Eventually.TrueAsync(() => Task.FromResult(watch.Out.Contains("VideoCompleted") && watch.Out.Contains(jobId.ToString())),
            Timeout, "the completed event printed");
        await stop.CancelAsync();
        var result = await watch.WaitAsync(Timeout);

        Assert.Equal(0, result.ExitCode); // Ctrl+C is how a watch ends
        Assert.Matches(@"TIME\s+EVENT\s+JOB ID\s+PROVIDER\s+DETAIL", result.OutLines[0]);
        Assert.Matches($@"VideoSubmitted\s+{jobId}\s+pixazo\s+\S+", result.Out);
        Assert.Matches($@"VideoCompleted\s+{jobId}\s+pixazo\s+http://\S+\.mp4", result.Out);
    }
}
