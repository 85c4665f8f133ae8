using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace SoraEvents.Cli.Tests.Dlq;

/// <summary>
/// A command replayed after its job has ended changes nothing (a job ends once, and the service ignores a command
/// for an ended job), so <c>dlq replay</c> asks the API first: such a message is not moved, stays in its error
/// queue, and the replay says which job had ended and how.
/// </summary>
[Collection(DeadLetterCollection.Name)]
public sealed class ReplayOfEndedJobTests(RabbitMqFixture broker) : IAsyncLifetime
{
    private static readonly DeadLetterSpec TimedOut = new("timed-out", "orders", Guid.NewGuid(), "SoraEvents.Service.Providers.GatewayUnavailableException", "pixazo is unavailable: HTTP 500", DeadLetters.Now.AddMinutes(-2));
    private static readonly DeadLetterSpec Waiting = new("waiting", "orders", Guid.NewGuid(), "SoraEvents.Service.Providers.GatewayUnavailableException", "pixazo is unavailable: HTTP 500", DeadLetters.Now.AddMinutes(-1));

    private Uri amqp = null!;
    private WebApplication api = null!;

    public async Task InitializeAsync()
    {
        amqp = await broker.CreateVirtualHostAsync();
        await DeadLetters.PutAsync(amqp, [TimedOut, Waiting]);
        api = WebApplication.CreateBuilder().Build();
        api.Urls.Add("http://127.0.0.1:0");
        api.MapGet("/v1/videos/{jobId:guid}", (Guid jobId) => jobId == TimedOut.JobId
            ? Results.Json(new { id = jobId, @object = "video", status = "failed", error = new { code = "timed_out", message = "The job did not finish within 00:30:00." } })
            : Results.Json(new { id = jobId, @object = "video", status = "queued", error = (object?)null, waiting_for = "an operator's replay" }));
        await api.StartAsync();
    }

    public async Task DisposeAsync() => await api.DisposeAsync();

    private string[] Endpoints => ["--amqp", amqp.AbsoluteUri, "--api", api.Urls.Single()];

    [Fact]
    public async Task Message_whose_job_already_ended_is_not_replayed_and_the_replay_says_why()
    {
        var result = await Soraevents.OkAsync(["dlq", "replay", "--queue", "orders", .. Endpoints]);

        Assert.Matches($@"job ended\s+orders_error\s+orders\s+{TimedOut.MessageId}\s+{TimedOut.JobId}", result.Out);
        Assert.Contains($"job {TimedOut.JobId} already ended (failed: timed_out); not replayed, the message stays in orders_error", result.Out);
        Assert.Matches($@"moved\s+orders_error\s+orders\s+{Waiting.MessageId}\s+{Waiting.JobId}", result.Out);
        Assert.Contains("moved 1 message (1 of the 2 read stay in place)", result.Out);
        Assert.Contains("1 message was not replayed because its job has already ended", result.Out);
        Assert.Equal([TimedOut.MessageId], await DeadLetters.IdsAsync(amqp, "orders_error"));
        Assert.Equal([Waiting.MessageId], await DeadLetters.IdsAsync(amqp, "orders"));
    }

    [Fact]
    public async Task Dry_run_and_json_report_the_ended_job()
    {
        var json = JsonDocument.Parse((await Soraevents.OkAsync(["dlq", "replay", "--queue", "orders", "--dry-run", "--json", .. Endpoints])).Out).RootElement;

        Assert.Equal((1, 1), (json.GetProperty("wouldMove").GetInt32(), json.GetProperty("jobEnded").GetInt32()));
        var ended = json.GetProperty("messages").EnumerateArray().Single(m => m.GetProperty("jobId").GetGuid() == TimedOut.JobId);
        Assert.Equal(("job ended", "failed: timed_out"), (ended.GetProperty("result").GetString(), ended.GetProperty("jobEnded").GetString()));
        Assert.Equal([TimedOut.MessageId, Waiting.MessageId], await DeadLetters.IdsAsync(amqp, "orders_error"));
    }
}
