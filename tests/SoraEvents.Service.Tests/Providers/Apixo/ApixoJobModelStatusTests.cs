using System.Net;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using SoraEvents.Contracts;
using SoraEvents.Service.Jobs;
using SoraEvents.Service.Providers;
using SoraEvents.Service.Providers.Apixo;
using SoraEvents.Service.Tests.Support;

namespace SoraEvents.Service.Tests.Providers.Apixo;

/// <summary>
/// APIXO files each task under the model in its path, so a status check must ask under the job's model, not the
/// configured default: otherwise a job on another model is never found by polling, and a lost callback leaves it
/// open until its deadline.
/// </summary>
public sealed class ApixoJobModelStatusTests : IAsyncLifetime
{
    private const string OtherModel = "sora-2";
    private static readonly TimeSpan Sweep = TimeSpan.FromSeconds(1);
    private readonly ServiceFactory factory = new() { Clock = ServiceClock.StartingNow() };

    public ApixoJobModelStatusTests()
    {
        factory.Settings["Jobs:SweepIntervalSeconds"] = Sweep.TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        // Before the fix only the deadline ended such a job. The clock moves on a second every few real milliseconds while
        // a status query takes real time: a 5-minute deadline was passed before the query answered on a loaded machine.
        factory.Settings["Jobs:Deadline"] = "00:30:00";
        // The in-memory test server listens on no address: the URL must exist, and no callback is expected anyway.
        factory.Settings["Webhooks:PublicBaseUrl"] = "http://soraevents.test";
    }

    public Task InitializeAsync()
    {
        _ = factory.Services;
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await factory.DisposeAsync();

    [Fact]
    public async Task Status_query_asks_under_the_jobs_model()
    {
        var handler = new StubHandler(HttpStatusCode.OK, Fixture.Read("Apixo", "status-success"));
        var gateway = new ApixoGateway(
            new HttpClient(handler) { BaseAddress = new Uri("https://api.apixo.test/") },
            new GatewayTransport(null!, TimeProvider.System, NullLogger<GatewayTransport>.Instance),
            Options.Create(new ProvidersOptions { Apixo = new ApixoOptions { RequestsPerMinute = null } }),
            TimeProvider.System, NullLogger<ApixoGateway>.Instance);

        await gateway.GetStatusAsync(new GenerateVideo(Guid.NewGuid(), "a fox", Model: OtherModel), "task_12345678", CancellationToken.None);

        Assert.Equal($"https://api.apixo.test/api/v1/statusTask/{OtherModel}?taskId=task_12345678",
            Assert.Single(handler.Requests).Request.RequestUri!.AbsoluteUri);
    }

    [Fact]
    public async Task Job_on_a_non_default_model_whose_callback_is_lost_is_completed_by_a_status_check()
    {
        var store = factory.Services.GetRequiredService<IJobStore>();
        var command = new GenerateVideo(Guid.NewGuid(), "[sim:nocallback] a lighthouse at dusk", Seconds: 10, Provider: VideoProviders.Apixo, Model: OtherModel);
        await factory.Services.GetRequiredService<IBus>().Publish(command);

        // Polling starts 120 s after submission and repeats every 5 s (APIXO's documented schedule), on the test's clock.
        await factory.Clock!.AdvanceUntilAsync(Sweep, async () =>
            (await store.FindAsync(command.JobId, CancellationToken.None))?.Status.IsTerminal() == true, "the job ended");

        var job = await store.FindAsync(command.JobId, CancellationToken.None);
        Assert.Equal((JobStatus.Completed, VideoProviders.Apixo), (job!.Status, job.Provider));
        Assert.NotEmpty(job.VideoUrls);
    }
}
