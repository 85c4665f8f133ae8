using MassTransit;
using MassTransit.Testing;
using SoraEvents.Contracts;
using SoraEvents.Service.Providers;
using SoraEvents.Service.Submission;
using SoraEvents.Service.Tests.Support;
using SoraEvents.Service.Webhooks;

namespace SoraEvents.Service.Tests.Submission;

/// <summary>
/// Failover between two gateways, with fakes on the in-memory harness. The service's clock is the test's, so
/// retry waits and slot waits pass when the test moves it.
/// </summary>
public sealed class FailoverTests : IAsyncLifetime
{
    private static readonly TimeSpan Sweep = TimeSpan.FromSeconds(1);
    private readonly HarnessFactory factory = new(withApixo: true) { Clock = ServiceClock.StartingNow() };

    public FailoverTests()
    {
        factory.Settings["Submission:RetryIntervals"] = "1,5";
        factory.Settings["Jobs:SweepIntervalSeconds"] = Sweep.TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    public Task InitializeAsync() => factory.Harness.Start();

    public async Task DisposeAsync() => await factory.DisposeAsync();

    private ITestHarness Harness => factory.Harness;

    private Microsoft.Extensions.Time.Testing.FakeTimeProvider Clock => factory.Clock!;

    private bool Submitted(Guid jobId, string provider) =>
        factory.HasPublished<VideoSubmitted>(m => m.JobId == jobId && m.Provider == provider);

    [Fact]
    public async Task Gateway_unavailable_through_every_retry_fails_over_to_the_other_gateway()
    {
        factory.Gateway.OnSubmit = (_, _) => throw new GatewayUnavailableException("pixazo", "HTTP 503");
        var command = new GenerateVideo(Guid.NewGuid(), "A serene beach");
        await Harness.Bus.Publish(command);

        await Clock.AdvanceUntilAsync(TimeSpan.FromMilliseconds(500), () => Submitted(command.JobId, "apixo"), "the job submitted to apixo");
        Assert.Equal("apixo", factory.PublishedSoFar<VideoSubmitted>().Single().Context.Message.Provider);
        Assert.Equal((3, 1), (factory.Gateway.SubmitCount, factory.Apixo.SubmitCount));
        Assert.True(Clock.GetUtcNow() - Clock.Start >= TimeSpan.FromSeconds(6), $"failed over after {Clock.GetUtcNow() - Clock.Start}, before both retry waits");
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
        // Past its slot wait, then a dispatcher sweep that certainly ran after it: still no free slot, still waiting.
        await Clock.AdvanceByAsync(Sweep * 3, Sweep);
        await factory.SweepAsync<QueuedJobDispatcher>();
        Assert.Equal(1, factory.Apixo.SubmitCount);

        await Harness.Bus.Publish(new CallbackReceived(first.JobId, "apixo",
            $$"""{"taskId":"apixo_{{first.JobId:N}}_1","state":"success","resultJson":"{\"resultUrls\":[\"https://cdn.test/1.mp4\"]}"}""", DateTimeOffset.UtcNow));

        await Clock.AdvanceUntilAsync(Sweep, () => Submitted(second.JobId, "apixo"), "the waiting job submitted");
        Assert.Equal(2, factory.Apixo.SubmitCount);
    }
}
