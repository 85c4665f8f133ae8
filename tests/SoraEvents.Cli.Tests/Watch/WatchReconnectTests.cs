using System.Text;
using RabbitMQ.Client;

namespace SoraEvents.Cli.Tests.Watch;

/// <summary>
/// <c>watch</c> outlives a broker restart: it says it lost the connection, reconnects once the broker is back,
/// says so, and prints the events published after that. The broker is a node of this class's own, restarted here.
/// </summary>
public sealed class WatchReconnectTests(PrivateRabbitMqNode node) : IClassFixture<PrivateRabbitMqNode>
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task Watch_reconnects_after_the_broker_restarts_and_carries_on()
    {
        using var stop = new CancellationTokenSource();
        var watch = Soraevents.Start(stop.Token, "watch", "--amqp", node.Amqp.AbsoluteUri);
        await Eventually.TrueAsync(() => Task.FromResult(watch.Error.Contains("watching ")), Patience, "the watch started");

        await node.StopAsync();
        await Eventually.TrueAsync(() => Task.FromResult(watch.Error.Contains("reconnecting")), Patience, "the watch noticed the lost broker");
        await node.StartAsync();
        await Eventually.TrueAsync(() => Task.FromResult(watch.Error.Contains("reconnected to ")), Patience, "the watch reconnected");

        var jobId = Guid.NewGuid();
        await PublishCompletedAsync(jobId);
        await Eventually.TrueAsync(() => Task.FromResult(watch.Out.Contains(jobId.ToString())), Patience, "the event after the restart printed");

        await stop.CancelAsync();
        var result = await watch.WaitAsync(Patience);
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.DoesNotContain("error:", result.Error);
    }

    private async Task PublishCompletedAsync(Guid jobId)
    {
        await using var connection = await RabbitMqFixture.ConnectAsync(node.Amqp);
        await using var channel = await connection.CreateChannelAsync();
        var body = Encoding.UTF8.GetBytes($$"""{"jobId":"{{jobId}}","provider":"pixazo","videoUrl":"https://cdn.test/after-restart.mp4"}""");
        await channel.BasicPublishAsync("SoraEvents.Contracts:VideoCompleted", "", mandatory: false,
            new BasicProperties { ContentType = "application/json", MessageId = Guid.NewGuid().ToString() }, body);
    }
}
