using System.Text;
using RabbitMQ.Client;

namespace SoraEvents.Service.Tests.Integration;

/// <summary>
/// Bad duplicates of a running job's command on the real broker, the four ways issue 11 (item 1) sent them:
/// raw JSON to the <c>generate-video</c> queue and a MassTransit envelope to the command's exchange, each with an
/// empty prompt and with <c>provider: pixazo</c> at 15 seconds. The jobs they name run on, paid for once.
/// </summary>
[Collection(RabbitMqCollection.Name)]
public sealed class DuplicateCommandBrokerTests(RabbitMqFixture broker) : IAsyncLifetime
{
    private LiveService live = null!;

    public async Task InitializeAsync() => live = await LiveService.StartAsync(broker, new Dictionary<string, string?>
    {
        // Long enough for the duplicates to arrive while the jobs run, even on a loaded machine (5 s was not); only the
        // callback may end them.
        ["Simulator:CallbackDelay"] = "00:00:30",
        ["Providers:Pixazo:PollAfterSeconds"] = "3600",
    });

    public async Task DisposeAsync() => await live.DisposeAsync();

    private static readonly (string How, Func<Guid, string> Body, bool Envelope)[] Duplicates =
    [
        ("raw JSON, empty prompt", jobId => $$"""{"jobId":"{{jobId}}","prompt":""}""", false),
        ("raw JSON, pixazo at 15 s", jobId => $$"""{"jobId":"{{jobId}}","prompt":"A serene beach","provider":"pixazo","seconds":15}""", false),
        ("envelope, empty prompt", jobId => $$"""{"jobId":"{{jobId}}","prompt":""}""", true),
        ("envelope, pixazo at 15 s", jobId => $$"""{"jobId":"{{jobId}}","prompt":"A serene beach","provider":"pixazo","seconds":15}""", true),
    ];

    [Fact]
    public async Task Invalid_duplicates_sent_while_jobs_run_leave_every_job_to_complete_once_paid_once()
    {
        var jobs = await Task.WhenAll(Duplicates.Select(_ => live.PostVideoAsync(new { prompt = "A serene beach", seconds = 4 })));
        foreach (var jobId in jobs) await live.Events.WaitForAsync(jobId, "VideoSubmitted");

        for (var i = 0; i < jobs.Length; i++)
        {
            var (_, body, envelope) = Duplicates[i];
            if (envelope)
                await PublishAsync("SoraEvents.Contracts:GenerateVideo", "", Envelope(body(jobs[i])), "application/vnd.masstransit+json");
            else
                await PublishAsync("", "generate-video", body(jobs[i]), "application/json");
        }
        // Each duplicate has been dealt with once the service says so, or once it has (wrongly) failed the job.
        await Eventually.TrueAsync(() => Task.FromResult(jobs.All(jobId =>
            live.Factory.Logs.Mentioning($"GenerateVideo for existing job {jobId} differs").Count >= 1 || live.Events.For(jobId, "VideoFailed").Count > 0)),
            ServiceClock.Patience, "the service dealing with each duplicate");
        Assert.All(jobs, jobId => Assert.Empty(live.Events.For(jobId, "VideoCompleted"))); // they really were still running

        await Eventually.TrueAsync(() => Task.FromResult(jobs.All(jobId => live.Simulator.Requests.Any(r =>
            r.CallbackUrl?.Contains(jobId.ToString()) == true && r.IsTerminal && r.CallbacksDelivered > 0))),
            ServiceClock.Patience, "the simulator finishing every job and calling back");
        for (var i = 0; i < jobs.Length; i++)
        {
            await live.Events.WaitForAsync(jobs[i], "VideoCompleted", TimeSpan.FromSeconds(60));
            Assert.True(live.Events.For(jobs[i], "VideoFailed").Count == 0, $"{Duplicates[i].How}: the duplicate failed the job");
            Assert.Single(live.Events.For(jobs[i], "VideoCompleted"));
            Assert.Single(live.Simulator.Requests, r => r.CallbackUrl?.Contains(jobs[i].ToString()) == true);
        }
        Assert.Equal(0, live.Simulator.DuplicateSubmissions);
        Assert.Equal(0u, await RabbitMqFixture.MessageCountAsync(live.AmqpUrl, "generate-video_error"));
    }

    /// <summary>Hand-written, as a service in another language would send it.</summary>
    private static string Envelope(string message) => $$"""
        {
          "messageId": "{{Guid.NewGuid()}}",
          "messageType": ["urn:message:SoraEvents.Contracts:GenerateVideo"],
          "message": {{message}},
          "sentTime": "{{DateTime.UtcNow:O}}",
          "headers": {}
        }
        """;

    private async Task PublishAsync(string exchange, string routingKey, string body, string contentType)
    {
        await using var connection = await RabbitMqFixture.ConnectAsync(live.AmqpUrl);
        await using var channel = await connection.CreateChannelAsync(new CreateChannelOptions(
            publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true));
        var properties = new BasicProperties { ContentType = contentType, DeliveryMode = DeliveryModes.Persistent, MessageId = Guid.NewGuid().ToString() };
        await channel.BasicPublishAsync(exchange, routingKey, mandatory: true, properties, Encoding.UTF8.GetBytes(body));
    }
}
