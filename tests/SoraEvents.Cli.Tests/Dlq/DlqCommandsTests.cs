using System.Text.Json;

namespace SoraEvents.Cli.Tests.Dlq;

/// <summary>dlq list, show, replay --dry-run and purge on crafted dead letters in a virtual host of the test's own.</summary>
[Collection(DeadLetterCollection.Name)]
public sealed class DlqCommandsTests(RabbitMqFixture broker) : IAsyncLifetime
{
    private static readonly DeadLetterSpec Refused1 = new("refused-1", "orders", Guid.NewGuid(), "System.Net.Sockets.SocketException", "Connection refused", DeadLetters.Now.AddMinutes(-3));
    private static readonly DeadLetterSpec Refused2 = new("refused-2", "orders", Guid.NewGuid(), "System.Net.Sockets.SocketException", "Connection refused", DeadLetters.Now.AddMinutes(-2));
    private static readonly DeadLetterSpec Plain = new("plain", "orders", Guid.NewGuid(), "System.TimeoutException", "The operation has timed out.\nsecond line", DeadLetters.Now.AddMinutes(-1), Envelope: false);
    private static readonly DeadLetterSpec Payment = new("payment", "payments", Guid.NewGuid(), "System.Net.Sockets.SocketException", "Connection refused", DeadLetters.Now);

    private Uri amqp = null!;

    private string[] Amqp => ["--amqp", amqp.AbsoluteUri];

    public async Task InitializeAsync()
    {
        amqp = await broker.CreateVirtualHostAsync();
        await DeadLetters.PutAsync(amqp, [Refused1, Refused2, Plain, Payment]);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task List_counts_each_error_queue_and_groups_by_message_type_and_exception()
    {
        var table = await Soraevents.OkAsync(["dlq", "list", "--queue", "orders_error", "--queue", "payments", .. Amqp]);

        Assert.Matches(@"orders_error\s+3\s", table.Out);
        Assert.Matches(@"payments_error\s+1\s", table.Out);
        Assert.Matches(@"generate-video_error\s+-\n", table.Out); // the service's own are always checked
        Assert.Matches(@"2\s+SocketException: Connection refused", table.Out);
        Assert.Matches(@"1\s+TimeoutException: The operation has timed out\.", table.Out);
        Assert.Matches(@"2\s+SoraEvents\.Contracts:GenerateVideo", table.Out);

        var json = await Soraevents.OkAsync(["dlq", "list", "--queue", "orders", "--queue", "payments", "--json", .. Amqp]);
        var queues = JsonDocument.Parse(json.Out).RootElement.GetProperty("queues").EnumerateArray().ToDictionary(q => q.GetProperty("queue").GetString()!);
        Assert.False(queues["generate-video_error"].GetProperty("exists").GetBoolean());
        var orders = queues["orders_error"];
        Assert.Equal(3, orders.GetProperty("messages").GetInt32());
        Assert.Equal([("SocketException: Connection refused", 2), ("TimeoutException: The operation has timed out.", 1)],
            orders.GetProperty("byException").EnumerateArray().Select(e => (e.GetProperty("exception").GetString(), e.GetProperty("count").GetInt32())));
        Assert.Equal(1, queues["payments_error"].GetProperty("messages").GetInt32());

        // Listing reads every message but takes none.
        Assert.Equal([Refused1.MessageId, Refused2.MessageId, Plain.MessageId], await DeadLetters.IdsAsync(amqp, "orders_error"));
    }

    [Fact]
    public async Task Show_prints_message_headers_and_fault_and_leaves_the_message_in_place()
    {
        var result = await Soraevents.OkAsync(["dlq", "show", Refused2.MessageId, "--queue", "orders", .. Amqp]);

        Assert.Contains($"Message {Refused2.MessageId}", result.Out);
        Assert.Matches(@"queue\s+orders_error \(message 2 of 3\)", result.Out);
        Assert.Matches($@"job id\s+{Refused2.JobId}", result.Out);
        Assert.Matches(@"replays to\s+orders", result.Out);
        Assert.Matches(@"exception\s+System\.Net\.Sockets\.SocketException", result.Out);
        Assert.Matches(@"message\s+Connection refused", result.Out);
        Assert.Matches(@"host\s+worker-7 / SoraEvents\.Service", result.Out);
        Assert.Matches(@"stack trace\s+at System\.Net\.Sockets\.SocketException\.Throw\(\)", result.Out);
        Assert.Matches(@"x-tenant\s+acme", result.Out);
        Assert.Contains("\"prompt\": \"refused-2\"", result.Out);

        var json = JsonDocument.Parse((await Soraevents.OkAsync(["dlq", "show", Plain.MessageId, "--json", .. Amqp.Prepend("orders").Prepend("--queue")])).Out).RootElement;
        Assert.Equal(Plain.JobId, json.GetProperty("jobId").GetGuid());
        Assert.Equal("System.TimeoutException", json.GetProperty("fault").GetProperty("exceptionType").GetString());
        Assert.Equal("The operation has timed out.\nsecond line", json.GetProperty("fault").GetProperty("message").GetString());
        Assert.Equal("orders", json.GetProperty("replaysTo").GetString());
        Assert.Equal(Plain.JobId, json.GetProperty("body").GetProperty("jobId").GetGuid());

        Assert.Equal([Refused1.MessageId, Refused2.MessageId, Plain.MessageId], await DeadLetters.IdsAsync(amqp, "orders_error"));
    }

    [Fact]
    public async Task Show_of_an_unknown_message_id_fails_with_one_line()
    {
        var result = await Soraevents.FailsAsync(["dlq", "show", "no-such-id", "--queue", "orders", .. Amqp]);
        Assert.Contains("no message with id 'no-such-id' in orders_error", result.Error);
        Assert.Equal(3u, await DeadLetters.CountAsync(amqp, "orders_error"));
    }

    [Fact]
    public async Task Dry_run_lists_what_would_move_and_moves_nothing()
    {
        var result = await Soraevents.OkAsync(["dlq", "replay", "--queue", "orders", "--queue", "payments", "--exception-contains", "refused", "--dry-run", .. Amqp]);

        Assert.Equal(3, result.OutLines.Count(l => l.StartsWith("would move", StringComparison.Ordinal)));
        foreach (var m in new[] { Refused1, Refused2, Payment }) Assert.Contains(m.MessageId, result.Out);
        Assert.DoesNotContain(Plain.MessageId, result.Out);
        Assert.Contains("nothing was moved", result.Out);
        Assert.Equal([Refused1.MessageId, Refused2.MessageId, Plain.MessageId], await DeadLetters.IdsAsync(amqp, "orders_error"));
        Assert.Equal([Payment.MessageId], await DeadLetters.IdsAsync(amqp, "payments_error"));
        Assert.Equal(0u, await DeadLetters.CountAsync(amqp, "orders"));
        Assert.Equal(0u, await DeadLetters.CountAsync(amqp, "payments"));

        var json = JsonDocument.Parse((await Soraevents.OkAsync(["dlq", "replay", "--queue", "orders", "--dry-run", "--json", .. Amqp])).Out).RootElement;
        Assert.True(json.GetProperty("dryRun").GetBoolean());
        Assert.Equal(3, json.GetProperty("wouldMove").GetInt32());
        Assert.Equal(0, json.GetProperty("moved").GetInt32());
        Assert.Equal(3u, await DeadLetters.CountAsync(amqp, "orders_error"));
    }

    [Fact]
    public async Task Replay_to_a_queue_that_no_longer_exists_keeps_the_message_and_fails_with_one_line()
    {
        var orphan = new DeadLetterSpec("orphan", "orders", Guid.NewGuid(), "System.Exception", "boom", DeadLetters.Now, InputQueue: "retired-queue");
        await DeadLetters.PutAsync(amqp, [orphan]);

        var result = await Soraevents.FailsAsync(["dlq", "replay", "--queue", "orders", .. Amqp]);

        Assert.Contains("queue 'retired-queue' does not exist", result.Error);
        Assert.Equal([orphan.MessageId], await DeadLetters.IdsAsync(amqp, "orders_error"));
        Assert.Equal([Refused1.MessageId, Refused2.MessageId, Plain.MessageId], await DeadLetters.IdsAsync(amqp, "orders"));
    }

    [Fact]
    public async Task Purge_without_yes_asks_and_does_nothing_on_no()
    {
        var result = await Soraevents.RunWithInputAsync("n\n", CancellationToken.None, ["dlq", "purge", "--queue", "orders", .. Amqp]);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("Delete 3 messages from orders_error? This cannot be undone. [y/N]", result.Error);
        Assert.Contains("aborted: nothing was purged", result.Error);
        Assert.Equal(3u, await DeadLetters.CountAsync(amqp, "orders_error"));

        var silent = await Soraevents.RunWithInputAsync("", CancellationToken.None, ["dlq", "purge", "--queue", "orders", .. Amqp]);
        Assert.NotEqual(0, silent.ExitCode); // no answer (no terminal, end of input) is a no
        Assert.Equal(3u, await DeadLetters.CountAsync(amqp, "orders_error"));
    }

    [Fact]
    public async Task Purge_empties_the_queue_on_yes_or_with_the_yes_option()
    {
        var asked = await Soraevents.RunWithInputAsync("y\n", CancellationToken.None, ["dlq", "purge", "--queue", "orders_error", .. Amqp]);
        Assert.True(asked.ExitCode == 0, asked.ToString());
        Assert.Contains("purged 3 messages from orders_error", asked.Out);
        Assert.Equal(0u, await DeadLetters.CountAsync(amqp, "orders_error"));

        var forced = await Soraevents.OkAsync(["dlq", "purge", "--queue", "payments", "--yes", "--json", .. Amqp]);
        Assert.Equal(1, JsonDocument.Parse(forced.Out).RootElement.GetProperty("purged")[0].GetProperty("messages").GetInt32());
        Assert.Equal(0u, await DeadLetters.CountAsync(amqp, "payments_error"));
    }

    [Fact]
    public async Task Unknown_virtual_host_fails_with_one_line()
    {
        var url = new Uri(RabbitMqFixture.AmqpBase, $"no-such-vhost-{Guid.NewGuid():N}");
        var result = await Soraevents.FailsAsync("dlq", "list", "--amqp", url.AbsoluteUri);
        Assert.Contains("virtual host 'no-such-vhost-", result.Error);
        Assert.Contains("does not exist or this user may not use it", result.Error);
    }

    [Fact]
    public async Task Unknown_queue_fails_with_one_line_for_every_dlq_command()
    {
        foreach (var args in new[]
                 {
                     new[] { "dlq", "list", "--queue", "nope" },
                     ["dlq", "show", Refused1.MessageId, "--queue", "nope"],
                     ["dlq", "replay", "--queue", "nope"],
                     ["dlq", "purge", "--queue", "nope", "--yes"],
                 })
        {
            var result = await Soraevents.FailsAsync([.. args, .. Amqp]);
            Assert.Equal(1, result.ExitCode);
            Assert.Contains("unknown queue 'nope_error'", result.Error);
        }
        Assert.Equal(3u, await DeadLetters.CountAsync(amqp, "orders_error"));
    }
}
