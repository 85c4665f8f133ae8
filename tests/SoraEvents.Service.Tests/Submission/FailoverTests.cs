using MassTransit;
using MassTransit.Testing;
using SoraEvents.Contracts;
using SoraEvents.Service.Providers;
using SoraEvents.Service.Tests.Support;
using SoraEvents.Service.Webhooks;

namespace SoraEvents.Service.Tests.Submission;

/// <summary>Failover between two gateways, with fakes on the in-memory harness.</summary>
public sealed class FailoverTests : IAsyncLifetime
{
    private readonly HarnessFactory factory = new(withApixo: true);

    public Task InitializeAsync() => factory.Harness.Start();

    public async Task DisposeAsync() => await factory.DisposeAsync();

    private ITestHarness Harness => factory.Harness;

    [Fact]
    public async Task Gateway_unavailable_through_every_retry_fails_over_to_the_other_gateway()
    {
        factory.Gateway.OnSubmit = (_, _) => throw new GatewayUnavailableException("pixazo", "HTTP 503");
        var command = new GenerateVideo(Guid.NewGuid(), "A serene beach");
        await Harness.Bus.Publish(command);

        Assert.True(await Harness.Published.Any<VideoSubmitted>(m => m.Context.Message.JobId == command.JobId));
        Assert.Equal("apixo", Harness.Published.Select<VideoSubmitted>().Single().Context.Message.Provider);
        Assert.Equal((3, 1), (factory.Gateway.SubmitCount, factory.Apixo.SubmitCount));
        Assert.False(await Harness.Published.Any<Fault<GenerateVideo>>());
    }

    [Fact]
    public async Task Insufficient_balance_everywhere_fails_the_job_with_that_code()
    {
        factory.Gateway.OnSubmit = (_, _) => throw new GatewayRejectedException("pixazo", VideoFailureCodes.InsufficientBalance, "no money", 402);
        factory.Apixo.OnSubmit = (_, _) => throw new GatewayRejectedException("apixo", VideoFailureCodes.InsufficientBalance, "Insufficient credits", 400);
        await Harness.Bus.Publish(new GenerateVideo(Guid.NewGuid(), "A serene beach"));

        Assert.True(await Harness.Published.Any<VideoFailed>());
        var failed = Harness.Published.Select<VideoFailed>().Single().Context.Message;
        Assert.Equal((VideoFailureCodes.InsufficientBalance, "apixo"), (failed.Code, failed.Provider));
    }

    [Fact]
    public async Task Permanent_refusal_does_not_fail_over()
    {
        factory.Gateway.OnSubmit = (_, _) => throw new GatewayRejectedException("pixazo", VideoFailureCodes.ContentViolation, "policy", 400);
        await Harness.Bus.Publish(new GenerateVideo(Guid.NewGuid(), "A serene beach"));

        Assert.True(await Harness.Published.Any<VideoFailed>());
        Assert.Equal(0, factory.Apixo.SubmitCount);
    }

    [Fact]
    public async Task Named_gateway_over_its_concurrency_limit_waits_queued_and_is_submitted_when_a_slot_frees()
    {
        factory.Apixo.Limits = new GatewayLimits(null, 1);
        var first = new GenerateVideo(Guid.NewGuid(), "one", Provider: "apixo");
        var second = new GenerateVideo(Guid.NewGuid(), "two", Provider: "apixo");
        await Harness.Bus.Publish(first);
        Assert.True(await Harness.Published.Any<VideoSubmitted>(m => m.Context.Message.JobId == first.JobId));
        await Harness.Bus.Publish(second);
        Assert.True(await Harness.Consumed.Any<GenerateVideo>(m => m.Context.Message.JobId == second.JobId));
        await Task.Delay(500);
        Assert.Equal(1, factory.Apixo.SubmitCount);

        await Harness.Bus.Publish(new CallbackReceived(first.JobId, "apixo",
            $$"""{"taskId":"apixo_{{first.JobId:N}}_1","state":"success","resultJson":"{\"resultUrls\":[\"https://cdn.test/1.mp4\"]}"}""", DateTimeOffset.UtcNow));

        await Eventually.TrueAsync(() => Task.FromResult(factory.Apixo.SubmitCount == 2), TimeSpan.FromSeconds(10), "the waiting job submitted");
        Assert.True(await Harness.Published.Any<VideoSubmitted>(m => m.Context.Message.JobId == second.JobId && m.Context.Message.Provider == "apixo"));
    }
}
