using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace SoraEvents.Cli.Tests.Submit;

/// <summary>
/// <c>submit --wait</c> sees the outcome however the service runs. On the embedded default the service's events
/// stay on its in-memory bus: a broker the CLI reaches (or none at all) never carries them, and only the API knows
/// the job ended. A fake API stands in for such a service; its job ends after the first status request.
/// </summary>
[Collection(DeadLetterCollection.Name)]
public sealed class SubmitWaitTests(RabbitMqFixture broker) : IAsyncLifetime
{
    private const string VideoUrl = "http://127.0.0.1:9/media/done.mp4";
    private WebApplication api = null!;
    private int statusRequests;

    public async Task InitializeAsync()
    {
        api = WebApplication.CreateBuilder().Build();
        api.Urls.Add("http://127.0.0.1:0");
        api.MapPost("/v1/videos", async (HttpRequest request) =>
        {
            var body = await JsonDocument.ParseAsync(request.Body);
            var jobId = body.RootElement.GetProperty("jobId").GetGuid();
            return Results.Json(new { id = jobId, @object = "video", status = "queued" }, statusCode: 202);
        });
        api.MapGet("/v1/videos/{jobId:guid}", (Guid jobId) => Interlocked.Increment(ref statusRequests) == 1
            ? Results.Json(new { id = jobId, @object = "video", status = "queued" })
            : Results.Json(new { id = jobId, @object = "video", status = "completed", provider = "pixazo", video_url = VideoUrl }));
        await api.StartAsync();
    }

    public async Task DisposeAsync() => await api.DisposeAsync();

    private string Api => api.Urls.Single();

    [Fact]
    public async Task Wait_with_a_reachable_broker_that_never_carries_the_event_ends_when_the_api_reports_the_outcome()
    {
        var amqp = await broker.CreateVirtualHostAsync();

        var result = await Soraevents.RunAsync("submit", "--prompt", "a calm lake", "--wait", "--timeout", "2m", "--amqp", amqp.AbsoluteUri, "--api", Api);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Matches(@"status\s+completed", result.Out);
        Assert.Contains(VideoUrl, result.Out);
    }

    [Fact]
    public async Task Wait_without_a_broker_follows_the_job_through_the_api()
    {
        using var closed = new PortReservation();
        var result = await Soraevents.RunAsync("submit", "--prompt", "a calm lake", "--wait", "--timeout", "2m",
            "--amqp", $"amqp://guest:guest@127.0.0.1:{closed.Port}/", "--api", Api);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("following the job through the API", result.Out);
        Assert.Contains(VideoUrl, result.Out);
    }
}
