using System.Text.Json;

namespace SoraEvents.Cli.Tests.Dlq;

/// <summary>
/// The operator's story: both gateways are down, so the service's GenerateVideo commands fault and land in
/// <c>generate-video_error</c>; the gateway comes back; <c>dlq replay --job-id</c> brings one command back and
/// its job completes, while the other job's command stays in the error queue.
/// </summary>
[Collection(RabbitMqCollection.Name)]
public sealed class ReplayEndToEndTests(RabbitMqFixture broker)
{
    private const string Key = "cli-test-key";

    [Fact]
    public async Task Command_that_faulted_while_the_gateways_were_down_completes_after_replay_by_job_id()
    {
        using var down = new PortReservation(); // held, not listening: every submission is refused
        await using var live = await LiveService.StartAsync(broker, new Dictionary<string, string?>
        {
            ["Providers:Pixazo:BaseUrl"] = down.BaseUrl.AbsoluteUri,
            ["Providers:Pixazo:ApiKey"] = Key,
            ["Providers:Apixo:BaseUrl"] = down.BaseUrl.AbsoluteUri,
            ["Providers:Apixo:ApiKey"] = Key,
        });
        string[] endpoints = ["--amqp", live.AmqpUrl.AbsoluteUri, "--api", live.Client.BaseAddress!.AbsoluteUri];
        var replayed = await live.PostVideoAsync(new { prompt = "A lighthouse in a storm" });
        var leftAlone = await live.PostVideoAsync(new { prompt = "A windmill at noon" });
        await Eventually.TrueAsync(async () => await RabbitMqFixture.MessageCountAsync(live.AmqpUrl, "generate-video_error") == 2,
            TimeSpan.FromSeconds(30), "both commands in generate-video_error");

        var list = await Soraevents.OkAsync(["dlq", "list", .. endpoints]);
        Assert.Matches(@"generate-video_error\s+2\s", list.Out);
        Assert.Matches(@"2\s+SoraEvents\.Contracts:GenerateVideo", list.Out);
        Assert.Matches(@"2\s+SocketException: Connection refused", list.Out);
        var parked = (await Soraevents.OkAsync(["jobs", "show", replayed.ToString(), .. endpoints])).Out;
        Assert.Matches(@"status\s+queued", parked);
        // The job says why it waits and what failed last (issue 13, item 1), and every gateway it went to (item 2).
        Assert.Matches(@"waiting for\s+an operator's replay of its command from generate-video_error", parked);
        Assert.Matches(@"last failure\s+(pixazo|apixo) is unavailable: ", parked);
        Assert.Matches(@"attempts\s+pixazo .* left because pixazo is unavailable", parked);

        // The condition is fixed: the gateway is back on the port the service was configured with.
        await using var gateway = new ChildProcess("SoraEvents.Simulator.dll", new Dictionary<string, string>
        {
            ["Simulator__PixazoApiKey"] = Key,
            ["Simulator__ApixoApiKey"] = Key,
            ["Simulator__CallbackDelay"] = "00:00:01",
        }, down);
        await gateway.StartAsync("/health");

        var replay = await Soraevents.OkAsync(["dlq", "replay", "--job-id", replayed.ToString(), .. endpoints]);
        Assert.Matches($@"moved\s+generate-video_error\s+generate-video\s+\S+\s+{replayed}", replay.Out);
        Assert.Contains("moved 1 message (1 of the 2 read stay in place)", replay.Out);

        var completed = await live.Events.WaitForAsync(replayed, "VideoCompleted", TimeSpan.FromSeconds(30));
        Assert.EndsWith(".mp4", completed.Message.GetProperty("videoUrl").GetString());
        var job = JsonDocument.Parse((await Soraevents.OkAsync(["jobs", "show", replayed.ToString(), "--json", .. endpoints])).Out).RootElement;
        Assert.Equal("completed", job.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, job.GetProperty("waiting_for").ValueKind);

        // The other command is still waiting for the operator, fault and all.
        Assert.Equal(1u, await RabbitMqFixture.MessageCountAsync(live.AmqpUrl, "generate-video_error"));
        var left = JsonDocument.Parse((await Soraevents.OkAsync(["dlq", "list", "--json", .. endpoints])).Out).RootElement;
        Assert.Equal(1, left.GetProperty("queues")[0].GetProperty("messages").GetInt32());
        Assert.Equal("queued", JsonDocument.Parse((await Soraevents.OkAsync(["jobs", "show", leftAlone.ToString(), "--json", .. endpoints])).Out)
            .RootElement.GetProperty("status").GetString());
        Assert.Empty(live.Events.For(leftAlone, "VideoCompleted"));
    }
}
