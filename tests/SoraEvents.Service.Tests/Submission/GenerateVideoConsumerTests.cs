using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SoraEvents.Contracts;
using SoraEvents.Service.Providers;
using SoraEvents.Service.Tests.Support;

namespace SoraEvents.Service.Tests.Submission;

public sealed class GenerateVideoConsumerTests : IAsyncLifetime
{
    private readonly HarnessFactory factory = new();

    public Task InitializeAsync() => factory.Harness.Start();

    public async Task DisposeAsync() => await factory.DisposeAsync();

    private ITestHarness Harness => factory.Harness;

    [Fact]
    public async Task Valid_command_is_submitted_once_and_announced()
    {
        var command = new GenerateVideo(Guid.NewGuid(), "A serene beach", Metadata: new Dictionary<string, string> { ["order"] = "7" });
        await Harness.Bus.Publish(command);

        Assert.True(await Harness.Published.Any<VideoSubmitted>(m => m.Context.Message.JobId == command.JobId));
        var submitted = Harness.Published.Select<VideoSubmitted>().Single().Context.Message;
        Assert.Equal(("pixazo", $"fake_{command.JobId:N}_1", "7"), (submitted.Provider, submitted.ProviderRequestId, submitted.Metadata["order"]));
        var (_, callbackUrl) = Assert.Single(factory.Gateway.Submissions);
        Assert.Contains($"/webhooks/pixazo/{command.JobId}?token=", callbackUrl.AbsoluteUri);
    }

    [Fact]
    public async Task Invalid_command_fails_with_every_reason_and_is_not_retried()
    {
        var command = new GenerateVideo(Guid.NewGuid(), "", Size: "640x480", Seconds: 5);
        await Harness.Bus.Publish(command);

        Assert.True(await Harness.Published.Any<VideoFailed>(m => m.Context.Message.JobId == command.JobId));
        var failed = Harness.Published.Select<VideoFailed>().Single().Context.Message;
        Assert.Equal(VideoFailureCodes.InvalidRequest, failed.Code);
        Assert.Contains("prompt is required", failed.Reason);
        Assert.Contains("size '640x480'", failed.Reason);
        Assert.Contains("seconds 5", failed.Reason);
        Assert.Equal(0, factory.Gateway.SubmitCount);
        Assert.False(await Harness.Published.Any<Fault<GenerateVideo>>());
    }

    [Fact]
    public async Task Command_with_a_known_job_id_submits_nothing_new()
    {
        var command = new GenerateVideo(Guid.NewGuid(), "A serene beach");
        await Harness.Bus.Publish(command);
        Assert.True(await Harness.Published.Any<VideoSubmitted>());
        await Harness.Bus.Publish(command);
        Assert.True(await Harness.Consumed.Any<GenerateVideo>(m => m.Context.Message.JobId == command.JobId));
        await Harness.InactivityTask;

        Assert.Equal(1, factory.Gateway.SubmitCount);
        Assert.Single(Harness.Published.Select<VideoSubmitted>());
    }

    [Fact]
    public async Task Gateway_refusal_fails_the_job_with_its_code()
    {
        factory.Gateway.OnSubmit = (_, _) => throw new GatewayRejectedException("pixazo", VideoFailureCodes.InsufficientBalance, "Your wallet does not have enough balance.", 402);
        var command = new GenerateVideo(Guid.NewGuid(), "A serene beach");
        await Harness.Bus.Publish(command);

        Assert.True(await Harness.Published.Any<VideoFailed>());
        var failed = Harness.Published.Select<VideoFailed>().Single().Context.Message;
        Assert.Equal((VideoFailureCodes.InsufficientBalance, "pixazo"), (failed.Code, failed.Provider));
        Assert.Equal(1, factory.Gateway.SubmitCount);
    }

    [Fact]
    public async Task Gateway_unavailable_is_retried_until_it_takes_the_job()
    {
        factory.Gateway.OnSubmit = (n, r) => n < 3
            ? throw new GatewayUnavailableException("pixazo", "HTTP 500")
            : new GatewaySubmission($"fake_{n}");
        var command = new GenerateVideo(Guid.NewGuid(), "A serene beach");
        await Harness.Bus.Publish(command);

        var submitted = await factory.PublishedAsync<VideoSubmitted>(m => m.JobId == command.JobId);
        Assert.Equal(3, factory.Gateway.SubmitCount);
        Assert.Equal("fake_3", submitted.ProviderRequestId);
        Assert.Single(factory.PublishedSoFar<VideoSubmitted>());
    }

    [Fact]
    public async Task Gateway_unavailable_beyond_the_retries_faults_the_message_for_the_error_queue()
    {
        // The harness is in-memory; the submitter reads the bus it runs on from the options (already bound, so changed
        // in place here): on RabbitMQ, generate-video_error is an operator's queue.
        factory.Services.GetRequiredService<IOptions<Service.Messaging.BusOptions>>().Value.Transport = "RabbitMq";
        factory.Gateway.OnSubmit = (_, _) => throw new GatewayUnavailableException("pixazo", "HTTP 503");
        var command = new GenerateVideo(Guid.NewGuid(), "A serene beach");
        await Harness.Bus.Publish(command);

        Assert.True(await Harness.Published.Any<Fault<GenerateVideo>>());
        Assert.Equal(3, factory.Gateway.SubmitCount); // first try plus the two configured retries
        Assert.False(await Harness.Published.Any<VideoFailed>());
        var job = await factory.Services.GetRequiredService<Service.Jobs.IJobStore>().FindAsync(command.JobId, CancellationToken.None);
        Assert.Equal((Service.Jobs.JobStatus.Queued, true, "pixazo is unavailable: HTTP 503"), (job!.Status, job.AwaitingReplay, job.LastGatewayFailure));
    }

    [Fact]
    public async Task Gateway_unavailable_beyond_the_retries_on_the_in_memory_bus_fails_the_job_naming_the_failure()
    {
        factory.Gateway.OnSubmit = (_, _) => throw new GatewayUnavailableException("pixazo", "HTTP 503");
        await Harness.Bus.Publish(new GenerateVideo(Guid.NewGuid(), "A serene beach"));

        Assert.True(await Harness.Published.Any<VideoFailed>());
        var failed = Harness.Published.Select<VideoFailed>().Single().Context.Message;
        Assert.Equal(VideoFailureCodes.ProviderError, failed.Code);
        Assert.Contains("pixazo is unavailable: HTTP 503", failed.Reason);
        Assert.False(await Harness.Published.Any<Fault<GenerateVideo>>());
    }
}
