using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using SoraEvents.Contracts;
using SoraEvents.Service.Jobs;
using SoraEvents.Service.Providers;
using SoraEvents.Service.Tests.Support;

namespace SoraEvents.Service.Tests.Polling;

/// <summary>
/// What ends a job when no callback does: status checks, the deadline, and the republisher. The service's clock
/// is the test's: every sweep, poll and deadline happens when the test moves it, never on real seconds.
/// </summary>
public sealed class PollingFallbackTests : IAsyncLifetime
{
    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan Sweep = TimeSpan.FromSeconds(1);
    private readonly HarnessFactory factory = new() { Clock = ServiceClock.StartingNow() };

    public PollingFallbackTests()
    {
        factory.Settings["Jobs:Deadline"] = Deadline.ToString();
        // Every tick of the fake clock's timers costs real time; one sweep a (fake) second is plenty here.
        factory.Settings["Jobs:SweepIntervalSeconds"] = Sweep.TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    public Task InitializeAsync() => factory.Harness.Start();

    public async Task DisposeAsync() => await factory.DisposeAsync();

    private ITestHarness Harness => factory.Harness;

    private Microsoft.Extensions.Time.Testing.FakeTimeProvider Clock => factory.Clock!;

    /// <summary>One sweep: longer than the fake gateway's poll interval, so each step makes every submitted job due for a check.</summary>
    private static TimeSpan PollStep => Sweep;

    private bool Completed(Guid jobId) => factory.HasPublished<VideoCompleted>(m => m.JobId == jobId);

    private bool Failed(Guid jobId) => factory.HasPublished<VideoFailed>(m => m.JobId == jobId);

    private async Task<GenerateVideo> SubmittedAsync(string prompt)
    {
        var command = new GenerateVideo(Guid.NewGuid(), prompt);
        await Harness.Bus.Publish(command);
        Assert.True(await Harness.Published.Any<VideoSubmitted>(m => m.Context.Message.JobId == command.JobId));
        return command;
    }

    [Fact]
    public async Task Job_whose_callback_never_comes_is_completed_by_a_status_check()
    {
        factory.Gateway.StatusAnswer = new GatewayOutcome.Succeeded(["https://cdn.test/polled.mp4"], null);
        var command = await SubmittedAsync("nobody calls back");

        await Clock.AdvanceUntilAsync(PollStep, () => Completed(command.JobId), "the job completed by a status check");
        Assert.Equal("https://cdn.test/polled.mp4", factory.PublishedSoFar<VideoCompleted>().Single().Context.Message.VideoUrl);
        Assert.True(factory.Gateway.StatusQueries >= 1);
    }

    [Fact]
    public async Task Status_checks_repeat_while_the_job_is_pending_and_stop_once_it_ends()
    {
        var command = await SubmittedAsync("slow");
        await Clock.AdvanceUntilAsync(PollStep, () => factory.Gateway.StatusQueries >= 3, "three status checks");

        factory.Gateway.StatusAnswer = new GatewayOutcome.Failed(VideoFailureCodes.ContentViolation, "blocked");
        await Clock.AdvanceUntilAsync(PollStep, () => Failed(command.JobId), "the job failed by a status check");
        // The clock ran ahead of the work, so a sweep that claimed the job before its end was stored may still be
        // asking; two more finished sweeps of the poller's one-at-a-time loop mean that one has ended too.
        var poller = factory.Services.GetServices<IHostedService>().OfType<Service.Polling.StatusPoller>().Single();
        var sweeps = poller.LoopSweeps;
        await Clock.AdvanceUntilAsync(PollStep, () => poller.LoopSweeps >= sweeps + 2, "two more sweeps of the poller's loop");
        var checks = factory.Gateway.StatusQueries;
        // Well past the next due check, then a sweep that certainly ran after it: nothing left to ask about.
        await Clock.AdvanceByAsync(PollStep * 5, PollStep);
        await factory.SweepAsync<Service.Polling.StatusPoller>();
        Assert.Equal(checks, factory.Gateway.StatusQueries);
    }

    [Fact]
    public async Task Job_not_finished_by_its_deadline_times_out_once()
    {
        var command = await SubmittedAsync("forever pending");

        // Just short of the deadline, a deadline sweep leaves the job alone.
        await Clock.AdvanceByAsync(Deadline - TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(10));
        await factory.SweepAsync<DeadlineWatcher>();
        Assert.False(Failed(command.JobId));

        await Clock.AdvanceUntilAsync(Sweep, () => Failed(command.JobId), "the job's VideoFailed");
        await Clock.AdvanceByAsync(Deadline, TimeSpan.FromSeconds(10));
        await factory.SweepAsync<DeadlineWatcher>();
        var failed = factory.PublishedSoFar<VideoFailed>().Single().Context.Message;
        Assert.Equal((VideoFailureCodes.TimedOut, "pixazo"), (failed.Code, failed.Provider));
        Assert.StartsWith("fake_", failed.ProviderRequestId);
    }

    [Fact]
    public async Task Terminal_event_stranded_by_a_crash_is_published_later_with_its_stored_message_id()
    {
        // The state a crash leaves between "job ended in the store" and "event confirmed by the broker".
        var store = factory.Services.GetRequiredService<IJobStore>();
        var command = new GenerateVideo(Guid.NewGuid(), "crashed before publishing");
        var longAgo = Clock.GetUtcNow().AddMinutes(-1);
        await store.CreateIfAbsentAsync(command, longAgo, CancellationToken.None);
        var messageId = Guid.NewGuid();
        await store.TryFinishAsync(command.JobId, JobEnding.Completed("pixazo", "r1", ["https://cdn.test/v.mp4"], null), messageId, longAgo, CancellationToken.None);

        await Clock.AdvanceUntilAsync(Sweep, () => Completed(command.JobId), "the stranded VideoCompleted");
        Assert.Equal(messageId, factory.PublishedSoFar<VideoCompleted>().Single().Context.MessageId);
        Assert.True((await store.FindAsync(command.JobId, CancellationToken.None))!.TerminalPublished);
    }
}
