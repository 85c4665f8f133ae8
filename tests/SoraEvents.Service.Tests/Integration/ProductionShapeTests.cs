using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace SoraEvents.Service.Tests.Integration;

/// <summary>Health endpoints and quorum queues on the real broker.</summary>
[Collection(RabbitMqCollection.Name)]
public sealed class ProductionShapeTests(RabbitMqFixture broker)
{
    [Fact]
    public async Task Ready_lists_the_bus_and_the_store_as_healthy_and_live_needs_nothing()
    {
        await using var live = await LiveService.StartAsync(broker);

        Assert.Equal(HttpStatusCode.OK, (await live.Client.GetAsync("/health/live")).StatusCode);
        var ready = await live.Client.GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        var checks = (await ready.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("checks");
        Assert.Equal("Healthy", checks.GetProperty("bus").GetProperty("status").GetString());
        Assert.Equal("Healthy", checks.GetProperty("job-store").GetProperty("status").GetString());
    }

    [Fact]
    public async Task Quorum_queues_by_configuration_carry_jobs_and_error_queues_stay_durable()
    {
        await using var live = await LiveService.StartAsync(broker, new Dictionary<string, string?> { ["RabbitMq:QuorumQueues"] = "true" });

        foreach (var queue in new[] { "generate-video", "callback-received" })
            Assert.Equal("quorum", (await broker.QueueInfoAsync(live.AmqpUrl, queue)).GetProperty("type").GetString());
        var jobId = await live.PostVideoAsync(new { prompt = "on a quorum queue" });
        await live.Events.WaitForAsync(jobId, "VideoCompleted");

        await RabbitMqFixture.MessageCountAsync(live.AmqpUrl, "generate-video_error"); // declared on first fault; make sure it exists
        await using (var connection = await RabbitMqFixture.ConnectAsync(live.AmqpUrl))
        await using (var channel = await connection.CreateChannelAsync())
        {
            await channel.BasicPublishAsync("", "generate-video", mandatory: true, new RabbitMQ.Client.BasicProperties { ContentType = "application/json" },
                "not json"u8.ToArray());
        }
        await Eventually.TrueAsync(async () => await RabbitMqFixture.MessageCountAsync(live.AmqpUrl, "generate-video_error") == 1,
            TimeSpan.FromSeconds(20), "the garbage in generate-video_error");
        Assert.True((await broker.QueueInfoAsync(live.AmqpUrl, "generate-video_error")).GetProperty("durable").GetBoolean());
    }
}
