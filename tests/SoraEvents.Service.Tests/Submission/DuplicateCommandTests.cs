using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;
using SoraEvents.Contracts;
using SoraEvents.Service.Jobs;
using SoraEvents.Service.Tests.Support;
using SoraEvents.Service.Webhooks;

namespace SoraEvents.Service.Tests.Submission;

/// <summary>
/// A second <see cref="GenerateVideo"/> for a job the store already has, however wrong its body, never changes
/// that job (issue 11, item 1).
/// </summary>
public sealed class DuplicateCommandTests : IAsyncLifetime
{
    private readonly HarnessFactory factory = new();

    public Task InitializeAsync() => factory.Harness.Start();

    public async Task DisposeAsync() => await factory.DisposeAsync();

    private ITestHarness Harness => factory.Harness;

    private IJobStore Store => factory.Services.GetRequiredService<IJobStore>();

    public static TheoryData<string, GenerateVideo> BadDuplicates => new()
    {
        { "empty prompt", new GenerateVideo(Guid.Empty, "") },
        { "pixazo cannot make 15 seconds", new GenerateVideo(Guid.Empty, "A serene beach", Seconds: 15, Provider: VideoProviders.Pixazo) },
        { "same job, another prompt", new GenerateVideo(Guid.Empty, "Something else entirely") },
    };

    [Theory]
    [MemberData(nameof(BadDuplicates))]
    public async Task Invalid_duplicate_command_leaves_the_running_job_untouched(string because, GenerateVideo duplicate)
    {
        var command = new GenerateVideo(Guid.NewGuid(), "A serene beach");
        await Harness.Bus.Publish(command);
        Assert.True(await Harness.Published.Any<VideoSubmitted>(m => m.Context.Message.JobId == command.JobId));

        await Harness.Bus.Publish(duplicate with { JobId = command.JobId });
        // Consumed is recorded once the consumer has finished with the message.
        Assert.True(await Harness.Consumed.Any<GenerateVideo>(m => m.Context.Message.JobId == command.JobId && m.Context.Message != command), because);

        var job = await Store.FindAsync(command.JobId, CancellationToken.None);
        Assert.Equal((JobStatus.Submitted, "A serene beach"), (job!.Status, job.Request.Prompt));
        Assert.Equal(1, factory.Gateway.SubmitCount);
        Assert.Single(factory.Logs.Mentioning($"GenerateVideo for existing job {command.JobId} differs"));

        // The gateway's callback still ends the job it charged for, once.
        await Harness.Bus.Publish(new CallbackReceived(command.JobId, VideoProviders.Pixazo,
            $$$"""{"request_id":"fake_{{{command.JobId:N}}}_1","status":"COMPLETED","output":{"media_url":["https://cdn.test/beach.mp4"],"media_type":"video/mp4"}}""",
            DateTimeOffset.UtcNow));
        Assert.True(await Harness.Published.Any<VideoCompleted>(m => m.Context.Message.JobId == command.JobId));
        Assert.False(await Harness.Published.Any<VideoFailed>());
        Assert.Equal(1, factory.Gateway.SubmitCount);
    }

    [Fact]
    public async Task Invalid_duplicate_of_a_finished_job_publishes_nothing_new()
    {
        var command = new GenerateVideo(Guid.NewGuid(), "A serene beach");
        await Store.CreateIfAbsentAsync(command, DateTimeOffset.UtcNow, CancellationToken.None);
        await Store.TryFinishAsync(command.JobId, JobEnding.Completed("pixazo", "fake_1", ["https://cdn.test/a.mp4"], null),
            Guid.NewGuid(), DateTimeOffset.UtcNow, CancellationToken.None);
        await Store.MarkTerminalPublishedAsync(command.JobId, CancellationToken.None);

        await Harness.Bus.Publish(command with { Prompt = "" });
        Assert.True(await Harness.Consumed.Any<GenerateVideo>());
        await Harness.InactivityTask;

        Assert.False(await Harness.Published.Any<VideoFailed>());
        Assert.False(await Harness.Published.Any<VideoCompleted>());
        Assert.Equal(JobStatus.Completed, (await Store.FindAsync(command.JobId, CancellationToken.None))!.Status);
    }

    [Fact]
    public async Task Invalid_command_never_ends_a_job_another_command_created_under_its_id()
    {
        // The race the consumer's look-up cannot close: a valid command stores the job between that look-up and
        // the invalid command's own attempt to store (and end) it.
        var valid = new GenerateVideo(Guid.NewGuid(), "A serene beach");
        await Store.CreateIfAbsentAsync(valid, DateTimeOffset.UtcNow, CancellationToken.None);

        await using var scope = factory.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<TerminalEvents>()
            .FailInvalidAsync(valid with { Prompt = "" }, ["prompt is required."], Harness.Bus, CancellationToken.None);

        Assert.Equal(JobStatus.Queued, (await Store.FindAsync(valid.JobId, CancellationToken.None))!.Status);
        Assert.False(await Harness.Published.Any<VideoFailed>());
    }
}
