using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;
using SoraEvents.Contracts;
using SoraEvents.Service.Jobs;
using SoraEvents.Service.Tests.Support;
using SoraEvents.Testing;

namespace SoraEvents.Service.Tests.Videos;

/// <summary>
/// <c>DELETE /v1/videos/{id}</c>: an ended video leaves the API with its archived copy; a job no gateway has yet is
/// cancelled without a gateway call, for good; a job at a gateway cannot be cancelled there, and the answer says so.
/// </summary>
public sealed class VideoDeletionTests : IAsyncLifetime
{
    private readonly HarnessFactory factory = new();
    private UnreachableBroker.Switch broker = null!;
    private HttpClient client = null!;

    private string ArchiveFolder => Path.Combine(factory.DataFolder, "archive");

    public async Task InitializeAsync()
    {
        // A job whose command did not reach the broker waits for the dispatcher this long: queued, in no gateway's hands.
        factory.Settings["Submission:OrphanGraceSeconds"] = "3600";
        factory.Settings["Archive:Path"] = ArchiveFolder;
        var harness = factory.TestServices;
        factory.TestServices = services =>
        {
            harness?.Invoke(services);
            broker = UnreachableBroker.ForHttpPublishes(services);
        };
        client = factory.CreateClient();
        await factory.Harness.Start();
    }

    public async Task DisposeAsync() => await factory.DisposeAsync();

    private IJobStore Store => factory.Services.GetRequiredService<IJobStore>();

    private static async Task<JsonElement> BodyAsync(HttpResponseMessage response) => JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

    private async Task<Guid> CreateAsync(string prompt)
    {
        var response = await client.PostAsJsonAsync("/v1/videos", new { prompt });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return (await BodyAsync(response)).GetProperty("id").GetGuid();
    }

    /// <summary>Waits for the gateway to hold the job, on a positive signal rather than the harness's idle timer.</summary>
    private Task SubmittedAsync(Guid jobId) => Eventually.TrueAsync(
        async () => (await Store.FindAsync(jobId, CancellationToken.None))?.Status == JobStatus.Submitted, TimeSpan.FromSeconds(60), $"job {jobId} submitted");

    [Fact]
    public async Task Deleting_an_ended_video_removes_it_and_its_archived_copy()
    {
        var jobId = await CreateAsync("A serene beach");
        await SubmittedAsync(jobId);
        Directory.CreateDirectory(ArchiveFolder);
        var copy = Path.Combine(ArchiveFolder, $"{jobId:N}.mp4");
        await File.WriteAllBytesAsync(copy, [0, 0, 0, 24]);
        await Store.TryFinishAsync(jobId, JobEnding.Completed("pixazo", $"fake_{jobId:N}_1", ["https://cdn.test/v.mp4"], null) with { ArchivedLocation = copy },
            NewId.NextGuid(), DateTimeOffset.UtcNow, CancellationToken.None);

        var response = await client.DeleteAsync($"/v1/videos/{jobId}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await BodyAsync(response);
        Assert.Equal((jobId, "video.deleted", true), (body.GetProperty("id").GetGuid(), body.GetProperty("object").GetString(), body.GetProperty("deleted").GetBoolean()));
        Assert.False(File.Exists(copy));
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/v1/videos/{jobId}")).StatusCode);
        Assert.Empty((await client.GetFromJsonAsync<JsonElement>("/v1/videos")).GetProperty("data").EnumerateArray());
        Assert.Equal(HttpStatusCode.NotFound, (await client.DeleteAsync($"/v1/videos/{jobId}")).StatusCode);
    }

    [Fact]
    public async Task A_job_no_gateway_has_yet_is_cancelled_without_a_gateway_call_even_when_its_command_arrives_later()
    {
        broker.Down = true;
        var jobId = await CreateAsync("A serene beach");
        var command = (await Store.FindAsync(jobId, CancellationToken.None))!.Request;

        var response = await client.DeleteAsync($"/v1/videos/{jobId}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True((await BodyAsync(response)).GetProperty("deleted").GetBoolean());
        Assert.True(await factory.Harness.Published.Any<VideoFailed>(m => m.Context.Message.JobId == jobId));
        var failed = factory.PublishedSoFar<VideoFailed>().Single(m => m.Context.Message.JobId == jobId).Context.Message;
        Assert.Equal(VideoFailureCodes.Cancelled, failed.Code);
        Assert.Equal((JobStatus.Failed, VideoFailureCodes.Cancelled), ((await Store.FindAsync(jobId, CancellationToken.None))!.Status, (await Store.FindAsync(jobId, CancellationToken.None))!.ErrorCode));

        // The command the broker refused earlier arrives after all: the consumer finds the job ended and submits nothing.
        broker.Down = false;
        await factory.Harness.Bus.Publish(command);
        Assert.True(await factory.Harness.Consumed.Any<GenerateVideo>(m => m.Context.Message.JobId == jobId));
        await factory.Harness.InactivityTask;
        Assert.Equal(0, factory.Gateway.SubmitCount);
        Assert.Single(factory.PublishedSoFar<VideoFailed>(), m => m.Context.Message.JobId == jobId);
    }

    [Fact]
    public async Task A_job_at_a_gateway_is_a_409_saying_neither_gateway_can_cancel()
    {
        var jobId = await CreateAsync("A serene beach");
        await SubmittedAsync(jobId);

        var response = await client.DeleteAsync($"/v1/videos/{jobId}");

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        var error = (await BodyAsync(response)).GetProperty("error");
        Assert.Equal(("cancellation_unsupported", "invalid_request_error"), (error.GetProperty("code").GetString(), error.GetProperty("type").GetString()));
        Assert.Contains("neither gateway", error.GetProperty("message").GetString());
        Assert.Equal(JobStatus.Submitted, (await Store.FindAsync(jobId, CancellationToken.None))!.Status);
        Assert.Equal("in_progress", (await client.GetFromJsonAsync<JsonElement>($"/v1/videos/{jobId}")).GetProperty("status").GetString());
    }
}
