using System.Net.Http.Json;
using System.Text.Json;
using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;
using SoraEvents.Contracts;
using SoraEvents.Service.Jobs;
using SoraEvents.Service.Providers;
using SoraEvents.Service.Tests.Support;

namespace SoraEvents.Service.Tests.Submission;

/// <summary>
/// A job that cannot get to a gateway says so: its last gateway failure, how many calls it has had, when the next
/// one is, and every gateway it went to and why it left. On the in-memory bus no operator queue exists, so a job
/// every gateway refused as unavailable ends <c>provider_error</c>; a job ended by its deadline keeps its cause.
/// </summary>
public sealed class GatewayFailureVisibilityTests : IAsyncLifetime
{
    private static readonly TimeSpan Sweep = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan FirstRetry = TimeSpan.FromSeconds(10);
    private readonly HarnessFactory factory = new(withApixo: true) { Clock = ServiceClock.StartingNow() };
    private HttpClient client = null!;

    public GatewayFailureVisibilityTests()
    {
        factory.Settings["Submission:RetryIntervals"] = "10,20";
        factory.Settings["Jobs:SweepIntervalSeconds"] = Sweep.TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    public async Task InitializeAsync()
    {
        await factory.Harness.Start();
        client = factory.CreateClient();
    }

    public async Task DisposeAsync()
    {
        client.Dispose();
        await factory.DisposeAsync();
    }

    private IJobStore Store => factory.Services.GetRequiredService<IJobStore>();

    private Microsoft.Extensions.Time.Testing.FakeTimeProvider Clock => factory.Clock!;

    private async Task<Job> JobAsync(Guid jobId) => (await Store.FindAsync(jobId, CancellationToken.None))!;

    private async Task<JsonElement> ViewAsync(Guid jobId) => await client.GetFromJsonAsync<JsonElement>($"/v1/videos/{jobId}");

    private static void Unavailable(FakeGateway gateway, string answer) =>
        gateway.OnSubmit = (_, _) => throw new GatewayUnavailableException(gateway.Name, answer);

    [Fact]
    public async Task Job_waiting_on_unavailable_gateways_shows_its_last_failure_its_calls_and_its_next_attempt()
    {
        Unavailable(factory.Gateway, "HTTP 500 Internal Server Error");
        Unavailable(factory.Apixo, "HTTP 500 Internal Server Error");
        var command = new GenerateVideo(Guid.NewGuid(), "a serene beach");
        var sentAt = Clock.GetUtcNow();
        await factory.Harness.Bus.Publish(command);

        // The clock stands still: the submitter waits out its first retry interval, and the job says so meanwhile.
        await Eventually.TrueAsync(async () => (await Store.FindAsync(command.JobId, CancellationToken.None))?.GatewayCalls == 1, ServiceClock.Patience, "the first call recorded");
        var view = await ViewAsync(command.JobId);
        Assert.Equal(1, view.GetProperty("gateway_calls").GetInt32());
        Assert.Equal("pixazo is unavailable: HTTP 500 Internal Server Error", view.GetProperty("last_gateway_failure").GetString());
        Assert.Equal((sentAt + FirstRetry).ToUnixTimeSeconds(), view.GetProperty("next_attempt_at").GetInt64());
        var attempt = Assert.Single(view.GetProperty("attempts").EnumerateArray());
        Assert.Equal("pixazo", attempt.GetProperty("provider").GetString());
        Assert.Equal(JsonValueKind.Null, attempt.GetProperty("ended_at").ValueKind);

        await Clock.AdvanceUntilAsync(Sweep, () => factory.HasPublished<VideoFailed>(m => m.JobId == command.JobId), "the job's VideoFailed");
        var failed = factory.PublishedSoFar<VideoFailed>().Single().Context.Message;
        Assert.Equal(VideoFailureCodes.ProviderError, failed.Code);
        Assert.Contains("apixo is unavailable: HTTP 500 Internal Server Error", failed.Reason);

        var job = await JobAsync(command.JobId);
        Assert.Equal((6, "apixo is unavailable: HTTP 500 Internal Server Error", (DateTimeOffset?)null), (job.GatewayCalls, job.LastGatewayFailure, job.NextAttemptAt));
        Assert.Equal(["pixazo", "apixo"], job.Attempts.Select(a => a.Provider));
        Assert.All(job.Attempts, a => Assert.NotNull(a.EndedAt));
        Assert.Equal("pixazo is unavailable: HTTP 500 Internal Server Error", job.Attempts[0].LeftBecause);
        Assert.False(await factory.Harness.Published.Any<Fault<GenerateVideo>>(), "no operator queue on the in-memory bus: the job ends instead");
    }

    [Fact]
    public async Task Failover_shows_every_gateway_the_job_went_to_and_why_it_left()
    {
        Unavailable(factory.Gateway, "HTTP 429 Too Many Requests");
        var command = new GenerateVideo(Guid.NewGuid(), "a lighthouse");
        await factory.Harness.Bus.Publish(command);
        await Clock.AdvanceUntilAsync(Sweep, () => factory.HasPublished<VideoSubmitted>(m => m.JobId == command.JobId), "the job submitted to apixo");

        var attempts = (await ViewAsync(command.JobId)).GetProperty("attempts").EnumerateArray().ToList();
        Assert.Equal(["pixazo", "apixo"], attempts.Select(a => a.GetProperty("provider").GetString()));
        Assert.Equal("pixazo is unavailable: HTTP 429 Too Many Requests", attempts[0].GetProperty("left_because").GetString());
        Assert.True(attempts[0].GetProperty("ended_at").GetInt64() <= attempts[1].GetProperty("started_at").GetInt64());
        Assert.Equal((JsonValueKind.Null, JsonValueKind.Null), (attempts[1].GetProperty("ended_at").ValueKind, attempts[1].GetProperty("left_because").ValueKind));
    }

    [Fact]
    public async Task Job_ended_by_its_deadline_keeps_its_last_gateway_failure_and_its_wait_for_replay()
    {
        var command = new GenerateVideo(Guid.NewGuid(), "stuck behind a 429");
        var longAgo = Clock.GetUtcNow() - TimeSpan.FromHours(1);
        await Store.CreateIfAbsentAsync(command, longAgo, CancellationToken.None);
        await Store.StartAttemptAsync(command.JobId, "pixazo", longAgo, CancellationToken.None);
        await Store.RecordGatewayCallAsync(command.JobId, "pixazo is unavailable: HTTP 429 Too Many Requests", null, longAgo, CancellationToken.None);
        await Store.EndAttemptAsync(command.JobId, "pixazo is unavailable: HTTP 429 Too Many Requests", longAgo, CancellationToken.None);
        await Store.MarkAwaitingReplayAsync(command.JobId, CancellationToken.None);
        Assert.Equal(Service.Videos.VideoObjects.OperatorReplay, (await ViewAsync(command.JobId)).GetProperty("waiting_for").GetString());

        await factory.SweepAsync<DeadlineWatcher>();

        var failed = factory.PublishedSoFar<VideoFailed>().Single(m => m.Context.Message.JobId == command.JobId).Context.Message;
        Assert.Equal(VideoFailureCodes.TimedOut, failed.Code);
        Assert.Contains("HTTP 429 Too Many Requests", failed.Reason);
        Assert.Contains("generate-video_error", failed.Reason);
        var view = await ViewAsync(command.JobId);
        Assert.Equal(JsonValueKind.Null, view.GetProperty("waiting_for").ValueKind);
        Assert.Equal("pixazo is unavailable: HTTP 429 Too Many Requests", view.GetProperty("last_gateway_failure").GetString());
    }
}
