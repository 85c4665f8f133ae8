using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;
using SoraEvents.Contracts;
using SoraEvents.Service.Jobs;
using SoraEvents.Service.Providers;
using SoraEvents.Service.Tests.Support;

namespace SoraEvents.Service.Tests.Polling;

/// <summary>What ends a job when no callback does: status checks, the deadline, and the republisher.</summary>
public sealed class PollingFallbackTests : IAsyncLifetime
{
    private readonly HarnessFactory factory = new();

    public PollingFallbackTests() => factory.Settings["Jobs:Deadline"] = "00:00:03";

    public Task InitializeAsync() => factory.Harness.Start();

    public async Task DisposeAsync() => await factory.DisposeAsync();

    private ITestHarness Harness => factory.Harness;

    [Fact]
    public async Task Job_whose_callback_never_comes_is_completed_by_a_status_check()
    {
        factory.Gateway.StatusAnswer = new GatewayOutcome.Succeeded(["https://cdn.test/polled.mp4"], null);
        var command = new GenerateVideo(Guid.NewGuid(), "nobody calls back");
        await Harness.Bus.Publish(command);

        Assert.True(await Harness.Published.Any<VideoCompleted>(m => m.Context.Message.JobId == command.JobId));
        Assert.Equal("https://cdn.test/polled.mp4", Harness.Published.Select<VideoCompleted>().Single().Context.Message.VideoUrl);
        Assert.True(factory.Gateway.StatusQueries >= 1);
    }

    [Fact]
    public async Task Status_checks_repeat_while_the_job_is_pending_and_stop_once_it_ends()
    {
        var command = new GenerateVideo(Guid.NewGuid(), "slow");
        await Harness.Bus.Publish(command);
        await Eventually.TrueAsync(() => Task.FromResult(factory.Gateway.StatusQueries >= 3), TimeSpan.FromSeconds(10), "three status checks");

        factory.Gateway.StatusAnswer = new GatewayOutcome.Failed(VideoFailureCodes.ContentViolation, "blocked");
        Assert.True(await Harness.Published.Any<VideoFailed>(m => m.Context.Message.JobId == command.JobId));
        var checks = factory.Gateway.StatusQueries;
        await Task.Delay(800);
        Assert.Equal(checks, factory.Gateway.StatusQueries);
    }

    [Fact]
    public async Task Job_not_finished_by_its_deadline_times_out_once()
    {
        var command = new GenerateVideo(Guid.NewGuid(), "forever pending");
        await Harness.Bus.Publish(command);

        await Eventually.TrueAsync(async () => await Harness.Published.Any<VideoFailed>(m => m.Context.Message.JobId == command.JobId),
            TimeSpan.FromSeconds(15), "the job's VideoFailed");
        var failed = Harness.Published.Select<VideoFailed>().Single().Context.Message;
        Assert.Equal((VideoFailureCodes.TimedOut, "pixazo"), (failed.Code, failed.Provider));
        Assert.StartsWith("fake_", failed.ProviderRequestId);
    }

    [Fact]
    public async Task Terminal_event_stranded_by_a_crash_is_published_later_with_its_stored_message_id()
    {
        // The state a crash leaves between "job ended in the store" and "event confirmed by the broker".
        var store = factory.Services.GetRequiredService<IJobStore>();
        var command = new GenerateVideo(Guid.NewGuid(), "crashed before publishing");
        var longAgo = DateTimeOffset.UtcNow.AddMinutes(-1);
        await store.CreateIfAbsentAsync(command, longAgo, CancellationToken.None);
        var messageId = Guid.NewGuid();
        await store.TryFinishAsync(command.JobId, JobEnding.Completed("pixazo", "r1", ["https://cdn.test/v.mp4"], null), messageId, longAgo, CancellationToken.None);

        await Eventually.TrueAsync(async () => await Harness.Published.Any<VideoCompleted>(m => m.Context.Message.JobId == command.JobId),
            TimeSpan.FromSeconds(10), "the stranded VideoCompleted");
        Assert.Equal(messageId, Harness.Published.Select<VideoCompleted>().Single().Context.MessageId);
        Assert.True((await store.FindAsync(command.JobId, CancellationToken.None))!.TerminalPublished);
    }
}
