namespace SoraEvents.Cli.Tests.Dlq;

/// <summary>
/// Outbound webhooks on the real broker, a real job through the simulator: an endpoint that keeps failing past
/// <c>OutboundWebhooks__RetryFor</c> lands its event in its own <c>_error</c> queue, <c>soraevents dlq</c> shows it
/// and replays it, and it is delivered afresh, same event id; meanwhile a receiver that hangs holds back neither the
/// bus event nor the other endpoint.
/// </summary>
[Collection(RabbitMqCollection.Name)]
public sealed class OutboundWebhookReplayTests(RabbitMqFixture broker)
{
    private static readonly string Secret = "whsec_" + Convert.ToBase64String(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray());

    [Fact]
    public async Task Exhausted_delivery_lands_in_its_error_queue_and_is_delivered_after_dlq_replay_while_a_hanging_receiver_holds_back_nothing()
    {
        await using var down = await WebhookReceiver.StartAsync();
        var back = false;
        down.Answer = (_, _) => Task.FromResult(Volatile.Read(ref back) ? 200 : 503);
        await using var slow = await WebhookReceiver.StartAsync();
        slow.Answer = async (_, ct) => { await slow.HangAsync(ct); return 200; };
        await using var live = await LiveService.StartAsync(broker, new Dictionary<string, string?>
        {
            ["OutboundWebhooks:AllowPrivateNetworks"] = "true",
            ["OutboundWebhooks:RetryFor"] = "00:00:00", // the first failure is the last
            ["OutboundWebhooks:TimeoutSeconds"] = "120",
            ["OutboundWebhooks:down:Url"] = down.HookUrl.AbsoluteUri,
            ["OutboundWebhooks:down:Secret"] = Secret,
            ["OutboundWebhooks:slow:Url"] = slow.HookUrl.AbsoluteUri,
            ["OutboundWebhooks:slow:Secret"] = Secret,
        });
        string[] endpoints = ["--amqp", live.AmqpUrl.AbsoluteUri, "--api", live.Client.BaseAddress!.AbsoluteUri];

        var jobId = await live.PostVideoAsync(new { prompt = "A lighthouse in a storm", size = "1280x720", seconds = 4 });
        var completed = await live.Events.WaitForAsync(jobId, "VideoCompleted", TimeSpan.FromSeconds(60));
        await slow.WaitForAsync(r => r.Count == 1, "the hanging receiver holding the event");
        await Eventually.TrueAsync(async () => await RabbitMqFixture.MessageCountAsync(live.AmqpUrl, "outbound-webhook-down_error") == 1,
            TimeSpan.FromSeconds(60), "the exhausted delivery in outbound-webhook-down_error");
        var eventId = $"evt_{completed.MessageId:N}";
        Assert.Equal(eventId, Assert.Single(down.Requests).EventId);

        var list = await Soraevents.OkAsync(["dlq", "list", "--queue", "outbound-webhook-down", .. endpoints]);
        Assert.Matches(@"outbound-webhook-down_error\s+1\s", list.Out);
        Assert.Contains("WebhookDeliveryExhaustedException", list.Out);
        Assert.Contains("answered 503", list.Out);

        Volatile.Write(ref back, true);
        var replay = await Soraevents.OkAsync(["dlq", "replay", "--queue", "outbound-webhook-down", .. endpoints]);
        Assert.Matches($@"moved\s+outbound-webhook-down_error\s+outbound-webhook-down\s+\S+\s+{jobId}", replay.Out);

        await down.WaitForAsync(r => r.Count == 2, "the replayed delivery");
        Assert.Equal(eventId, down.Requests[1].EventId);
        Assert.Equal(down.Requests[0].Body, down.Requests[1].Body);
        Assert.Equal(0u, await RabbitMqFixture.MessageCountAsync(live.AmqpUrl, "outbound-webhook-down_error"));
        Assert.Single(slow.Requests);
        await slow.ReleaseAsync();
    }
}
