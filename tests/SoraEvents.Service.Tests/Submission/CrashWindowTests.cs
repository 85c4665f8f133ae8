using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;
using SoraEvents.Contracts;
using SoraEvents.Service.Jobs;
using SoraEvents.Service.Tests.Support;
using SoraEvents.Service.Webhooks;

namespace SoraEvents.Service.Tests.Submission;

/// <summary>
/// The states a crash can leave around a submission, set up directly in the store, and what the service does
/// with each (docs/reliability.md lists them). The service's clock is the test's, so the deadline and the
/// dispatcher's sweeps come when the test moves it.
/// </summary>
public sealed class CrashWindowTests : IAsyncLifetime
{
    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan Sweep = TimeSpan.FromSeconds(1);
    private readonly HarnessFactory factory = new() { Clock = ServiceClock.StartingNow() };

    public CrashWindowTests()
    {
        factory.Settings["Jobs:Deadline"] = Deadline.ToString();
        factory.Settings["Jobs:SweepIntervalSeconds"] = Sweep.TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    public Task InitializeAsync() => factory.Harness.Start();

    public async Task DisposeAsync() => await factory.DisposeAsync();

    private ITestHarness Harness => factory.Harness;

    private IJobStore Store => factory.Services.GetRequiredService<IJobStore>();

    private Microsoft.Extensions.Time.Testing.FakeTimeProvider Clock => factory.Clock!;

    /// <summary>A job claimed for Pixazo by a process that then died: did the request reach the gateway or not?</summary>
    private async Task<GenerateVideo> ClaimedByACrashedProcessAsync()
    {
        var command = new GenerateVideo(Guid.NewGuid(), "claimed, then the process died");
        await Store.CreateIfAbsentAsync(command, Clock.GetUtcNow(), CancellationToken.None);
        Assert.Equal(ClaimResult.Claimed, await Store.TryClaimSubmissionAsync(command.JobId, "pixazo", null, Clock.GetUtcNow(), CancellationToken.None));
        return command;
    }

    [Fact]
    public async Task Claimed_job_is_never_submitted_again_and_ends_at_its_deadline()
    {
        var command = await ClaimedByACrashedProcessAsync();
        await Harness.Bus.Publish(command); // the redelivery of the command the dead process held
        Assert.True(await Harness.Consumed.Any<GenerateVideo>(m => m.Context.Message.JobId == command.JobId));

        await Clock.AdvanceUntilAsync(Sweep * 10, () => factory.HasPublished<VideoFailed>(m => m.JobId == command.JobId),
            "the timed_out VideoFailed");
        Assert.True(Clock.GetUtcNow() - Clock.Start >= Deadline, "timed out before its deadline");
        Assert.Equal(VideoFailureCodes.TimedOut, factory.PublishedSoFar<VideoFailed>().Single().Context.Message.Code);
        Assert.Equal(0, factory.Gateway.SubmitCount);
    }

    [Fact]
    public async Task Claimed_job_whose_request_did_reach_the_gateway_is_completed_by_its_callback()
    {
        var command = await ClaimedByACrashedProcessAsync();
        await Harness.Bus.Publish(new CallbackReceived(command.JobId, "pixazo",
            """{"request_id":"sora-video_orphan","status":"COMPLETED","output":{"media_url":["https://cdn.test/orphan.mp4"],"media_type":"video/mp4"}}""",
            DateTimeOffset.UtcNow));

        Assert.True(await Harness.Published.Any<VideoCompleted>(m => m.Context.Message.JobId == command.JobId));
        var completed = Harness.Published.Select<VideoCompleted>().Single().Context.Message;
        Assert.Equal(("sora-video_orphan", "https://cdn.test/orphan.mp4"), (completed.ProviderRequestId, completed.VideoUrl));
        Assert.Equal(0, factory.Gateway.SubmitCount);
    }

    [Fact]
    public async Task Job_stored_over_http_whose_command_never_reached_the_broker_is_submitted_by_the_dispatcher()
    {
        var command = new GenerateVideo(Guid.NewGuid(), "stored, then the process died before publishing");
        await Store.CreateIfAbsentAsync(command, Clock.GetUtcNow(), CancellationToken.None);
        await Store.DeferAsync(command.JobId, Clock.GetUtcNow(), CancellationToken.None);

        await Clock.AdvanceUntilAsync(Sweep, () => factory.HasPublished<VideoSubmitted>(m => m.JobId == command.JobId),
            "the dispatcher's VideoSubmitted");
        Assert.Equal(1, factory.Gateway.SubmitCount);
    }
}
